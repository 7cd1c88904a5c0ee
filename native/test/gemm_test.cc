// GEMM against its scalar reference, for every ISA this CPU has, over an edge-case grid:
// k = 1, m and n below a tile, sizes off the tile grid, all four transposes, padded
// lda/ldb/ldc (padding must stay untouched), alpha/beta variants including beta = 0
// with NaN in C, k = 0, float32 and float64; plus each micro-kernel alone.
#include <algorithm>
#include <cstring>

#include "gemm_microkernel.h"
#include "gemm_pack.h"
#include "test_support.h"

using namespace myelin;
using namespace myelin_test;

namespace {

struct Scalars {
  double alpha, beta;
  bool nan_in_c;
};

template <typename T>
void check_case(Failures& f, Isa isa, bool ta, bool tb, size_t m, size_t n, size_t k, size_t pad,
                Scalars s) {
  const size_t lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
  const size_t a_rows = ta ? k : m, b_rows = tb ? n : k;
  std::vector<T> a = random_vector<T>(a_rows * lda + 1, 1 + m * 7 + k);
  std::vector<T> b = random_vector<T>(b_rows * ldb + 1, 2 + n * 5 + k);
  std::vector<T> c0 = random_vector<T>(m * ldc + 1, 3 + m + n);
  const T sentinel = T(-777.25);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = n; j < ldc; ++j) c0[i * ldc + j] = sentinel;
    if (s.nan_in_c) {
      for (size_t j = 0; j < n; ++j) c0[i * ldc + j] = std::numeric_limits<T>::quiet_NaN();
    }
  }
  c0.back() = sentinel;

  GemmArgs<T> g;
  g.trans_a = ta, g.trans_b = tb, g.m = m, g.n = n, g.k = k;
  g.alpha = static_cast<T>(s.alpha), g.beta = static_cast<T>(s.beta);
  g.a = a.data(), g.lda = lda, g.b = b.data(), g.ldb = ldb, g.ldc = ldc;

  std::vector<T> ref = c0, got = c0, bound = c0;
  g.c = ref.data();
  gemm_reference(g);
  g.c = got.data();
  gemm(g);
  // Error bound: the same product on absolute values, times (k + 2) ulps.
  std::vector<T> abs_a(a), abs_b(b);
  for (T& x : abs_a) x = std::fabs(x);
  for (T& x : abs_b) x = std::fabs(x);
  for (T& x : bound) x = std::isnan(x) ? T(0) : std::fabs(x);
  GemmArgs<T> gb = g;
  gb.a = abs_a.data(), gb.b = abs_b.data(), gb.c = bound.data();
  gb.alpha = std::fabs(g.alpha), gb.beta = std::fabs(g.beta);
  gemm_reference(gb);
  const double eps = std::numeric_limits<T>::epsilon();

  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < ldc; ++j) {
      const size_t at = i * ldc + j;
      if (j >= n) {
        if (!(got[at] == sentinel)) {
          f.report("padding overwritten at (%zu,%zu): got=%g, MxNxK=%zux%zux%zu, isa=%s, %s %s ldc=%zu",
                   i, j, double(got[at]), m, n, k, isa_name(isa), trans_name(ta, tb),
                   dtype_name<T>(), ldc);
        }
        continue;
      }
      const double tol = (double(k) + 2) * eps * double(bound[at]) + 1e-30;
      const bool ok = std::fabs(double(ref[at]) - double(got[at])) <= tol;
      if (!ok) {
        f.report("at (%zu,%zu): ref=%.9g, got=%.9g, MxNxK=%zux%zux%zu, isa=%s, %s %s, "
                 "alpha=%g beta=%g nanC=%d pad=%zu",
                 i, j, double(ref[at]), double(got[at]), m, n, k, isa_name(isa),
                 trans_name(ta, tb), dtype_name<T>(), s.alpha, s.beta, int(s.nan_in_c), pad);
      }
    }
  }
  if (!(got.back() == sentinel)) f.report("wrote past the end of C, isa=%s", isa_name(isa));
}

