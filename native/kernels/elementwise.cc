// The inner loops are written once (templates below) and compiled three times, for the
// baseline, AVX2 and AVX-512 through per-function target attributes, so the compiler
// vectorises each copy for its ISA (as optim_update.cc does); the ISA is the one the GEMM
// dispatch chose (MYELIN_ISA included). Each loop is one IEEE operation per element (or a
// fixed tree of lanes for row sums), so the three copies give the same bits.
#include "elementwise.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "fp_mode.h"
#include "gemm_microkernel.h"
#include "parallel_split.h"

// The row reductions hold their lanes in 32-byte GCC vectors, passed by value only between
// always-inlined helpers: no call crosses an ABI boundary, so GCC's note that such calls
// would differ without AVX does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace myelin {

bool parse_unary_op(const char* name, UnaryOp* out) {
  static const struct { const char* name; UnaryOp op; } table[] = {
      {"neg", UnaryOp::neg},   {"exp", UnaryOp::exp},         {"log", UnaryOp::log},
      {"sqrt", UnaryOp::sqrt}, {"abs", UnaryOp::abs},         {"sin", UnaryOp::sin},
      {"cos", UnaryOp::cos},   {"tanh", UnaryOp::tanh},       {"sigmoid", UnaryOp::sigmoid},
      {"relu", UnaryOp::relu}, {"square", UnaryOp::square},   {"reciprocal", UnaryOp::reciprocal},
      {"sign", UnaryOp::sign}, {"step", UnaryOp::step},       {"copy", UnaryOp::copy}};
  for (const auto& e : table) {
    if (std::strcmp(name, e.name) == 0) return *out = e.op, true;
  }
  return false;
}

bool parse_binary_op(const char* name, BinaryOp* out) {
  static const struct { const char* name; BinaryOp op; } table[] = {
      {"add", BinaryOp::add}, {"sub", BinaryOp::sub}, {"mul", BinaryOp::mul},         {"div", BinaryOp::div},
      {"pow", BinaryOp::pow}, {"maximum", BinaryOp::maximum}, {"minimum", BinaryOp::minimum},
      {"eq", BinaryOp::eq},   {"gt", BinaryOp::gt},   {"lt", BinaryOp::lt},           {"ge", BinaryOp::ge},
      {"le", BinaryOp::le}};
  for (const auto& e : table) {
    if (std::strcmp(name, e.name) == 0) return *out = e.op, true;
  }
  return false;
}

bool parse_reduce_op(const char* name, ReduceOp* out) {
  if (std::strcmp(name, "sum") == 0) return *out = ReduceOp::sum, true;
  if (std::strcmp(name, "max") == 0) return *out = ReduceOp::max, true;
  return false;
}

