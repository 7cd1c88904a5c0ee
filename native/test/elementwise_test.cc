// The general elementwise kernels (elementwise.h) for every ISA against naive loops over
// the multi-index: binary ops and where over broadcast and permuted strides (up to 5 dims,
// size-0 and size-1 dims, sizes past the pool's split), unary ops, reductions over
// [outer, run, inner], softmax along any axis and strided copies. Bits must match the
// naive loops wherever elementwise.h promises them, and the row sums must give the same
// bits on every ISA.
#include <algorithm>
#include <cstring>
#include <numeric>

#include "elementwise.h"
#include "fp_mode.h"
#include "test_support.h"

using namespace myelin;
using namespace myelin_test;

namespace {

template <typename T>
bool same(T a, T b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof(T)) == 0;
}

// Values with NaN, infinities, signed zeros, denormals and equal pairs planted.
template <typename T>
std::vector<T> awkward(size_t n, uint32_t seed) {
  std::vector<T> v = random_vector<T>(n, seed, T(-3), T(3));
  using L = std::numeric_limits<T>;
  const T special[] = {L::quiet_NaN(), L::infinity(), -L::infinity(), T(0), -T(0), L::denorm_min(), -L::min() / 4,
                       T(1), T(-1), T(2)};
  for (size_t k = 0; k < sizeof special / sizeof special[0] && k * 3 < n; ++k) v[(k * 7919 + seed) % n] = special[k];
  return v;
}

template <typename T>
T binary_ref(BinaryOp op, T a, T b) {
  const T nan = std::numeric_limits<T>::quiet_NaN();
  switch (op) {
    case BinaryOp::add: return a + b;
    case BinaryOp::sub: return a - b;
    case BinaryOp::mul: return a * b;
    case BinaryOp::div: return a / b;
    case BinaryOp::pow: return T(std::pow(double(a), double(b)));
    case BinaryOp::maximum: return std::isnan(a) || std::isnan(b) ? nan : (a > b ? a : b);
    case BinaryOp::minimum: return std::isnan(a) || std::isnan(b) ? nan : (a < b ? a : b);
    case BinaryOp::eq: return a == b;
    case BinaryOp::gt: return a > b;
    case BinaryOp::lt: return a < b;
    case BinaryOp::ge: return a >= b;
    case BinaryOp::le: return a <= b;
  }
  return nan;
}

const BinaryOp kBinaryOps[] = {BinaryOp::add, BinaryOp::sub, BinaryOp::mul, BinaryOp::div, BinaryOp::pow, BinaryOp::maximum,
                               BinaryOp::minimum, BinaryOp::eq, BinaryOp::gt, BinaryOp::lt, BinaryOp::ge, BinaryOp::le};

// Calls f(flat index, multi-index) over shape in row-major order.
template <typename F>
void for_each_index(const std::vector<size_t>& shape, F f) {
  const size_t total = std::accumulate(shape.begin(), shape.end(), size_t(1), std::multiplies<size_t>());
  std::vector<size_t> idx(shape.size(), 0);
  for (size_t flat = 0; flat < total; ++flat) {
    f(flat, idx);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

size_t offset_of(const std::vector<size_t>& idx, const std::vector<size_t>& strides) {
  size_t o = 0;
  for (size_t d = 0; d < idx.size(); ++d) o += idx[d] * strides[d];
  return o;
}

std::vector<size_t> contiguous(const std::vector<size_t>& shape) {
  std::vector<size_t> s(shape.size());
  size_t step = 1;
  for (size_t d = shape.size(); d-- > 0;) s[d] = step, step *= shape[d];
  return s;
}

size_t extent(const std::vector<size_t>& shape, const std::vector<size_t>& strides) {
  size_t last = 0;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) return 0;
    last += (shape[d] - 1) * strides[d];
  }
  return last + 1;
}

struct StridedCase {
  std::vector<size_t> shape, a_strides, b_strides;
};

