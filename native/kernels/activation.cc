// The scalar specification of the activation kernels and the dispatch to the ISA in use.
#include "activation.h"

#include <algorithm>
#include <cstring>

#include "fp_mode.h"
#include "gemm_microkernel.h"
#include "parallel_split.h"

namespace myelin {

bool parse_activation(const char* name, Activation* out) {
  static const struct {
    const char* name;
    Activation act;
  } kNames[] = {{"identity", Activation::identity}, {"relu", Activation::relu},
                {"leakyRelu", Activation::leaky_relu}, {"elu", Activation::elu},
                {"gelu", Activation::gelu},           {"silu", Activation::silu},
                {"sigmoid", Activation::sigmoid},     {"tanh", Activation::tanh}};
  for (const auto& entry : kNames) {
    if (std::strcmp(entry.name, name) == 0) {
      *out = entry.act;
      return true;
    }
  }
  return false;
}

bool activation_derivative_from_output(Activation act, double param) {
  switch (act) {
    case Activation::identity:
    case Activation::relu:
    case Activation::sigmoid:
    case Activation::tanh: return true;
    case Activation::leaky_relu:
    case Activation::elu: return param > 0;  // y keeps the sign of x only then
    case Activation::gelu:
    case Activation::silu: return false;
  }
  return false;
}

namespace {

template <typename T>
T derivative_from_output(Activation act, T y, T param) {
  switch (act) {
    case Activation::relu: return y > T(0) ? T(1) : T(0);
    case Activation::leaky_relu: return y > T(0) ? T(1) : param;
    case Activation::elu: return y > T(0) ? T(1) : y + param;  // alpha*e^x = y + alpha
    case Activation::sigmoid: return y * (T(1) - y);
    case Activation::tanh: return T(1) - y * y;
    default: return T(1);
  }
}

template <typename T>
T derivative_from_input(Activation act, T x, T param) {
  switch (act) {
    case Activation::relu: return x > T(0) ? T(1) : T(0);
    case Activation::leaky_relu: return x > T(0) ? T(1) : param;
    case Activation::elu: return x > T(0) ? T(1) : param * std::exp(x);
    case Activation::gelu: {
      // d/dx x*Phi(x) = Phi(x) + x*phi(x). x*x is rounded, and exp would turn its rounding
      // error (x^2 ulp) into a relative error: correct by exp(-err/2) ~ 1 - err/2. phi is 0
      // past |x| = 40 in both types; clamping there keeps x*x finite (NaN stays NaN).
      const T cdf = T(0.5) * std::erfc(x * T(-0.70710678118654752440));
      const T a = std::min(std::fabs(x), T(40));
      const T xx = a * a, xx_err = std::fma(a, a, -xx);
      const T pdf = T(0.39894228040143267794) * std::exp(T(-0.5) * xx) * (T(1) - T(0.5) * xx_err);
      return cdf + x * pdf;
    }
    case Activation::silu: {
      const T s = T(1) / (T(1) + std::exp(-x));
      return s * (T(1) + x * (T(1) - s));
    }
    case Activation::sigmoid: {
      const T s = T(1) / (T(1) + std::exp(-x));
      return s * (T(1) - s);
    }
    case Activation::tanh: {
      const T t = std::tanh(x);
      return T(1) - t * t;
    }
    case Activation::identity: break;
  }
  return T(1);
}

template <typename T>
void bias_activation_tile_reference(T* c, size_t ldc, size_t rows, size_t cols, const T* bias,
                                    Activation act, T param) {
  for (size_t i = 0; i < rows; ++i) {
    T* row = c + i * ldc;
    if (bias) {
      for (size_t j = 0; j < cols; ++j) row[j] += bias[j];
    }
    if (act == Activation::identity) continue;
    for (size_t j = 0; j < cols; ++j) row[j] = activate(act, row[j], param);
  }
}

template <typename T>
void backward_reference(Activation act, T param, const T* dy, const T* y, const T* x, T* out,
                        size_t count) {
  if (y != nullptr) {
    for (size_t i = 0; i < count; ++i) out[i] = dy[i] * derivative_from_output(act, y[i], param);
  } else {
    for (size_t i = 0; i < count; ++i) out[i] = dy[i] * derivative_from_input(act, x[i], param);
  }
}

template <typename T>
void bias_grad_reference(const T* dy, size_t m, size_t n, size_t ld, T* out) {
  std::fill(out, out + n, T(0));
  for (size_t i = 0; i < m; ++i) {
    const T* row = dy + i * ld;
    for (size_t j = 0; j < n; ++j) out[j] += row[j];
  }
}

template <typename T>
void exp_reference(const T* x, T* out, size_t count) {
  for (size_t i = 0; i < count; ++i) out[i] = std::exp(x[i]);
}

template <typename T>
ActivationKernels<T> reference_kernels() {
  ActivationKernels<T> k;
  k.bias_activation_tile = bias_activation_tile_reference<T>;
  k.backward = backward_reference<T>;
  k.bias_grad = bias_grad_reference<T>;
  k.exp = exp_reference<T>;
  return k;
}

// Fewest elements per pool chunk for activation_backward (bench/elementwise-threads.mjs).
constexpr size_t kCheapActMinChunk = 32768;
constexpr size_t kCostlyActMinChunk = 4096;

}  // namespace

ActivationKernels<float> f32_activation_kernels_reference() { return reference_kernels<float>(); }
ActivationKernels<double> f64_activation_kernels_reference() { return reference_kernels<double>(); }

template <>
const ActivationKernels<float>& activation_kernels<float>() { return gemm_dispatch().act_f32; }
template <>
const ActivationKernels<double>& activation_kernels<double>() { return gemm_dispatch().act_f64; }

template <typename T>
void apply_bias_activation_tile(T* c, size_t ldc, size_t rows, size_t cols, const T* bias,
                                size_t col0, Activation act, T param) {
  activation_kernels<T>().bias_activation_tile(c, ldc, rows, cols, bias ? bias + col0 : nullptr,
                                               act, param);
}

template <typename T>
void activation_backward(Activation act, T param, const T* dy, const T* y, const T* x, T* out,
                         size_t count) {
  // FTZ on the caller too: pool threads always flush, and a chunk must give the same bits
  // on either.
  const ScopedFlushDenormals ftz;
  const bool from_y = y != nullptr && activation_derivative_from_output(act, param);
  const auto backward = activation_kernels<T>().backward;
  // relu from y costs ~0.15 ns an element, gelu from x ~1.4 ns
  // (bench/elementwise-threads.mjs); the smaller chunk suits the costly ones.
  const size_t min_chunk = from_y ? kCheapActMinChunk : kCostlyActMinChunk;
  parallel_split(count, min_chunk, [&](size_t b, size_t e) {
    backward(act, param, dy + b, from_y ? y + b : nullptr, from_y ? nullptr : x + b, out + b, e - b);
  });
}

template void apply_bias_activation_tile<float>(float*, size_t, size_t, size_t, const float*,
                                                size_t, Activation, float);
template void apply_bias_activation_tile<double>(double*, size_t, size_t, size_t, const double*,
                                                 size_t, Activation, double);
template void activation_backward<float>(Activation, float, const float*, const float*,
                                         const float*, float*, size_t);
template void activation_backward<double>(Activation, double, const double*, const double*,
                                          const double*, double*, size_t);

}  // namespace myelin
