// adam_update and sgd_update for every ISA against a scalar double-precision reference,
// over lengths around the vector widths (tails) and every option (amsgrad, AdamW's shrink,
// maximize, momentum's first step, dampening, nesterov).
#include <cmath>
#include <cstdio>
#include <vector>

#include "fp_mode.h"
#include "gemm_microkernel.h"
#include "optim_update.h"
#include "thread_pool.h"
#include "test_support.h"

using myelin::AdamCoefficients;
using myelin::SgdCoefficients;
using myelin_test::Failures;
using myelin_test::random_vector;

namespace {

template <typename T>
double tolerance() { return sizeof(T) == 4 ? 2e-6 : 1e-14; }

template <typename T>
void check_close(Failures& f, const char* what, const char* isa, size_t n, const std::vector<T>& got,
                 const std::vector<double>& ref) {
  for (size_t i = 0; i < n; ++i) {
    const double err = std::fabs(double(got[i]) - ref[i]);
    if (!(err <= tolerance<T>() * (1 + std::fabs(ref[i])))) {
      f.report("%s at %zu: ref=%.17g, got=%.17g, n=%zu, isa=%s, %s", what, i, ref[i], double(got[i]), n, isa,
               myelin_test::dtype_name<T>());
      return;
    }
  }
}

template <typename T>
void test_adam(Failures& f, const char* isa, size_t n, bool amsgrad, const AdamCoefficients& c) {
  std::vector<T> w = random_vector<T>(n, 1), g = random_vector<T>(n, 2), m = random_vector<T>(n, 3);
  std::vector<T> v = random_vector<T>(n, 4, T(0), T(1)), vmax = random_vector<T>(n, 5, T(0), T(1));
  std::vector<double> rw(n), rm(n), rv(n), rvmax(n);
  for (size_t i = 0; i < n; ++i) {
    const double gi = c.sign * g[i] + c.l2 * w[i];
    rm[i] = c.beta1 * m[i] + (1 - c.beta1) * gi;
    rv[i] = c.beta2 * v[i] + (1 - c.beta2) * gi * gi;
    rvmax[i] = amsgrad ? std::max(double(vmax[i]), rv[i]) : rv[i];
    rw[i] = w[i] * c.shrink - c.step_size * rm[i] / (std::sqrt(rvmax[i]) / c.bc2_sqrt + c.eps);
  }
  myelin::adam_update(w.data(), g.data(), m.data(), v.data(), amsgrad ? vmax.data() : nullptr, n, c);
  check_close(f, amsgrad ? "adam(amsgrad) w" : "adam w", isa, n, w, rw);
  check_close(f, "adam m", isa, n, m, rm);
  check_close(f, "adam v", isa, n, v, rv);
  if (amsgrad) check_close(f, "adam vmax", isa, n, vmax, rvmax);
}

template <typename T>
void test_sgd(Failures& f, const char* isa, size_t n, bool momentum, const SgdCoefficients& c) {
  std::vector<T> w = random_vector<T>(n, 6), g = random_vector<T>(n, 7), buf = random_vector<T>(n, 8);
  std::vector<double> rw(n), rbuf(n);
  for (size_t i = 0; i < n; ++i) {
    const double d = c.sign * g[i] + c.weight_decay * w[i];
    if (!momentum) {
      rw[i] = w[i] - c.lr * d;
      continue;
    }
    rbuf[i] = c.first ? d : c.momentum * buf[i] + (1 - c.dampening) * d;
    rw[i] = w[i] - c.lr * (c.nesterov ? d + c.momentum * rbuf[i] : rbuf[i]);
  }
  myelin::sgd_update(w.data(), g.data(), momentum ? buf.data() : nullptr, n, c);
  check_close(f, "sgd w", isa, n, w, rw);
  if (momentum) check_close(f, "sgd buf", isa, n, buf, rbuf);
}

template <typename T>
void run_all(Failures& f, const char* isa) {
  const size_t lengths[] = {1, 3, 7, 8, 15, 16, 17, 31, 33, 100, 1027};
  const AdamCoefficients adam_cases[] = {
      {1e-3 / (1 - 0.9), std::sqrt(1 - 0.999), 0.9, 0.999, 1e-8, 0, 1, 1},      // Adam, step 1
      {0.01 / (1 - 0.729), std::sqrt(1 - 0.997), 0.9, 0.999, 1e-6, 0.1, 1, -1},  // L2 decay, maximize
      {1e-3, 1, 0.8, 0.99, 1e-8, 0, 1 - 1e-3 * 0.01, 1},                          // AdamW shrink
  };
  const SgdCoefficients sgd_cases[] = {
      {0.1, 0.9, 0, 0, 1, false, true},     // first momentum step: buf = d
      {0.1, 0.9, 0.2, 1e-2, 1, false, false},
      {0.05, 0.9, 0, 1e-3, -1, true, false}, // nesterov, maximize
  };
  for (size_t n : lengths) {
    for (const AdamCoefficients& c : adam_cases) {
      test_adam<T>(f, isa, n, false, c);
      test_adam<T>(f, isa, n, true, c);
    }
    for (const SgdCoefficients& c : sgd_cases) {
      test_sgd<T>(f, isa, n, true, c);
      test_sgd<T>(f, isa, n, false, c);
    }
  }
}

// adam_update_many / sgd_update_many over slices whose lengths do not line up with the
// pool's chunks (so chunks start and end inside slices) give the bits of one
// adam_update / sgd_update per slice on one thread (no split at all), for 1, 2 and 3 threads.
template <typename T>
void test_many(Failures& f, const char* isa) {
  const size_t lengths[] = {5, 20000, 1, 16, 12347, 33, 9000};
  constexpr size_t count = sizeof(lengths) / sizeof(lengths[0]);
  const AdamCoefficients ac{1e-3 / (1 - 0.9), std::sqrt(1 - 0.999), 0.9, 0.999, 1e-8, 1e-2, 1, 1};
  const SgdCoefficients sc{0.1, 0.9, 0.1, 1e-3, 1, true, false};
  for (size_t threads : {size_t(1), size_t(2), size_t(3)}) {
    for (bool optional : {false, true}) {
      myelin::set_thread_count(1);
      std::vector<std::vector<T>> w, g, m, v, x, w1, m1, v1, x1;
      for (size_t i = 0; i < count; ++i) {
        const size_t n = lengths[i];
        const unsigned s = static_cast<unsigned>(10 * i);
        w.push_back(random_vector<T>(n, s + 1));
        g.push_back(random_vector<T>(n, s + 2));
        m.push_back(random_vector<T>(n, s + 3));
        v.push_back(random_vector<T>(n, s + 4, T(0), T(1)));
        x.push_back(random_vector<T>(n, s + 5, T(0), T(1)));
      }
      // Adam: the many form against one call per slice on copies.
      w1 = w, m1 = m, v1 = v, x1 = x;
      std::vector<myelin::AdamSlice<T>> slices;
      for (size_t i = 0; i < count; ++i) {
        slices.push_back({w[i].data(), g[i].data(), m[i].data(), v[i].data(), optional ? x[i].data() : nullptr, lengths[i]});
        myelin::adam_update(w1[i].data(), g[i].data(), m1[i].data(), v1[i].data(), optional ? x1[i].data() : nullptr,
                            lengths[i], ac);
      }
      myelin::set_thread_count(threads);
      myelin::adam_update_many(slices.data(), count, ac);
      for (size_t i = 0; i < count; ++i) {
        if (w[i] != w1[i] || m[i] != m1[i] || v[i] != v1[i] || x[i] != x1[i]) {
          f.report("adam_update_many differs from adam_update on slice %zu (n=%zu), %zu threads, amsgrad=%d, isa=%s, %s", i,
                   lengths[i], threads, int(optional), isa, myelin_test::dtype_name<T>());
        }
      }
      // SGD with (optional) and without a momentum buffer, on fresh copies of the same data.
      w1 = w, x1 = x;
      myelin::set_thread_count(1);
      std::vector<myelin::SgdSlice<T>> sgd;
      for (size_t i = 0; i < count; ++i) {
        sgd.push_back({w[i].data(), g[i].data(), optional ? x[i].data() : nullptr, lengths[i]});
        myelin::sgd_update(w1[i].data(), g[i].data(), optional ? x1[i].data() : nullptr, lengths[i], sc);
      }
      myelin::set_thread_count(threads);
      myelin::sgd_update_many(sgd.data(), count, sc);
      for (size_t i = 0; i < count; ++i) {
        if (w[i] != w1[i] || x[i] != x1[i]) {
          f.report("sgd_update_many differs from sgd_update on slice %zu (n=%zu), %zu threads, momentum=%d, isa=%s, %s", i,
                   lengths[i], threads, int(optional), isa, myelin_test::dtype_name<T>());
        }
      }
    }
  }
  myelin::set_thread_count(2);
  myelin::adam_update_many(static_cast<const myelin::AdamSlice<T>*>(nullptr), 0, ac);  // no slices: a no-op
}

// Edge values mixed into one vector with ordinary ones: units whose gradient and moments are
// exactly zero (dead ReLUs), a second moment that overflows to inf, one that decays into a
// denormal (flushed), and eps = 0 with v = 0. Each lane must match the double reference
// (NaN where it is NaN).
template <typename T>
void test_adam_edges(Failures& f, const char* isa) {
  const size_t n = 37;
  for (double eps : {1e-8, 0.0}) {
    std::vector<T> w = random_vector<T>(n, 11), g = random_vector<T>(n, 12), m = random_vector<T>(n, 13);
    std::vector<T> v = random_vector<T>(n, 14, T(0), T(1));
    for (size_t i = 0; i < n; i += 3) g[i] = m[i] = v[i] = 0;  // dead units
    v[1] = T(3.4e38), g[1] = T(1e20);
    v[4] = T(1e-36), g[4] = 0;  // decays into a denormal
    v[7] = T(1e-30);
    const AdamCoefficients c{1e-3 / (1 - 0.9), std::sqrt(1 - 0.999), 0.9, 0.999, eps, 0, 1, 1};
    std::vector<double> rw(n);
    for (size_t i = 0; i < n; ++i) {
      const double mi = c.beta1 * m[i] + (1 - c.beta1) * g[i];
      // The stored moments are float32: v[1] overflows to inf, v[4] flushes to 0.
      const double vi = double(T(c.beta2 * v[i] + (1 - c.beta2) * double(g[i]) * g[i]));
      rw[i] = w[i] - c.step_size * double(T(mi)) / (std::sqrt(vi) / c.bc2_sqrt + c.eps);
    }
    myelin::adam_update(w.data(), g.data(), m.data(), v.data(), static_cast<T*>(nullptr), n, c);
    for (size_t i = 0; i < n; ++i) {
      const bool both_nan = std::isnan(rw[i]) && std::isnan(double(w[i]));
      const double err = std::fabs(double(w[i]) - rw[i]);
      if (!both_nan && !(err <= tolerance<T>() * (1 + std::fabs(rw[i])))) {
        f.report("adam edge lane %zu: ref=%.17g, got=%.17g, eps=%g, isa=%s, %s", i, rw[i], double(w[i]), eps, isa,
                 myelin_test::dtype_name<T>());
      }
    }
  }
}

}  // namespace

