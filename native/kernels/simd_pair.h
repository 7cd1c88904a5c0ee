// Two vectors of V used as one vector of twice the width: each operation is issued on both
// halves back to back. The transcendental kernels (gelu's erfc, exp, tanh) are one long
// chain of dependent FMAs per vector, and the out-of-order window of a core holds little
// more than one such chain at a time, so one vector per iteration leaves the FMA units
// mostly idle; two independent chains interleaved in program order keep twice as many in
// flight. Same contract as V (simd_avx2.h, simd_avx512.h); inlined by the entry points'
// `flatten` like V's own operations.
#pragma once

#include <cstddef>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace myelin {
namespace simd {

template <class V>
struct Pair {
  using T = typename V::T;
  struct Reg {
    typename V::Reg lo, hi;
  };
  struct Mask {
    typename V::Mask lo, hi;
  };
  static constexpr size_t kWidth = 2 * V::kWidth;

  static Reg set1(T x) {
    const typename V::Reg v = V::set1(x);
    return {v, v};
  }
  static Reg load(const T* p) { return {V::load(p), V::load(p + V::kWidth)}; }
  static void store(T* p, Reg v) {
    V::store(p, v.lo);
    V::store(p + V::kWidth, v.hi);
  }
  // The first n lanes (n < kWidth); the rest read as zero and are never written.
  static Reg load_first(const T* p, size_t n) {
    if (n <= V::kWidth) return {n == V::kWidth ? V::load(p) : V::load_first(p, n), V::set1(T(0))};
    return {V::load(p), V::load_first(p + V::kWidth, n - V::kWidth)};
  }
  static void store_first(T* p, size_t n, Reg v) {
    if (n <= V::kWidth) {
      if (n == V::kWidth) V::store(p, v.lo); else V::store_first(p, n, v.lo);
      return;
    }
    V::store(p, v.lo);
    V::store_first(p + V::kWidth, n - V::kWidth, v.hi);
  }

#define MYELIN_PAIR_1(name) \
  static Reg name(Reg a) { return {V::name(a.lo), V::name(a.hi)}; }
#define MYELIN_PAIR_2(name, R) \
  static R name(Reg a, Reg b) { return {V::name(a.lo, b.lo), V::name(a.hi, b.hi)}; }
#define MYELIN_PAIR_3(name) \
  static Reg name(Reg a, Reg b, Reg c) { return {V::name(a.lo, b.lo, c.lo), V::name(a.hi, b.hi, c.hi)}; }
  MYELIN_PAIR_1(abs)
  MYELIN_PAIR_1(round)
  MYELIN_PAIR_2(add, Reg)
  MYELIN_PAIR_2(sub, Reg)
  MYELIN_PAIR_2(mul, Reg)
  MYELIN_PAIR_2(div, Reg)
  MYELIN_PAIR_2(max, Reg)
  MYELIN_PAIR_2(min, Reg)
  MYELIN_PAIR_2(copysign, Reg)
  MYELIN_PAIR_2(scale, Reg)
  MYELIN_PAIR_2(gt, Mask)
  MYELIN_PAIR_2(lt, Mask)
  MYELIN_PAIR_3(fmadd)
  MYELIN_PAIR_3(fnmadd)
  MYELIN_PAIR_3(fmsub)
#undef MYELIN_PAIR_1
#undef MYELIN_PAIR_2
#undef MYELIN_PAIR_3
  static Reg select(Mask m, Reg if_true, Reg if_false) {
    return {V::select(m.lo, if_true.lo, if_false.lo), V::select(m.hi, if_true.hi, if_false.hi)};
  }
};

}  // namespace simd
}  // namespace myelin

#pragma GCC diagnostic pop
