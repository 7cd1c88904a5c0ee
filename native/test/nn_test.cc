// Fused nn kernels against their scalar references: linear forward (GEMM + bias +
// activation in the epilogue, including K deeper than one KC block so the epilogue must
// wait for the last block, and A large enough to be packed and walked in row blocks) for
// every ISA; activation derivatives against central differences; softmax cross-entropy
// against a long-double formula; bias gradient.
#include "activation.h"
#include "gemm_microkernel.h"
#include "loss_kernels.h"
#include "test_support.h"

using namespace myelin;
using namespace myelin_test;

namespace {

template <typename T>
void check_linear_forward(Failures& f, Isa isa) {
  const size_t shapes[][3] = {{1, 1, 1}, {7, 10, 33}, {130, 10, 400}, {40, 70, 400}, {13, 33, 5}, {700, 40, 800}};
  for (const auto& s : shapes) {
    const size_t m = s[0], n = s[1], k = s[2];
    const std::vector<T> x = random_vector<T>(m * k, 31 + m), w = random_vector<T>(n * k, 32 + n);
    const std::vector<T> bias = random_vector<T>(n, 33);
    for (int a = 0; a < 8; ++a) {
      GemmEpilogue<T> epi;
      epi.bias = (a % 2) ? bias.data() : nullptr;
      epi.activation = kActivations[a];
      epi.act_param = T(a == 3 ? 1.0 : 0.1);
      GemmArgs<T> g;
      g.trans_b = true, g.m = m, g.n = n, g.k = k, g.alpha = 1, g.beta = 0;
      g.a = x.data(), g.lda = k, g.b = w.data(), g.ldb = k, g.ldc = n, g.epilogue = &epi;
      std::vector<T> ref(m * n, std::numeric_limits<T>::quiet_NaN()), got = ref;
      g.c = ref.data();
      gemm_reference(g);
      g.c = got.data();
      gemm(g);
      const double tol = (k + 10) * std::numeric_limits<T>::epsilon() * 4;
      for (size_t i = 0; i < m * n; ++i) {
        if (!(std::fabs(double(ref[i]) - double(got[i])) <= tol * (1 + std::fabs(double(ref[i]))))) {
          f.report("linear %s at (%zu,%zu): ref=%.9g, got=%.9g, MxNxK=%zux%zux%zu, bias=%d, isa=%s %s",
                   kActNames[a], i / n, i % n, double(ref[i]), double(got[i]), m, n, k,
                   int(epi.bias != nullptr), isa_name(isa), dtype_name<T>());
          break;
        }
      }
    }
  }
}

void check_activation_backward(Failures& f) {
  const std::vector<double> xs = {-3.0, -1.2, -0.3, -1e-3, 2e-3, 0.4, 1.1, 2.5};
  for (int a = 0; a < 8; ++a) {
    for (double param : {0.1, 1.0, -0.5}) {
      std::vector<double> y(xs.size()), dy(xs.size(), 1.5), out(xs.size());
      for (size_t i = 0; i < xs.size(); ++i) y[i] = activate(kActivations[a], xs[i], param);
      // From y when allowed (x withheld to prove it is not read), else from x.
      const bool from_y = activation_derivative_from_output(kActivations[a], param);
      activation_backward<double>(kActivations[a], param, dy.data(), y.data(),
                                  from_y ? nullptr : xs.data(), out.data(), xs.size());
      for (size_t i = 0; i < xs.size(); ++i) {
        const double h = 1e-6, x = xs[i];
        const double numeric = 1.5 * (activate(kActivations[a], x + h, param) -
                                      activate(kActivations[a], x - h, param)) / (2 * h);
        if (std::fabs(numeric - out[i]) > 1e-5 * (1 + std::fabs(numeric))) {
          f.report("activationBackward %s param=%g at x=%g: numeric=%.9g, got=%.9g", kActNames[a],
                   param, x, numeric, out[i]);
        }
      }
    }
  }
}

// Every ISA (the exponentials run on its exp kernel), float and double: 4 x 5 with a row of
// huge logits (must not overflow), and 37 x 10 (masked vector tails) with a NaN logit in
// row 5, whose loss and probabilities must come out NaN, the other rows unaffected.
template <typename T>
void check_softmax_cross_entropy(Failures& f, Isa isa) {
  for (const size_t n : {size_t(5), size_t(10)}) {
    const size_t m = n == 5 ? 4 : 37, nan_row = n == 5 ? m : 5;
    std::vector<T> logits = random_vector<T>(m * n, 41 + n, T(-3), T(3));
    for (size_t j = 0; j < n; ++j) logits[2 * n + j] = T(1000) + T(j);
    if (nan_row < m) logits[nan_row * n + 3] = std::numeric_limits<T>::quiet_NaN();
    std::vector<int32_t> targets(m);
    for (size_t i = 0; i < m; ++i) targets[i] = int32_t((i * 7 + 1) % n);
    std::vector<T> loss(m), prob(m * n), grad(m * n);
    softmax_cross_entropy(logits.data(), m, n, targets.data(), loss.data(), prob.data());
    const std::vector<T> g = random_vector<T>(m, 43, T(-2), T(2));
    softmax_cross_entropy_backward(prob.data(), m, n, targets.data(), g.data(), true, grad.data());
    for (size_t i = 0; i < m; ++i) {
      if (i == nan_row) {
        bool all_nan = std::isnan(loss[i]);
        for (size_t j = 0; j < n; ++j) all_nan = all_nan && std::isnan(prob[i * n + j]);
        if (!all_nan) f.report("softmaxCrossEntropy: a NaN logit in row %zu did not make its loss and probabilities NaN (isa=%s %s)", i, isa_name(isa), dtype_name<T>());
        continue;
      }
      long double mx = -1e30L, sum = 0;
      for (size_t j = 0; j < n; ++j) mx = std::max<long double>(mx, logits[i * n + j]);
      for (size_t j = 0; j < n; ++j) sum += std::exp((long double)logits[i * n + j] - mx);
      const long double want_loss = std::log(sum) + mx - logits[i * n + targets[i]];
      const double tol = 16 * std::numeric_limits<T>::epsilon();
      if (std::fabs(double(want_loss - loss[i])) > tol * (1 + std::fabs(double(want_loss)))) {
        f.report("softmaxCrossEntropy %zux%zu loss at row %zu: ref=%.17g, got=%.17g (isa=%s %s)", m, n, i,
                 double(want_loss), double(loss[i]), isa_name(isa), dtype_name<T>());
      }
      for (size_t j = 0; j < n; ++j) {
        const long double p = std::exp((long double)logits[i * n + j] - mx) / sum;
        const double want_grad = double(g[i] * (p - (j == size_t(targets[i]) ? 1 : 0)));
        if (std::fabs(double(p) - prob[i * n + j]) > tol || std::fabs(want_grad - grad[i * n + j]) > 2 * tol) {
          f.report("softmaxCrossEntropy %zux%zu at (%zu,%zu): prob ref=%.17g got=%.17g, grad ref=%.17g got=%.17g (isa=%s %s)",
                   m, n, i, j, double(p), double(prob[i * n + j]), want_grad, double(grad[i * n + j]), isa_name(isa),
                   dtype_name<T>());
        }
      }
    }
  }
}

void check_bias_grad(Failures& f) {
  const size_t m = 37, n = 11;
  const std::vector<double> dy = random_vector<double>(m * n, 51);
  std::vector<double> out(n, 99.0);
  bias_grad(dy.data(), m, n, out.data());
  for (size_t j = 0; j < n; ++j) {
    double want = 0;
    for (size_t i = 0; i < m; ++i) want += dy[i * n + j];
    if (std::fabs(want - out[j]) > 1e-12) f.report("biasGrad at %zu: ref=%.17g, got=%.17g", j, want, out[j]);
  }
}

}  // namespace

int main() {
  Failures f;
  for_each_isa([&](Isa isa) {
    check_linear_forward<float>(f, isa);
    check_linear_forward<double>(f, isa);
    check_softmax_cross_entropy<float>(f, isa);
    check_softmax_cross_entropy<double>(f, isa);
  });
  check_activation_backward(f);
  check_bias_grad(f);
  return f.exit_code("nn_test");
}