namespace {

#define MYELIN_INLINE __attribute__((always_inline)) inline

// ---------------------------------------------------------------- scalar definitions
// (the TypeScript backend's, src/backend/js.ts)

template <typename T>
MYELIN_INLINE T nan_of() { return std::numeric_limits<T>::quiet_NaN(); }

template <typename T, typename F>
MYELIN_INLINE void map1(const T* x, T* out, size_t n, F f) {
  for (size_t i = 0; i < n; ++i) out[i] = f(x[i]);
}

// The unary ops other than exp, tanh and sigmoid (which run on the activation kernels).
template <typename T>
MYELIN_INLINE void unary_body(UnaryOp op, const T* x, T* out, size_t n) {
  switch (op) {
    case UnaryOp::neg: return map1(x, out, n, [](T v) { return -v; });
    case UnaryOp::abs: return map1(x, out, n, [](T v) { return std::fabs(v); });
    case UnaryOp::sqrt: return map1(x, out, n, [](T v) { return std::sqrt(v); });
    case UnaryOp::square: return map1(x, out, n, [](T v) { return v * v; });
    case UnaryOp::reciprocal: return map1(x, out, n, [](T v) { return T(1) / v; });
    case UnaryOp::relu: return map1(x, out, n, [](T v) { return v > T(0) ? v : (v == v ? T(0) : v); });
    case UnaryOp::sign:
      return map1(x, out, n, [](T v) { return v > T(0) ? T(1) : v < T(0) ? T(-1) : (v == v ? T(0) : v); });
    case UnaryOp::step: return map1(x, out, n, [](T v) { return v > T(0) ? T(1) : T(0); });
    // libm in double, as JavaScript's Math.log/sin/cos, then rounded once to T.
    case UnaryOp::log: return map1(x, out, n, [](T v) { return T(std::log(double(v))); });
    case UnaryOp::sin: return map1(x, out, n, [](T v) { return T(std::sin(double(v))); });
    case UnaryOp::cos: return map1(x, out, n, [](T v) { return T(std::cos(double(v))); });
    case UnaryOp::copy:
      if (out != x) std::memmove(out, x, n * sizeof(T));
      return;
    case UnaryOp::exp:
    case UnaryOp::tanh:
    case UnaryOp::sigmoid:
      return;  // not here (unary() routes them)
  }
}

// out[i] = f(a[i*sa], b[i*sb]) with the strides the compiler can vectorise spelled out.
template <typename T, typename F>
MYELIN_INLINE void map2(const T* a, size_t sa, const T* b, size_t sb, T* out, size_t n, F f) {
  if (sa == 1 && sb == 1) {
    for (size_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const T s = *b;
    for (size_t i = 0; i < n; ++i) out[i] = f(a[i], s);
  } else if (sa == 0 && sb == 1) {
    const T s = *a;
    for (size_t i = 0; i < n; ++i) out[i] = f(s, b[i]);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = f(a[i * sa], b[i * sb]);
  }
}

template <typename T>
MYELIN_INLINE void binary_body(BinaryOp op, const T* a, size_t sa, const T* b, size_t sb, T* out, size_t n) {
  switch (op) {
    case BinaryOp::add: return map2(a, sa, b, sb, out, n, [](T x, T y) { return x + y; });
    case BinaryOp::sub: return map2(a, sa, b, sb, out, n, [](T x, T y) { return x - y; });
    case BinaryOp::mul: return map2(a, sa, b, sb, out, n, [](T x, T y) { return x * y; });
    case BinaryOp::div: return map2(a, sa, b, sb, out, n, [](T x, T y) { return x / y; });
    // In double, as Math.pow, then rounded once to T.
    case BinaryOp::pow: return map2(a, sa, b, sb, out, n, [](T x, T y) { return T(std::pow(double(x), double(y))); });
    case BinaryOp::maximum:
      return map2(a, sa, b, sb, out, n, [](T x, T y) { return x != x || y != y ? nan_of<T>() : x > y ? x : y; });
    case BinaryOp::minimum:
      return map2(a, sa, b, sb, out, n, [](T x, T y) { return x != x || y != y ? nan_of<T>() : x < y ? x : y; });
    case BinaryOp::eq: return map2(a, sa, b, sb, out, n, [](T x, T y) { return x == y ? T(1) : T(0); });
    case BinaryOp::gt: return map2(a, sa, b, sb, out, n, [](T x, T y) { return x > y ? T(1) : T(0); });
    case BinaryOp::lt: return map2(a, sa, b, sb, out, n, [](T x, T y) { return x < y ? T(1) : T(0); });
    case BinaryOp::ge: return map2(a, sa, b, sb, out, n, [](T x, T y) { return x >= y ? T(1) : T(0); });
    case BinaryOp::le: return map2(a, sa, b, sb, out, n, [](T x, T y) { return x <= y ? T(1) : T(0); });
  }
}

template <typename T>
MYELIN_INLINE void where_body(const T* c, size_t sc, const T* a, size_t sa, const T* b, size_t sb, T* out, size_t n) {
  // c != 0 is true for NaN, as JavaScript's c !== 0.
  if (sc == 1 && sa == 1 && sb == 1) {
    for (size_t i = 0; i < n; ++i) out[i] = c[i] != T(0) ? a[i] : b[i];
  } else if (sc == 1 && sa == 1 && sb == 0) {
    const T s = *b;
    for (size_t i = 0; i < n; ++i) out[i] = c[i] != T(0) ? a[i] : s;
  } else if (sc == 1 && sa == 0 && sb == 1) {
    const T s = *a;
    for (size_t i = 0; i < n; ++i) out[i] = c[i] != T(0) ? s : b[i];
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = c[i * sc] != T(0) ? a[i * sa] : b[i * sb];
  }
}

// Max as the TypeScript backend takes it: a NaN wins and stays. V is T or a Vec32 of T.
template <typename V>
MYELIN_INLINE V max_step(V acc, V v) { return ((v > acc) | (v != v)) ? v : acc; }

struct SumStep {
  template <typename V>
  MYELIN_INLINE V operator()(V acc, V v) const { return acc + v; }
};
struct MaxStep {
  template <typename V>
  MYELIN_INLINE V operator()(V acc, V v) const { return max_step(acc, v); }
};

// 32 bytes of T as one value (GCC's vector extension): an AVX register where the copy is
// compiled for AVX2 or AVX-512, two SSE registers in the baseline copy; the same lanes and
// the same arithmetic either way.
template <typename T>
struct Vec32Of;
template <>
struct Vec32Of<float> {
  typedef float type __attribute__((vector_size(32)));
};
template <>
struct Vec32Of<double> {
  typedef double type __attribute__((vector_size(32)));
};
template <typename T>
using Vec32 = typename Vec32Of<T>::type;

template <typename T>
MYELIN_INLINE Vec32<T> load32(const T* p) {
  Vec32<T> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// One row of run elements folded by `step` (sum or max) through L = 128 / sizeof(T)
// lanes held in four Vec32 registers: element r goes to lane r % L (lane k*W + j is
// register k's element j), then the registers and lanes combine by halves, a fixed order
// whatever the ISA. Lanes start from each block of `block` elements afresh and fold into
// the row's after it: for a sum no lane adds more than block / L + run / block terms (a
// float sum of 2^20 elements errs ~100x less than one sequential chain). The tail goes in
// through a copy padded with init (0 or -inf: adding +0 to a sum that started at +0, or
// taking the max with -inf, changes no lane).
template <typename T, typename Step>
MYELIN_INLINE T fold_row(const T* x, size_t run, T init, size_t block, Step step) {
  constexpr size_t W = 32 / sizeof(T), L = 4 * W;
  const size_t body = run - run % L;
  const Vec32<T> start = Vec32<T>{} + init;  // init in every lane
  Vec32<T> pad[4] = {start, start, start, start};
  std::memcpy(pad, x + body, (run - body) * sizeof(T));
  Vec32<T> t0 = start, t1 = start, t2 = start, t3 = start;
  for (size_t r = 0; r < body;) {
    Vec32<T> a0 = start, a1 = start, a2 = start, a3 = start;
    const size_t stop = std::min(body, r + block);
    for (; r < stop; r += L) {
      a0 = step(a0, load32(x + r)), a1 = step(a1, load32(x + r + W));
      a2 = step(a2, load32(x + r + 2 * W)), a3 = step(a3, load32(x + r + 3 * W));
    }
    t0 = step(t0, a0), t1 = step(t1, a1), t2 = step(t2, a2), t3 = step(t3, a3);
  }
  t0 = step(t0, pad[0]), t1 = step(t1, pad[1]), t2 = step(t2, pad[2]), t3 = step(t3, pad[3]);
  t0 = step(t0, t2), t1 = step(t1, t3);
  t0 = step(t0, t1);
  T lanes[W];
  std::memcpy(lanes, &t0, sizeof t0);
  for (size_t w = W / 2; w >= 1; w /= 2) {
    for (size_t j = 0; j < w; ++j) lanes[j] = step(lanes[j], lanes[j + w]);
  }
  return lanes[0];
}

// Elements a sum's lanes add per block: 64 vectors of lanes.
template <typename T>
constexpr size_t kSumBlock = 64 * 128 / sizeof(T);

template <typename T>
MYELIN_INLINE T reduce_row(ReduceOp op, const T* x, size_t run) {
  // A max takes the whole row as one block (its lanes never round).
  if (op == ReduceOp::sum) return fold_row(x, run, T(0), kSumBlock<T>, SumStep{});
  return fold_row(x, run, -std::numeric_limits<T>::infinity(), run, MaxStep{});
}

template <typename T>
MYELIN_INLINE void reduce_rows_body(ReduceOp op, const T* x, size_t rows, size_t run, T* out) {
  for (size_t o = 0; o < rows; ++o) out[o] = reduce_row(op, x + o * run, run);
}

// out[i] for i in [0, n) over x[r * inner + i], r = 0 .. run-1 in order: the TypeScript
// backend's order and rounding, vectorised across i.
template <typename T>
MYELIN_INLINE void reduce_cols_body(ReduceOp op, const T* x, size_t run, size_t inner, size_t n, T* out) {
  if (op == ReduceOp::sum) {
    for (size_t i = 0; i < n; ++i) out[i] = T(0);
    for (size_t r = 0; r < run; ++r) {
      const T* xr = x + r * inner;
      for (size_t i = 0; i < n; ++i) out[i] += xr[i];
    }
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = -std::numeric_limits<T>::infinity();
    for (size_t r = 0; r < run; ++r) {
      const T* xr = x + r * inner;
      for (size_t i = 0; i < n; ++i) out[i] = max_step(out[i], xr[i]);
    }
  }
}

template <typename T>
MYELIN_INLINE void copy_body(const T* x, size_t sx, T* out, size_t so, size_t n) {
  if (sx == 1 && so == 1) {
    std::memmove(out, x, n * sizeof(T));
  } else if (sx == 0 && so == 1) {
    const T v = *x;
    for (size_t i = 0; i < n; ++i) out[i] = v;
  } else {
    for (size_t i = 0; i < n; ++i) out[i * so] = x[i * sx];
  }
}

// out[i*ob + j] = x[i + j*xa] for i < m, j < len: a transpose, x read down its columns. A
// panel of P rows reads one cache line of x per column and writes P rows of out as P
// streams; the plain loop over out's rows read x lines 2 KiB apart at 512 columns, which
// fall in two L1 sets, and missed on nearly every read.
template <typename T>
void transpose_panel(const T* x, size_t xa, T* out, size_t ob, size_t m, size_t len) {
  constexpr size_t P = 64 / sizeof(T);
  if (m == P) {
    for (size_t j = 0; j < len; ++j) {
      const T* xj = x + j * xa;
      T* oj = out + j;
      for (size_t i = 0; i < P; ++i) oj[i * ob] = xj[i];
    }
    return;
  }
  for (size_t j = 0; j < len; ++j) {
    for (size_t i = 0; i < m; ++i) out[i * ob + j] = x[i + j * xa];
  }
}

// Softmax over rows of run contiguous elements (the last axis).
template <typename T>
MYELIN_INLINE void softmax_rows_body(bool log, const T* x, size_t rows, size_t run, T* out,
                                     void (*exp)(const T*, T*, size_t)) {
  for (size_t o = 0; o < rows; ++o) {
    const T* xr = x + o * run;
    T* yr = out + o * run;
    const T m = reduce_row(ReduceOp::max, xr, run);
    for (size_t r = 0; r < run; ++r) yr[r] = xr[r] - m;
    exp(yr, yr, run);
    const T s = reduce_row(ReduceOp::sum, yr, run);
    if (log) {
      const T lse = T(std::log(double(s)));
      for (size_t r = 0; r < run; ++r) yr[r] = (xr[r] - m) - lse;
    } else {
      for (size_t r = 0; r < run; ++r) yr[r] = yr[r] / s;
    }
  }
}

// Softmax down the columns of one [run, inner] block, each column its own slice; m and s
// are inner-long scratch.
template <typename T>
MYELIN_INLINE void softmax_cols_body(bool log, const T* x, size_t run, size_t inner, T* out, T* m, T* s,
                                     void (*exp)(const T*, T*, size_t)) {
  for (size_t i = 0; i < inner; ++i) m[i] = -std::numeric_limits<T>::infinity(), s[i] = T(0);
  for (size_t r = 0; r < run; ++r) {
    for (size_t i = 0; i < inner; ++i) m[i] = max_step(m[i], x[r * inner + i]);
  }
  for (size_t r = 0; r < run; ++r) {
    for (size_t i = 0; i < inner; ++i) out[r * inner + i] = x[r * inner + i] - m[i];
  }
  exp(out, out, run * inner);
  for (size_t r = 0; r < run; ++r) {
    for (size_t i = 0; i < inner; ++i) s[i] += out[r * inner + i];
  }
  if (log) {
    for (size_t i = 0; i < inner; ++i) s[i] = T(std::log(double(s[i])));
    for (size_t r = 0; r < run; ++r) {
      for (size_t i = 0; i < inner; ++i) out[r * inner + i] = (x[r * inner + i] - m[i]) - s[i];
    }
  } else {
    for (size_t r = 0; r < run; ++r) {
      for (size_t i = 0; i < inner; ++i) out[r * inner + i] = out[r * inner + i] / s[i];
    }
  }
}

// ---------------------------------------------------------------- per-ISA copies

template <typename T>
struct Loops {
  void (*unary)(UnaryOp, const T*, T*, size_t);
  void (*binary)(BinaryOp, const T*, size_t, const T*, size_t, T*, size_t);
  void (*reduce_rows)(ReduceOp, const T*, size_t, size_t, T*);
  void (*reduce_cols)(ReduceOp, const T*, size_t, size_t, size_t, T*);
  void (*copy)(const T*, size_t, T*, size_t, size_t);
  void (*where)(const T*, size_t, const T*, size_t, const T*, size_t, T*, size_t);
  void (*softmax_rows)(bool, const T*, size_t, size_t, T*, void (*)(const T*, T*, size_t));
  void (*softmax_cols)(bool, const T*, size_t, size_t, T*, T*, T*, void (*)(const T*, T*, size_t));
};

#define MYELIN_ELEMENTWISE_LOOPS(SUFFIX, ATTR)                                                             \
  template <typename T>                                                                                    \
  ATTR void unary_##SUFFIX(UnaryOp op, const T* x, T* out, size_t n) {                                     \
    unary_body(op, x, out, n);                                                                             \
  }                                                                                                        \
  template <typename T>                                                                                    \
  ATTR void binary_##SUFFIX(BinaryOp op, const T* a, size_t sa, const T* b, size_t sb, T* out, size_t n) { \
    binary_body(op, a, sa, b, sb, out, n);                                                                 \
  }                                                                                                        \
  template <typename T>                                                                                    \
  ATTR void reduce_rows_##SUFFIX(ReduceOp op, const T* x, size_t rows, size_t run, T* out) {               \
    reduce_rows_body(op, x, rows, run, out);                                                               \
  }                                                                                                        \
  template <typename T>                                                                                    \
  ATTR void reduce_cols_##SUFFIX(ReduceOp op, const T* x, size_t run, size_t inner, size_t n, T* out) {    \
    reduce_cols_body(op, x, run, inner, n, out);                                                           \
  }                                                                                                        \
  template <typename T>                                                                                    \
  ATTR void copy_##SUFFIX(const T* x, size_t sx, T* out, size_t so, size_t n) {                            \
    copy_body(x, sx, out, so, n);                                                                          \
  }                                                                                                        \
  template <typename T>                                                                                    \
  ATTR void where_##SUFFIX(const T* c, size_t sc, const T* a, size_t sa, const T* b, size_t sb, T* out,    \
                           size_t n) {                                                                     \
    where_body(c, sc, a, sa, b, sb, out, n);                                                               \
  }                                                                                                        \
  template <typename T>                                                                                    \
  ATTR void softmax_rows_##SUFFIX(bool log, const T* x, size_t rows, size_t run, T* out,                   \
                                  void (*exp)(const T*, T*, size_t)) {                                     \
    softmax_rows_body(log, x, rows, run, out, exp);                                                        \
  }                                                                                                        \
  template <typename T>                                                                                    \
  ATTR void softmax_cols_##SUFFIX(bool log, const T* x, size_t run, size_t inner, T* out, T* m, T* s,      \
                                  void (*exp)(const T*, T*, size_t)) {                                     \
    softmax_cols_body(log, x, run, inner, out, m, s, exp);                                                 \
  }                                                                                                        \
  template <typename T>                                                                                    \
  Loops<T> loops_##SUFFIX() {                                                                              \
    return {unary_##SUFFIX<T>,        binary_##SUFFIX<T>,      reduce_rows_##SUFFIX<T>,                    \
            reduce_cols_##SUFFIX<T>,  copy_##SUFFIX<T>,        where_##SUFFIX<T>,                          \
            softmax_rows_##SUFFIX<T>, softmax_cols_##SUFFIX<T>};                                           \
  }

