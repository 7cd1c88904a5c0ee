#include "activation.h"

#include <cstring>

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

template <typename T>
void apply_bias_activation_tile(T* c, size_t ldc, size_t rows, size_t cols, const T* bias,
                                size_t col0, Activation act, T param) {
  for (size_t i = 0; i < rows; ++i) {
    T* row = c + i * ldc;
    if (bias) {
      for (size_t j = 0; j < cols; ++j) row[j] += bias[col0 + j];
    }
    if (act == Activation::identity) continue;
    for (size_t j = 0; j < cols; ++j) row[j] = activate(act, row[j], param);
  }
}

template void apply_bias_activation_tile<float>(float*, size_t, size_t, size_t, const float*,
                                                size_t, Activation, float);
template void apply_bias_activation_tile<double>(double*, size_t, size_t, size_t, const double*,
                                                 size_t, Activation, double);

}  // namespace myelin

namespace myelin {

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
      // d/dx x*Phi(x) = Phi(x) + x*phi(x)
      const T cdf = T(0.5) * (T(1) + std::erf(x * T(0.70710678118654752440)));
      const T pdf = T(0.39894228040143267794) * std::exp(T(-0.5) * x * x);
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

}  // namespace

template <typename T>
void activation_backward(Activation act, T param, const T* dy, const T* y, const T* x, T* out,
                         size_t count) {
  if (activation_derivative_from_output(act, param) && y != nullptr) {
    for (size_t i = 0; i < count; ++i) out[i] = dy[i] * derivative_from_output(act, y[i], param);
  } else {
    for (size_t i = 0; i < count; ++i) out[i] = dy[i] * derivative_from_input(act, x[i], param);
  }
}

template void activation_backward<float>(Activation, float, const float*, const float*,
                                         const float*, float*, size_t);
template void activation_backward<double>(Activation, double, const double*, const double*,
                                          const double*, double*, size_t);

}  // namespace myelin