// The updates flush denormals while they run but must hand the caller's MXCSR back intact.
void test_mxcsr_restored(Failures& f) {
#if defined(__x86_64__)
  const unsigned before = _mm_getcsr();
  std::vector<float> w(64, 1e-39f), g(64, 1e-39f), m(64), v(64);
  myelin::adam_update(w.data(), g.data(), m.data(), v.data(), static_cast<float*>(nullptr), w.size(),
                      AdamCoefficients{1e-3, 0.03, 0.9, 0.999, 1e-8, 0, 1, 1});
  myelin::sgd_update(w.data(), g.data(), m.data(), w.size(), SgdCoefficients{0.1, 0.9, 0, 0, 1, false, false});
  if ((_mm_getcsr() & ~0x3Fu) != (before & ~0x3Fu)) f.report("MXCSR changed: before=%x, after=%x", before, _mm_getcsr());
#else
  (void)f;
#endif
}

int main() {
  Failures f;
  test_mxcsr_restored(f);
  myelin_test::for_each_isa([&](myelin::Isa isa) {
    run_all<float>(f, myelin::isa_name(isa));
    run_all<double>(f, myelin::isa_name(isa));
    test_many<float>(f, myelin::isa_name(isa));
    test_adam_edges<float>(f, myelin::isa_name(isa));
    test_adam_edges<double>(f, myelin::isa_name(isa));
    test_many<double>(f, myelin::isa_name(isa));
  });
  return f.exit_code("optim_update_test");
}
