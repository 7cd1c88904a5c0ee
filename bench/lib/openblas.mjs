// OpenBLAS picks its kernels from the CPU model it reads at load time. A CPU newer than the
// library (Debian 12's OpenBLAS 0.3.21 on Emerald Rapids, family 6 model 207) is taken for a
// generic "Prescott" and gets SSE3 kernels, ~5x below what it does with its AVX-512 ones.
// The peers (numpy's and PyTorch's OpenBLAS) must run at their best, so when OpenBLAS
// misreads the CPU, they run with OPENBLAS_CORETYPE set to the kernels the CPU supports.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Debian's interpreter, whose numpy and torch use Debian's OpenBLAS: another python3 may lack them. */
export const PYTHON = '/usr/bin/python3';
// Core names OpenBLAS falls back to when it does not know the CPU model.
const GENERIC = new Set(['Prescott', 'Core2', 'Nehalem', 'Katmai', 'Northwood', 'Dunnington', 'Penryn']);

/** The CPU's feature flags from /proc/cpuinfo (empty where there is none). */
export function cpuFlags() {
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:\s*(.+)$/m);
    return new Set(m ? m[1].split(/\s+/) : []);
  } catch {
    return new Set();
  }
}

/** The core OpenBLAS (through numpy) detects here, e.g. 'SkylakeX' or 'Prescott'; null when it cannot tell. */
export function detectedOpenblasCore() {
  // OpenBLAS prints the core it chose (to stdout or stderr, by version) when OPENBLAS_VERBOSE=2.
  const env = { ...process.env, OPENBLAS_VERBOSE: '2' };
  delete env.OPENBLAS_CORETYPE;
  const r = spawnSync(PYTHON, ['-c', 'import numpy'], { env, encoding: 'utf8', timeout: 30_000 });
  return `${r.stdout ?? ''}\n${r.stderr ?? ''}`.match(/Core: (\w+)/)?.[1] ?? null;
}

let cached = null;

/**
 * The environment under which OpenBLAS peers run at their best: {} when OpenBLAS knows this
 * CPU (or OPENBLAS_CORETYPE is already set), else { OPENBLAS_CORETYPE } with the kernels the
 * CPU's flags allow. `note` says what was decided, for the bench's header.
 */
export function openblasPeerEnv() {
  if (cached) return cached;
  if (process.env.OPENBLAS_CORETYPE) {
    cached = { env: {}, note: `OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE} (set by the caller)` };
    return cached;
  }
  const core = detectedOpenblasCore();
  const flags = cpuFlags();
  const best = flags.has('avx512f') && flags.has('avx512bw') && flags.has('avx512vl') ? 'SkylakeX'
    : flags.has('avx2') && flags.has('fma') ? 'Haswell' : null;
  if (core !== null && GENERIC.has(core) && best !== null) {
    cached = { env: { OPENBLAS_CORETYPE: best }, note: `OpenBLAS detects this CPU as ${core} (generic kernels); peers run with OPENBLAS_CORETYPE=${best}, its kernels for this CPU's ISA` };
  } else {
    cached = { env: {}, note: core ? `OpenBLAS kernels: ${core} (detected)` : 'OpenBLAS core not detected (numpy missing?)' };
  }
  return cached;
}