std::vector<StridedCase> strided_cases() {
  return {
      {{70001}, {1}, {1}},                  // split over the pool
      {{1001}, {1}, {0}},                   // a scalar operand
      {{1001}, {0}, {1}},
      {{128, 512}, {512, 1}, {0, 1}},       // a bias row
      {{128, 512}, {512, 1}, {1, 0}},       // a column
      {{300, 250}, {1, 0}, {0, 1}},         // an outer product of broadcasts
      {{37, 300}, {1, 37}, {300, 1}},       // a transposed operand
      {{3, 4, 5}, {5, 0, 1}, {0, 5, 1}},
      {{2, 3, 4, 5}, {60, 20, 5, 1}, {0, 5, 0, 1}},
      {{7, 1, 2, 6, 9}, {9, 0, 0, 0, 1}, {0, 0, 54, 9, 1}},
      {{260, 3, 130}, {1, 260 * 130, 260}, {390, 130, 1}},  // a permuted 3-d operand, past the split
      {{6, 5, 40}, {200, 40, 1}, {0, 0, 1}},  // two broadcast dims that merge
      {{6, 5, 40}, {0, 0, 1}, {200, 40, 1}},
      {{4, 0, 3}, {3, 0, 1}, {0, 0, 1}},    // empty
      {{1, 1}, {0, 0}, {0, 0}},             // one element
  };
}

template <typename T>
void check_binary(Failures& f, Isa isa) {
  for (const StridedCase& c : strided_cases()) {
    const std::vector<T> a = awkward<T>(std::max<size_t>(1, extent(c.shape, c.a_strides)), 3);
    const std::vector<T> b = awkward<T>(std::max<size_t>(1, extent(c.shape, c.b_strides)), 4);
    const size_t total = std::accumulate(c.shape.begin(), c.shape.end(), size_t(1), std::multiplies<size_t>());
    for (BinaryOp op : kBinaryOps) {
      std::vector<T> got(total + 1, T(-7));  // one past the end must stay untouched
      binary(op, a.data(), c.a_strides.data(), b.data(), c.b_strides.data(), got.data(), c.shape.data(), c.shape.size());
      size_t bad = 0;
      for_each_index(c.shape, [&](size_t flat, const std::vector<size_t>& idx) {
        const T want = binary_ref(op, a[offset_of(idx, c.a_strides)], b[offset_of(idx, c.b_strides)]);
        if (!same(want, got[flat]) && bad++ == 0) {
          f.report("binary op %d at %zu of %zu elements (%zu dims): want %.9g got %.9g (isa=%s %s)", int(op), flat,
                   total, c.shape.size(), double(want), double(got[flat]), isa_name(isa), dtype_name<T>());
        }
      });
      if (got[total] != T(-7)) f.report("binary op %d wrote past the end (isa=%s)", int(op), isa_name(isa));
    }
  }
  // In place on a contiguous operand, as the in-place ops call it.
  std::vector<T> x = awkward<T>(70001, 5), y = awkward<T>(70001, 6), want(70001);
  for (size_t i = 0; i < x.size(); ++i) want[i] = x[i] * y[i];
  const size_t one = 1, n = x.size();
  binary(BinaryOp::mul, x.data(), &one, y.data(), &one, x.data(), &n, 1);
  for (size_t i = 0; i < n; ++i) {
    if (!same(want[i], x[i])) {
      f.report("in-place mul at %zu: want %.9g got %.9g (isa=%s)", i, double(want[i]), double(x[i]), isa_name(isa));
      break;
    }
  }
}

template <typename T>
void check_where(Failures& f, Isa isa) {
  for (const StridedCase& c : strided_cases()) {
    // The condition broadcast like b, with zeros, NaN and denormals (all but zero select a).
    std::vector<T> cond = awkward<T>(std::max<size_t>(1, extent(c.shape, c.b_strides)), 12);
    for (size_t i = 0; i < cond.size(); i += 3) cond[i] = T(0);
    const std::vector<T> a = awkward<T>(std::max<size_t>(1, extent(c.shape, c.a_strides)), 13);
    const std::vector<T> b = awkward<T>(std::max<size_t>(1, extent(c.shape, c.a_strides)), 14);
    const size_t total = std::accumulate(c.shape.begin(), c.shape.end(), size_t(1), std::multiplies<size_t>());
    std::vector<T> got(total + 1, T(-7));
    where(cond.data(), c.b_strides.data(), a.data(), c.a_strides.data(), b.data(), c.a_strides.data(), got.data(),
          c.shape.data(), c.shape.size());
    size_t bad = 0;
    for_each_index(c.shape, [&](size_t flat, const std::vector<size_t>& idx) {
      const T cv = cond[offset_of(idx, c.b_strides)];
      const T want = !(cv == T(0)) ? a[offset_of(idx, c.a_strides)] : b[offset_of(idx, c.a_strides)];
      if (!same(want, got[flat]) && bad++ == 0) {
        f.report("where at %zu of %zu: cond %.9g want %.9g got %.9g (isa=%s %s)", flat, total, double(cv), double(want),
                 double(got[flat]), isa_name(isa), dtype_name<T>());
      }
    });
    if (got[total] != T(-7)) f.report("where wrote past the end (isa=%s)", isa_name(isa));
  }
}

