import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';
import { expectGradcheck, expectGradgradcheck } from './gradcheck.js';

const golden = JSON.parse(readFileSync(new URL('../goldens/nn.json', import.meta.url), 'utf8'));
const F = my.nn.functional;
const nn = my.nn;
const T = (name: string) => my.tensor(golden.lossInputs[name], { dtype: 'float64' });
const labels: number[] = golden.lossInputs.labels;

type Red = 'mean' | 'sum' | 'none';
const losses: Record<string, (reduction: Red) => Tensor> = {
  ceIndex: (reduction) => F.crossEntropy(T('logits'), labels, { reduction }),
  ceProb: (reduction) => F.crossEntropy(T('logits'), T('probs'), { reduction }),
  ceSmooth: (reduction) => F.crossEntropy(T('logits'), Int32Array.from(labels), { reduction, labelSmoothing: 0.1 }),
  ceProbSmooth: (reduction) => F.crossEntropy(T('logits'), T('probs'), { reduction, labelSmoothing: 0.2 }),
  nll: (reduction) => F.nllLoss(F.logSoftmax(T('logits'), { dim: 1 }), my.tensor(labels), { reduction }),
  mse: (reduction) => F.mseLoss(T('pred'), T('target'), { reduction }),
  huber: (reduction) => F.huberLoss(T('pred'), T('target'), { reduction, delta: 0.5 }),
  bce: (reduction) => F.binaryCrossEntropy(T('p'), T('y01'), { reduction }),
  bceLogits: (reduction) => F.bceWithLogits(T('pred').mul(10), T('y01'), { reduction }),
  bceLogitsPos: (reduction) => F.bceWithLogits(T('pred').mul(10), T('y01'), { reduction, posWeight: T('posWeight') }),
  bceLogitsBig: (reduction) => F.bceWithLogits(T('big'), my.tensor([[1, 0, 1, 0]], { dtype: 'float64' }), { reduction }),
  cosEmb: (reduction) => F.cosineEmbeddingLoss(T('a'), T('b'), golden.lossInputs.pm, { reduction, margin: 0.2 }),
};

