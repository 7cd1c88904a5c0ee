#!/usr/bin/env python3
"""OpenBLAS (through Debian's numpy) timing server for bench/gemm.mjs.

Started once per thread count with OPENBLAS_NUM_THREADS already in its environment (OpenBLAS
sizes its pool at load), it answers one request per stdin line so that the Node benchmark can
alternate ours/theirs run by run in the same time window:

  request:  {"M":128,"K":784,"N":512,"trans":"A"|"B"|"","samples":15,"min_ms":20}
  reply:    {"us":[per-call microseconds of each sample]}

Measured like /work/shared/peers/gemm_bench.py: out= buffer preallocated, a warm-up that also
calibrates how many back-to-back calls make one sample of >= min_ms, then `samples` samples.
"""
import json
import sys
import time

try:
    import numpy as np
except Exception as e:  # the caller prints "peer unavailable" with this reason
    print(json.dumps({"error": f"numpy unavailable: {e}"}), flush=True)
    sys.exit(0)

cache = {}


def operands(M, K, N, trans):
    key = (M, K, N, trans)
    if key not in cache:
        rng = np.random.default_rng(0)
        mk = lambda r, c: rng.random((r, c), dtype=np.float32)
        A = mk(K, M).T if trans == "A" else mk(M, K)
        B = mk(N, K).T if trans == "B" else mk(K, N)
        cache.clear()
        cache[key] = (A, B, mk(M, N))
    return cache[key]


def measure(req):
    A, B, C = operands(req["M"], req["K"], req["N"], req.get("trans", ""))
    t = time.perf_counter(); np.matmul(A, B, out=C); n = 0
    while time.perf_counter() - t < 0.1:
        np.matmul(A, B, out=C); n += 1
    inner = max(1, int(req.get("min_ms", 20) / 1e3 / ((time.perf_counter() - t) / (n + 1))))
    us = []
    for _ in range(req.get("samples", 15)):
        t = time.perf_counter()
        for _ in range(inner):
            np.matmul(A, B, out=C)
        us.append((time.perf_counter() - t) / inner * 1e6)
    return {"us": us}


def main():
    print(json.dumps({"ready": True, "numpy": np.__version__}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        print(json.dumps(measure(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
