// The specification of gemm: a plain triple loop, accumulating in double.
#include "gemm.h"

namespace myelin {
namespace {

template <typename T>
void gemm_reference_impl(const GemmArgs<T>& g) {
  for (size_t i = 0; i < g.m; ++i) {
    for (size_t j = 0; j < g.n; ++j) {
      double acc = 0;
      if (g.alpha != T(0)) {
        for (size_t p = 0; p < g.k; ++p) {
          const T a = g.trans_a ? g.a[p * g.lda + i] : g.a[i * g.lda + p];
          const T b = g.trans_b ? g.b[j * g.ldb + p] : g.b[p * g.ldb + j];
          acc += static_cast<double>(a) * static_cast<double>(b);
        }
      }
      T& c = g.c[i * g.ldc + j];
      double value = static_cast<double>(g.alpha) * acc;
      if (g.beta != T(0)) value += static_cast<double>(g.beta) * static_cast<double>(c);
      T out = static_cast<T>(value);
      if (g.epilogue) {
        const GemmEpilogue<T>& e = *g.epilogue;
        if (e.bias) out += e.bias[j];
        out = activate(e.activation, out, e.act_param);
      }
      c = out;
    }
  }
}

}  // namespace

void gemm_reference(const GemmArgs<float>& args) { gemm_reference_impl(args); }
void gemm_reference(const GemmArgs<double>& args) { gemm_reference_impl(args); }

}  // namespace myelin
