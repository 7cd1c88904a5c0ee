// Portable micro-kernels: plain C++ the compiler may vectorise for the baseline ISA
// (SSE2 on x86-64). They serve CPUs without AVX2 and are the reference that the SIMD
// kernels are tested against tile by tile.
#include "gemm_microkernel.h"

namespace myelin {
namespace {

template <typename T, size_t MR, size_t NR>
void gemm_ukernel_scalar(size_t kc, const T* a, const T* b, T* c, size_t ldc, size_t mr,
                         size_t nr, T alpha, T beta) {
  T acc[MR][NR] = {};
  for (size_t p = 0; p < kc; ++p) {
    for (size_t i = 0; i < MR; ++i) {
      const T ai = a[p * MR + i];
      for (size_t j = 0; j < NR; ++j) acc[i][j] += ai * b[p * NR + j];
    }
  }
  for (size_t i = 0; i < mr; ++i) {
    T* row = c + i * ldc;
    for (size_t j = 0; j < nr; ++j) {
      row[j] = beta == T(0) ? alpha * acc[i][j] : alpha * acc[i][j] + beta * row[j];
    }
  }
}

}  // namespace

void f32_gemm_ukernel_4x8_scalar(size_t kc, const float* a, const float* b, float* c, size_t ldc,
                                 size_t mr, size_t nr, float alpha, float beta) {
  gemm_ukernel_scalar<float, 4, 8>(kc, a, b, c, ldc, mr, nr, alpha, beta);
}

void f64_gemm_ukernel_4x4_scalar(size_t kc, const double* a, const double* b, double* c,
                                 size_t ldc, size_t mr, size_t nr, double alpha, double beta) {
  gemm_ukernel_scalar<double, 4, 4>(kc, a, b, c, ldc, mr, nr, alpha, beta);
}

GemmKernelSet<float> f32_gemm_kernels_scalar() {
  const GemmKernelConfig<float> k{"f32_gemm_ukernel_4x8_scalar", f32_gemm_ukernel_4x8_scalar,
                                  4, 8, 128, 256, 1024};
  return {k, k};
}

GemmKernelSet<double> f64_gemm_kernels_scalar() {
  const GemmKernelConfig<double> k{"f64_gemm_ukernel_4x4_scalar", f64_gemm_ukernel_4x4_scalar,
                                   4, 4, 128, 128, 1024};
  return {k, k};
}

}  // namespace myelin