describeBackends('losses', () => {
  for (const [name, fn] of Object.entries(losses)) {
    it(`${name} matches PyTorch for every reduction`, () => {
      for (const red of ['mean', 'sum', 'none'] as const) expectClose(fn(red), golden.losses[red][name], { atol: 1e-10, rtol: 1e-9 });
    });
  }

  it('modules equal their functions', () => {
    expectClose(new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(T('logits'), labels), golden.losses.mean.ceSmooth, { atol: 1e-10 });
    expectClose(new nn.NLLLoss({ reduction: 'sum' }).forward(F.logSoftmax(T('logits'), { dim: 1 }), labels), golden.losses.sum.nll, { atol: 1e-10 });
    expectClose(new nn.MSELoss().forward(T('pred'), T('target')), golden.losses.mean.mse, { atol: 1e-12 });
    expectClose(new nn.HuberLoss({ delta: 0.5 }).forward(T('pred'), T('target')), golden.losses.mean.huber, { atol: 1e-12 });
    expectClose(new nn.BCELoss().forward(T('p'), T('y01')), golden.losses.mean.bce, { atol: 1e-12 });
    expectClose(new nn.BCEWithLogitsLoss({ posWeight: T('posWeight') }).forward(T('pred').mul(10), T('y01')), golden.losses.mean.bceLogitsPos, { atol: 1e-10 });
    expectClose(new nn.CosineEmbeddingLoss({ margin: 0.2 }).forward(T('a'), T('b'), golden.lossInputs.pm), golden.losses.mean.cosEmb, { atol: 1e-10 });
  });

  it('cross-entropy gradient matches PyTorch; class indices as number[], Int32Array and integer Tensor agree', () => {
    const l = T('logits');
    l.requiresGrad = true;
    F.crossEntropy(l, my.tensor(labels)).backward();
    expectClose(l.grad!, golden.ceIndexGrad, { atol: 1e-12 });
    expectClose(F.crossEntropy(T('logits'), Int32Array.from(labels)), golden.losses.mean.ceIndex, { atol: 1e-12 });
  });

  it('cosineSimilarity matches PyTorch along dims 1 and 0, and is 0 with finite gradients for zero vectors', () => {
    expectClose(F.cosineSimilarity(T('a'), T('b')), golden.cosSim, { atol: 1e-12 });
    expectClose(F.cosineSimilarity(T('a'), T('b'), { dim: 0 }), golden.cosSim0, { atol: 1e-12 });
    const z = my.zeros([1, 3], { dtype: 'float64', requiresGrad: true });
    const c = F.cosineSimilarity(z, my.tensor([[1, 2, 3]], { dtype: 'float64' }));
    expectClose(c, [0], { atol: 0 });
    c.sum().backward();
    expect(Array.from(z.grad!.data).every(Number.isFinite)).toBe(true);
  });

  it('gradcheck and second derivatives of the smooth losses (float64)', () => {
    const p = T('pred').narrow(0, 0, 2), t = T('target').narrow(0, 0, 2), y = T('y01').narrow(0, 0, 2);
    const checks: [(...xs: Tensor[]) => Tensor, Tensor[]][] = [
      [(a) => F.crossEntropy(a, [1, 3]), [p]],
      [(a, b) => F.crossEntropy(a, F.softmax(b, { dim: 1 }), { labelSmoothing: 0.1 }), [p, t]],
      [(a, b) => F.mseLoss(a, b), [p, t]],
      [(a) => F.bceWithLogits(a, y, { posWeight: my.tensor([1, 2, 0.5, 3], { dtype: 'float64' }) }), [p]],
      [(a) => F.binaryCrossEntropy(my.sigmoid(a), y), [p]],
      [(a, b) => F.cosineSimilarity(a, b), [p, t]],
      [(a, b) => F.cosineEmbeddingLoss(a, b, [1, -1], { margin: -0.9 }), [p, t]],
      [(a, b) => F.huberLoss(a, b, { delta: 5 }), [p, t]],
    ];
    for (const [f, xs] of checks) {
      expectGradcheck(f, xs);
      expectGradgradcheck(f, xs);
    }
  });

  it('bad input gives clear Errors', () => {
    const l = my.randn([3, 4]);
    expect(() => F.crossEntropy(l, [0, 4, 1])).toThrow(/crossEntropy: target 4 at position 1 is out of range for 4 classes/);
    expect(() => F.crossEntropy(l, [0, 1])).toThrow(/crossEntropy: 2 targets for a batch of 3/);
    expect(() => F.crossEntropy(l, [0, 1.5, 1])).toThrow(/target 1.5 at position 1/);
    expect(() => F.crossEntropy(my.randn([4]), [0])).toThrow(/crossEntropy: input must be \[batch, classes\], got \[4\]/);
    expect(() => F.crossEntropy(l, my.randn([3, 5]))).toThrow(/probability targets \[3,5\] must match the logits \[3,4\]/);
    expect(() => F.crossEntropy(l, [0, 1, 2], { labelSmoothing: 2 })).toThrow(/labelSmoothing must be in \[0, 1\], got 2/);
    expect(() => F.nllLoss(l, my.tensor([[0, 1, 2]]))).toThrow(/nllLoss: class indices must be a 1-D Tensor/);
    expect(() => F.mseLoss(l, my.randn([4, 3]))).toThrow(/mseLoss: input \[3,4\] and target \[4,3\] must have the same shape/);
    expect(() => F.binaryCrossEntropy(my.tensor([0.5, 1.5]), my.tensor([0, 1]))).toThrow(/binaryCrossEntropy: input must hold probabilities in \[0, 1\], got 1.5 at position 1/);
    expect(() => F.mseLoss(l, l, { reduction: 'avg' as 'mean' })).toThrow(/mseLoss: reduction must be 'mean', 'sum' or 'none', got 'avg'/);
    expect(() => F.cosineEmbeddingLoss(l, l, [1, 0, -1])).toThrow(/cosineEmbeddingLoss: target 0 at position 1 must be 1 or -1/);
    expect(() => F.huberLoss(l, l, { delta: 0 })).toThrow(/huberLoss: delta must be > 0/);
  });
});