template <typename T>
void check_unary(Failures& f, Isa isa) {
  const UnaryOp exact[] = {UnaryOp::neg, UnaryOp::log, UnaryOp::sqrt, UnaryOp::abs, UnaryOp::sin, UnaryOp::cos,
                           UnaryOp::relu, UnaryOp::square, UnaryOp::reciprocal, UnaryOp::sign, UnaryOp::step, UnaryOp::copy};
  for (size_t n : {size_t(1), size_t(37), size_t(70001)}) {
    const std::vector<T> x = awkward<T>(n, 8 + uint32_t(n));
    for (UnaryOp op : exact) {
      std::vector<T> got(n);
      unary(op, x.data(), got.data(), n);
      for (size_t i = 0; i < n; ++i) {
        const T v = x[i];
        T want;
        switch (op) {
          case UnaryOp::neg: want = -v; break;
          case UnaryOp::log: want = T(std::log(double(v))); break;
          case UnaryOp::sqrt: want = std::sqrt(v); break;
          case UnaryOp::abs: want = std::fabs(v); break;
          case UnaryOp::sin: want = T(std::sin(double(v))); break;
          case UnaryOp::cos: want = T(std::cos(double(v))); break;
          case UnaryOp::relu: want = v > 0 ? v : (std::isnan(v) ? v : T(0)); break;
          case UnaryOp::square: want = v * v; break;
          case UnaryOp::reciprocal: want = T(1) / v; break;
          case UnaryOp::sign: want = v > 0 ? T(1) : v < 0 ? T(-1) : (std::isnan(v) ? v : T(0)); break;
          case UnaryOp::step: want = v > 0 ? T(1) : T(0); break;
          default: want = v; break;
        }
        if (!same(want, got[i])) {
          f.report("unary op %d at %zu of %zu: x=%.9g want %.9g got %.9g (isa=%s %s)", int(op), i, n, double(v),
                   double(want), double(got[i]), isa_name(isa), dtype_name<T>());
          break;
        }
      }
    }
    // The activation kernels' exp, tanh, sigmoid: a few ulp of libm (denormal results flushed).
    const double eps = std::numeric_limits<T>::epsilon(), tiny = double(std::numeric_limits<T>::min());
    for (UnaryOp op : {UnaryOp::exp, UnaryOp::tanh, UnaryOp::sigmoid}) {
      std::vector<T> got(n);
      unary(op, x.data(), got.data(), n);
      for (size_t i = 0; i < n; ++i) {
        const double v = x[i];
        const double want = op == UnaryOp::exp ? std::exp(v) : op == UnaryOp::tanh ? std::tanh(v) : 1 / (1 + std::exp(-v));
        const double g = got[i];
        const bool ok = (std::isnan(want) && std::isnan(g)) || (std::isinf(want) && want == g) ||
                        std::fabs(g - want) <= 8 * eps * std::fabs(want) + tiny;
        if (!ok) {
          f.report("unary op %d at x=%.9g: want %.12g got %.12g (isa=%s %s)", int(op), v, want, g, isa_name(isa),
                   dtype_name<T>());
          break;
        }
      }
    }
  }
}

// Row sums for every ISA compared with the first ISA's: the lanes' order is fixed.
template <typename T>
std::vector<T>& first_isa_row_sums() {
  static std::vector<T> sums;
  return sums;
}

