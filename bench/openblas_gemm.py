#!/usr/bin/env python3
"""OpenBLAS (through Debian's numpy) timing server for bench/gemm.mjs.

Started once per thread count with OPENBLAS_NUM_THREADS already in its environment (OpenBLAS
sizes its pool at load), it answers one request per stdin line so that the Node benchmark can
alternate ours/theirs sample by sample in the same time window:

  request:  {"M":128,"K":784,"N":512,"trans":"A"|"B"|"","dtype":"float32"|"float64","samples":15,"min_ms":20,
             "warm_ms":50,"calibrate":true}
  reply:    {"us":[per-call microseconds of each sample]}

A shape is warmed up and calibrated on its first request (or when "calibrate" is set);
later requests reuse the calibration, so that the caller can ask for one sample at a time
and alternate them with its own.

Measured like /work/shared/peers/gemm_bench.py: out= buffer preallocated, a warm-up that also
calibrates how many back-to-back calls make one sample of >= min_ms, then `samples` samples,
each after >= warm_ms (default 50) of untimed calls (the caller may have left the machine idle
before it).
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


def operands(M, K, N, trans, dtype):
    key = (M, K, N, trans, dtype)
    if key not in cache:
        rng = np.random.default_rng(0)
        mk = lambda r, c: rng.random((r, c), dtype=np.dtype(dtype))
        A = mk(K, M).T if trans == "A" else mk(M, K)
        B = mk(N, K).T if trans == "B" else mk(K, N)
        cache.clear()
        inner_calls.clear()
        cache[key] = (A, B, mk(M, N))
    return cache[key]


inner_calls = {}


def measure(req):
    """Warms up and calibrates a shape the first time (or when "calibrate" is set), then
    times `samples` samples of `inner` back-to-back calls each."""
    key = (req["M"], req["K"], req["N"], req.get("trans", ""), req.get("dtype", "float32"))
    A, B, C = operands(*key)
    if req.get("calibrate") or key not in inner_calls:
        t = time.perf_counter(); np.matmul(A, B, out=C); n = 0
        while time.perf_counter() - t < 0.1:
            np.matmul(A, B, out=C); n += 1
        inner_calls[key] = max(1, int(req.get("min_ms", 20) / 1e3 / ((time.perf_counter() - t) / (n + 1))))
    inner = inner_calls[key]
    w = time.perf_counter()  # >= warm_ms untimed, as the caller's own samples start
    while True:
        np.matmul(A, B, out=C)
        if time.perf_counter() - w >= req.get("warm_ms", 50) / 1e3:
            break
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
