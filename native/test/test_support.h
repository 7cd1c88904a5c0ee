// Minimal helpers shared by the C++ kernel tests (no framework: ctest runs each binary,
// a non-zero exit code is a failure, and every failure prints where and why).
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "cpu_features.h"
#include "gemm.h"

namespace myelin_test {

struct Failures {
  int count = 0;
  // Prints only the first few so a broken kernel does not flood the log.
  template <typename... Args>
  void report(const char* fmt, Args... args) {
    if (++count <= 20) {
      std::printf(fmt, args...);
      std::printf("\n");
    }
  }
  int exit_code(const char* suite) const {
    if (count == 0) {
      std::printf("%s: all passed\n", suite);
      return 0;
    }
    std::printf("%s: %d failure(s)\n", suite, count);
    return 1;
  }
};

template <typename T>
std::vector<T> random_vector(size_t n, uint32_t seed, T lo = T(-1), T hi = T(1)) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(dist(rng));
  return v;
}

template <typename T>
const char* dtype_name() {
  return sizeof(T) == 4 ? "float32" : "float64";
}

inline const char* trans_name(bool ta, bool tb) {
  static const char* names[4] = {"NN", "NT", "TN", "TT"};
  return names[(ta ? 2 : 0) + (tb ? 1 : 0)];
}

}  // namespace myelin_test