MYELIN_ELEMENTWISE_LOOPS(baseline, )
#if defined(__x86_64__)
MYELIN_ELEMENTWISE_LOOPS(avx2, __attribute__((target("avx2,fma"))))
MYELIN_ELEMENTWISE_LOOPS(avx512, __attribute__((target("avx512f,avx512vl,avx512dq,fma"))))
#endif

template <typename T>
const Loops<T>& loops() {
#if defined(__x86_64__)
  static const Loops<T> avx512 = loops_avx512<T>(), avx2 = loops_avx2<T>();
  if (gemm_dispatch().isa == Isa::avx512) return avx512;
  if (gemm_dispatch().isa == Isa::avx2) return avx2;
#endif
  static const Loops<T> baseline = loops_baseline<T>();
  return baseline;
}

// Fewest elements per pool chunk: memory-bound loops hand off only past ~32k elements (as
// the SGD update and relu' do), libm and the activation kernels' exp/tanh past 4k.
constexpr size_t kCheapMinChunk = 32768;
constexpr size_t kCostlyMinChunk = 4096;

// ---------------------------------------------------------------- strided walks

// A shape and K operands' strides with the size-1 dims dropped and every pair of adjacent
// dims merged where each operand steps through them as one (so a contiguous tensor is one
// dim, and [128,512] + [512] is a contiguous row against a broadcast one).
template <size_t K>
struct Walk {
  size_t nd = 0, total = 1;
  size_t shape[kMaxDims];
  size_t strides[K][kMaxDims];
};

