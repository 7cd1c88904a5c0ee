// The activation kernels written once for any vector type V (simd_avx2.h,
// simd_avx512.h): the GEMM epilogue (bias + activation on a C tile), act' for backward,
// and the bias gradient. The activation is chosen once per call (a template argument
// inside), never per element. Per-ISA entry points: activation_avx2.cc, activation_avx512.cc.
// The scalar specification they must match is in activation.cc.
#pragma once

#include <cstddef>
#include <type_traits>

#include "activation.h"
#include "simd_pair.h"
#include "vec_math.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace myelin {
namespace activation_simd {

template <Activation A>
using ActTag = std::integral_constant<Activation, A>;

// Calls f(ActTag<act>{}): the one runtime branch on the activation.
template <typename F>
void with_activation(Activation act, F&& f) {
  switch (act) {
    case Activation::identity: return f(ActTag<Activation::identity>{});
    case Activation::relu: return f(ActTag<Activation::relu>{});
    case Activation::leaky_relu: return f(ActTag<Activation::leaky_relu>{});
    case Activation::elu: return f(ActTag<Activation::elu>{});
    case Activation::gelu: return f(ActTag<Activation::gelu>{});
    case Activation::silu: return f(ActTag<Activation::silu>{});
    case Activation::sigmoid: return f(ActTag<Activation::sigmoid>{});
    case Activation::tanh: return f(ActTag<Activation::tanh>{});
  }
}

template <class V, Activation A>
typename V::Reg activate(typename V::Reg x, typename V::Reg param) {
  using T = typename V::T;
  const typename V::Reg zero = V::set1(T(0));
  if constexpr (A == Activation::relu) return V::max(zero, x);  // NaN stays NaN
  if constexpr (A == Activation::leaky_relu) return V::select(V::gt(x, zero), x, V::mul(param, x));
  if constexpr (A == Activation::elu) return V::select(V::gt(x, zero), x, V::mul(param, vec_math::expm1<V>(x)));
  if constexpr (A == Activation::gelu) {
    const typename V::Reg cdf2 = vec_math::erfc<V>(V::mul(x, V::set1(T(-0.70710678118654752440))));
    return V::mul(V::mul(V::set1(T(0.5)), x), cdf2);
  }
  if constexpr (A == Activation::silu) {
    return V::div(x, V::add(V::set1(T(1)), vec_math::exp<V>(V::sub(zero, x))));
  }
  if constexpr (A == Activation::sigmoid) return vec_math::sigmoid<V>(x);
  if constexpr (A == Activation::tanh) return vec_math::tanh<V>(x);
  return x;
}

// act'(x) from the saved output y (the kinds activation_derivative_from_output allows).
template <class V, Activation A>
typename V::Reg derivative_from_output(typename V::Reg y, typename V::Reg param) {
  using T = typename V::T;
  const typename V::Reg zero = V::set1(T(0)), one = V::set1(T(1));
  if constexpr (A == Activation::relu) return V::select(V::gt(y, zero), one, zero);
  if constexpr (A == Activation::leaky_relu) return V::select(V::gt(y, zero), one, param);
  if constexpr (A == Activation::elu) return V::select(V::gt(y, zero), one, V::add(y, param));
  if constexpr (A == Activation::sigmoid) return V::mul(y, V::sub(one, y));
  if constexpr (A == Activation::tanh) return V::fnmadd(y, y, one);
  return one;
}

template <class V, Activation A>
typename V::Reg derivative_from_input(typename V::Reg x, typename V::Reg param) {
  using T = typename V::T;
  using Reg = typename V::Reg;
  const Reg zero = V::set1(T(0)), one = V::set1(T(1));
  if constexpr (A == Activation::relu) return V::select(V::gt(x, zero), one, zero);
  if constexpr (A == Activation::leaky_relu) return V::select(V::gt(x, zero), one, param);
  if constexpr (A == Activation::elu) return V::select(V::gt(x, zero), one, V::mul(param, vec_math::exp<V>(x)));
  if constexpr (A == Activation::gelu) {  // Phi(x) + x*phi(x)
    const Reg cdf = V::mul(V::set1(T(0.5)), vec_math::erfc<V>(V::mul(x, V::set1(T(-0.70710678118654752440)))));
    const Reg pdf = V::mul(V::set1(T(0.39894228040143267794)), vec_math::exp_neg_half_square<V>(x));
    return V::fmadd(x, pdf, cdf);
  }
  if constexpr (A == Activation::silu) {
    const Reg s = vec_math::sigmoid<V>(x);
    return V::mul(s, V::fmadd(x, V::sub(one, s), one));
  }
  if constexpr (A == Activation::sigmoid) {
    const Reg s = vec_math::sigmoid<V>(x);
    return V::mul(s, V::sub(one, s));
  }
  if constexpr (A == Activation::tanh) {
    const Reg t = vec_math::tanh<V>(x);
    return V::fnmadd(t, t, one);
  }
  return one;
}

template <class W>
struct Width {
  using type = W;
};

// Applies f(Width<W>{}, offset, count) over [0, n): two vectors at a time (simd::Pair, so
// that the long chains of the transcendental functions overlap), then one, then the tail
// as a masked vector. f is written once for the vector type W it is handed.
template <class V, typename F>
void for_each_vector(size_t n, F&& f) {
  using P = simd::Pair<V>;
  size_t j = 0;
  for (; j + P::kWidth <= n; j += P::kWidth) f(Width<P>{}, j, P::kWidth);
  for (; j + V::kWidth <= n; j += V::kWidth) f(Width<V>{}, j, V::kWidth);
  if (j < n) f(Width<V>{}, j, n - j);
}

template <class V>
typename V::Reg load_n(const typename V::T* p, size_t n) {
  return n == V::kWidth ? V::load(p) : V::load_first(p, n);
}
template <class V>
void store_n(typename V::T* p, size_t n, typename V::Reg v) {
  if (n == V::kWidth) V::store(p, v); else V::store_first(p, n, v);
}

// c[i, j] = act(c[i, j] + bias[j]) on a rows x cols tile (bias already offset to the tile).
template <class V>
void bias_activation_tile(typename V::T* c, size_t ldc, size_t rows, size_t cols,
                          const typename V::T* bias, Activation act, typename V::T param) {
  if (bias == nullptr && act == Activation::identity) return;
  with_activation(act, [&](auto tag) {
    if (ldc == cols && cols % V::kWidth != 0) {
      // Rows back to back (a narrow output such as 10 classes): bias row by row, then the
      // activation over the tile as one array, so that few vector lanes are masked off.
      if (bias) {
        for (size_t i = 0; i < rows; ++i) {
          for_each_vector<V>(cols, [&](auto w, size_t j, size_t n) {
            using W = typename decltype(w)::type;
            store_n<W>(c + i * ldc + j, n, W::add(load_n<W>(c + i * ldc + j, n), load_n<W>(bias + j, n)));
          });
        }
      }
      if (decltype(tag)::value == Activation::identity) return;
      for_each_vector<V>(rows * cols, [&](auto w, size_t j, size_t n) {
        using W = typename decltype(w)::type;
        store_n<W>(c + j, n, activate<W, decltype(tag)::value>(load_n<W>(c + j, n), W::set1(param)));
      });
      return;
    }
    for (size_t i = 0; i < rows; ++i) {
      typename V::T* row = c + i * ldc;
      for_each_vector<V>(cols, [&](auto w, size_t j, size_t n) {
        using W = typename decltype(w)::type;
        typename W::Reg v = load_n<W>(row + j, n);
        if (bias) v = W::add(v, load_n<W>(bias + j, n));
        store_n<W>(row + j, n, activate<W, decltype(tag)::value>(v, W::set1(param)));
      });
    }
  });
}

// out = dy * act'(.): from y when y != nullptr, else from x.
template <class V>
void activation_backward(Activation act, typename V::T param, const typename V::T* dy,
                         const typename V::T* y, const typename V::T* x, typename V::T* out,
                         size_t count) {
  with_activation(act, [&](auto tag) {
    constexpr Activation A = decltype(tag)::value;
    for_each_vector<V>(count, [&](auto w, size_t i, size_t n) {
      using W = typename decltype(w)::type;
      const typename W::Reg d = y ? derivative_from_output<W, A>(load_n<W>(y + i, n), W::set1(param))
                                  : derivative_from_input<W, A>(load_n<W>(x + i, n), W::set1(param));
      store_n<W>(out + i, n, W::mul(load_n<W>(dy + i, n), d));
    });
  });
}

// out[j] = sum_i dy[i*ld + j], each column summed in row order (same bits as the reference).
template <class V>
void bias_grad(const typename V::T* dy, size_t m, size_t n, size_t ld, typename V::T* out) {
  for_each_vector<V>(n, [&](auto w, size_t j, size_t width) {
    using W = typename decltype(w)::type;
    typename W::Reg acc = W::set1(typename V::T(0));
    for (size_t i = 0; i < m; ++i) acc = W::add(acc, load_n<W>(dy + i * ld + j, width));
    store_n<W>(out + j, width, acc);
  });
}

// out[i] = exp(x[i]), within a few ulp of std::exp (NaN stays NaN, +-inf go to inf and 0).
template <class V>
void exp(const typename V::T* x, typename V::T* out, size_t count) {
  for_each_vector<V>(count, [&](auto w, size_t i, size_t n) {
    using W = typename decltype(w)::type;
    store_n<W>(out + i, n, vec_math::exp<W>(load_n<W>(x + i, n)));
  });
}

}  // namespace activation_simd
}  // namespace myelin

#pragma GCC diagnostic pop