template <typename T>
void check_grid(Failures& f, Isa isa) {
  // 8, 28: a 12-row tile with 8 or 4 rows left; 40, 150: 32-row column tiles with 8 and 22 left
  const size_t ms[] = {1, 5, 8, 11, 13, 25, 28, 40, 150};
  const size_t ns[] = {1, 7, 10, 16, 17, 33, 70};
  const size_t ks[] = {1, 16, 390};
  const Scalars scalars[] = {{1, 0, true}, {0.5, 2, false}, {-1.5, 1, false}};
  size_t variant = 0;
  for (size_t m : ms) {
    for (size_t n : ns) {
      for (size_t k : ks) {
        for (int t = 0; t < 4; ++t) {
          const Scalars s = scalars[variant % 3];
          const size_t pad = (variant / 3) % 2 ? 3 : 0;
          check_case<T>(f, isa, t & 2, t & 1, m, n, k, pad, s);
          ++variant;
        }
      }
    }
  }
  // Wider than one NC block, taller than one MC block, deeper than one KC block.
  check_case<T>(f, isa, false, false, 300, 1100, 40, 1, {1, 0, true});
  check_case<T>(f, isa, true, true, 301, 530, 800, 2, {0.25, -1, false});
  // A packed (m * k past the in-place limit) with B packed by the first tiles, and B's
  // rows 4 KiB apart (packed by the first tiles as well where the kernels do so, AVX2; by
  // a separate pass elsewhere).
  check_case<T>(f, isa, false, false, 1030, 203, 520, 3, {1, 0.5, false});
  check_case<T>(f, isa, false, false, 40, 1024 / sizeof(T), 700, 0, {1, 0, true});
  // Deep enough for K blocks evened out (float, KC = 384: 3 x 384 + 150 -> 4 x 328).
  check_case<T>(f, isa, false, false, 40, 33, 1302, 1, {1, 0.5, false});
  // A * B^T with fewer rows than columns, computed as its transpose where the ISA does so
  // (see check_nt_transposed_bits): beta != 0 (C transposed in first) and beta = 0 with NaN.
  check_case<T>(f, isa, false, true, 100, 700, 300, 1, {0.5, 2, false});
  check_case<T>(f, isa, false, true, 70, 530, 129, 0, {1, 0, true});
  check_case<T>(f, isa, false, true, 32, 512, 300, 2, {-1, 0.5, false});  // in place of dot products
  // A * B^T with few rows (dot products; split over N when rows are too few for the threads).
  check_case<T>(f, isa, false, true, 32, 70, 600, 1, {1, 0, true});
  check_case<T>(f, isa, false, true, 3, 200, 700, 0, {0.5, 1, false});
  // A narrow output on either side of the dot-product path's depth limit (4096).
  check_case<T>(f, isa, false, false, 19, 10, 4096, 1, {1, 0, true});
  check_case<T>(f, isa, false, true, 19, 10, 4100, 0, {0.5, 1, false});
  // k == 0 and alpha == 0: C = beta*C without reading A or B.
  check_case<T>(f, isa, false, true, 9, 21, 0, 1, {1, 0.5, false});
  check_case<T>(f, isa, false, false, 9, 21, 0, 1, {1, 0, true});
  check_case<T>(f, isa, true, false, 9, 21, 5, 0, {0, 3, false});
}

// A * B^T run as its transpose (gemm_nt_transposed) must give the direct path's bits. Rows
// of C do not depend on each other, so the same product with rows appended to A (enough to
// make the transpose not pay: the direct path) must agree with it bitwise on the first m
// rows; with alpha, beta, a strided C and the bias+activation epilogue.
template <typename T>
void check_nt_transposed_bits(Failures& f, Isa isa) {
  struct Shape { size_t m, n, k, m_direct; };
  const Shape shapes[] = {{128, 512, 784, 1024}, {100, 700, 300, 400}, {70, 530, 129, 600}, {32, 512, 300, 400}};
  for (const Shape& s : shapes) {
    const size_t ldc = s.n + 5;
    const std::vector<T> a = random_vector<T>(s.m_direct * s.k, 51 + s.m), b = random_vector<T>(s.n * s.k, 52 + s.n);
    const std::vector<T> bias = random_vector<T>(s.n, 53);
    const std::vector<T> c0 = random_vector<T>(s.m_direct * ldc, 54);
    for (int variant = 0; variant < 2; ++variant) {
      GemmEpilogue<T> epi;
      epi.bias = bias.data();
      epi.activation = Activation::relu;
      GemmArgs<T> g;
      g.trans_b = true, g.n = s.n, g.k = s.k;
      g.alpha = variant ? T(0.75) : T(1), g.beta = variant ? T(-0.5) : T(0);
      g.a = a.data(), g.lda = s.k, g.b = b.data(), g.ldb = s.k, g.ldc = ldc;
      g.epilogue = variant ? nullptr : &epi;
      std::vector<T> small = c0, direct = c0;
      g.m = s.m, g.c = small.data();
      gemm(g);
      g.m = s.m_direct, g.c = direct.data();
      gemm(g);
      for (size_t at = 0; at < s.m * ldc; ++at) {
        if (std::memcmp(&small[at], &direct[at], sizeof(T)) != 0) {
          f.report("A*B^T %zux%zux%zu at (%zu,%zu): %.9g, with %zu rows %.9g (variant %d), isa=%s %s", s.m, s.n, s.k,
                   at / ldc, at % ldc, double(small[at]), s.m_direct, double(direct[at]), variant, isa_name(isa),
                   dtype_name<T>());
          break;
        }
      }
    }
  }
}

