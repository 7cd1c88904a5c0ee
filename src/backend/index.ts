import { check } from '../check.js';
import { setAlignOffset } from '../dtype.js';
import type { Backend } from './backend.js';
import { jsBackend } from './js.js';
import { createNativeBackend, loadAddon } from './native.js';

export type { Backend, BinaryKind, UnaryKind, ReduceKind } from './backend.js';

let current: Backend | null = null;
let native: Backend | null = null;

/**
 * The first array big enough to align picks the backend (loading the addon) and with it
 * how buffers are aligned from then on; if no backend loads, arrays stay unaligned and
 * the first op reports why.
 */
function firstAlignOffset(buffer: ArrayBuffer): number {
  let f: ((b: ArrayBuffer) => number) | null = null;
  try {
    f = getBackend().alignOffset ?? null;
  } catch {
    f = null;
  }
  setAlignOffset(f);
  return f === null ? 0 : f(buffer);
}
setAlignOffset(firstAlignOffset);

/** Makes `b` the backend ops run on, and arrays aligned as it can. */
function use(b: Backend): Backend {
  current = b;
  setAlignOffset(b.alignOffset ?? null);
  return b;
}

function nativeBackend(): Backend {
  return (native ??= createNativeBackend(loadAddon()));
}

/** The backend ops run on, chosen at first use: MYELIN_BACKEND=js forces the TypeScript one. */
export function getBackend(): Backend {
  if (current) return current;
  const env = process.env.MYELIN_BACKEND;
  check(env === undefined || env === '' || env === 'js' || env === 'native',
    () => `MYELIN_BACKEND must be 'native' or 'js', got '${env}'`);
  return use(env === 'js' ? jsBackend : nativeBackend());
}

/** Switches backends for the rest of the process (tests run every op on both). */
export function setBackend(name: 'native' | 'js'): void {
  check(name === 'native' || name === 'js', () => `setBackend: expected 'native' or 'js', got '${String(name)}'`);
  use(name === 'js' ? jsBackend : nativeBackend());
}

/** What runs the arithmetic: `{ name: 'native', isa: 'avx512', threads: 2 }`. */
export function backend(): { name: 'native' | 'js'; isa: string; threads: number } {
  const b = getBackend();
  return { name: b.name, isa: b.isa(), threads: b.threads() };
}

/** Sets the native thread pool's size (MYELIN_NUM_THREADS sets it at start). */
export function setNumThreads(n: number): void {
  check(Number.isInteger(n) && n >= 1 && n <= 1024, () => `setNumThreads: expected an integer in 1..1024, got ${n}`);
  getBackend().setNumThreads(n);
}
