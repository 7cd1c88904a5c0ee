import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

interface ClipCase { normType: number | 'Infinity'; maxNorm: number; shapes: number[][]; grads: number[][]; total: number; clipped: number[][] }
const goldens = JSON.parse(readFileSync(new URL('../goldens/optim.json', import.meta.url), 'utf8')) as { clip: ClipCase[] };

describeBackends('clipGradNorm against PyTorch clip_grad_norm_', () => {
  for (const c of goldens.clip) {
    it(`norm ${c.normType}, maxNorm ${c.maxNorm}`, () => {
      const params = c.shapes.map((s, i) => {
        const p = my.zeros(s, { dtype: 'float64', requiresGrad: true });
        p.grad = my.tensor(Float64Array.from(c.grads[i]), { shape: s });
        return p;
      });
      const total = my.optim.clipGradNorm(params, c.maxNorm, c.normType === 'Infinity' ? Infinity : c.normType);
      expect(total).toBeCloseTo(c.total, 12);
      params.forEach((p, i) => expectClose(p.grad!, my.tensor(Float64Array.from(c.clipped[i]), { shape: c.shapes[i] }), { atol: 1e-12, rtol: 1e-10 }));
    });
  }

  it('returns 0 without gradients, reports non-finite norms, refuses bad arguments', () => {
    const p = my.zeros([2], { requiresGrad: true });
    expect(my.optim.clipGradNorm([p], 1)).toBe(0);
    p.grad = my.tensor([Infinity, 1]);
    expect(my.optim.clipGradNorm([p], 1)).toBe(Infinity);
    // As in PyTorch, clipping by 1/inf turns inf·0 into NaN: the caller sees the norm and decides.
    expect(Number.isNaN(p.grad.data[0])).toBe(true);
    p.grad = my.tensor([Infinity, 1]);
    expect(() => my.optim.clipGradNorm([p], 1, 2, { errorIfNonfinite: true })).toThrow(/total norm of order 2 .* is Infinity/);
    expect(() => my.optim.clipGradNorm([p], -1)).toThrow(/clipGradNorm: maxNorm must be a number >= 0, got -1/);
    expect(() => my.optim.clipGradNorm([p], 1, 0)).toThrow(/normType must be a positive number/);
    expect(() => my.optim.clipGradNorm([p, 3 as never], 1)).toThrow(/expected Tensors, got number/);
  });
});
