// Fused nn kernels: linearForward, activationBackward, biasGrad, softmaxCrossEntropy,
// softmaxCrossEntropyBackward. Contracts are in module.cc.
#include <string>

#include "activation.h"
#include "args.h"
#include "bindings.h"
#include "elementwise.h"
#include "fp_mode.h"
#include "gemm.h"
#include "loss_kernels.h"

namespace myelin_addon {
namespace {

myelin::Activation activation_arg(const Args& args, size_t index) {
  char name[32];
  myelin::Activation act;
  if (!args.short_string(index, "activation", name, sizeof name) || !myelin::parse_activation(name, &act)) {
    args.fail_type("unknown activation '" + args.string(index, "activation") +
                   "' (identity, relu, leakyRelu, elu, gelu, silu, sigmoid, tanh)");
  }
  return act;
}

std::string dims(size_t rows, size_t cols) {
  return "[" + std::to_string(rows) + "," + std::to_string(cols) + "]";
}

// x[m,k] @ w[n,k]^T + bias[n], then the activation, in the GEMM epilogue.
Napi::Value LinearForward(const Napi::CallbackInfo& info) {
  const Args args(info, "linearForward");
  args.expect_count(9, "x, w, bias|null, activation, actParam, out, m, n, k");
  const FloatArray x = args.float_array(0, "x"), w = args.float_array(1, "w");
  const FloatArray bias = args.float_array_or_null(2, "bias");
  const myelin::Activation act = activation_arg(args, 3);
  const double param = args.number(4, "actParam");
  const FloatArray out = args.float_array(5, "out");
  const size_t m = args.size(6, "m"), n = args.size(7, "n"), k = args.size(8, "k");
  expect_same_dtype(args, {{"x", x}, {"w", w}, {"bias", bias}, {"out", out}});
  expect_length(args, x, "x", matrix_extent(args, m, k, k), [&] { return "x " + dims(m, k); });
  expect_length(args, w, "w", matrix_extent(args, n, k, k), [&] { return "w " + dims(n, k); });
  if (bias.data) expect_length(args, bias, "bias", n, [&] { return "bias [" + std::to_string(n) + "]"; });
  expect_length(args, out, "out", matrix_extent(args, m, n, n), [&] { return "out " + dims(m, n); });
  if (m == 0 || n == 0) return info.Env().Undefined();
  auto run = [&](auto zero) {
    using T = decltype(zero);
    myelin::GemmEpilogue<T> epi;
    epi.bias = bias.as<T>();
    epi.activation = act;
    epi.act_param = static_cast<T>(param);
    myelin::GemmArgs<T> g;
    g.trans_b = true, g.m = m, g.n = n, g.k = k;
    g.a = x.as<T>(), g.lda = k, g.b = w.as<T>(), g.ldb = k, g.c = out.as<T>(), g.ldc = n;
    g.alpha = 1, g.beta = 0, g.epilogue = &epi;
    myelin::gemm(g);
  };
  if (x.dtype == Dtype::float32) run(0.0f); else run(0.0);
  return info.Env().Undefined();
}

Napi::Value ActivationBackward(const Napi::CallbackInfo& info) {
  const Args args(info, "activationBackward");
  args.expect_count(6, "activation, actParam, dy, y, x|null, out");
  const myelin::Activation act = activation_arg(args, 0);
  const double param = args.number(1, "actParam");
  const FloatArray dy = args.float_array(2, "dy");
  const FloatArray y = args.float_array_or_null(3, "y");
  const FloatArray x = args.float_array_or_null(4, "x");
  const FloatArray out = args.float_array(5, "out");
  expect_same_dtype(args, {{"dy", dy}, {"y", y}, {"x", x}, {"out", out}});
  const size_t count = dy.length;
  const bool from_y = myelin::activation_derivative_from_output(act, param) && y.data;
  const auto shape = [&] { return "dy of " + std::to_string(count) + " elements"; };
  if (from_y) {
    expect_length(args, y, "y", count, shape);
  } else {
    if (!x.data) {
      args.fail_type("x is required for this activation's derivative (gelu, silu, or leakyRelu/elu "
                     "with a non-positive parameter), got null");
    }
    expect_length(args, x, "x", count, shape);
  }
  expect_length(args, out, "out", count, shape);
  myelin::ScopedFlushDenormals ftz;
  if (dy.dtype == Dtype::float32) {
    myelin::activation_backward<float>(act, static_cast<float>(param), dy.as<float>(),
                                       from_y ? y.as<float>() : nullptr, x.as<float>(),
                                       out.as<float>(), count);
  } else {
    myelin::activation_backward<double>(act, param, dy.as<double>(),
                                        from_y ? y.as<double>() : nullptr, x.as<double>(),
                                        out.as<double>(), count);
  }
  return info.Env().Undefined();
}

// out = act(x) elementwise (a module's activation outside a fused Linear).
Napi::Value ActivationForward(const Napi::CallbackInfo& info) {
  const Args args(info, "activationForward");
  args.expect_count(4, "activation, actParam, x, out");
  const myelin::Activation act = activation_arg(args, 0);
  const double param = args.number(1, "actParam");
  const FloatArray x = args.float_array(2, "x"), out = args.float_array(3, "out");
  expect_same_dtype(args, {{"x", x}, {"out", out}});
  expect_length(args, x, "x", out.length, [&] { return "out of " + std::to_string(out.length) + " elements"; });
  if (x.dtype == Dtype::float32) {
    myelin::activation_forward<float>(act, static_cast<float>(param), x.as<float>(), out.as<float>(), out.length);
  } else {
    myelin::activation_forward<double>(act, param, x.as<double>(), out.as<double>(), out.length);
  }
  return info.Env().Undefined();
}

Napi::Value BiasGrad(const Napi::CallbackInfo& info) {
  const Args args(info, "biasGrad");
  args.expect_count(4, "dy, m, n, out");
  const FloatArray dy = args.float_array(0, "dy");
  const size_t m = args.size(1, "m"), n = args.size(2, "n");
  const FloatArray out = args.float_array(3, "out");
  expect_same_dtype(args, {{"dy", dy}, {"out", out}});
  expect_length(args, dy, "dy", matrix_extent(args, m, n, n), [&] { return "dy " + dims(m, n); });
  expect_length(args, out, "out", n, [&] { return "out [" + std::to_string(n) + "]"; });
  if (dy.dtype == Dtype::float32) {
    myelin::bias_grad(dy.as<float>(), m, n, out.as<float>());
  } else {
    myelin::bias_grad(dy.as<double>(), m, n, out.as<double>());
  }
  return info.Env().Undefined();
}

void check_targets(const Args& args, const int32_t* targets, size_t m, size_t n) {
  for (size_t i = 0; i < m; ++i) {
    if (targets[i] < 0 || static_cast<size_t>(targets[i]) >= n) {
      args.fail_range("targets[" + std::to_string(i) + "] = " + std::to_string(targets[i]) +
                      " is outside [0, " + std::to_string(n) + ")");
    }
  }
}

Napi::Value SoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  const Args args(info, "softmaxCrossEntropy");
  args.expect_count(6, "logits, m, n, targets, outLoss, outProb");
  const FloatArray logits = args.float_array(0, "logits");
  const size_t m = args.size(1, "m"), n = args.size(2, "n");
  size_t n_targets = 0;
  const int32_t* targets = args.int32_array(3, "targets", &n_targets);
  const FloatArray loss = args.float_array(4, "outLoss"), prob = args.float_array(5, "outProb");
  expect_same_dtype(args, {{"logits", logits}, {"outLoss", loss}, {"outProb", prob}});
  if (m > 0 && n == 0) args.fail_range("n must be >= 1 when m > 0 (no classes)");
  expect_length(args, logits, "logits", m * n, [&] { return "logits " + dims(m, n); });
  expect_length(args, prob, "outProb", m * n, [&] { return "outProb " + dims(m, n); });
  expect_length(args, loss, "outLoss", m, [&] { return "outLoss [" + std::to_string(m) + "]"; });
  if (n_targets < m) {
    args.fail_range("targets has " + std::to_string(n_targets) + " elements but m = " + std::to_string(m));
  }
  check_targets(args, targets, m, n);
  myelin::ScopedFlushDenormals ftz;
  if (logits.dtype == Dtype::float32) {
    myelin::softmax_cross_entropy(logits.as<float>(), m, n, targets, loss.as<float>(), prob.as<float>());
  } else {
    myelin::softmax_cross_entropy(logits.as<double>(), m, n, targets, loss.as<double>(), prob.as<double>());
  }
  return info.Env().Undefined();
}

Napi::Value SoftmaxCrossEntropyBackward(const Napi::CallbackInfo& info) {
  const Args args(info, "softmaxCrossEntropyBackward");
  args.expect_count(4, "prob, targets, gradLoss, out");
  const FloatArray prob = args.float_array(0, "prob");
  size_t m = 0;
  const int32_t* targets = args.int32_array(1, "targets", &m);
  const bool scalar_grad = args.is_number(2);
  const double grad_scalar = scalar_grad ? args.number(2, "gradLoss") : 0;
  const FloatArray grad = scalar_grad ? FloatArray{prob.dtype, nullptr, 0} : args.float_array(2, "gradLoss");
  const FloatArray out = args.float_array(3, "out");
  expect_same_dtype(args, {{"prob", prob}, {"gradLoss", grad}, {"out", out}});
  if (m == 0) return info.Env().Undefined();
  if (prob.length % m != 0 || prob.length == 0) {
    args.fail_range("prob has " + std::to_string(prob.length) + " elements, not a multiple of m = " +
                    std::to_string(m) + " (targets.length)");
  }
  const size_t n = prob.length / m;
  if (!scalar_grad) expect_length(args, grad, "gradLoss", m, [&] { return "gradLoss [" + std::to_string(m) + "]"; });
  expect_length(args, out, "out", m * n, [&] { return "out " + dims(m, n); });
  check_targets(args, targets, m, n);
  myelin::ScopedFlushDenormals ftz;
  if (prob.dtype == Dtype::float32) {
    const float g = static_cast<float>(grad_scalar);
    myelin::softmax_cross_entropy_backward(prob.as<float>(), m, n, targets,
                                           scalar_grad ? &g : grad.as<float>(), !scalar_grad, out.as<float>());
  } else {
    myelin::softmax_cross_entropy_backward(prob.as<double>(), m, n, targets,
                                           scalar_grad ? &grad_scalar : grad.as<double>(), !scalar_grad,
                                           out.as<double>());
  }
  return info.Env().Undefined();
}

}  // namespace

void register_nn(Napi::Env env, Napi::Object exports) {
  exports.Set("linearForward", Napi::Function::New(env, LinearForward, "linearForward"));
  exports.Set("activationForward", Napi::Function::New(env, ActivationForward, "activationForward"));
  exports.Set("activationBackward", Napi::Function::New(env, ActivationBackward, "activationBackward"));
  exports.Set("biasGrad", Napi::Function::New(env, BiasGrad, "biasGrad"));
  exports.Set("softmaxCrossEntropy", Napi::Function::New(env, SoftmaxCrossEntropy, "softmaxCrossEntropy"));
  exports.Set("softmaxCrossEntropyBackward",
              Napi::Function::New(env, SoftmaxCrossEntropyBackward, "softmaxCrossEntropyBackward"));
}

}  // namespace myelin_addon