template <typename T>
void check_reduce(Failures& f, Isa isa) {
  const size_t shapes[][3] = {{1, 70001, 1}, {300, 700, 1}, {3, 17, 1}, {5, 1, 3}, {1, 300, 700}, {40, 33, 70},
                              {2, 0, 3}, {4, 5, 0}, {1, 1, 1}, {1, 4099, 1}};
  for (const auto& s : shapes) {
    const size_t outer = s[0], run = s[1], inner = s[2];
    std::vector<T> x = random_vector<T>(std::max<size_t>(1, outer * run * inner), uint32_t(outer + run + inner), T(-2), T(2));
    if (x.size() > 100) x[x.size() / 2] = std::numeric_limits<T>::quiet_NaN();
    for (ReduceOp op : {ReduceOp::sum, ReduceOp::max}) {
      std::vector<T> got(outer * inner + 1, T(-7));
      reduce(op, x.data(), outer, run, inner, got.data());
      if (got[outer * inner] != T(-7)) f.report("reduce wrote past the end (isa=%s)", isa_name(isa));
      for (size_t o = 0; o < outer; ++o) {
        for (size_t i = 0; i < inner; ++i) {
          // The sequential order: exact for max and for inner > 1.
          T seq = op == ReduceOp::sum ? T(0) : -std::numeric_limits<T>::infinity();
          long double exact = 0, mag = 0;
          bool nan = false;
          for (size_t r = 0; r < run; ++r) {
            const T v = x[(o * run + r) * inner + i];
            nan |= std::isnan(v);
            if (op == ReduceOp::sum) seq += v, exact += v, mag += std::fabs(v);
            else if (v > seq || std::isnan(v)) seq = v;
          }
          const T g = got[o * inner + i];
          bool ok;
          if (op == ReduceOp::max || inner > 1 || run <= 1) ok = same(seq, g);
          else if (nan) ok = std::isnan(g);
          else ok = std::fabs(double(g - exact)) <= 2 * double(mag) * std::numeric_limits<T>::epsilon() * std::sqrt(double(run));
          if (!ok) {
            f.report("reduce %s over [%zu,%zu,%zu] at (%zu,%zu): sequential %.12g got %.12g (isa=%s %s)",
                     op == ReduceOp::sum ? "sum" : "max", outer, run, inner, o, i, double(seq), double(g),
                     isa_name(isa), dtype_name<T>());
            o = outer;
            break;
          }
        }
      }
    }
  }
  // Row sums of awkward lengths (tails of every size, several blocks), bit-compared across ISAs.
  std::vector<T> sums;
  for (size_t run = 1; run < 300; run += 7) {
    const std::vector<T> x = random_vector<T>(run, uint32_t(run), T(-1), T(1));
    T out;
    reduce(ReduceOp::sum, x.data(), 1, run, 1, &out);
    sums.push_back(out);
  }
  const std::vector<T> big = random_vector<T>(100003, 99, T(0), T(1));
  T out;
  reduce(ReduceOp::sum, big.data(), 1, big.size(), 1, &out);
  sums.push_back(out);
  std::vector<T>& first = first_isa_row_sums<T>();
  if (first.empty()) first = sums;
  for (size_t i = 0; i < sums.size(); ++i) {
    if (!same(first[i], sums[i])) {
      f.report("row sum %zu differs from the first ISA's: %.17g against %.17g (isa=%s %s)", i, double(sums[i]),
               double(first[i]), isa_name(isa), dtype_name<T>());
      break;
    }
  }
}

