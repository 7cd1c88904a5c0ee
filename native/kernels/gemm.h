// Public GEMM entry points of the kernel layer (no Node headers here).
//
//   C = alpha * op(A) * op(B) + beta * C      row-major, op(X) = X or X^T
//
// op(A) is m x k, op(B) is k x n, C is m x n. A is stored m x k (or k x m when
// trans_a) with row stride lda; likewise B and C. m == 0 or n == 0 is a no-op;
// k == 0 or alpha == 0 gives C = beta * C without reading A or B. beta == 0 never
// reads C, so NaN or garbage in C does not propagate (BLAS semantics).
// Results are bit-identical for any thread count: work is split over M and N only,
// at tile boundaries, and every element's K sum runs in the same order.
#pragma once

#include <cstddef>

#include "activation.h"

namespace myelin {

// Bias along N plus an activation, applied to each C tile right after its last K
// block is written (while the tile is still in L1), never as a second pass.
template <typename T>
struct GemmEpilogue {
  const T* bias = nullptr;  // length n, or nullptr
  Activation activation = Activation::identity;
  T act_param = 0;          // negative slope (leakyRelu) or alpha (elu)
};

template <typename T>
struct GemmArgs {
  bool trans_a = false;
  bool trans_b = false;
  size_t m = 0, n = 0, k = 0;
  T alpha = 1;
  const T* a = nullptr;
  size_t lda = 0;
  const T* b = nullptr;
  size_t ldb = 0;
  T beta = 0;
  T* c = nullptr;
  size_t ldc = 0;
  const GemmEpilogue<T>* epilogue = nullptr;
};

// Strided batch: matrix i uses a + i*stride_a, b + i*stride_b, c + i*stride_c.
// stride_a / stride_b may be 0 (one matrix broadcast over the batch); C matrices
// must not overlap.
template <typename T>
struct GemmBatchedArgs {
  GemmArgs<T> gemm;
  size_t stride_a = 0, stride_b = 0, stride_c = 0;
  size_t batch = 1;
};

void gemm(const GemmArgs<float>& args);
void gemm(const GemmArgs<double>& args);
void gemm_batched(const GemmBatchedArgs<float>& args);
void gemm_batched(const GemmBatchedArgs<double>& args);

// The naive triple loop that defines what gemm computes (float sums in double).
// Tests and the JS oracle compare against it; it is never used for speed.
void gemm_reference(const GemmArgs<float>& args);
void gemm_reference(const GemmArgs<double>& args);

}  // namespace myelin
