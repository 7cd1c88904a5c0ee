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