// One micro-kernel alone on random packed panels, for every edge extent mr x nr.
template <typename T>
void check_ukernel(Failures& f, Isa isa, const GemmKernelConfig<T>& cfg) {
  const size_t mr = cfg.mr, nr = cfg.nr, ldc = nr + 5;
  for (size_t kc : {size_t(1), size_t(3), size_t(7), size_t(64)}) {
    std::vector<T> a = random_vector<T>(mr * kc, 11 + kc), b = random_vector<T>(nr * kc, 12 + kc);
    for (size_t rows = 1; rows <= mr; ++rows) {
      for (size_t cols = 1; cols <= nr; cols += (cols < 3 || cols + 2 > nr) ? 1 : nr / 3) {
        for (double beta : {0.0, 1.5}) {
          std::vector<T> c = random_vector<T>(mr * ldc, 13 + rows + cols), ref = c;
          cfg.ukernel(kc, a.data(), b.data(), c.data(), ldc, rows, cols, T(2), T(beta));
          for (size_t i = 0; i < mr; ++i) {
            for (size_t j = 0; j < ldc; ++j) {
              double want = ref[i * ldc + j], bound = std::fabs(want);
              if (i < rows && j < cols) {
                double acc = 0, abs_acc = 0;
                for (size_t p = 0; p < kc; ++p) {
                  acc += double(a[p * mr + i]) * double(b[p * nr + j]);
                  abs_acc += std::fabs(double(a[p * mr + i]) * double(b[p * nr + j]));
                }
                want = 2 * acc + beta * ref[i * ldc + j];
                bound = 2 * abs_acc + std::fabs(beta * ref[i * ldc + j]);
              }
              const double tol = (kc + 2) * std::numeric_limits<T>::epsilon() * bound;
              if (std::fabs(want - double(c[i * ldc + j])) > tol) {
                f.report("%s at (%zu,%zu): ref=%.9g, got=%.9g, tile %zux%zu, kc=%zu, beta=%g, isa=%s",
                         cfg.name, i, j, want, double(c[i * ldc + j]), rows, cols, kc, beta,
                         isa_name(isa));
              }
            }
          }
        }
      }
    }
  }
}

