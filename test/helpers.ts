import { beforeAll, describe, expect } from 'vitest';
import * as my from '../src/index.js';
import type { Tensor } from '../src/index.js';

/** Backends this machine can run: js always, native when the addon is built. */
export function availableBackends(): ('native' | 'js')[] {
  const list: ('native' | 'js')[] = ['js'];
  try {
    my.setBackend('native');
    list.unshift('native');
  } catch {
    // The suite still runs the reference backend; .ci/run builds the addon so native runs there.
    if (process.env.MYELIN_REQUIRE_NATIVE === '1') throw new Error('MYELIN_REQUIRE_NATIVE=1 but the native addon does not load');
  }
  return list;
}

/** Runs `body` once per backend, each in its own describe block named after it. */
export function describeBackends(name: string, body: (backend: 'native' | 'js') => void): void {
  for (const b of availableBackends()) {
    describe(`${name} [${b}]`, () => {
      // Set the backend when the block's tests run, not when they are collected.
      beforeAll(() => my.setBackend(b));
      body(b);
    });
  }
}

/** Asserts two tensors (or a tensor and nested numbers) agree elementwise within atol + rtol·|expected|. */
export function expectClose(actual: Tensor, expected: Tensor | number | number[] | any[], opts: { atol?: number; rtol?: number } = {}): void {
  const atol = opts.atol ?? 1e-5, rtol = opts.rtol ?? 1e-4;
  const exp = expected instanceof my.Tensor ? expected : my.tensor(expected as any, { dtype: 'float64' });
  expect(actual.shape).toEqual(exp.shape);
  const a = actual.data, e = exp.data;
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(e[i]);
    if (!(Math.abs(a[i] - e[i]) <= tol) && !(Number.isNaN(a[i]) && Number.isNaN(e[i]))) {
      throw new Error(`at flat index ${i} of shape [${actual.shape}]: expected ${e[i]}, got ${a[i]} (tolerance ${tol})`);
    }
  }
}
