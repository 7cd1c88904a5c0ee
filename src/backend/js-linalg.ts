import type { LinalgKernels } from './backend.js';

/**
 * LU with partial pivoting (Doolittle, row-major, right-looking): the reference kernels of
 * det, inv and solve. Choosing the largest pivot in each column bounds the multipliers by 1,
 * which keeps elimination stable for every matrix that is not nearly singular.
 */
export const jsLinalgKernels: LinalgKernels = {
  luFactor(lu, n, batch, pivots, signs) {
    for (let q = 0; q < batch; q++) {
      const base = q * n * n;
      let sign = 1;
      for (let k = 0; k < n; k++) {
        let p = k, best = Math.abs(lu[base + k * n + k]);
        for (let i = k + 1; i < n; i++) {
          const v = Math.abs(lu[base + i * n + k]);
          if (v > best) { best = v; p = i; }
        }
        pivots[q * n + k] = p;
        // NaN pivots count as singular too: nothing after them would be meaningful.
        if (!(best > 0)) { sign = 0; break; }
        if (p !== k) {
          sign = -sign;
          for (let j = 0; j < n; j++) {
            const t = lu[base + k * n + j];
            lu[base + k * n + j] = lu[base + p * n + j];
            lu[base + p * n + j] = t;
          }
        }
        const pivot = lu[base + k * n + k];
        for (let i = k + 1; i < n; i++) {
          const row = base + i * n;
          const m = (lu[row + k] /= pivot);
          if (m === 0) continue;
          for (let j = k + 1; j < n; j++) lu[row + j] -= m * lu[base + k * n + j];
        }
      }
      signs[q] = sign;
    }
  },

  luSolve(lu, n, batch, pivots, b, nrhs) {
    for (let q = 0; q < batch; q++) {
      const a0 = q * n * n, b0 = q * n * nrhs;
      // Apply P, then L y = P b (unit diagonal), then U x = y.
      for (let k = 0; k < n; k++) {
        const p = pivots[q * n + k];
        if (p === k) continue;
        for (let j = 0; j < nrhs; j++) {
          const t = b[b0 + k * nrhs + j];
          b[b0 + k * nrhs + j] = b[b0 + p * nrhs + j];
          b[b0 + p * nrhs + j] = t;
        }
      }
      for (let i = 1; i < n; i++) {
        for (let k = 0; k < i; k++) {
          const l = lu[a0 + i * n + k];
          if (l === 0) continue;
          for (let j = 0; j < nrhs; j++) b[b0 + i * nrhs + j] -= l * b[b0 + k * nrhs + j];
        }
      }
      for (let i = n - 1; i >= 0; i--) {
        for (let k = i + 1; k < n; k++) {
          const u = lu[a0 + i * n + k];
          if (u === 0) continue;
          for (let j = 0; j < nrhs; j++) b[b0 + i * nrhs + j] -= u * b[b0 + k * nrhs + j];
        }
        const d = lu[a0 + i * n + i];
        for (let j = 0; j < nrhs; j++) b[b0 + i * nrhs + j] /= d;
      }
    }
  },
};
