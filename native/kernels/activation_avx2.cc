// AVX2+FMA entry points of the activation kernels (activation_simd.h). Each carries the
// target attribute and `flatten`, which inlines the generic templates and the vector
// operations into it: one AVX2+FMA function per kernel, the rest of the file baseline x86-64.
#if defined(__x86_64__)
// Vector arguments of the generic templates: all inlined by flatten, no ABI crosses.
#pragma GCC diagnostic ignored "-Wpsabi"
#include "activation_simd.h"
#include "simd_avx2.h"

#define MYELIN_ENTRY __attribute__((target("avx2,fma"), flatten))

namespace myelin {
namespace {

template <class V>
MYELIN_ENTRY void bias_activation_tile_avx2(typename V::T* c, size_t ldc, size_t rows, size_t cols,
                                         const typename V::T* bias, Activation act, typename V::T param) {
  activation_simd::bias_activation_tile<V>(c, ldc, rows, cols, bias, act, param);
}

template <class V>
MYELIN_ENTRY void backward_avx2(Activation act, typename V::T param, const typename V::T* dy,
                             const typename V::T* y, const typename V::T* x, typename V::T* out, size_t count) {
  activation_simd::activation_backward<V>(act, param, dy, y, x, out, count);
}

template <class V>
MYELIN_ENTRY void bias_grad_avx2(const typename V::T* dy, size_t m, size_t n, size_t ld,
                                  typename V::T* out) {
  activation_simd::bias_grad<V>(dy, m, n, ld, out);
}

template <class V>
MYELIN_ENTRY void exp_avx2(const typename V::T* x, typename V::T* out, size_t count) {
  activation_simd::exp<V>(x, out, count);
}

template <class V>
ActivationKernels<typename V::T> kernels() {
  ActivationKernels<typename V::T> k;
  k.bias_activation_tile = bias_activation_tile_avx2<V>;
  k.backward = backward_avx2<V>;
  k.bias_grad = bias_grad_avx2<V>;
  k.exp = exp_avx2<V>;
  return k;
}

}  // namespace

ActivationKernels<float> f32_activation_kernels_avx2() { return kernels<simd::Avx2F32>(); }
ActivationKernels<double> f64_activation_kernels_avx2() { return kernels<simd::Avx2F64>(); }

}  // namespace myelin
#endif  // __x86_64__