// The kernels that pack B while they compute (GemmUkernelPackB) against the packed kernels
// they stand in for: the same C bits, and the packed panel they leave equal to
// pack_b_panels' (nothing written past it), with A packed and read in place.
template <typename T>
void check_ukernel_pack_b(Failures& f, Isa isa, const GemmKernelConfig<T>& cfg) {
  if (cfg.ukernel_pack_b == nullptr) return;
  const size_t mr = cfg.mr, nr = cfg.nr, ldc = nr + 3, ldb = nr + 9, j0 = 3, lda = 517;
  for (size_t kc : {size_t(1), size_t(3), size_t(4), size_t(7), size_t(64), size_t(385)}) {
    const std::vector<T> b = random_vector<T>(kc * ldb, 41 + kc), a = random_vector<T>(mr * lda, 42 + kc);
    std::vector<T> a_packed(mr * kc), b_packed(nr * kc);
    pack_a_panels(false, a.data(), lda, 0, mr, 0, kc, mr, a_packed.data());
    pack_b_panels(false, b.data(), ldb, 0, kc, j0, nr, nr, b_packed.data());
    for (bool direct : {false, true}) {
      for (double beta : {0.0, 1.5}) {
        const std::vector<T> c0 = random_vector<T>(mr * ldc, 43 + kc);
        std::vector<T> want = c0, got = c0, packed(nr * kc + 1, T(-7));
        if (direct) {
          cfg.ukernel_direct_a(kc, a.data(), lda, b_packed.data(), want.data(), ldc, mr, nr, T(2), T(beta));
          cfg.ukernel_direct_a_pack_b(kc, a.data(), lda, b.data() + j0, ldb, packed.data(), got.data(), ldc, T(2),
                                      T(beta));
        } else {
          cfg.ukernel(kc, a_packed.data(), b_packed.data(), want.data(), ldc, mr, nr, T(2), T(beta));
          cfg.ukernel_pack_b(kc, a_packed.data(), 0, b.data() + j0, ldb, packed.data(), got.data(), ldc, T(2),
                             T(beta));
        }
        if (std::memcmp(want.data(), got.data(), want.size() * sizeof(T)) != 0) {
          f.report("%s packing B in place: C differs from the packed kernel's, kc=%zu, direct A=%d, beta=%g, isa=%s",
                   cfg.name, kc, int(direct), beta, isa_name(isa));
        }
        if (std::memcmp(packed.data(), b_packed.data(), b_packed.size() * sizeof(T)) != 0 || !(packed.back() == T(-7))) {
          f.report("%s packing B in place: the packed panel differs from pack_b_panels', kc=%zu, direct A=%d, isa=%s",
                   cfg.name, kc, int(direct), isa_name(isa));
        }
      }
    }
  }
}

// The packing routines against their definition (a pure copy, so exact), at ragged sizes
// and offsets that leave partial register blocks in both directions, and every panel
// width the kernels use. The GEMM grid above is small enough to read A in place, so this
// is where the transposing A pack is checked.
template <typename T>
void check_packing(Failures& f, Isa isa) {
  const size_t ld = 171, rows = 171, i0 = 3, p0 = 5;  // room for i0 + 150 and p0 + 160 either way
  const std::vector<T> src = random_vector<T>(rows * ld, 31);
  for (size_t width : {4, 6, 8, 12, 16, 24, 32}) {
    for (size_t mc : {1, 4, 7, 12, 13, 29, 150}) {
      for (size_t kc : {1, 4, 7, 8, 9, 33, 160}) {
        for (bool trans : {false, true}) {
          const size_t panels = (mc + width - 1) / width;
          std::vector<T> got(panels * width * kc + 1, T(-7));
          pack_a_panels(trans, src.data(), ld, i0, mc, p0, kc, width, got.data());
          for (size_t q = 0; q < panels * width * kc; ++q) {
            const size_t panel = q / (width * kc), p = q % (width * kc) / width, r = q % width;
            const size_t i = panel * width + r;
            const T want = i >= mc ? T(0) : trans ? src[(p0 + p) * ld + i0 + i] : src[(i0 + i) * ld + p0 + p];
            if (!(got[q] == want)) {
              f.report("pack_a_panels trans=%d width=%zu mc=%zu kc=%zu: (row %zu, depth %zu) = %g, want %g, isa=%s %s",
                       int(trans), width, mc, kc, i, p, double(got[q]), double(want), isa_name(isa), dtype_name<T>());
              break;
            }
          }
          if (!(got.back() == T(-7))) f.report("pack_a_panels wrote past its panels, isa=%s", isa_name(isa));
        }
      }
    }
  }
}

}  // namespace

int main() {
  Failures f;
  for_each_isa([&](Isa isa) {
    const GemmDispatch& d = gemm_dispatch();
    check_ukernel<float>(f, isa, d.f32.wide);
    check_ukernel_pack_b<float>(f, isa, d.f32.wide);
    check_ukernel_pack_b<double>(f, isa, d.f64.wide);
    check_ukernel<float>(f, isa, d.f32.narrow);
    if (d.f32.cols.ukernel != nullptr) check_ukernel<float>(f, isa, d.f32.cols);
    check_ukernel<double>(f, isa, d.f64.wide);
    check_ukernel<double>(f, isa, d.f64.narrow);
    check_grid<float>(f, isa);
    check_grid<double>(f, isa);
    check_packing<float>(f, isa);
    check_packing<double>(f, isa);
    check_nt_transposed_bits<float>(f, isa);
    check_nt_transposed_bits<double>(f, isa);
  });
  return f.exit_code("gemm_test");
}
