// Every ISA's activation kernels (epilogue tile, act', bias gradient, exp) against the scalar
// specification in activation.cc, over an edge-case grid: signed zeros, subnormals, the
// branch points of the vector code (expm1's ln2/2, tanh's saturation, erfc's domain end),
// exp's overflow/underflow, +-inf, NaN, and a dense random range. Lengths are chosen so
// that masked tails run too. Prints the largest error seen (in units of epsilon).
#include <algorithm>
#include <cstring>

#include "activation.h"
#include "fp_mode.h"
#include "gemm_microkernel.h"
#include "test_support.h"

using namespace myelin;
using namespace myelin_test;

namespace {

template <typename T>
std::vector<T> edge_grid() {
  using L = std::numeric_limits<T>;
  std::vector<T> v = {T(0), L::denorm_min(), L::min(), T(1e-30), T(1e-7), T(1e-3), T(0.1),
                      T(0.3465), T(0.3466), T(0.5), T(0.75), T(1), T(1.5), T(2), T(3), T(4.5),
                      T(5), T(8), T(9.4), T(9.6), T(10), T(12), T(19.4), T(19.6), T(20), T(26.9),
                      T(27.1), T(30), T(50), T(80), T(87.3), T(88.7), T(89), T(100), T(104),
                      T(700), T(709.7), T(710), T(746), T(1e30), L::max(), L::infinity()};
  const size_t n = v.size();
  for (size_t i = 0; i < n; ++i) v.push_back(-v[i]);
  v.push_back(L::quiet_NaN());
  for (T x : random_vector<T>(300, 7, T(-12), T(12))) v.push_back(x);
  for (T x : random_vector<T>(100, 8, T(-1), T(1))) v.push_back(x);
  return v;  // 485 elements: not a multiple of 4, 8 or 16
}

struct MaxError {
  double eps = 0;
  void check(Failures& f, const char* what, const char* act, double x, double ref, double got,
             double scale, double atol, double eps_t, double rtol_eps, const char* isa,
             const char* dtype) {
    if (std::isnan(ref) || std::isnan(got)) {
      if (std::isnan(ref) != std::isnan(got)) {
        f.report("%s %s at x=%.9g: ref=%.9g got=%.9g (isa=%s %s)", what, act, x, ref, got, isa, dtype);
      }
      return;
    }
    if (std::isinf(ref) || std::isinf(got)) {
      if (ref != got) f.report("%s %s at x=%.9g: ref=%.9g got=%.9g (isa=%s %s)", what, act, x, ref, got, isa, dtype);
      return;
    }
    const double err = std::fabs(ref - got);
    if (err <= atol) return;
    const double in_eps = err / (eps_t * scale);
    eps = std::max(eps, in_eps);
    if (!(in_eps <= rtol_eps)) {
      f.report("%s %s at x=%.9g: ref=%.12g got=%.12g (%.1f eps, isa=%s %s)", what, act, x, ref, got,
               in_eps, isa, dtype);
    }
  }
};

ActivationKernels<float> reference(float) { return f32_activation_kernels_reference(); }
ActivationKernels<double> reference(double) { return f64_activation_kernels_reference(); }

// Forward: relative to the value (all activations are computed without cancellation).
// Backward: relative to |dy| (act' of gelu and silu crosses zero, where the terms cancel).
template <typename T>
void check_isa(Failures& f, Isa isa) {
  const ActivationKernels<T>& vec = activation_kernels<T>();
  const ActivationKernels<T> ref = reference(T(0));
  const std::vector<T> xs = edge_grid<T>();
  const size_t n = xs.size();
  const double eps = std::numeric_limits<T>::epsilon(), atol = 4 * double(std::numeric_limits<T>::min());
  const double rtol_eps = 8;
  ScopedFlushDenormals ftz;  // as in every kernel call
  for (int a = 0; a < 8; ++a) {
    const Activation act = kActivations[a];
    for (T param : {T(0.1), T(1.0), T(-0.5)}) {
      MaxError fwd, bwd_y, bwd_x;
      std::vector<T> want = xs, got = xs;
      ref.bias_activation_tile(want.data(), n, 1, n, nullptr, act, param);
      vec.bias_activation_tile(got.data(), n, 1, n, nullptr, act, param);
      for (size_t i = 0; i < n; ++i) {
        fwd.check(f, "forward", kActNames[a], xs[i], want[i], got[i], std::fabs(double(want[i])), atol, eps,
                  rtol_eps, isa_name(isa), dtype_name<T>());
      }
      const std::vector<T> dy = random_vector<T>(n, 9, T(-2), T(2));
      std::vector<T> dwant(n), dgot(n);
      if (activation_derivative_from_output(act, param)) {
        ref.backward(act, param, dy.data(), want.data(), nullptr, dwant.data(), n);
        vec.backward(act, param, dy.data(), want.data(), nullptr, dgot.data(), n);
        for (size_t i = 0; i < n; ++i) {
          bwd_y.check(f, "backward(y)", kActNames[a], xs[i], dwant[i], dgot[i],
                      std::fabs(double(dwant[i])) + std::fabs(double(dy[i])), atol, eps, rtol_eps,
                      isa_name(isa), dtype_name<T>());
        }
      }
      ref.backward(act, param, dy.data(), nullptr, xs.data(), dwant.data(), n);
      vec.backward(act, param, dy.data(), nullptr, xs.data(), dgot.data(), n);
      for (size_t i = 0; i < n; ++i) {
        bwd_x.check(f, "backward(x)", kActNames[a], xs[i], dwant[i], dgot[i],
                    std::fabs(double(dwant[i])) + std::fabs(double(dy[i])), atol, eps, rtol_eps,
                    isa_name(isa), dtype_name<T>());
      }
      if (param == T(0.1)) {
        std::printf("  %-7s %-9s max error: forward %.2f eps, act' from y %.2f eps, from x %.2f eps\n",
                    dtype_name<T>(), kActNames[a], fwd.eps, bwd_y.eps, bwd_x.eps);
      }
    }
  }
  // exp (the softmax's), relative to the value, in place as the softmax calls it.
  MaxError e;
  std::vector<T> want(n), got = xs;
  ref.exp(xs.data(), want.data(), n);
  vec.exp(got.data(), got.data(), n);
  for (size_t i = 0; i < n; ++i) {
    e.check(f, "exp", "", xs[i], want[i], got[i], std::fabs(double(want[i])), atol, eps, rtol_eps, isa_name(isa),
            dtype_name<T>());
  }
  std::printf("  %-7s exp       max error: %.2f eps\n", dtype_name<T>(), e.eps);
}

// A strided tile with bias: the same values as the reference, padding columns untouched.
template <typename T>
void check_tile_and_bias_grad(Failures& f, Isa isa) {
  const ActivationKernels<T>& vec = activation_kernels<T>();
  const ActivationKernels<T> ref = reference(T(0));
  for (size_t cols : {1, 3, 8, 16, 19, 33}) {
    for (size_t pad : {0, 3}) {  // pad 0: rows back to back
      const size_t rows = 5, ldc = cols + pad;
      const std::vector<T> c0 = random_vector<T>(rows * ldc, 11, T(-4), T(4)), bias = random_vector<T>(cols, 12);
      for (int a = 0; a < 8; ++a) {
        std::vector<T> want = c0, got = c0;
        ref.bias_activation_tile(want.data(), ldc, rows, cols, bias.data(), kActivations[a], T(0.1));
        vec.bias_activation_tile(got.data(), ldc, rows, cols, bias.data(), kActivations[a], T(0.1));
        for (size_t i = 0; i < rows * ldc; ++i) {
          const double tol = 8 * std::numeric_limits<T>::epsilon() * std::fabs(double(want[i])) + 1e-30;
          if (!(std::fabs(double(want[i]) - double(got[i])) <= tol)) {
            f.report("tile %s cols=%zu ldc=%zu at %zu: ref=%.9g got=%.9g (isa=%s %s)", kActNames[a], cols, ldc, i,
                     double(want[i]), double(got[i]), isa_name(isa), dtype_name<T>());
            break;
          }
        }
      }
    }
    // Column sums in row order: the same bits as the reference.
    const size_t m = 37;
    const std::vector<T> dy = random_vector<T>(m * cols, 13);
    std::vector<T> want(cols, T(99)), got(cols, T(99));
    ref.bias_grad(dy.data(), m, cols, cols, want.data());
    vec.bias_grad(dy.data(), m, cols, cols, got.data());
    if (std::memcmp(want.data(), got.data(), cols * sizeof(T)) != 0) {
      f.report("biasGrad n=%zu differs from the reference (isa=%s %s)", cols, isa_name(isa), dtype_name<T>());
    }
  }
}

}  // namespace

int main() {
  Failures f;
  for_each_isa([&](Isa isa) {
    check_isa<float>(f, isa);
    check_isa<double>(f, isa);
    check_tile_and_bias_grad<float>(f, isa);
    check_tile_and_bias_grad<double>(f, isa);
  });
  return f.exit_code("activation_test");
}
