import type { OptimizerKernels } from './backend.js';

type SingleKernels = Pick<OptimizerKernels, 'adamUpdate' | 'sgdUpdate'>;

/** The Many forms as a loop of single-array calls: the js backend's, and native's fallback. */
export function manyFromSingle(k: SingleKernels): Pick<OptimizerKernels, 'adamUpdateMany' | 'sgdUpdateMany'> {
  return {
    adamUpdateMany(ws, gs, ms, vs, vmaxs, c) {
      for (let i = 0; i < ws.length; i++) k.adamUpdate(ws[i], gs[i], ms[i], vs[i], vmaxs ? vmaxs[i] : null, c);
    },
    sgdUpdateMany(ws, gs, bufs, c) {
      for (let i = 0; i < ws.length; i++) k.sgdUpdate(ws[i], gs[i], bufs ? bufs[i] : null, c);
    },
  };
}

const single: SingleKernels = {
  /**
   * PyTorch 1.13's Adam: g' = ±g + l2·w, m = β1m + (1-β1)g', v = β2v + (1-β2)g'²,
   * v̂ = max(vmax, v) under amsgrad, w = w·shrink - stepSize·m / (√v̂/√(1-β2^t) + eps).
   * eps is added after the bias correction of √v, as PyTorch does (not to v itself).
   */
  adamUpdate(w, g, m, v, vmax, c) {
    const { stepSize, bc2Sqrt, beta1, beta2, eps, l2, shrink, sign } = c;
    const n = w.length;
    for (let i = 0; i < n; i++) {
      const gi = sign * g[i] + l2 * w[i];
      const mi = (m[i] = beta1 * m[i] + (1 - beta1) * gi);
      let vi = (v[i] = beta2 * v[i] + (1 - beta2) * gi * gi);
      if (vmax !== null) vi = vmax[i] = Math.max(vmax[i], vi);
      w[i] = w[i] * shrink - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
  },

  /**
   * PyTorch's SGD: d = ±g + wd·w; with momentum the buffer starts as d (no dampening on the
   * first step), then b = μb + (1-τ)d; Nesterov steps along d + μb.
   */
  sgdUpdate(w, g, buf, c) {
    const { lr, momentum, dampening, weightDecay, sign, nesterov, first } = c;
    const n = w.length;
    for (let i = 0; i < n; i++) {
      let d = sign * g[i] + weightDecay * w[i];
      if (buf !== null) {
        const b = first ? d : momentum * buf[i] + (1 - dampening) * d;
        buf[i] = b;
        d = nesterov ? d + momentum * b : b;
      }
      w[i] -= lr * d;
    }
  },
};

/** The optimizer inner loops in TypeScript: the reference the native ones are tested against. */
export const jsOptimizerKernels: OptimizerKernels = { ...single, ...manyFromSingle(single) };