template <size_t K>
Walk<K> collapse(const size_t* shape, size_t ndim, const size_t* const* strides) {
  Walk<K> w;
  for (size_t d = 0; d < ndim; ++d) {
    w.total *= shape[d];
    if (shape[d] == 1) continue;
    bool merge = w.nd > 0;
    for (size_t k = 0; k < K && merge; ++k) merge = strides[k][d] * shape[d] == w.strides[k][w.nd - 1];
    if (merge) {
      // The new inner dim d steps by its own strides; the merged dim spans both.
      w.shape[w.nd - 1] *= shape[d];
      for (size_t k = 0; k < K; ++k) w.strides[k][w.nd - 1] = strides[k][d];
      continue;
    }
    w.shape[w.nd] = shape[d];
    for (size_t k = 0; k < K; ++k) w.strides[k][w.nd] = strides[k][d];
    ++w.nd;
  }
  if (w.nd == 0) {  // a single element
    w.nd = 1, w.shape[0] = 1;
    for (size_t k = 0; k < K; ++k) w.strides[k][0] = 0;
  }
  return w;
}

// Calls fn(offsets, n) for the runs of the innermost dim that make up elements [begin,
// end) in row-major order: offsets[k] is operand k's offset of the run's first element.
template <size_t K, typename F>
void walk_range(const Walk<K>& w, size_t begin, size_t end, const F& fn) {
  const size_t last = w.nd - 1, len = w.shape[last];
  size_t idx[kMaxDims];
  size_t row = begin / len, col = begin % len;
  size_t base[K];  // offset of the current row's first element
  for (size_t k = 0; k < K; ++k) base[k] = 0;
  for (size_t d = last; d-- > 0;) {
    idx[d] = row % w.shape[d];
    row /= w.shape[d];
    for (size_t k = 0; k < K; ++k) base[k] += idx[d] * w.strides[k][d];
  }
  for (size_t pos = begin; pos < end;) {
    const size_t n = std::min(len - col, end - pos);
    size_t off[K];
    for (size_t k = 0; k < K; ++k) off[k] = base[k] + col * w.strides[k][last];
    fn(off, n);
    pos += n;
    col = 0;
    for (size_t d = last; d-- > 0;) {
      for (size_t k = 0; k < K; ++k) base[k] += w.strides[k][d];
      if (++idx[d] < w.shape[d]) break;
      for (size_t k = 0; k < K; ++k) base[k] -= w.strides[k][d] * w.shape[d];
      idx[d] = 0;
    }
  }
}

}  // namespace

