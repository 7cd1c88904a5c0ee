// Pointwise activations shared by the GEMM epilogue and the fused backward kernels.
#pragma once

#include <cmath>
#include <cstddef>

namespace myelin {

enum class Activation { identity, relu, leaky_relu, elu, gelu, silu, sigmoid, tanh };

// Parses the JS names: identity, relu, leakyRelu, elu, gelu, silu, sigmoid, tanh.
bool parse_activation(const char* name, Activation* out);

// y = act(x). `param` is the negative slope (leakyRelu) or alpha (elu).
template <typename T>
inline T activate(Activation act, T x, T param) {
  switch (act) {
    case Activation::identity: return x;
    case Activation::relu: return x > T(0) ? x : T(0);
    case Activation::leaky_relu: return x > T(0) ? x : param * x;
    // expm1 keeps elu exact near 0, where exp(x) - 1 cancels.
    case Activation::elu: return x > T(0) ? x : param * std::expm1(x);
    // PyTorch's default gelu: the erf form, not the tanh approximation.
    case Activation::gelu: return T(0.5) * x * (T(1) + std::erf(x * T(0.70710678118654752440)));
    case Activation::silu: return x / (T(1) + std::exp(-x));
    case Activation::sigmoid: return T(1) / (T(1) + std::exp(-x));
    case Activation::tanh: return std::tanh(x);
  }
  return x;
}

// Adds bias[col0 + j] and applies the activation to an rows x cols tile of C.
template <typename T>
void apply_bias_activation_tile(T* c, size_t ldc, size_t rows, size_t cols, const T* bias,
                                size_t col0, Activation act, T param);

}  // namespace myelin

namespace myelin {

// Whether act'(x) can be computed from the saved output y alone (so backward needs no x):
// true for identity, relu, leakyRelu with slope > 0, elu with alpha > 0, sigmoid, tanh;
// false for gelu and silu, which need x.
bool activation_derivative_from_output(Activation act, double param);

// out[i] = dy[i] * act'(x[i]), computed from y[i] = act(x[i]) where
// activation_derivative_from_output() allows (x may then be nullptr), else from x.
template <typename T>
void activation_backward(Activation act, T param, const T* dy, const T* y, const T* x, T* out,
                         size_t count);

}  // namespace myelin
