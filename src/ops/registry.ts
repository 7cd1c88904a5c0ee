import type { Tensor } from '../tensor.js';
import { linearInParts } from '../autograd/complex.js';

/** What an op's derivative rules see: the inputs, the output and the attributes. */
export interface OpContext<A> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: A;
}

/**
 * One op: its forward (backend kernels, no graph), its VJP and JVP written with
 * differentiable ops (so derivatives of derivatives work), and, for analytic ops, its
 * evaluation at complex inputs. Ops without a VJP (comparisons, argmax) carry no gradient.
 */
export interface OpDef<A = undefined> {
  readonly name: string;
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  /** Gradient for each input given the output's gradient; null for inputs without one. */
  readonly vjp?: (grad: Tensor, ctx: OpContext<A>) => (Tensor | null)[];
  /** The output's tangent from the inputs' tangents (null means zero). */
  readonly jvp?: (tangents: readonly (Tensor | null)[], ctx: OpContext<A>) => Tensor;
  /**
   * Evaluation at complex inputs, for complex-step differentiation: inputs carry their
   * imaginary parts in `_imag` (null = 0), and so does the output. Absent for non-analytic ops.
   */
  readonly complex?: (inputs: readonly Tensor[], attrs: A) => Tensor;
  /** Why the op has no complex evaluation (named in the Error complex-step gives). */
  readonly nonAnalytic?: string;
  /**
   * The vjp allocates each input's gradient for that input alone: never the incoming
   * gradient, a saved tensor, or one tensor for two inputs. The engine may then hand a
   * leaf's gradient storage back for reuse once it is dropped (see ops/storage.ts).
   */
  readonly freshGrads?: true;
}

/** Declares an op; the registry is then built from one explicit list in ops/index.ts. */
export function defineOp<A = undefined>(def: OpDef<A>): OpDef<A> {
  return def;
}

/**
 * Declares an op that is linear in its inputs (reshapes, copies, sums): its complex
 * evaluation is its forward applied to the real and imaginary parts separately.
 */
export function defineLinearOp<A = undefined>(def: Omit<OpDef<A>, 'complex'>): OpDef<A> {
  return { ...def, complex: linearInParts(def.forward) };
}

/** Builds the registry, refusing two ops of one name. */
export function buildRegistry(defs: readonly OpDef<any>[]): ReadonlyMap<string, OpDef<any>> {
  const map = new Map<string, OpDef<any>>();
  for (const d of defs) {
    if (map.has(d.name)) throw new Error(`op registry: '${d.name}' is registered twice`);
    map.set(d.name, d);
  }
  return map;
}