// ---------------------------------------------------------------- entry points

template <typename T>
void activation_forward(Activation act, T param, const T* x, T* out, size_t n) {
  // FTZ as in the Linear epilogue, on the caller too: pool threads always flush.
  const ScopedFlushDenormals ftz;
  const auto tile = activation_kernels<T>().bias_activation_tile;
  parallel_split(n, act == Activation::relu || act == Activation::identity ? kCheapMinChunk : kCostlyMinChunk,
                 [&](size_t b, size_t e) {
                   // In place on out, a block at a time so the copy is still in L1.
                   constexpr size_t kBlock = 2048;
                   for (size_t i = b; i < e; i += kBlock) {
                     const size_t m = std::min(kBlock, e - i);
                     if (out != x) std::memcpy(out + i, x + i, m * sizeof(T));
                     tile(out + i, m, 1, m, nullptr, act, param);
                   }
                 });
}

template <typename T>
void unary(UnaryOp op, const T* x, T* out, size_t n) {
  if (op == UnaryOp::tanh) return activation_forward(Activation::tanh, T(0), x, out, n);
  if (op == UnaryOp::sigmoid) return activation_forward(Activation::sigmoid, T(0), x, out, n);
  if (op == UnaryOp::exp) {
    const ScopedFlushDenormals ftz;
    const auto exp = activation_kernels<T>().exp;
    parallel_split(n, kCostlyMinChunk, [&](size_t b, size_t e) { exp(x + b, out + b, e - b); });
    return;
  }
  const bool costly = op == UnaryOp::log || op == UnaryOp::sin || op == UnaryOp::cos;
  const auto loop = loops<T>().unary;
  parallel_split(n, costly ? kCostlyMinChunk : kCheapMinChunk, [&](size_t b, size_t e) {
    const ScopedKeepDenormals ieee;
    loop(op, x + b, out + b, e - b);
  });
}