template <typename T>
void check_softmax(Failures& f, Isa isa) {
  const size_t shapes[][3] = {{1, 70001, 1}, {300, 700, 1}, {128, 10, 1}, {3, 50, 40}, {1, 200, 400}, {5, 1, 7}, {2, 0, 3}};
  const double eps = std::numeric_limits<T>::epsilon();
  for (const auto& sh : shapes) {
    const size_t outer = sh[0], run = sh[1], inner = sh[2], n = outer * run * inner;
    std::vector<T> x = random_vector<T>(std::max<size_t>(n, 1), uint32_t(run + inner), T(-6), T(6));
    if (n > 1000) x[3] = T(80), x[4] = T(-1000), x[n - 1] = std::numeric_limits<T>::quiet_NaN();
    for (bool log : {false, true}) {
      std::vector<T> got(n + 1, T(-7));
      softmax(log, x.data(), outer, run, inner, got.data());
      if (got[n] != T(-7)) f.report("softmax wrote past the end (isa=%s)", isa_name(isa));
      bool reported = false;
      for (size_t o = 0; o < outer && !reported; ++o) {
        for (size_t i = 0; i < inner && !reported; ++i) {
          long double m = -INFINITY, s = 0;
          bool nan = false;
          for (size_t r = 0; r < run; ++r) {
            const T v = x[(o * run + r) * inner + i];
            nan |= std::isnan(v);
            m = std::max<long double>(m, v);
          }
          for (size_t r = 0; r < run; ++r) s += std::exp((long double)x[(o * run + r) * inner + i] - m);
          for (size_t r = 0; r < run && !reported; ++r) {
            const size_t k = (o * run + r) * inner + i;
            const long double d = (long double)x[k] - m;
            const double want = double(log ? d - std::log(s) : std::exp(d) / s);
            const double g = got[k];
            const bool ok = nan ? std::isnan(g) : std::fabs(g - want) <= 16 * eps * (1 + std::fabs(want));
            if (!ok) {
              f.report("%s over [%zu,%zu,%zu] at (%zu,%zu,%zu): want %.12g got %.12g (isa=%s %s)", log ? "logSoftmax" : "softmax",
                       outer, run, inner, o, r, i, want, g, isa_name(isa), dtype_name<T>());
              reported = true;
            }
          }
        }
      }
    }
  }
}

template <typename T>
void check_copy(Failures& f, Isa isa) {
  const std::vector<size_t> shape = {31, 40, 57};
  const std::vector<size_t> xs = contiguous(shape);
  const std::vector<T> x = awkward<T>(31 * 40 * 57, 10);
  const size_t perms[][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  for (const auto& p : perms) {
    const std::vector<size_t> out_shape = {shape[p[0]], shape[p[1]], shape[p[2]]};
    const std::vector<size_t> read = {xs[p[0]], xs[p[1]], xs[p[2]]}, os = contiguous(out_shape);
    std::vector<T> got(x.size());
    copy_strided(x.data(), read.data(), got.data(), os.data(), out_shape.data(), 3);
    size_t bad = 0;
    for_each_index(out_shape, [&](size_t flat, const std::vector<size_t>& idx) {
      if (!same(x[offset_of(idx, read)], got[flat]) && bad++ == 0) {
        f.report("copy_strided perm %zu%zu%zu at %zu (isa=%s %s)", p[0], p[1], p[2], flat, isa_name(isa), dtype_name<T>());
      }
    });
  }
  // A [20, 30] block into rows 5.. at column 7 of a [40, 50] tensor: the rest untouched.
  std::vector<T> big(40 * 50, T(-7));
  const size_t block[] = {20, 30}, src_strides[] = {30, 1}, dst_strides[] = {50, 1};
  copy_strided(x.data(), src_strides, big.data() + 5 * 50 + 7, dst_strides, block, 2);
  for (size_t r = 0; r < 40; ++r) {
    for (size_t c = 0; c < 50; ++c) {
      const bool inside = r >= 5 && r < 25 && c >= 7 && c < 37;
      const T want = inside ? x[(r - 5) * 30 + (c - 7)] : T(-7);
      if (!same(want, big[r * 50 + c])) {
        f.report("copy_strided block at (%zu,%zu) (isa=%s %s)", r, c, isa_name(isa), dtype_name<T>());
        r = 40;
        break;
      }
    }
  }
}

}  // namespace

int main() {
  Failures f;
  for_each_isa([&](Isa isa) {
    check_binary<float>(f, isa);
    check_binary<double>(f, isa);
    check_where<float>(f, isa);
    check_where<double>(f, isa);
    check_unary<float>(f, isa);
    check_unary<double>(f, isa);
    check_reduce<float>(f, isa);
    check_reduce<double>(f, isa);
    check_softmax<float>(f, isa);
    check_softmax<double>(f, isa);
    check_copy<float>(f, isa);
    check_copy<double>(f, isa);
  });
  return f.exit_code("elementwise_test");
}
