import type { Tensor } from '../tensor.js';
import type { OpContext, OpDef } from '../ops/registry.js';
import { mode } from './mode.js';

/**
 * A recorded step of the computation: it knows its inputs and how to turn the gradients of
 * its outputs into gradients of those inputs. After backward (without retainGraph) it drops
 * its references, which is how the graph is freed.
 */
export abstract class Node {
  /** Tensors the gradients flow to; null once the graph has been freed. */
  inputs: readonly Tensor[] | null;
  /** Versions of the inputs at record time, to catch in-place changes to saved tensors. */
  private readonly savedVersions: number[];
  abstract readonly name: string;
  abstract readonly numOutputs: number;

  constructor(inputs: readonly Tensor[]) {
    this.inputs = inputs;
    const versions = new Array<number>(inputs.length);
    for (let i = 0; i < inputs.length; i++) versions[i] = inputs[i]._version.value;
    this.savedVersions = versions;
  }

  /** Gradients for each input (null where none), given the gradients of each output. */
  abstract backward(grads: readonly (Tensor | null)[]): (Tensor | null)[];

  /** Throws when a saved input was modified in place since the node was recorded. */
  checkVersions(): void {
    const inputs = this.inputs!;
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i]._version.value !== this.savedVersions[i]) {
        throw new Error(
          `${this.name}: input ${i} (shape [${inputs[i].shape.join(',')}]), saved for backward, was modified ` +
            `in place (version ${this.savedVersions[i]} -> ${inputs[i]._version.value}); clone it before changing it`,
        );
      }
    }
  }

  release(): void {
    this.inputs = null;
  }
}

/** The node of a registered op: its backward is the op's VJP. */
export class OpNode<A> extends Node {
  readonly numOutputs = 1;
  output: Tensor;
  constructor(readonly op: OpDef<A>, inputs: readonly Tensor[], readonly attrs: A, output: Tensor) {
    super(inputs);
    this.output = output;
  }

  get name(): string {
    return this.op.name;
  }

  backward(grads: readonly (Tensor | null)[]): (Tensor | null)[] {
    // The engine checks that the graph was not freed before calling this.
    const ctx: OpContext<A> = { inputs: this.inputs!, output: this.output, attrs: this.attrs };
    return this.op.vjp!(grads[0]!, ctx);
  }
}

/**
 * Runs `op` on `inputs`: the forward through the backend, then a graph node when any input
 * requires grad, then the output's tangent when forward mode is active.
 */
export function apply<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  if (mode.complex > 0) return applyComplex(op, inputs, attrs);
  const out = op.forward(inputs, attrs);
  if (mode.grad && op.vjp !== undefined) {
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i].requiresGrad) {
        out._setGradFn(new OpNode(op, inputs, attrs, out), 0);
        break;
      }
    }
  }
  if (mode.forward > 0) propagateTangent(op, inputs, attrs, out);
  return out;
}

function propagateTangent<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A, out: Tensor): void {
  let any = false;
  const tangents = inputs.map((t) => {
    if (t._tangent !== null) any = true;
    return t._tangent;
  });
  if (!any || op.jvp === undefined) return;
  // Rules use ops on the primal inputs; those must not propagate tangents themselves.
  const depth = mode.forward;
  mode.forward = 0;
  try {
    out._tangent = op.jvp(tangents, { inputs, output: out, attrs });
  } finally {
    mode.forward = depth;
  }
}

/** Hook filled by autograd/complex.ts: evaluates an op at complex inputs. */
export const complexHook: {
  apply: <A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A) => Tensor;
} = {
  apply: (op) => {
    throw new Error(`${op.name}: complex evaluation is not available`);
  },
};

function applyComplex<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  return complexHook.apply(op, inputs, attrs);
}