template <typename T>
void binary(BinaryOp op, const T* a, const size_t* a_strides, const T* b, const size_t* b_strides, T* out,
            const size_t* shape, size_t ndim) {
  const size_t* strides[2] = {a_strides, b_strides};
  const Walk<2> w = collapse<2>(shape, ndim, strides);
  if (w.total == 0) return;
  const auto loop = loops<T>().binary;
  parallel_split(w.total, op == BinaryOp::pow ? kCostlyMinChunk : kCheapMinChunk, [&](size_t begin, size_t end) {
    const ScopedKeepDenormals ieee;
    const size_t last = w.nd - 1;
    size_t pos = begin;
    walk_range(w, begin, end, [&](const size_t* off, size_t n) {
      loop(op, a + off[0], w.strides[0][last], b + off[1], w.strides[1][last], out + pos, n);
      pos += n;
    });
  });
}

template <typename T>
void where(const T* cond, const size_t* cond_strides, const T* a, const size_t* a_strides, const T* b,
           const size_t* b_strides, T* out, const size_t* shape, size_t ndim) {
  const size_t* strides[3] = {cond_strides, a_strides, b_strides};
  const Walk<3> w = collapse<3>(shape, ndim, strides);
  if (w.total == 0) return;
  const auto loop = loops<T>().where;
  parallel_split(w.total, kCheapMinChunk, [&](size_t begin, size_t end) {
    const ScopedKeepDenormals ieee;  // a denormal condition is true
    const size_t last = w.nd - 1;
    size_t pos = begin;
    walk_range(w, begin, end, [&](const size_t* off, size_t n) {
      loop(cond + off[0], w.strides[0][last], a + off[1], w.strides[1][last], b + off[2], w.strides[2][last],
           out + pos, n);
      pos += n;
    });
  });
}

