// The elementwise kernels that split over the pool (adam_update, sgd_update,
// activation_backward, bias_grad) must give the same bits for 1, 2 and 3 threads, at
// sizes above their split thresholds, odd lengths and denormal inputs included; and the
// split result must equal the kernel run as one piece on one thread.
#include <cstring>
#include <functional>

#include "activation.h"
#include "gemm_microkernel.h"
#include "loss_kernels.h"
#include "optim_update.h"
#include "test_support.h"
#include "thread_pool.h"

using namespace myelin;
using namespace myelin_test;

namespace {

// Runs `kernel` on fresh copies of the inputs (seeded by n) and returns every output array
// concatenated.
template <typename T>
using Run = std::function<std::vector<T>(size_t n)>;

template <typename T>
void check_invariance(Failures& f, const char* what, Isa isa, size_t n, const Run<T>& run) {
  set_thread_count(1);
  const std::vector<T> one = run(n);
  for (size_t threads : {2, 3}) {
    set_thread_count(threads);
    const std::vector<T> many = run(n);
    if (one.size() != many.size() || std::memcmp(one.data(), many.data(), one.size() * sizeof(T)) != 0) {
      size_t at = 0;
      while (at < one.size() && std::memcmp(&one[at], &many[at], sizeof(T)) == 0) ++at;
      f.report("%s n=%zu threads=%zu differs from threads=1 at %zu: %.17g vs %.17g (isa=%s, %s)", what, n,
               threads, at, double(one[at]), double(many[at]), isa_name(isa), dtype_name<T>());
    }
  }
  set_thread_count(2);
}

template <typename T>
std::vector<T> with_denormals(std::vector<T> v) {
  for (size_t i = 0; i < v.size(); i += 13) v[i] = std::numeric_limits<T>::denorm_min() * T(5);
  return v;
}

template <typename T>
void run_all(Failures& f, Isa isa) {
  // Just over and well over every threshold, and lengths that do not divide evenly.
  for (size_t n : {size_t(40000), size_t(100003), size_t(262147)}) {
    for (bool amsgrad : {false, true}) {
      check_invariance<T>(f, amsgrad ? "adam(amsgrad)" : "adam", isa, n, [amsgrad](size_t len) {
        std::vector<T> w = random_vector<T>(len, 1), g = with_denormals(random_vector<T>(len, 2));
        std::vector<T> m = random_vector<T>(len, 3), v = random_vector<T>(len, 4, T(0), T(1));
        std::vector<T> vmax = random_vector<T>(len, 5, T(0), T(1));
        const AdamCoefficients c{1e-3, 0.7, 0.9, 0.999, 1e-8, 0.01, 0.999, 1};
        adam_update(w.data(), g.data(), m.data(), v.data(), amsgrad ? vmax.data() : nullptr, len, c);
        w.insert(w.end(), m.begin(), m.end());
        w.insert(w.end(), v.begin(), v.end());
        w.insert(w.end(), vmax.begin(), vmax.end());
        return w;
      });
    }
    check_invariance<T>(f, "sgd(nesterov)", isa, n, [](size_t len) {
      std::vector<T> w = random_vector<T>(len, 6), g = with_denormals(random_vector<T>(len, 7));
      std::vector<T> buf = random_vector<T>(len, 8);
      const SgdCoefficients c{0.1, 0.9, 0.1, 1e-4, -1, true, false};
      sgd_update(w.data(), g.data(), buf.data(), len, c);
      w.insert(w.end(), buf.begin(), buf.end());
      return w;
    });
    for (Activation act : {Activation::relu, Activation::gelu, Activation::tanh}) {
      check_invariance<T>(f, "activation_backward", isa, n, [act](size_t len) {
        const std::vector<T> dy = with_denormals(random_vector<T>(len, 9, T(-3), T(3)));
        const std::vector<T> x = random_vector<T>(len, 10, T(-4), T(4));
        std::vector<T> y(len), out(len);
        for (size_t i = 0; i < len; ++i) y[i] = activate(act, x[i], T(0));
        activation_backward(act, T(0), dy.data(), act == Activation::gelu ? nullptr : y.data(), x.data(),
                            out.data(), len);
        return out;
      });
    }
  }
  // bias_grad splits columns: tall-narrow, wide-short and the MLP's gradient shapes.
  struct Shape { size_t m, n; };
  for (Shape s : {Shape{128, 512}, Shape{128, 257}, Shape{7, 20011}, Shape{3000, 33}, Shape{64, 1000}}) {
    check_invariance<T>(f, "bias_grad", isa, s.n, [s](size_t n) {
      std::vector<T> dy = random_vector<T>(s.m * n, 11);
      // Every 7th column all denormal: its sum is 0 under FTZ/DAZ, a denormal otherwise,
      // so a chunk summed without the pool's FP mode would show.
      for (size_t i = 0; i < s.m; ++i) {
        for (size_t j = 0; j < n; j += 7) dy[i * n + j] = std::numeric_limits<T>::denorm_min() * T(3);
      }
      std::vector<T> out(n);
      bias_grad(dy.data(), s.m, n, out.data());
      return out;
    });
  }
}

// The split bias_grad against a plain column sum in row order (exact: same additions).
void check_bias_grad_values(Failures& f) {
  const size_t m = 128, n = 1000;
  const std::vector<float> dy = random_vector<float>(m * n, 12);
  std::vector<float> out(n);
  bias_grad(dy.data(), m, n, out.data());
  for (size_t j = 0; j < n; ++j) {
    float want = 0;
    for (size_t i = 0; i < m; ++i) want += dy[i * n + j];
    if (want != out[j]) f.report("bias_grad [%zu,%zu] column %zu: want %.9g got %.9g", m, n, j, want, out[j]);
  }
}

}  // namespace

int main() {
  Failures f;
  for_each_isa([&](Isa isa) {
    run_all<float>(f, isa);
    run_all<double>(f, isa);
    set_thread_count(3);
    check_bias_grad_values(f);
  });
  return f.exit_code("elementwise_threads_test");
}
