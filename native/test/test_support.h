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

#include "activation.h"
#include "cpu_features.h"
#include "gemm.h"
#include "gemm_microkernel.h"

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

// Every activation the kernels know, with the names the JavaScript side uses.
inline constexpr myelin::Activation kActivations[] = {
    myelin::Activation::identity, myelin::Activation::relu, myelin::Activation::leaky_relu,
    myelin::Activation::elu,      myelin::Activation::gelu, myelin::Activation::silu,
    myelin::Activation::sigmoid,  myelin::Activation::tanh};
inline constexpr const char* kActNames[] = {"identity", "relu", "leakyRelu", "elu", "gelu", "silu", "sigmoid", "tanh"};

// Runs `body(isa)` once per ISA this machine has, with the kernels dispatched to it.
template <typename Body>
void for_each_isa(Body&& body) {
  for (myelin::Isa wanted : myelin::available_isas()) {
    const myelin::Isa isa = myelin::select_gemm_isa(wanted);
    std::printf("isa=%s\n", myelin::isa_name(isa));
    body(isa);
  }
}

inline const char* trans_name(bool ta, bool tb) {
  static const char* names[4] = {"NN", "NT", "TN", "TT"};
  return names[(ta ? 2 : 0) + (tb ? 1 : 0)];
}

}  // namespace myelin_test
