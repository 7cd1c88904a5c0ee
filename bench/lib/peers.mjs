// The peers (PyTorch, TensorFlow.js, the FMA peak) run from a temporary copy of the shared,
// read-only peers folder; their quiet-wait is capped there (see bench/peers/README.md).
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './child.mjs';
import { cpuFlags, openblasPeerEnv, PYTHON } from './openblas.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export { PYTHON };
export const TFJS_DIR = process.env.PEERS_NODE_DIR ?? '/tmp/peers-node';

/** The shared peers folder: $MYELIN_PEERS_DIR, /work/shared/peers, or ../shared/peers. */
export function findPeersDir(root) {
  const candidates = [process.env.MYELIN_PEERS_DIR, '/work/shared/peers', join(root, '..', 'shared', 'peers')];
  return candidates.find((d) => d && existsSync(join(d, 'mlp_torch.py'))) ?? null;
}

/** Replaces `from` by `to` in a file of the copy; false (file untouched) when `from` is absent. */
function patch(path, from, to) {
  if (!existsSync(path)) return false;
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) return false;
  chmodSync(path, 0o644);
  writeFileSync(path, text.split(from).join(to));
  return true;
}

/** Copies the peers folder to a temp dir with capped quiet-waits; `dispose()` removes it. */
export function stagePeers(src, quietWaitS) {
  const dir = mkdtempSync(join(tmpdir(), 'myelin-bench-peers-'));
  cpSync(src, dir, { recursive: true, filter: (p) => !p.includes(`${src}/results`) });
  chmodSync(dir, 0o755);
  const loadmonPy = join(dir, 'loadmon.py');
  if (existsSync(loadmonPy)) {
    chmodSync(loadmonPy, 0o644);
    appendFileSync(loadmonPy, readFileSync(join(here, '..', 'peers', 'loadmon_cap.py'), 'utf8'));
  }
  patch(join(dir, 'loadmon.mjs'), 'const t0 = Date.now();',
    'maxWaitS = Math.min(maxWaitS, Number(process.env.LOADMON_MAX_WAIT ?? maxWaitS)); const t0 = Date.now();');
  stagePeak(join(dir, 'peak.c'));
  // PyTorch's fp32 matmul is OpenBLAS: it gets the same core type as the GEMM peer.
  const env = { LOADMON_MAX_WAIT: String(quietWaitS), ...openblasPeerEnv().env };
  return { dir, env, quietWaitS, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * peak.c measures AVX-512 and AMX unconditionally, which dies of SIGILL on CPUs without them
 * (AMD Zen 3, say). The copy gets guards so that runPeak builds only what the CPU runs:
 * PEAK_AVX512 and PEAK_AMX (0 or 1) select the parts, PEAK_QUIET_WAIT caps the quiet-wait.
 * The file must not be built with -mavx512f on such CPUs at all: GCC then uses EVEX
 * encodings in ordinary code too.
 */
function stagePeak(path) {
  patch(path, 'wait_quiet(60)', 'wait_quiet(PEAK_QUIET_WAIT)');
  patch(path, 'FMA_KERNEL(fma512, __m512, _mm512_set1_ps, _mm512_fmadd_ps, 16, CV)',
    '#if PEAK_AVX512\nFMA_KERNEL(fma512, __m512, _mm512_set1_ps, _mm512_fmadd_ps, 16, CV)\n#else\n#define fma512 fma256\n#endif');
  patch(path, 'for (int v = 0; v < 2; v++)', 'for (int v = PEAK_AVX512 ? 0 : 1; v < 2; v++)');
  patch(path, '// ---- AMX ----', '#if PEAK_AMX\n// ---- AMX ----');
  patch(path, 'int main(int argc', '#endif\nint main(int argc');
  patch(path, '  amx(reps);', '#if PEAK_AMX\n  amx(reps);\n#endif');
}

/**
 * One mlp_torch.py invocation (--runs 1): the big net for `epochs`, the small one for
 * `smallEpochs`, per-op latency, peak RSS. Returns its results JSON, or { error }.
 */
export async function runTorchMlp(peers, { threads, blasThreads, epochs, smallEpochs, tag }) {
  const args = ['mlp_torch.py', '--threads', String(threads), '--blas-threads', String(blasThreads),
    '--runs', '1', '--epochs', String(epochs), '--small-epochs', String(smallEpochs), '--tag', tag];
  const r = await runChild(PYTHON, args, { cwd: peers.dir, env: peers.env, prefix: '    torch| ' });
  const file = join(peers.dir, 'results', `mlp_torch_t${threads}_blas${blasThreads}_${tag}.json`);
  if (r.code !== 0 || !existsSync(file)) return { error: `mlp_torch.py exited ${r.code}: ${r.stderr.split('\n').slice(-2).join(' ')}` };
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Compiles peak.c (gcc, as the peers' README says) and runs it; FMA GFLOP/s by ISA and threads. */
export async function runPeak(peers, reps) {
  const bin = join(peers.dir, 'peak');
  const flags = cpuFlags();
  const avx512 = flags.has('avx512f'), amx = flags.has('amx_tile') && flags.has('amx_bf16');
  const cc = await runChild('gcc', ['-O2', ...(avx512 ? ['-mavx512f'] : []), '-mavx2', '-mfma',
    ...(amx ? ['-mamx-tile', '-mamx-bf16'] : []), '-pthread', `-DPEAK_AVX512=${avx512 ? 1 : 0}`, `-DPEAK_AMX=${amx ? 1 : 0}`,
    `-DPEAK_QUIET_WAIT=${peers.quietWaitS}`, 'peak.c', '-o', bin], { cwd: peers.dir, prefix: '    gcc| ' });
  if (cc.code !== 0) return { error: `gcc failed: ${cc.stderr.split('\n')[0]}` };
  const r = await runChild(bin, [String(reps)], { cwd: peers.dir, prefix: '    peak| ' });
  if (r.code !== 0) return { error: `peak exited ${r.code}` };
  const out = { reps, clockGHz: null, avx512: {}, avx2: {} };
  const clock = r.stdout.match(/effective clock.*?median ([\d.]+) GHz/);
  if (clock) out.clockGHz = +clock[1];
  for (const m of r.stdout.matchAll(/^(AVX-512|AVX2)\s+(\d) thread\(s\): median\s+([\d.]+) GFLOP\/s \(min\s+([\d.]+), max\s+([\d.]+)\)/gm)) {
    out[m[1] === 'AVX-512' ? 'avx512' : 'avx2'][`t${m[2]}`] = { median: +m[3], min: +m[4], max: +m[5] };
  }
  // The widest vectors the CPU has: the peak a GEMM on this machine can aim at.
  out.isa = out.avx512.t1 ? 'AVX-512' : 'AVX2';
  out.best = out.avx512.t1 ? out.avx512 : out.avx2;
  return out;
}

/** TensorFlow.js (wasm) on the big MLP, when /tmp/peers-node holds it; `batches` > 0 extrapolates. */
export async function runTfjs(peers, { epochs, batches }) {
  if (!existsSync(join(TFJS_DIR, 'node_modules', '@tensorflow', 'tfjs'))) return null;
  const args = ['mlp_tfjs.mjs', '--backend', 'wasm', '--runs', '1', ...(batches ? ['--batches', String(batches)] : ['--epochs', String(epochs)])];
  const r = await runChild(process.execPath, args, { cwd: peers.dir, env: { ...peers.env, PEERS_NODE_DIR: TFJS_DIR }, prefix: '    tfjs| ' });
  const file = join(peers.dir, 'results', `tfjs_wasm${batches ? '_limited' : ''}.json`);
  if (r.code !== 0 || !existsSync(file)) return { error: `mlp_tfjs.mjs exited ${r.code}` };
  return JSON.parse(readFileSync(file, 'utf8'));
}