template <typename T>
void reduce(ReduceOp op, const T* x, size_t outer, size_t run, size_t inner, T* out) {
  const size_t outputs = outer * inner;
  if (outputs == 0) return;
  const Loops<T>& l = loops<T>();
  // Chunks of outputs, each output reduced whole by one thread: enough outputs per chunk
  // that a chunk reads kCheapMinChunk elements.
  const size_t min_outputs = std::max<size_t>(1, kCheapMinChunk / std::max<size_t>(run, 1));
  if (inner == 1) {
    parallel_split(outer, min_outputs, [&](size_t b, size_t e) {
      const ScopedKeepDenormals ieee;
      l.reduce_rows(op, x + b * run, e - b, run, out + b);
    });
    return;
  }
  parallel_split(outputs, min_outputs, [&](size_t begin, size_t end) {
    const ScopedKeepDenormals ieee;
    for (size_t p = begin; p < end;) {
      const size_t o = p / inner, i = p % inner, n = std::min(inner - i, end - p);
      l.reduce_cols(op, x + o * run * inner + i, run, inner, n, out + p);
      p += n;
    }
  });
}

template <typename T>
void softmax(bool log, const T* x, size_t outer, size_t run, size_t inner, T* out) {
  if (outer == 0 || run == 0 || inner == 0) return;
  const ScopedFlushDenormals ftz;  // as the exp kernel runs everywhere (pool threads always flush)
  const Loops<T>& l = loops<T>();
  const auto exp = activation_kernels<T>().exp;
  const size_t min_blocks = std::max<size_t>(1, kCostlyMinChunk / (run * inner));
  if (inner == 1) {
    parallel_split(outer, min_blocks, [&](size_t b, size_t e) { l.softmax_rows(log, x + b * run, e - b, run, out + b * run, exp); });
    return;
  }
  parallel_split(outer, min_blocks, [&](size_t b, size_t e) {
    std::vector<T> scratch(2 * inner);
    for (size_t o = b; o < e; ++o) {
      l.softmax_cols(log, x + o * run * inner, run, inner, out + o * run * inner, scratch.data(), scratch.data() + inner, exp);
    }
  });
}

