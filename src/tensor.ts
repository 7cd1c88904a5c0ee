import type { DType, Storage } from './dtype.js';
import { dtypeOf } from './dtype.js';
import { check, fmtShape } from './check.js';
import type { Node } from './autograd/graph.js';
import * as ops from './ops/index.js';
import { backward as runBackward } from './autograd/engine.js';
import { disownGrad, releaseOwnedGrad } from './ops/storage.js';

/** Counts in-place writes to a storage; views share it with their base. */
export interface VersionCounter {
  value: number;
}

type Operand = Tensor | number;

/**
 * An n-dimensional array of float32 or float64 values in contiguous row-major storage,
 * with the autograd state that reverse and forward mode need. No `dispose()`: the garbage
 * collector reclaims it like any object.
 */
export class Tensor {
  readonly data: Storage;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** @internal the gradient, read by the library without disowning it (see `grad`). */
  _grad: Tensor | null = null;
  /** The node that produced this tensor, or null for a leaf. */
  gradFn: Node | null = null;
  /** Which output of gradFn this is. */
  outputIndex = 0;
  /** @internal shared with views. */
  _version: VersionCounter;
  /** @internal forward-mode tangent while a jvp is running. */
  _tangent: Tensor | null = null;
  /** @internal imaginary part while a complex-step evaluation is running. */
  _imag: Storage | null = null;
  private _requiresGrad = false;

  /** @internal use my.tensor and the factories. */
  constructor(data: Storage, shape: readonly number[], version?: VersionCounter) {
    this.data = data;
    this.shape = shape;
    this.dtype = dtypeOf(data);
    this._version = version ?? { value: 0 };
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Whether gradients flow to this tensor; settable on leaves. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    check(typeof value === 'boolean', () => `requiresGrad: expected a boolean, got ${String(value)}`);
    check(this.gradFn === null || value, () =>
      `requiresGrad: cannot turn off requiresGrad of a non-leaf tensor ${fmtShape(this.shape)}; use detach()`);
    this._requiresGrad = value;
  }

  /** Accumulated gradient (leaves that require grad, after backward). */
  get grad(): Tensor | null {
    const g = this._grad;
    // The caller may keep it: its storage is never reused (see ops/storage.ts).
    if (g !== null) disownGrad(g.data);
    return g;
  }

  set grad(value: Tensor | null) {
    check(value === null || value instanceof Tensor, () => `grad: expected a Tensor or null, got ${String(value)}`);
    if (value !== null) disownGrad(value.data);
    this._grad = value;
  }

  /** @internal clears the gradient; storage the library alone held is reused by later ops. */
  _releaseGrad(): void {
    const g = this._grad;
    this._grad = null;
    if (g !== null) releaseOwnedGrad(g.data, this);
  }

  /** Whether this tensor was created by the user rather than by an op that records a graph. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** @internal */
  _setGradFn(node: Node, outputIndex: number): void {
    this.gradFn = node;
    this.outputIndex = outputIndex;
    this._requiresGrad = true;
  }

  /** @internal marks an in-place write (optimizers, `copy_`). */
  _bumpVersion(): void {
    this._version.value++;
  }

  /** Nested arrays of numbers (a number for a 0-d tensor). */
  toArray(): any {
    const { data, shape } = this;
    if (shape.length === 0) return data[0];
    const build = (dim: number, offset: number): unknown[] => {
      const n = shape[dim];
      const out = new Array(n);
      if (dim === shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = data[offset + i];
        return out;
      }
      let stride = 1;
      for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /** The value of a one-element tensor. */
  item(): number {
    check(this.size === 1, () => `item: only one-element tensors convert to a number, got shape ${fmtShape(this.shape)}`);
    return this.data[0];
  }

  toString(): string {
    return `Tensor(${JSON.stringify(this.toArray())}, shape=${fmtShape(this.shape)}, dtype=${this.dtype}${this._requiresGrad ? ', requiresGrad' : ''})`;
  }

  /** Accumulates d(this)/d(leaf) into every leaf's `.grad`: `loss.backward()`. */
  backward(gradOutput?: Tensor, opts: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
    runBackward([this], gradOutput === undefined ? undefined : [gradOutput], opts);
  }

  /** A tensor sharing this one's data, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, this._version);
  }

  /** A copy with its own storage; gradients flow through it. */
  clone(): Tensor { return ops.clone(this); }
  /** This tensor converted to `dtype` (itself when it already is). */
  to(dtype: DType): Tensor { return ops.cast(this, dtype); }

  // In-place updates, for optimizers and initialisers. They refuse leaves that require grad
  // while the graph is being recorded, as PyTorch does.
  /** Copies `src`'s values (broadcast) into this tensor. */
  copy_(src: Tensor): this { ops.copyInPlace(this, src); return this; }
  /** Sets every element to `value`. */
  fill_(value: number): this { ops.fillInPlace(this, value); return this; }
  zero_(): this { return this.fill_(0); }
  /** this += alpha * other. */
  add_(other: Operand, alpha = 1): this { ops.addInPlace(this, other, alpha); return this; }
  /** this *= other. */
  mul_(other: Operand): this { ops.mulInPlace(this, other); return this; }

  add(y: Operand): Tensor { return ops.add(this, y); }
  sub(y: Operand): Tensor { return ops.sub(this, y); }
  mul(y: Operand): Tensor { return ops.mul(this, y); }
  div(y: Operand): Tensor { return ops.div(this, y); }
  pow(y: Operand): Tensor { return ops.pow(this, y); }
  maximum(y: Operand): Tensor { return ops.maximum(this, y); }
  minimum(y: Operand): Tensor { return ops.minimum(this, y); }
  matmul(y: Tensor): Tensor { return ops.matmul(this, y); }
  neg(): Tensor { return ops.neg(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  abs(): Tensor { return ops.abs(this); }
  sin(): Tensor { return ops.sin(this); }
  cos(): Tensor { return ops.cos(this); }
  tanh(): Tensor { return ops.tanh(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  relu(): Tensor { return ops.relu(this); }
  square(): Tensor { return ops.square(this); }
  reciprocal(): Tensor { return ops.reciprocal(this); }
  eq(y: Operand): Tensor { return ops.eq(this, y); }
  gt(y: Operand): Tensor { return ops.gt(this, y); }
  lt(y: Operand): Tensor { return ops.lt(this, y); }
  ge(y: Operand): Tensor { return ops.ge(this, y); }
  le(y: Operand): Tensor { return ops.le(this, y); }
  sum(dim?: number | number[], keepDim = false): Tensor { return ops.sum(this, dim, keepDim); }
  mean(dim?: number | number[], keepDim = false): Tensor { return ops.mean(this, dim, keepDim); }
  max(dim?: number | number[], keepDim = false): Tensor { return ops.max(this, dim, keepDim); }
  argmax(dim?: number, keepDim = false): Tensor { return ops.argmax(this, dim, keepDim); }
  reshape(...shape: number[] | [number[]]): Tensor { return ops.reshape(this, ...shape); }
  transpose(d0 = -2, d1 = -1): Tensor { return ops.transpose(this, d0, d1); }
  permute(...dims: number[]): Tensor { return ops.permute(this, dims); }
  /** The transpose of a 2-D tensor. */
  get T(): Tensor { return ops.matrixT(this); }
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  squeeze(dim?: number): Tensor { return ops.squeeze(this, dim); }
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  /** Elements `start..end-1` (step 1) along `dim`. */
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  /** Picks values along `dim` at `index` (integer-valued tensor of the output's shape). */
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
}
