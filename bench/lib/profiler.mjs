// Where a training step's time goes: wraps every kernel of the backend object (a benchmark
// may monkey-patch it; src/ never does) and attributes kernel time to the phase the loop is in.

/** Kernels that are (or contain) a GEMM: the fused linear forward is GEMM + bias/act epilogue. */
const GEMM_KERNELS = new Set(['gemm', 'gemmBatched', 'linearForward']);
const NOT_KERNELS = new Set(['constructor', 'isa', 'threads', 'setNumThreads', 'name']);

function kernelNames(obj) {
  const names = new Set();
  for (let o = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (!NOT_KERNELS.has(k) && typeof obj[k] === 'function') names.add(k);
    }
  }
  return [...names];
}

/**
 * Instruments `backend` in place. `setPhase(name)` says what the loop is doing; kernel time
 * goes to that phase as GEMM or other kernels. Nested kernel calls count once (outermost).
 * `restore()` puts the original methods back.
 */
export function instrumentBackend(backend) {
  const phases = new Map(); // phase -> { gemmNs, kernelNs, gemmCalls, kernelCalls }
  const kernels = new Map(); // kernel name -> { ns, calls }
  let phase = 'other', depth = 0;
  const originals = [];
  const bucket = (p) => {
    let b = phases.get(p);
    if (!b) phases.set(p, (b = { gemmNs: 0n, kernelNs: 0n, gemmCalls: 0, kernelCalls: 0 }));
    return b;
  };
  for (const name of kernelNames(backend)) {
    const original = backend[name], isGemm = GEMM_KERNELS.has(name);
    const own = Object.prototype.hasOwnProperty.call(backend, name);
    originals.push([name, original, own]);
    backend[name] = function timedKernel(...args) {
      if (depth > 0) return original.apply(this, args);
      depth++;
      const t0 = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const dt = process.hrtime.bigint() - t0;
        depth--;
        const b = bucket(phase);
        if (isGemm) b.gemmNs += dt, b.gemmCalls++;
        else b.kernelNs += dt, b.kernelCalls++;
        const k = kernels.get(name) ?? { ns: 0n, calls: 0 };
        k.ns += dt, k.calls++;
        kernels.set(name, k);
      }
    };
  }
  return {
    setPhase(p) { phase = p; },
    /** Per phase: GEMM and other-kernel nanoseconds and call counts; per kernel: ns and calls. */
    snapshot() {
      const byPhase = {};
      for (const [p, b] of phases) byPhase[p] = { gemmNs: Number(b.gemmNs), kernelNs: Number(b.kernelNs), gemmCalls: b.gemmCalls, kernelCalls: b.kernelCalls };
      const byKernel = {};
      for (const [k, v] of kernels) byKernel[k] = { ns: Number(v.ns), calls: v.calls };
      return { byPhase, byKernel };
    },
    reset() { phases.clear(); kernels.clear(); },
    restore() {
      for (const [name, original, own] of originals) {
        if (own) backend[name] = original;
        else delete backend[name];
      }
    },
  };
}