template <typename T>
void copy_strided(const T* x, const size_t* x_strides, T* out, const size_t* out_strides, const size_t* shape,
                  size_t ndim) {
  const size_t* strides[2] = {x_strides, out_strides};
  const Walk<2> w = collapse<2>(shape, ndim, strides);
  if (w.total == 0) return;
  const size_t last = w.nd - 1;
  if (w.nd >= 2 && w.strides[1][last] == 1 && w.strides[0][last] > 1 && w.strides[0][last - 1] == 1) {
    // The last two dims transposed (x contiguous along the other one): panels of P rows.
    constexpr size_t P = 64 / sizeof(T);
    const size_t m = w.shape[last - 1], len = w.shape[last], xa = w.strides[0][last], ob = w.strides[1][last - 1];
    const size_t panels = (m + P - 1) / P, blocks = w.total / (m * len);
    parallel_split(blocks * panels, std::max<size_t>(1, kCheapMinChunk / (P * len)), [&](size_t begin, size_t end) {
      for (size_t u = begin; u < end; ++u) {
        size_t block = u / panels, xo = 0, oo = 0;
        for (size_t d = last - 1; d-- > 0;) {
          const size_t i = block % w.shape[d];
          block /= w.shape[d];
          xo += i * w.strides[0][d], oo += i * w.strides[1][d];
        }
        const size_t i0 = (u % panels) * P;
        transpose_panel(x + xo + i0, xa, out + oo + i0 * ob, ob, std::min(P, m - i0), len);
      }
    });
    return;
  }
  const auto loop = loops<T>().copy;
  parallel_split(w.total, kCheapMinChunk, [&](size_t begin, size_t end) {
    walk_range(w, begin, end, [&](const size_t* off, size_t n) {
      loop(x + off[0], w.strides[0][last], out + off[1], w.strides[1][last], n);
    });
  });
}

#define MYELIN_INSTANTIATE(T)                                                                              \
  template void unary<T>(UnaryOp, const T*, T*, size_t);                                                   \
  template void activation_forward<T>(Activation, T, const T*, T*, size_t);                                \
  template void binary<T>(BinaryOp, const T*, const size_t*, const T*, const size_t*, T*, const size_t*,   \
                          size_t);                                                                         \
  template void reduce<T>(ReduceOp, const T*, size_t, size_t, size_t, T*);                                 \
  template void softmax<T>(bool, const T*, size_t, size_t, size_t, T*);                                    \
  template void where<T>(const T*, const size_t*, const T*, const size_t*, const T*, const size_t*, T*,     \
                         const size_t*, size_t);                                                           \
  template void copy_strided<T>(const T*, const size_t*, T*, const size_t*, const size_t*, size_t);
MYELIN_INSTANTIATE(float)
MYELIN_INSTANTIATE(double)

}  // namespace myelin
