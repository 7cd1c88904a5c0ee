// The update loops are written once (templates below) and compiled three times: for the
// baseline, AVX2 and AVX-512 through per-function target attributes, so the compiler
// vectorises each for its ISA while the binary's baseline stays plain x86-64. The ISA
// is the one the GEMM dispatch chose (MYELIN_ISA included). sqrt vectorises only
// without errno handling: the build passes -fno-math-errno (nothing reads errno).
#include "optim_update.h"

#include <algorithm>
#include <cmath>

#include "fp_mode.h"
#include "gemm_microkernel.h"
#include "parallel_split.h"

namespace myelin {
namespace {

// Arithmetic in T, as PyTorch does for float32 parameters.
template <typename T>
__attribute__((always_inline)) inline void adam_loop(T* __restrict w, const T* __restrict g, T* __restrict m, T* __restrict v,
                      T* __restrict vmax, size_t n, const AdamCoefficients& c) {
  const T beta1 = T(c.beta1), beta2 = T(c.beta2), one_m_beta1 = T(1 - c.beta1), one_m_beta2 = T(1 - c.beta2);
  const T step_size = T(c.step_size), inv_bc2 = T(1 / c.bc2_sqrt), eps = T(c.eps), l2 = T(c.l2);
  const T shrink = T(c.shrink), sign = T(c.sign);
  if (vmax == nullptr) {
    for (size_t i = 0; i < n; ++i) {
      const T gi = sign * g[i] + l2 * w[i];
      const T mi = beta1 * m[i] + one_m_beta1 * gi;
      const T vi = beta2 * v[i] + one_m_beta2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = w[i] * shrink - step_size * mi / (std::sqrt(vi) * inv_bc2 + eps);
    }
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    const T gi = sign * g[i] + l2 * w[i];
    const T mi = beta1 * m[i] + one_m_beta1 * gi;
    const T vi = beta2 * v[i] + one_m_beta2 * gi * gi;
    const T vh = vmax[i] > vi ? vmax[i] : vi;
    m[i] = mi;
    v[i] = vi;
    vmax[i] = vh;
    w[i] = w[i] * shrink - step_size * mi / (std::sqrt(vh) * inv_bc2 + eps);
  }
}

template <typename T>
__attribute__((always_inline)) inline void sgd_loop(T* __restrict w, const T* __restrict g, T* __restrict buf, size_t n, const SgdCoefficients& c) {
  const T lr = T(c.lr), wd = T(c.weight_decay), sign = T(c.sign);
  if (buf == nullptr) {
    for (size_t i = 0; i < n; ++i) w[i] -= lr * (sign * g[i] + wd * w[i]);
    return;
  }
  const T mom = T(c.momentum), keep = c.first ? T(0) : mom, take = c.first ? T(1) : T(1 - c.dampening);
  const T look = c.nesterov ? mom : T(0), direct = c.nesterov ? T(1) : T(0);
  for (size_t i = 0; i < n; ++i) {
    const T d = sign * g[i] + wd * w[i];
    const T b = keep * buf[i] + take * d;
    buf[i] = b;
    // nesterov: d + momentum*b; otherwise b (written branch-free so the loop vectorises).
    w[i] -= lr * (c.nesterov ? direct * d + look * b : b);
  }
}

// The same loops compiled for each ISA: the compiler vectorises each copy for its target.
template <typename T>
void adam_baseline(T* w, const T* g, T* m, T* v, T* vmax, size_t n, const AdamCoefficients& c) {
  adam_loop(w, g, m, v, vmax, n, c);
}
template <typename T>
void sgd_baseline(T* w, const T* g, T* buf, size_t n, const SgdCoefficients& c) {
  sgd_loop(w, g, buf, n, c);
}
#if defined(__x86_64__)
template <typename T>
__attribute__((target("avx2,fma"))) void adam_avx2(T* w, const T* g, T* m, T* v, T* vmax, size_t n,
                                                   const AdamCoefficients& c) {
  adam_loop(w, g, m, v, vmax, n, c);
}
template <typename T>
__attribute__((target("avx2,fma"))) void sgd_avx2(T* w, const T* g, T* buf, size_t n, const SgdCoefficients& c) {
  sgd_loop(w, g, buf, n, c);
}
template <typename T>
__attribute__((target("avx512f,avx512vl,avx512dq,fma"))) void adam_avx512(T* w, const T* g, T* m, T* v, T* vmax,
                                                                           size_t n, const AdamCoefficients& c) {
  adam_loop(w, g, m, v, vmax, n, c);
}
template <typename T>
__attribute__((target("avx512f,avx512vl,avx512dq,fma"))) void sgd_avx512(T* w, const T* g, T* buf, size_t n,
                                                                          const SgdCoefficients& c) {
  sgd_loop(w, g, buf, n, c);
}
#endif

Isa active_isa() { return gemm_dispatch().isa; }

// Fewest elements per pool chunk (measured with bench/elementwise-threads.mjs: below these
// the hand-off costs more than the second core saves).
constexpr size_t kAdamMinChunk = 8192;
constexpr size_t kSgdMinChunk = 32768;

template <typename T>
using AdamLoop = void (*)(T*, const T*, T*, T*, T*, size_t, const AdamCoefficients&);
template <typename T>
using SgdLoop = void (*)(T*, const T*, T*, size_t, const SgdCoefficients&);

template <typename T>
AdamLoop<T> adam_loop_for_isa() {
#if defined(__x86_64__)
  if (active_isa() == Isa::avx512) return adam_avx512<T>;
  if (active_isa() == Isa::avx2) return adam_avx2<T>;
#endif
  return adam_baseline<T>;
}

template <typename T>
SgdLoop<T> sgd_loop_for_isa() {
#if defined(__x86_64__)
  if (active_isa() == Isa::avx512) return sgd_avx512<T>;
  if (active_isa() == Isa::avx2) return sgd_avx2<T>;
#endif
  return sgd_baseline<T>;
}

// Splits the concatenation of the slices' elements over the pool: body(slice, begin, end)
// runs on [begin, end) of one slice, each element exactly once.
template <typename Slice, typename F>
void split_slices(const Slice* slices, size_t count, size_t min_chunk, const F& body) {
  size_t total = 0;
  for (size_t i = 0; i < count; ++i) total += slices[i].n;
  parallel_split(total, min_chunk, [&](size_t begin, size_t end) {
    size_t offset = 0;  // index of slices[i]'s first element in the concatenation
    for (size_t i = 0; i < count && offset < end; offset += slices[i].n, ++i) {
      const size_t lo = std::max(begin, offset), hi = std::min(end, offset + slices[i].n);
      if (lo < hi) body(slices[i], lo - offset, hi - offset);
    }
  });
}

}  // namespace

template <typename T>
void adam_update(T* w, const T* g, T* m, T* v, T* vmax, size_t n, const AdamCoefficients& c) {
  const AdamSlice<T> one{w, g, m, v, vmax, n};
  adam_update_many(&one, 1, c);
}

template <typename T>
void adam_update_many(const AdamSlice<T>* slices, size_t count, const AdamCoefficients& c) {
  // The second moments of units that stop learning decay into denormals, which cost ~100x
  // per operation without flush-to-zero (the update went 35 -> 400 us on a 50k-weight layer).
  const ScopedFlushDenormals ftz;
  const AdamLoop<T> loop = adam_loop_for_isa<T>();
  split_slices(slices, count, kAdamMinChunk, [&](const AdamSlice<T>& s, size_t b, size_t e) {
    loop(s.w + b, s.g + b, s.m + b, s.v + b, s.vmax ? s.vmax + b : nullptr, e - b, c);
  });
}

template <typename T>
void sgd_update(T* w, const T* g, T* buf, size_t n, const SgdCoefficients& c) {
  const SgdSlice<T> one{w, g, buf, n};
  sgd_update_many(&one, 1, c);
}

template <typename T>
void sgd_update_many(const SgdSlice<T>* slices, size_t count, const SgdCoefficients& c) {
  const ScopedFlushDenormals ftz;  // decaying momentum buffers reach denormals too
  const SgdLoop<T> loop = sgd_loop_for_isa<T>();
  split_slices(slices, count, kSgdMinChunk, [&](const SgdSlice<T>& s, size_t b, size_t e) {
    loop(s.w + b, s.g + b, s.buf ? s.buf + b : nullptr, e - b, c);
  });
}

template void adam_update<float>(float*, const float*, float*, float*, float*, size_t, const AdamCoefficients&);
template void adam_update<double>(double*, const double*, double*, double*, double*, size_t, const AdamCoefficients&);
template void sgd_update<float>(float*, const float*, float*, size_t, const SgdCoefficients&);
template void sgd_update<double>(double*, const double*, double*, size_t, const SgdCoefficients&);
template void adam_update_many<float>(const AdamSlice<float>*, size_t, const AdamCoefficients&);
template void adam_update_many<double>(const AdamSlice<double>*, size_t, const AdamCoefficients&);
template void sgd_update_many<float>(const SgdSlice<float>*, size_t, const SgdCoefficients&);
template void sgd_update_many<double>(const SgdSlice<double>*, size_t, const SgdCoefficients&);

}  // namespace myelin
