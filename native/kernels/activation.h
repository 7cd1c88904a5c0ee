// Pointwise activations shared by the GEMM epilogue and the fused backward kernels.
//
// The scalar functions here (activate, and the reference table in activation.cc) are the
// specification; the AVX2 / AVX-512 versions (activation_simd.h) must match them within a
// few ulp, which nn_test checks over an edge-case grid for every ISA.
#pragma once

#include <cmath>
#include <cstddef>

namespace myelin {

enum class Activation { identity, relu, leaky_relu, elu, gelu, silu, sigmoid, tanh };

// Parses the JS names: identity, relu, leakyRelu, elu, gelu, silu, sigmoid, tanh.
bool parse_activation(const char* name, Activation* out);

// y = act(x). `param` is the negative slope (leakyRelu) or alpha (elu). NaN in, NaN out.
template <typename T>
inline T activate(Activation act, T x, T param) {
  switch (act) {
    case Activation::identity: return x;
    case Activation::relu: return x > T(0) ? x : (x == x ? T(0) : x);
    case Activation::leaky_relu: return x > T(0) ? x : param * x;
    // expm1 keeps elu exact near 0, where exp(x) - 1 cancels.
    case Activation::elu: return x > T(0) ? x : param * std::expm1(x);
    // PyTorch's default gelu, the erf form, written with erfc: 1 + erf(x/sqrt2) would
    // cancel for negative x and lose all relative accuracy.
    case Activation::gelu: return T(0.5) * x * std::erfc(x * T(-0.70710678118654752440));
    case Activation::silu: return x / (T(1) + std::exp(-x));
    case Activation::sigmoid: return T(1) / (T(1) + std::exp(-x));
    case Activation::tanh: return std::tanh(x);
  }
  return x;
}

// Whether act'(x) can be computed from the saved output y alone (so backward needs no x):
// true for identity, relu, leakyRelu with slope > 0, elu with alpha > 0, sigmoid, tanh;
// false for gelu and silu, which need x.
bool activation_derivative_from_output(Activation act, double param);

// One ISA's elementwise nn kernels.
template <typename T>
struct ActivationKernels {
  // c[i, j] = act(c[i, j] + bias[j]) on a rows x cols tile; bias may be nullptr.
  void (*bias_activation_tile)(T* c, size_t ldc, size_t rows, size_t cols, const T* bias,
                               Activation act, T param) = nullptr;
  // out = dy * act'(.): from y when y != nullptr (the caller checked that act allows it),
  // else from x.
  void (*backward)(Activation act, T param, const T* dy, const T* y, const T* x, T* out,
                   size_t count) = nullptr;
  // out[j] = sum_i dy[i*ld + j] for j < n, each column summed in row order (ld >= n lets
  // a thread take a block of columns).
  void (*bias_grad)(const T* dy, size_t m, size_t n, size_t ld, T* out) = nullptr;
  // out[i] = exp(x[i]) (out may be x): the softmax's exponentials.
  void (*exp)(const T* x, T* out, size_t count) = nullptr;
};

ActivationKernels<float> f32_activation_kernels_reference();
ActivationKernels<double> f64_activation_kernels_reference();
#if defined(__x86_64__)
ActivationKernels<float> f32_activation_kernels_avx2();
ActivationKernels<double> f64_activation_kernels_avx2();
ActivationKernels<float> f32_activation_kernels_avx512();
ActivationKernels<double> f64_activation_kernels_avx512();
#endif

// The kernels of the ISA in use (gemm_dispatch(), so MYELIN_ISA and tests' ISA walk apply).
template <typename T>
const ActivationKernels<T>& activation_kernels();

// Adds bias[col0 + j] and applies the activation to an rows x cols tile of C.
template <typename T>
void apply_bias_activation_tile(T* c, size_t ldc, size_t rows, size_t cols, const T* bias,
                                size_t col0, Activation act, T param);

// out[i] = dy[i] * act'(x[i]), computed from y[i] = act(x[i]) where
// activation_derivative_from_output() allows (x may then be nullptr), else from x.
template <typename T>
void activation_backward(Activation act, T param, const T* dy, const T* y, const T* x, T* out,
                         size_t count);

}  // namespace myelin
