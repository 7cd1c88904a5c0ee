// Vectorised exp, expm1, erfc and the activations built on them, written once for any
// vector type V (simd_avx2.h, simd_avx512.h) and both float and double. Accuracy: a few
// ulp of the type over the whole range (nn_test compares every ISA with the std::
// reference in activation.cc over an edge-case grid). NaN in gives NaN out; +-inf and
// values past overflow/underflow give the limits the std:: functions give.
#pragma once

#include <cstddef>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // vector arguments: every call is inlined (flatten)

namespace myelin {
namespace vec_math {

template <typename T>
struct Consts;

template <>
struct Consts<float> {
  // exp's argument is clamped here first: 2^-150 already rounds to 0 and 2^129 to inf.
  static constexpr float kExpLo = -104.0f, kExpHi = 89.0f;
  static constexpr float kLn2Hi = 0.693145751953125f, kLn2Lo = 1.428606765330187045e-6f;
  // 1/k! for k = 2..8: Taylor series of expm1 on |r| <= ln2/2 (truncation < 2e-8 relative).
  static constexpr size_t kExpTerms = 7;
  static constexpr float kExpCoeffs[kExpTerms] = {1.0f / 2, 1.0f / 6, 1.0f / 24, 1.0f / 120,
                                                  1.0f / 720, 1.0f / 5040, 1.0f / 40320};
  // tanh(x) rounds to +-1 beyond this.
  static constexpr float kTanhSaturate = 9.5f;
  // erfc: P(u) of fit_erfc.py, highest power first (z <= 10, degree 10, error 9.6e-9).
  static constexpr float kErfcZMax = 10.0f, kErfcT0 = 1.0f / 6.0f;
  static constexpr size_t kErfcTerms = 11;
  static constexpr float kErfcPoly[kErfcTerms] = {
      -0.0000241321742736867804807f, 0.0000548848871686680646867f, 0.000133071928208946207583f,
      -0.00053437717477856679347f,   -0.000278778760963139911549f, 0.00370752030402643273972f,
      -0.00104453867177475149571f,   -0.0294703494125478403684f,   0.0157449462126473934441f,
      0.570307103971153172415f,      -0.55859535113381530665f};
};

template <>
struct Consts<double> {
  static constexpr double kExpLo = -746.0, kExpHi = 710.0;
  static constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  // 1/k! for k = 2..14 (truncation < 2e-17 relative on |r| <= ln2/2).
  static constexpr size_t kExpTerms = 13;
  static constexpr double kExpCoeffs[kExpTerms] = {
      1.0 / 2,          1.0 / 6,           1.0 / 24,           1.0 / 120,           1.0 / 720,
      1.0 / 5040,       1.0 / 40320,       1.0 / 362880,       1.0 / 3628800,       1.0 / 39916800,
      1.0 / 479001600,  1.0 / 6227020800., 1.0 / 87178291200.};
  static constexpr double kTanhSaturate = 19.5;
  // erfc: P(u) of fit_erfc.py, highest power first (z <= 27, degree 25, error 9.1e-18).
  static constexpr double kErfcZMax = 27.0, kErfcT0 = 1.0 / 14.5;
  static constexpr size_t kErfcTerms = 26;
  static constexpr double kErfcPoly[kErfcTerms] = {
      7.43347287367312846993e-10,  -2.23059214132172362296e-9,  -3.29706982150845145174e-9,
      2.20421944020827728901e-8,   -1.75802722272692692214e-8,  -8.57450384994543082588e-8,
      2.27258159266179460017e-7,   3.2907001247694053528e-8,    -0.00000107646382512038164357,
      0.00000145324014813218651365, 0.00000255220568398348902861, -0.00000951849471463303378058,
      0.00000160514142692007512874, 0.0000369662502199736082839, -0.0000487448102570212334295,
      -0.0000984899752764342454902, 0.000299096740458656405409,  0.000137337815017402257962,
      -0.00140445494932165536467,  0.000407071670758929608402,  0.00651831988808717438037,
      -0.00505769250817190723516,  -0.0396982602307133596463,   0.032409287681125366208,
      0.631699684589737052191,     -0.625195311888112971329};
};

constexpr size_t floor_log2(size_t n) { return n < 2 ? 0 : 1 + floor_log2(n / 2); }

// sum over k in [Lo, Lo + N) of coeff(k) * u^(k - Lo), split at the largest power of two
// H < N: low + u^H * high. pow2[i] holds u^(2^i).
template <class V, size_t Lo, size_t N, typename Coeff>
typename V::Reg estrin_range(const typename V::Reg* pow2, Coeff coeff) {
  if constexpr (N == 1) {
    return V::set1(coeff(Lo));
  } else if constexpr (N == 2) {
    return V::fmadd(V::set1(coeff(Lo + 1)), pow2[0], V::set1(coeff(Lo)));
  } else {
    constexpr size_t level = floor_log2(N - 1), H = size_t(1) << level;
    return V::fmadd(estrin_range<V, Lo + H, N - H>(pow2, coeff), pow2[level], estrin_range<V, Lo, H>(pow2, coeff));
  }
}

// sum over k < N of coeff(k) * u^k by Estrin's scheme: pairs c0 + c1 u, then pairs of
// those with u^2, u^4, ... A chain of ceil(log2 N) FMAs where Horner's has N - 1, so more of
// a kernel's work can overlap (with simd::Pair: gelu -20 %, tanh -10 % on Zen 3). The sums
// round differently, within the same ulps (activation_test prints the maxima).
template <class V, size_t N, typename Coeff>
typename V::Reg estrin(typename V::Reg u, Coeff coeff) {
  constexpr size_t levels = N > 2 ? floor_log2(N - 1) : 0;
  static_assert(levels <= 4, "estrin: up to 32 coefficients");
  typename V::Reg pow2[levels + 1];
  pow2[0] = u;
  if constexpr (levels >= 1) pow2[1] = V::mul(pow2[0], pow2[0]);
  if constexpr (levels >= 2) pow2[2] = V::mul(pow2[1], pow2[1]);
  if constexpr (levels >= 3) pow2[3] = V::mul(pow2[2], pow2[2]);
  if constexpr (levels >= 4) pow2[4] = V::mul(pow2[3], pow2[3]);
  return estrin_range<V, 0, N>(pow2, coeff);
}

// expm1(r) for |r| <= ln2/2 (+ a little): r + r^2 * (1/2 + r/6 + ...).
template <class V>
typename V::Reg expm1_small(typename V::Reg r) {
  using C = Consts<typename V::T>;
  const typename V::Reg q = estrin<V, C::kExpTerms>(r, [](size_t k) { return C::kExpCoeffs[k]; });
  return V::fmadd(V::mul(r, r), q, r);
}

// exp(hi + lo) where lo is a small correction (|lo| << 1) kept out of the rounding of hi:
// exp(-z^2) needs it, because z*z rounded would cost up to z^2 ulp.
template <class V>
typename V::Reg exp_split(typename V::Reg hi, typename V::Reg lo) {
  using C = Consts<typename V::T>;
  using Reg = typename V::Reg;
  const Reg x = V::min(V::set1(C::kExpHi), V::max(V::set1(C::kExpLo), hi));  // NaN stays NaN
  const Reg n = V::round(V::mul(V::add(x, lo), V::set1(typename V::T(1.44269504088896340736))));
  Reg r = V::fnmadd(n, V::set1(C::kLn2Hi), x);  // Cody-Waite: x - n*ln2 in two parts
  r = V::add(r, lo);
  r = V::fnmadd(n, V::set1(C::kLn2Lo), r);
  return V::scale(V::add(expm1_small<V>(r), V::set1(typename V::T(1))), n);
}

template <class V>
typename V::Reg exp(typename V::Reg x) {
  return exp_split<V>(x, V::set1(typename V::T(0)));
}

// exp(x) - 1 without the cancellation near 0: the series below ln2/2, exp(x) - 1 above
// (where the subtraction loses at most a bit).
template <class V>
typename V::Reg expm1(typename V::Reg x) {
  using T = typename V::T;
  const typename V::Reg small = expm1_small<V>(x), large = V::sub(exp<V>(x), V::set1(T(1)));
  return V::select(V::lt(V::abs(x), V::set1(T(0.34657359027997265471))), small, large);
}

// erfc(z) = t * exp(-z^2 + P(t)), t = 1/(1 + |z|/2), for z >= 0 (fit_erfc.py); 2 - that
// for z < 0. Relative accuracy holds in the tail, where 1 - erf(z) would cancel.
template <class V>
typename V::Reg erfc(typename V::Reg z) {
  using T = typename V::T;
  using C = Consts<T>;
  using Reg = typename V::Reg;
  const Reg one = V::set1(T(1));
  // Past kErfcZMax erfc underflows anyway; clamping keeps the series in its domain.
  const Reg a = V::min(V::set1(C::kErfcZMax), V::abs(z));
  const Reg t = V::div(one, V::fmadd(a, V::set1(T(0.5)), one));
  const Reg u = V::fmsub(t, V::set1(T(2) / (T(1) - C::kErfcT0)),
                         V::set1((T(1) + C::kErfcT0) / (T(1) - C::kErfcT0)));
  const Reg p = estrin<V, C::kErfcTerms>(u, [](size_t k) { return C::kErfcPoly[C::kErfcTerms - 1 - k]; });
  const Reg aa = V::mul(a, a), aa_err = V::fmsub(a, a, aa);  // a*a = aa + aa_err exactly
  const Reg r = V::mul(t, exp_split<V>(V::sub(V::set1(T(0)), aa), V::sub(p, aa_err)));
  return V::select(V::lt(z, V::set1(T(0))), V::sub(V::set1(T(2)), r), r);
}

// exp(-x^2/2) with x*x split exactly (the gelu density); 0 past |x| = 40 in both types,
// where clamping keeps x*x finite (NaN stays NaN).
template <class V>
typename V::Reg exp_neg_half_square(typename V::Reg x) {
  using T = typename V::T;
  const typename V::Reg a = V::min(V::set1(T(40)), V::abs(x));
  const typename V::Reg xx = V::mul(a, a), xx_err = V::fmsub(a, a, xx);
  return exp_split<V>(V::mul(xx, V::set1(T(-0.5))), V::mul(xx_err, V::set1(T(-0.5))));
}

template <class V>
typename V::Reg sigmoid(typename V::Reg x) {
  using T = typename V::T;
  const typename V::Reg one = V::set1(T(1));
  return V::div(one, V::add(one, exp<V>(V::sub(V::set1(T(0)), x))));
}

// tanh(|x|) = e / (e + 2) with e = expm1(2|x|): no cancellation near 0; 1 past saturation
// (where e would be inf and e/(e+2) NaN); the sign of x put back (so tanh(-0) = -0).
template <class V>
typename V::Reg tanh(typename V::Reg x) {
  using T = typename V::T;
  using Reg = typename V::Reg;
  const Reg a = V::abs(x);
  const Reg e = expm1<V>(V::add(a, a));
  const Reg t = V::div(e, V::add(e, V::set1(T(2))));
  return V::copysign(V::select(V::gt(a, V::set1(Consts<T>::kTanhSaturate)), V::set1(T(1)), t), x);
}

}  // namespace vec_math
}  // namespace myelin

#pragma GCC diagnostic pop
