import type { Tensor } from '../tensor.js';
import { check } from '../check.js';
import type { DType } from '../dtype.js';
import { full } from '../creation.js';
import type { FusedActivation } from '../backend/backend.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import * as F from './functional/activations.js';

/** An activation a preceding Linear can apply in its GEMM epilogue (see Sequential). */
export interface EpilogueActivation {
  activation: FusedActivation;
  param: number;
}

/** A module that can tell Sequential which epilogue activation it equals (null: none). */
export interface Fusable {
  epilogue(): EpilogueActivation | null;
}

export function isFusable(m: Module): m is Module & Fusable {
  return typeof (m as Partial<Fusable>).epilogue === 'function';
}

/** A parameterless activation module: `forward(x)` is `fn(x, options)`. */
abstract class ActivationModule<O extends object = object> extends Module {
  constructor(readonly options: O = {} as O) {
    super();
    check(options !== null && typeof options === 'object', () => `${new.target.name}: options must be an object, got ${String(options)}`);
  }
  protected abstract fn(x: Tensor, options: O): Tensor;
  forward(x: Tensor): Tensor {
    return this.fn(x, this.options);
  }
}

const fixed = (activation: FusedActivation, param = 0): EpilogueActivation => ({ activation, param });

/** max(x, 0) as a module: `new my.nn.ReLU()`. */
export class ReLU extends ActivationModule implements Fusable {
  protected fn(x: Tensor): Tensor { return F.relu(x); }
  epilogue() { return fixed('relu'); }
}
/** `new my.nn.LeakyReLU({ negativeSlope: 0.1 })` (default 0.01). */
export class LeakyReLU extends ActivationModule<{ negativeSlope?: number }> implements Fusable {
  protected fn(x: Tensor, o: { negativeSlope?: number }): Tensor { return F.leakyRelu(x, o); }
  epilogue() {
    const slope = this.options.negativeSlope ?? 0.01;
    return slope >= 0 ? fixed('leakyRelu', slope) : null;
  }
}
/** `new my.nn.ELU({ alpha: 1 })`. */
export class ELU extends ActivationModule<{ alpha?: number }> implements Fusable {
  protected fn(x: Tensor, o: { alpha?: number }): Tensor { return F.elu(x, o); }
  epilogue() {
    const alpha = this.options.alpha ?? 1;
    return alpha >= 0 ? fixed('elu', alpha) : null;
  }
}
export class SELU extends ActivationModule {
  protected fn(x: Tensor): Tensor { return F.selu(x); }
}
/** `new my.nn.GELU()` (erf form) or `new my.nn.GELU({ approximate: 'tanh' })`. */
export class GELU extends ActivationModule<{ approximate?: 'none' | 'tanh' }> implements Fusable {
  protected fn(x: Tensor, o: { approximate?: 'none' | 'tanh' }): Tensor { return F.gelu(x, o); }
  epilogue() { return (this.options.approximate ?? 'none') === 'none' ? fixed('gelu') : null; }
}
export class Sigmoid extends ActivationModule implements Fusable {
  protected fn(x: Tensor): Tensor { return F.sigmoid(x); }
  epilogue() { return fixed('sigmoid'); }
}
export class Tanh extends ActivationModule implements Fusable {
  protected fn(x: Tensor): Tensor { return F.tanh(x); }
  epilogue() { return fixed('tanh'); }
}
/** x·σ(x), also known as Swish. */
export class SiLU extends ActivationModule implements Fusable {
  protected fn(x: Tensor): Tensor { return F.silu(x); }
  epilogue() { return fixed('silu'); }
}
/** `new my.nn.Softplus({ beta: 1, threshold: 20 })`. */
export class Softplus extends ActivationModule<{ beta?: number; threshold?: number }> {
  protected fn(x: Tensor, o: { beta?: number; threshold?: number }): Tensor { return F.softplus(x, o); }
}
export class Softsign extends ActivationModule {
  protected fn(x: Tensor): Tensor { return F.softsign(x); }
}
export class Mish extends ActivationModule {
  protected fn(x: Tensor): Tensor { return F.mish(x); }
}
/** `new my.nn.Hardtanh({ minVal: -1, maxVal: 1 })`. */
export class Hardtanh extends ActivationModule<{ minVal?: number; maxVal?: number }> {
  protected fn(x: Tensor, o: { minVal?: number; maxVal?: number }): Tensor { return F.hardtanh(x, o); }
}
export class LogSigmoid extends ActivationModule {
  protected fn(x: Tensor): Tensor { return F.logSigmoid(x); }
}
/** `new my.nn.Softmax({ dim: 1 })` (default: the last dim). */
export class Softmax extends ActivationModule<F.DimOptions> {
  protected fn(x: Tensor, o: F.DimOptions): Tensor { return F.softmax(x, o); }
}
export class LogSoftmax extends ActivationModule<F.DimOptions> {
  protected fn(x: Tensor, o: F.DimOptions): Tensor { return F.logSoftmax(x, o); }
}
/** 1 where x >= 0, else 0; zero gradient everywhere (why backpropagation cannot train it). */
export class Step extends ActivationModule {
  protected fn(x: Tensor): Tensor { return F.step(x); }
}
/** sin(x)/x, 1 at 0. */
export class Sinc extends ActivationModule {
  protected fn(x: Tensor): Tensor { return F.sinc(x); }
}

/** The identity, a placeholder layer. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/**
 * Leaky ReLU with a learnable slope, one shared (default) or one per channel (dim 1),
 * initialised to 0.25: `new my.nn.PReLU({ numParameters: 64 })`.
 */
export class PReLU extends Module {
  weight: Parameter;
  constructor(opts: { numParameters?: number; init?: number; dtype?: DType } = {}) {
    super();
    const n = opts.numParameters ?? 1;
    check(Number.isInteger(n) && n > 0, () => `PReLU: numParameters must be a positive integer, got ${n}`);
    this.weight = new Parameter(full([n], F.numberOption('PReLU', 'init', opts.init, 0.25), { dtype: opts.dtype ?? 'float32' }));
  }
  forward(x: Tensor): Tensor {
    return F.prelu(x, this.weight);
  }
}

/** Randomized leaky ReLU: random slopes in U(lower, upper) while training, their mean in eval. */
export class RReLU extends Module {
  constructor(readonly options: { lower?: number; upper?: number } = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    return F.rrelu(x, { ...this.options, training: this.training });
  }
}
