import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Storage } from '../dtype.js';
import type { Backend } from './backend.js';
import { jsBackend } from './js.js';

/** The addon's exports (native/addon/); it validates its arguments again. */
export interface NativeAddon {
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Storage, lda: number, b: Storage, ldb: number, beta: number, c: Storage, ldc: number): void;
  gemmBatched(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Storage, lda: number, strideA: number, b: Storage, ldb: number, strideB: number,
    beta: number, c: Storage, ldc: number, strideC: number, batch: number): void;
  info(): { isa: string; threads: number; available: string[] };
  setNumThreads(n: number): void;
}

/** The package root: two levels above this file, both from src/backend and dist/backend. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Loads the addon through node-gyp-build (prebuilds/<platform>-<arch>/ first, then build/).
 * A failure names the platform, the places tried and the commands that fix it.
 */
export function loadAddon(): NativeAddon {
  const require = createRequire(import.meta.url);
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    return nodeGypBuild(packageRoot) as NativeAddon;
  } catch (err) {
    const platform = `${process.platform}-${process.arch}`;
    const tried = [
      join(packageRoot, 'prebuilds', platform),
      join(packageRoot, 'build', 'Release'),
      join(packageRoot, 'build', 'Debug'),
    ];
    throw new Error(
      `myelin: no native addon could be loaded for ${platform} (Node ${process.versions.node}, N-API ${process.versions.napi}).\n` +
        `  tried: ${tried.join(', ')}\n` +
        `  cause: ${(err as Error).message.split('\n')[0]}\n` +
        `  fix: build it from source with \`npm rebuild myelin --build-from-source\` (needs python3, make and a C++17 compiler),\n` +
        `       or set MYELIN_BACKEND=js to run on the (slower) TypeScript kernels.`,
      { cause: err },
    );
  }
}

/** The native backend: the addon's kernels where it has them, the TypeScript ones elsewhere. */
export function createNativeBackend(addon: NativeAddon): Backend {
  let isa = addon.info().isa;
  return {
    ...jsBackend,
    name: 'native',
    isa: () => isa,
    threads: () => addon.info().threads,
    setNumThreads(n) {
      addon.setNumThreads(n);
      isa = addon.info().isa;
    },
    gemm: addon.gemm,
    gemmBatched: addon.gemmBatched,
  };
}
