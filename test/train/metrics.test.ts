import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends } from '../helpers.js';

describeBackends('train.accuracy', () => {
  const acc = my.train.accuracy().fn;

  it('takes the argmax over classes against indices in every accepted form', () => {
    const out = my.tensor([[0.1, 2, 0], [3, 1, 2], [0, 0, 5], [1, 4, 0]]);
    expect(acc(out, [1, 0, 2, 0])).toBe(0.75);
    expect(acc(out, new Int32Array([1, 0, 1, 0]))).toBe(0.5);
    expect(acc(out, my.tensor([1, 0, 2, 1]))).toBe(1);
  });

  it('compares with the argmax of probability targets', () => {
    const out = my.tensor([[0.1, 2], [3, 1]]);
    expect(acc(out, my.tensor([[0, 1], [0.2, 0.8]]))).toBe(0.5);
  });

  it('thresholds single outputs at 0.5, or at the given threshold for logits', () => {
    const out = my.tensor([[0.7], [0.2], [-0.1], [0.4]]);
    expect(acc(out, my.tensor([[1], [0], [0], [1]]))).toBe(0.75);
    expect(my.train.accuracy({ threshold: 0 }).fn(out, [1, 0, 0, 1])).toBe(0.75);
    expect(my.train.accuracy({ threshold: 0 }).fn(my.tensor([0.7, 0.2, -0.1, 0.4]), [1, 0, 0, 0])).toBe(0.5);
  });

  it('refuses mismatched sizes', () => {
    expect(() => acc(my.tensor([[1, 0], [0, 1]]), [0, 1, 1])).toThrow(/accuracy: 3 targets for 2 outputs \[2,2\]/);
    expect(() => acc(my.tensor([[1, 0, 0]]), my.tensor([[0, 1]]))).toThrow(/do not match 3 classes/);
  });
});

describeBackends('train.History', () => {
  it('pads series that start late or miss an epoch, and serialises to plain arrays', () => {
    const h = new my.train.History();
    h.record({ loss: 1, lr: 0.1 });
    h.record({ loss: 0.5, lr: 0.1, accuracy: 0.9 });
    h.record({ loss: 0.25, lr: 0.05 });
    expect(h.accuracy).toEqual([NaN, 0.9, NaN]);
    expect(h.get('lr')).toEqual([0.1, 0.1, 0.05]);
    expect(h.last('loss')).toBe(0.25);
    expect(h.valLoss).toEqual([]);
    expect(JSON.parse(JSON.stringify(h))).toEqual({ loss: [1, 0.5, 0.25], valLoss: [], lr: [0.1, 0.1, 0.05], epochTime: [], accuracy: [null, 0.9, null], stopped: null });
    expect(() => h.get('f1')).toThrow(/no series 'f1'; recorded: loss, valLoss, lr, epochTime, accuracy/);
    expect(() => h.record({ loss: 1, get: 2 })).toThrow(/'get' is reserved/);
  });
});
