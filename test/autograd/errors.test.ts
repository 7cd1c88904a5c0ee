/** The list of bad inputs, each with the Error it must give. */
import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { describeBackends } from '../helpers.js';

const f64 = (data: any, requiresGrad = true) => my.tensor(data, { dtype: 'float64', requiresGrad });

describeBackends('bad input to autodiff', () => {
  it('shape, dim and dtype errors name the op and the operands', () => {
    expect(() => my.zeros([2, 3]).matmul(my.zeros([4, 5]))).toThrow('matmul: [2,3] @ [4,5]: inner dimensions 3 and 4 differ');
    expect(() => my.zeros([2, 3]).sum(-3)).toThrow('sum: dim -3 is out of range for a 2-d tensor [2,3] (expected -2..1)');
    expect(() => my.zeros([2]).to('int32' as any)).toThrow("to: dtype must be 'float32' or 'float64', got 'int32'");
    expect(() => my.zeros([2, 3]).sub(my.zeros([3, 2]))).toThrow('sub: shapes [2,3] and [3,2] cannot be broadcast (dimension 0: 2 vs 3)');
  });

  it('backward on a non-scalar without a gradient', () => {
    expect(() => f64([1, 2]).exp().backward()).toThrow(/grad can be implicitly created only for one-element outputs; output 0 has shape \[2\]/);
  });

  it('grad of an input not in the graph without allowUnused', () => {
    const x = f64([1]), z = f64([2]);
    expect(() => my.autograd.grad(x.exp().sum(), [z])).toThrow(/inputs\[0\] \[1\] was not used to compute the outputs; pass allowUnused: true/);
  });

  it('in-place change to a tensor saved for backward', () => {
    const x = f64([0.5, 1]);
    const h = x.mul(2);
    const y = h.sin().sum();
    my.noGrad(() => h.mul_(3));
    expect(() => y.backward()).toThrow(/sin: input 0 \(shape \[2\]\), saved for backward, was modified in place \(version 0 -> 1\); clone it before changing it/);
  });

  it('a second backward through a freed graph', () => {
    const y = f64([1, 2]).square().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/trying to backward through the graph a second time .* pass retainGraph: true/);
    const x = f64([1]);
    const z = x.exp().sum();
    my.autograd.grad(z, x);
    expect(() => my.autograd.grad(z, x)).toThrow(/^autograd.grad: trying to backward through the graph a second time \(sum's saved tensors were freed\)/);
  });

  it('transforms check their arguments', () => {
    expect(() => my.autograd.jvp((t: Tensor) => t, [f64([1]), f64([2])], [f64([1])])).toThrow('autograd.jvp: 2 primals but 1 tangents');
    expect(() => my.autograd.jvp('f' as any, [f64([1])], [f64([1])])).toThrow('autograd.jvp: f must be a function');
    expect(() => my.autograd.hessian((t: Tensor) => t.mul(2), f64([1, 2]))).toThrow('autograd.hessian: f must return one element, got shape [2]');
    expect(() => my.autograd.hvp((t: Tensor) => t.sum(), f64([1, 2]), f64([1]))).toThrow('autograd.hvp: v[0] has shape [1] but primals[0] has shape [2]');
    expect(() => my.autograd.vjp((t: Tensor) => (t as any).toArray(), [f64([1])])).toThrow(/autograd.vjp: f must return a Tensor, got object/);
    expect(() => my.autograd.gradcheck((t: Tensor) => t, [f64([1])], { eps: -1 })).toThrow('autograd.gradcheck: eps must be a positive number, got -1');
  });
});
