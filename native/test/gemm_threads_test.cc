// Results must not depend on the thread count (bit-identical for 1, 2, 3 threads,
// including denormal inputs, which pool threads flush like the caller does), and a
// kernel call must hand the caller its MXCSR back unchanged.
#include <cstring>

#include "gemm_microkernel.h"
#include "split_tuner.h"
#include "test_support.h"
#include "thread_pool.h"

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

using namespace myelin;
using namespace myelin_test;

namespace {

template <typename T>
std::vector<T> run_gemm(bool ta, bool tb, size_t m, size_t n, size_t k, size_t batch) {
  std::vector<T> a = random_vector<T>(m * k * batch, 21 + m), b = random_vector<T>(k * n, 22 + n);
  // Denormals in A: with FTZ/DAZ every thread must treat them alike.
  for (size_t i = 0; i < a.size(); i += 7) a[i] = std::numeric_limits<T>::denorm_min() * T(3);
  std::vector<T> c = random_vector<T>(m * n * batch, 23);
  GemmBatchedArgs<T> g;
  g.gemm.trans_a = ta, g.gemm.trans_b = tb, g.gemm.m = m, g.gemm.n = n, g.gemm.k = k;
  g.gemm.alpha = T(0.75), g.gemm.beta = T(0.5);
  g.gemm.a = a.data(), g.gemm.lda = ta ? m : k;
  g.gemm.b = b.data(), g.gemm.ldb = tb ? k : n;
  g.gemm.c = c.data(), g.gemm.ldc = n;
  g.stride_a = m * k, g.stride_b = 0, g.stride_c = m * n, g.batch = batch;
  gemm_batched(g);
  return c;
}

template <typename T>
void check_thread_invariance(Failures& f, Isa isa) {
  struct Shape { size_t m, n, k, batch; };
  const Shape shapes[] = {{300, 257, 199, 1}, {40, 700, 64, 1}, {700, 20, 90, 1},
                          {128, 10, 256, 1},  {37, 45, 33, 9},  {129, 131, 140, 3},
                          // few rows (dot products, split over N) and 32 rows deep
                          {3, 300, 700, 1},   {32, 70, 600, 1},
                          // A * B^T as its transpose (gemm_nt_transposed) on AVX2
                          {100, 700, 300, 1}, {128, 512, 784, 2}, {32, 512, 300, 1}};
  for (const Shape& s : shapes) {
    for (int t = 0; t < 4; ++t) {
      set_thread_count(1);
      const std::vector<T> one = run_gemm<T>(t & 2, t & 1, s.m, s.n, s.k, s.batch);
      for (size_t threads : {2, 3}) {
        set_thread_count(threads);
        const std::vector<T> many = run_gemm<T>(t & 2, t & 1, s.m, s.n, s.k, s.batch);
        if (std::memcmp(one.data(), many.data(), one.size() * sizeof(T)) != 0) {
          size_t at = 0;
          while (at < one.size() && std::memcmp(&one[at], &many[at], sizeof(T)) == 0) ++at;
          f.report("threads=%zu differs from threads=1 at flat index %zu: 1t=%.9g, %zut=%.9g, "
                   "MxNxK=%zux%zux%zu batch=%zu, isa=%s, %s %s",
                   threads, at, double(one[at]), threads, double(many[at]), s.m, s.n, s.k,
                   s.batch, isa_name(isa), trans_name(t & 2, t & 1), dtype_name<T>());
        }
      }
    }
  }
}

// A product whose M-or-N split is timed while the program runs (split_tuner.h): its first
// calls alternate the two splits, and every one must give the 1-thread bits.
template <typename T>
void check_tuned_splits_agree(Failures& f, Isa isa) {
  for (int t = 0; t < 4; ++t) {
    set_thread_count(1);
    const std::vector<T> one = run_gemm<T>(t & 2, t & 1, 128, 512, 200, 1);
    set_thread_count(2);
    for (int call = 0; call < 2 * SplitTuner::kTrials + 2; ++call) {
      const std::vector<T> two = run_gemm<T>(t & 2, t & 1, 128, 512, 200, 1);
      if (std::memcmp(one.data(), two.data(), one.size() * sizeof(T)) != 0) {
        f.report("call %d of 128x512x200 on 2 threads differs from 1 thread, isa=%s, %s %s", call,
                 isa_name(isa), trans_name(t & 2, t & 1), dtype_name<T>());
        break;
      }
    }
  }
}

void check_mxcsr_restored(Failures& f, Isa isa) {
#if defined(__x86_64__)
  const unsigned original = _mm_getcsr();
  // Round-toward-zero and no FTZ/DAZ: whatever the caller had must come back exactly.
  const unsigned callers = (original & ~0x8040u & ~0x6000u) | 0x6000u;
  _mm_setcsr(callers);
  for (size_t threads : {1, 2}) {
    set_thread_count(threads);
    run_gemm<float>(false, false, 64, 64, 64, 1);
    run_gemm<double>(true, false, 200, 180, 160, 1);
    const unsigned after = _mm_getcsr();
    if (after != callers) {
      f.report("MXCSR not restored: before=0x%x after=0x%x, threads=%zu, isa=%s", callers, after,
               threads, isa_name(isa));
    }
  }
  _mm_setcsr(original);
  // Denormals still work on the caller after a kernel call.
  volatile float tiny = 1e-39f;
  volatile float half = tiny * 0.5f;
  if (!(half > 0.0f)) f.report("caller left with FTZ on, isa=%s", isa_name(isa));
#else
  (void)f;
  (void)isa;
#endif
}

}  // namespace

int main() {
  Failures f;
  for_each_isa([&](Isa isa) {
    check_thread_invariance<float>(f, isa);
    check_thread_invariance<double>(f, isa);
    check_tuned_splits_agree<float>(f, isa);
    check_tuned_splits_agree<double>(f, isa);
    check_mxcsr_restored(f, isa);
  });
  return f.exit_code("gemm_threads_test");
}
