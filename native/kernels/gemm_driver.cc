// Portable part of GEMM, BLIS/Goto style: cache blocking, packing, the split over
// threads, and calls into the per-ISA micro-kernel chosen by gemm_dispatch().
//
// Loop nest (inside one thread's share of C):
//   jc over N by NC      B block kc x nc packed once, stays in L2
//    pc over K by KC     beta applies on the first K block only; epilogue after the last
//     ic over M by MC    A block mc x kc packed
//      ir over MC by MR  A micro-panel (MR x KC) stays in L1 across the jr loop
//       jr over NC by NR B micro-panels stream from L2; micro-kernel writes one C tile
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "aligned_buffer.h"
#include "fp_mode.h"
#include "gemm.h"
#include "gemm_microkernel.h"
#include "gemm_pack.h"
#include "split_tuner.h"
#include "thread_pool.h"

namespace myelin {
namespace {

// Below this many flops (2*m*n*k) waking the pool costs more than it saves: measured
// with bench/gemm.mjs on 2 Sapphire Rapids cores (a wake-up is ~5-50 us).
constexpr double kMinParallelFlops = 4e5;

// Largest A (m*k elements) read in place rather than packed when n spans several panels.
// Measured on 1 thread (GFLOP/s packed -> in place): square 64 79 -> 106, 128 128 -> 147,
// 256 150 -> 162, 512x784x512 156 -> 166; but square 1024 162 -> 135 (12 rows 4 KiB
// apart share L1 sets), so A above 2 MiB is packed.
constexpr size_t kDirectAMaxElements = 512 * 1024;

// Deepest product run as narrow dot products: a tile's 8 rows of A and all of B^T (12 x k at
// most) then stay within L2 while the tile's column blocks re-read them; deeper ones take
// the K-blocked packed path.
constexpr size_t kDotNarrowMaxK = 4096;

// A * B^T with this few rows runs as dot products too (with dot_narrow): a Linear layer's
// forward on a handful of samples, where the packed path transposes all of W for them.
// In-process A/B on Zen 4, dot / packed: 1x784x512 2.46x on 1 thread and 1.36x on 2,
// 16x784x512 1.23x / 1.33x, 8x784x64 1.46x / 1.20x; at 32 rows only with k >= 512
// (32x784x512 1.07x / 1.17x, 32x512x256 1.03x / 1.20x, 32x784x64 0.99x / 1.03-1.31x;
// 32x256x128 0.91x / 1.02x).
constexpr size_t kDotFewRows = 16;
constexpr size_t kDotFewRowsDeep = 32, kDotDeepK = 512;

// Products this shallow (k <= kShallowK) are split over M whenever each thread gets two row
// panels. Each C element then costs few flops, and an N split has both cores write every
// row of C, each beside the other's half: on Zen 3 (2 vCPUs) the cores then slowed each
// other down by a factor that came and went with the host's state. In-process
// alternation, 2 threads, M / N split GFLOP/s: 128x10x256 (k = 10) 109 / 66, and in
// another minute 80 / 20; k = 16 104 / 30; k = 64 150 / 83. No such collapse on M.
constexpr size_t kShallowK = 128;

// Rows of packed A that one pass over a B micro-panel covers (compute_tiles).
constexpr size_t kRowsPerBPanelPass = 96;

// Smallest product whose M-or-N split is timed (split_tuner.h) rather than left to the
// model: below it, either split is within the call's noise.
constexpr double kTuneMinFlops = 4e6;

size_t ceil_div(size_t a, size_t b) { return (a + b - 1) / b; }

// MYELIN_GEMM_TUNE=0 leaves every split to the model (reproducible timings).
bool split_tuning_enabled() {
  static const bool enabled = [] {
    const char* env = std::getenv("MYELIN_GEMM_TUNE");
    return env == nullptr || std::string_view(env) != "0";
  }();
  return enabled;
}

SplitTuner& split_tuner() {
  static SplitTuner* tuner = new SplitTuner();  // never destroyed, like the pool
  return *tuner;
}

template <typename T>
AlignedBuffer<T>& a_pack_buffer() {
  thread_local AlignedBuffer<T> buffer;
  return buffer;
}

template <typename T>
AlignedBuffer<T>& b_pack_buffer() {
  thread_local AlignedBuffer<T> buffer;
  return buffer;
}

template <typename T>
const GemmKernelSet<T>& kernels_for(const GemmDispatch& d);
template <>
const GemmKernelSet<float>& kernels_for<float>(const GemmDispatch& d) { return d.f32; }
template <>
const GemmKernelSet<double>& kernels_for<double>(const GemmDispatch& d) { return d.f64; }

template <typename T>
void apply_epilogue(const GemmArgs<T>& g, T* c, size_t rows, size_t cols, size_t col0) {
  const GemmEpilogue<T>& e = *g.epilogue;
  if (e.bias == nullptr && e.activation == Activation::identity) return;
  apply_bias_activation_tile(c, g.ldc, rows, cols, e.bias, col0, e.activation, e.act_param);
}

// C = beta*C (then the epilogue): the whole answer when k == 0 or alpha == 0.
template <typename T>
void scale_c(const GemmArgs<T>& g) {
  for (size_t i = 0; i < g.m; ++i) {
    T* row = g.c + i * g.ldc;
    if (g.beta == T(0)) {
      std::fill(row, row + g.n, T(0));
    } else if (g.beta != T(1)) {
      for (size_t j = 0; j < g.n; ++j) row[j] *= g.beta;
    }
  }
  if (g.epilogue) apply_epilogue(g, g.c, g.m, g.n, 0);
}

// One K block [pc, pc + kc): beta applies on the first only, the epilogue after the last.
template <typename T>
struct KBlock {
  size_t pc, kc;
  T beta;
  bool last;
};

// K block depth: cfg.kc, unless that leaves a thin last block (under a quarter of KC);
// then as many blocks of equal depth (rounded up to 8). k = 784 with KC = 384 ran
// 384 + 384 + 16, a third pass over every C tile for 16 depth steps; 392 + 392 measured
// 1.007-1.018x (Zen 3, in-process alternation, 1 and 2 threads, 128x784x512 NN and NT,
// 512x784x512 NT). Evening out larger remainders did not pay: k = 512 as 256 + 256 instead
// of 384 + 128 ran 0.96-0.98x with A or B transposed. But with four blocks or more, a last
// block under half of KC is evened out too: square 2048 (5 x 384 + 128 -> 6 x 344) ran
// 1.009-1.02x on 1 thread and 1.011x on 2 (four in-process runs); k = 1024 (384 + 384 +
// 256, thin by neither rule) measured the same either way.
template <typename T>
size_t k_step(const GemmArgs<T>& g, const GemmKernelConfig<T>& cfg) {
  const size_t blocks = ceil_div(g.k, cfg.kc), last = g.k - (blocks - 1) * cfg.kc;
  const bool thin = last * 4 < cfg.kc || (blocks >= 4 && last * 2 < cfg.kc);
  if (blocks < 2 || !thin) return cfg.kc;
  return std::min(cfg.kc, ceil_div(ceil_div(g.k, blocks), 8) * 8);
}

template <typename T>
KBlock<T> k_block(const GemmArgs<T>& g, size_t kc_step, size_t pc) {
  const size_t kc = std::min(kc_step, g.k - pc);
  return {pc, kc, pc == 0 ? g.beta : T(1), pc + kc == g.k};
}

// Whether B's full micro-panels are packed by the first tile that reads each (the
// kernel's pack_b forms) rather than by a separate pass: B not transposed, and that first
// tile (rows i0 .. i0 + MR) is a full one. The pass over B was 5-8 % of a 128-row product
// on Zen 3 (128x512x784, the dX of a 784-512 layer: 8 %); the first tiles now read B
// in place with their loads and stores beside the FMAs, and run 1.04-1.09x as fast at the
// 128-row shapes (in-process alternation, 1 thread). Also where B's rows are a multiple of
// 4 KiB apart (all in one L1 set; the rows are prefetched ahead into L2): excluded once
// at 0.96-0.99x, with the blocking since then (96-row passes over each B panel, K blocks
// evened out) it measured 1.05-1.07x at 128x1024x1024, 1.08x at 64x1024x1024 and
// 1.01-1.02x at squares 1024 and 2048 (in-process, 1 and 2 threads, two runs each way
// round).
template <typename T>
bool pack_b_in_tiles(const GemmArgs<T>& g, const GemmKernelConfig<T>& cfg, size_t rows) {
  return cfg.ukernel_pack_b != nullptr && !g.trans_b && rows >= cfg.mr;
}

// Packs B[pc .. pc + kc, jc .. jc + nc) into b_pack, or with `in_tiles` only its last,
// partial micro-panel (the full ones are packed by compute_tiles' first tiles).
template <typename T>
void pack_b_block(const GemmArgs<T>& g, const GemmKernelConfig<T>& cfg, const KBlock<T>& kb, size_t jc, size_t nc,
                  bool in_tiles, T* b_pack) {
  const size_t skip = in_tiles ? nc / cfg.nr * cfg.nr : 0;
  if (skip < nc) pack_b_panels(g.trans_b, g.b, g.ldb, kb.pc, kb.kc, jc + skip, nc - skip, cfg.nr, b_pack + skip * kb.kc);
}

// The tiles of C rows [i0, i0 + rows) x columns [jc, jc + nc) for one K block: A from its
// packed panels (a_pack, MR x kc each) or, when a_pack is null, read in place; B from its
// packed block, whose full micro-panels the first tile row packs first when `pack_b`
// (pack_b_in_tiles: B is then read in place by that row's tiles and copied as they go).
// The epilogue follows each tile of the last K block while it is in L1.
template <typename T>
void compute_tiles(const GemmArgs<T>& g, const GemmKernelConfig<T>& cfg, const T* a_pack, size_t i0,
                   size_t rows, const KBlock<T>& kb, size_t jc, size_t nc, T* b_pack, bool pack_b) {
  const size_t mr = cfg.mr, nr = cfg.nr, kc = kb.kc;
  // Rows go in blocks, and within a block each B micro-panel meets every A micro-panel
  // before the next. Past 96 packed rows the blocks are ~96 rows: the B panel stays in L1
  // (24 KiB at KC 384) while the block's A panels (144 KiB) come from L2, instead of each B
  // panel being read from L2 again for every 6 rows. In-process alternation on Zen 3,
  // 96-row blocks / MR-row blocks: square 2048 1.015-1.019x on 1 thread and 1.022x on 2,
  // 1024 1.010x / 1.00x, the MLP shapes 0.995-1.017x. Below that, or with A read in place,
  // a block is one MR row panel. Each tile is computed once per K block either way: same bits.
  const size_t block = a_pack != nullptr && rows > kRowsPerBPanelPass ? std::max(mr, kRowsPerBPanelPass / mr * mr) : mr;
  for (size_t ib = 0; ib < rows; ib += block) {
    const size_t ie = std::min(rows, ib + block);
    for (size_t jr = 0; jr < nc; jr += nr) {
      const size_t cols = std::min(nr, nc - jr);
      for (size_t ir = ib; ir < ie; ir += mr) {
        const size_t tile_rows = std::min(mr, ie - ir);
        T* c = g.c + (i0 + ir) * g.ldc + jc + jr;
        const T* a = a_pack == nullptr ? g.a + (i0 + ir) * g.lda + kb.pc : a_pack + ir * kc;
        if (pack_b && ir == 0 && cols == nr) {
          const T* b = g.b + kb.pc * g.ldb + jc + jr;
          (a_pack == nullptr ? cfg.ukernel_direct_a_pack_b : cfg.ukernel_pack_b)(kc, a, g.lda, b, g.ldb, b_pack + jr * kc,
                                                                             c, g.ldc, g.alpha, kb.beta);
        } else if (a_pack == nullptr) {
          cfg.ukernel_direct_a(kc, a, g.lda, b_pack + jr * kc, c, g.ldc, tile_rows, cols, g.alpha, kb.beta);
        } else {
          cfg.ukernel(kc, a, b_pack + jr * kc, c, g.ldc, tile_rows, cols, g.alpha, kb.beta);
        }
        if (kb.last && g.epilogue) apply_epilogue(g, c, tile_rows, cols, jc + jr);
      }
    }
  }
}

// Computes C[i_begin..i_end, j_begin..j_end) completely, on the calling thread.
template <typename T>
void gemm_block_range(const GemmArgs<T>& g, const GemmKernelConfig<T>& cfg, size_t i_begin,
                      size_t i_end, size_t j_begin, size_t j_end) {
  const size_t mr = cfg.mr, nr = cfg.nr;
  // Skip packing A (the kernel reads it in place) where packing would not pay: with a
  // single N panel each A element is used once, and a small A (square 64: 16 KiB) stays in
  // L1/L2 across the N panels, where the copy costs more than the strided reads.
  const bool direct_a = cfg.ukernel_direct_a != nullptr && !g.trans_a &&
                        (g.n <= nr || g.m * g.k <= kDirectAMaxElements);
  T* b_pack = b_pack_buffer<T>().reserve(cfg.kc * cfg.nc);
  const size_t kc_step = k_step(g, cfg);
  // A packed A block is used by one NC block of B; with several, the whole row range's A
  // strip (rows x KC) is packed once per K block instead and the N blocks loop inside, so
  // A is packed exactly once (at n = 1024 with NC = 256 it was packed four times: 13 % of
  // the GEMM on Zen 3). The strip is read back from L3 one MR x KC micro-panel at a time.
  const size_t m_range = i_end - i_begin;
  const bool in_tiles = pack_b_in_tiles(g, cfg, m_range);
  if (!direct_a && j_end - j_begin > cfg.nc && m_range > cfg.mc) {
    T* a_strip = a_pack_buffer<T>().reserve(ceil_div(m_range, mr) * mr * cfg.kc);
    for (size_t pc = 0; pc < g.k; pc += kc_step) {
      const KBlock<T> kb = k_block(g, kc_step, pc);
      pack_a_panels(g.trans_a, g.a, g.lda, i_begin, m_range, pc, kb.kc, mr, a_strip);
      for (size_t jc = j_begin; jc < j_end; jc += cfg.nc) {
        const size_t nc = std::min(cfg.nc, j_end - jc);
        pack_b_block(g, cfg, kb, jc, nc, in_tiles, b_pack);
        compute_tiles(g, cfg, a_strip, i_begin, m_range, kb, jc, nc, b_pack, in_tiles);
      }
    }
    return;
  }
  T* a_pack = a_pack_buffer<T>().reserve(cfg.mc * cfg.kc);
  for (size_t jc = j_begin; jc < j_end; jc += cfg.nc) {
    const size_t nc = std::min(cfg.nc, j_end - jc);
    for (size_t pc = 0; pc < g.k; pc += kc_step) {
      const KBlock<T> kb = k_block(g, kc_step, pc);
      pack_b_block(g, cfg, kb, jc, nc, in_tiles, b_pack);
      for (size_t ic = i_begin; ic < i_end; ic += cfg.mc) {
        const size_t mc = std::min(cfg.mc, i_end - ic);
        if (!direct_a) pack_a_panels(g.trans_a, g.a, g.lda, ic, mc, pc, kb.kc, mr, a_pack);
        compute_tiles(g, cfg, direct_a ? nullptr : a_pack, ic, mc, kb, jc, nc, b_pack, in_tiles && ic == i_begin);
      }
    }
  }
}

// Calls body(begin, end) on up to `threads` threads over [0, extent), cut at multiples of
// `block` (tile boundaries: every element's sum is the same whatever the split).
template <typename F>
void split_blocks(size_t extent, size_t block, size_t threads, const F& body) {
  const size_t blocks = ceil_div(extent, block), tasks = std::min(threads, blocks);
  if (tasks <= 1) {
    if (extent > 0) body(size_t(0), extent);
    return;
  }
  parallel_for(tasks, [&](size_t t) {
    const size_t begin = std::min(extent, blocks * t / tasks * block);
    const size_t end = std::min(extent, blocks * (t + 1) / tasks * block);
    if (begin < end) body(begin, end);
  });
}

// A * B^T by dot products (no packing), split over N in blocks of 4 columns; the
// epilogue runs on each thread's columns once they are done.
template <typename T>
void gemm_dot_nt(const GemmArgs<T>& g, GemmDotNt<T> dot, size_t threads) {
  split_blocks(g.n, 4, threads, [&](size_t j0, size_t j1) {
    dot(g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc, 0, g.m, j0, j1);
    if (g.epilogue) apply_epilogue(g, g.c + j0, g.m, j1 - j0, j0);
  });
}

// A * op(B) with only a few output columns, or A * B^T with only a few rows, as dot
// products along K (the kernel set's dot_narrow). Few columns: a row-vectorised tile would
// leave most lanes idle (10 of 16 for a 10-class layer), and vectorising along M would need
// A transposed, which costs about as much as the product; B not transposed is first
// transposed into an n x k buffer (10 x 256 floats for that layer) that the threads share
// read-only. Few rows: nothing is packed, W is read once.
template <typename T>
void gemm_dot_narrow(const GemmArgs<T>& g, GemmDotNt<T> dot, size_t threads) {
  const T* bt = g.b;
  size_t ldbt = g.ldb;
  if (!g.trans_b) {
    T* buf = b_pack_buffer<T>().reserve(g.n * g.k);
    // One "panel" k rows wide, n deep: buf[j*k + p] = B(p, j).
    pack_a_panels(false, g.b, g.ldb, 0, g.k, 0, g.n, g.k, buf);
    bt = buf;
    ldbt = g.k;
  }
  // Few columns: the threads split M in blocks of 8 rows. Few rows: they split N in blocks
  // of 16 columns, so that W is read once in all (its rows in a core's L2 stay there).
  if (g.n <= 16) {
    split_blocks(g.m, 8, threads, [&](size_t i0, size_t i1) {
      dot(g.k, g.alpha, g.a, g.lda, bt, ldbt, g.beta, g.c, g.ldc, i0, i1, 0, g.n);
      if (g.epilogue) apply_epilogue(g, g.c + i0 * g.ldc, i1 - i0, g.n, 0);
    });
    return;
  }
  split_blocks(g.n, 16, threads, [&](size_t j0, size_t j1) {
    dot(g.k, g.alpha, g.a, g.lda, bt, ldbt, g.beta, g.c, g.ldc, 0, g.m, j0, j1);
    if (g.epilogue) apply_epilogue(g, g.c + j0, g.m, j1 - j0, j0);
  });
}

// Elements from the start of a C row to the next cache-line boundary when every row has
// the same offset within a line (ldc a whole number of lines), else 0.
template <typename T>
size_t line_shift(const T* c, size_t ldc) {
  constexpr size_t kLine = 64;
  const uintptr_t addr = reinterpret_cast<uintptr_t>(c);
  if ((ldc * sizeof(T)) % kLine != 0 || addr % sizeof(T) != 0) return 0;
  return (kLine - addr % kLine) % kLine / sizeof(T);
}

// Share of `panels` tiles that the busiest of `threads` threads gets, as a fraction of
// perfect balance.
double balance(size_t panels, size_t threads) {
  return static_cast<double>(panels) / static_cast<double>(threads * ceil_div(panels, threads));
}

struct NoBlockDone {
  void operator()(size_t, size_t, size_t, size_t) const {}
};

// The packed path (gemm_block_range) on up to `threads` threads, split over M or N. Each
// thread calls done(i_begin, i_end, j_begin, j_end) on the block of C it computed, once the
// block is complete (every K block and the epilogue written).
template <typename T, typename Done>
void gemm_packed(const GemmArgs<T>& g, const GemmKernelConfig<T>& cfg, size_t threads, const Done& done) {
  const double flops = 2.0 * static_cast<double>(g.m) * static_cast<double>(g.n) *
                       static_cast<double>(g.k);
  const size_t panels_m = ceil_div(g.m, cfg.mr), panels_n = ceil_div(g.n, cfg.nr);
  if (threads <= 1 || (panels_m < 2 && panels_n < 2)) {
    gemm_block_range(g, cfg, 0, g.m, 0, g.n);
    done(size_t(0), g.m, size_t(0), g.n);
    return;
  }
  // Split over M or N only, at tile boundaries, never over K: every element's sum then
  // runs in the same order whatever the thread count, so results are bit-identical.
  // Pick the split with the shorter estimated time per thread: its share of the flops
  // (the busiest thread's, after imbalance) plus the packing it does. Splitting M makes
  // every thread pack all of B; splitting N makes every thread pack all of A once per NC
  // block of its share (so at n = 1024 on 2 threads, with NC = 512, nothing is packed twice).
  const double t = static_cast<double>(threads), m = static_cast<double>(g.m),
               n = static_cast<double>(g.n), k = static_cast<double>(g.k);
  const double a_blocks_m = static_cast<double>(ceil_div(g.n, cfg.nc));
  const double a_blocks_n = static_cast<double>(ceil_div(ceil_div(g.n, threads), cfg.nc));
  // ~100 flops of micro-kernel time per packed element (a strided copy vs 2 FMA ports).
  constexpr double kFlopsPerPackedElement = 100;
  const double time_m = flops / (t * balance(panels_m, threads)) +
                        kFlopsPerPackedElement * (k * n + m / t * k * a_blocks_m);
  const double time_n = flops / (t * balance(panels_n, threads)) +
                        kFlopsPerPackedElement * (k * n / t + m * k * a_blocks_n);
  // A transposed (the weight gradient dY^T X of a Linear layer) packs by plain copies and
  // measures faster split over M than the estimate says: in-process alternation on Zen 3,
  // 2 threads, M / N split = 1.03-1.47x at 256x128x512, 512x128x784 and 64x32x784 (the
  // other MLP shapes: 0.88-1.17x, left to the estimate).
  // With at least 128 rows per thread and k <= 1024, splitting M measured faster too,
  // whatever the estimate: 2 threads, AVX-512, M / N split = 1.05-1.2x at 256x784x512,
  // 512x784x512, square 256, 512 and 1024, and 2048x256x2048 (equal at 384x784x512; at
  // m = 128, and at square 2048, N wins).
  const bool shallow = g.k <= kShallowK && panels_m >= 2 * threads;
  const bool prefer_m = shallow || (g.trans_a && panels_m >= 4 * threads) || (g.m >= 128 * threads && g.k <= 1024);
  const bool model_m = panels_n < 2 || (panels_m >= 2 && (prefer_m || time_m <= time_n));
  // Where both splits give every thread two or more panels, time them (split_tuner.h);
  // shallow products stay on M, where N was never better.
  const bool tune = !shallow && panels_m >= 2 * threads && panels_n >= 2 * threads &&
                    flops >= kTuneMinFlops && split_tuning_enabled();
  SplitKey key;
  bool split_m = model_m;
  if (tune) {
    key.m = g.m, key.n = g.n, key.k = g.k;
    key.extra = (uint64_t(gemm_dispatch().isa) << 24) | (uint64_t(threads) << 8) | (sizeof(T) << 2) |
                (uint64_t(g.trans_a) << 1) | uint64_t(g.trans_b);
    split_m = split_tuner().next(key, model_m ? 1 : 0) == 1;
  }
  const size_t panels = split_m ? panels_m : panels_n;
  const size_t tile = split_m ? cfg.mr : cfg.nr;
  const size_t extent = split_m ? g.m : g.n;
  const size_t tasks = std::min(threads, panels);
  // Splitting N, the threads write different columns of the same C rows. Where C's rows
  // all start at the same offset within a cache line, the boundaries move by that offset
  // so that no line of C is written by two threads (it would bounce between the cores'
  // caches on every tile written beside a boundary, once per K block).
  // The moved boundary costs one extra (partial) tile column: worth it only where each
  // thread has many (32x784x64 on 2 threads, 2 panels, ran 1.9x slower with it).
  const size_t shift = split_m || panels < 8 * tasks ? 0 : line_shift(g.c, g.ldc);
  auto boundary = [&](size_t t) {
    if (t == 0) return size_t(0);
    if (t == tasks) return extent;
    return std::min(extent, panels * t / tasks * tile + shift);
  };
  const auto start = tune ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
  parallel_for(tasks, [&](size_t t) {
    const size_t begin = boundary(t), end = boundary(t + 1);
    if (begin >= end) return;
    if (split_m) {
      gemm_block_range(g, cfg, begin, end, 0, g.n);
      done(begin, end, size_t(0), g.n);
    } else {
      gemm_block_range(g, cfg, 0, g.m, begin, end);
      done(size_t(0), g.m, begin, end);
    }
  });
  if (tune) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    split_tuner().record(key, split_m ? 1 : 0, took.count());
  }
}

// Largest C (m*n elements) that gemm_nt_transposed computes through its scratch.
constexpr size_t kNtTransposedMaxC = size_t(1) << 20;

// Whether A * B^T runs as gemm_nt_transposed: B (n x k, a Linear layer's weight) small
// enough to be read in place as the swapped product's A, and the pack of B^T it saves
// (n*k elements) larger than what it costs: the pack of A^T (m*k) and the transpose of C
// (m*n). The swapped product (m rows of C^T's columns: more than the narrow kernel's NR)
// runs on the wide kernel.
// In place of the dot-product paths (`instead_of_dots`: a few rows, where nothing is
// packed), only with whole panels of the swapped product (m a multiple of its NR) and a 2x
// margin. Transposed / dot GFLOP/s on Zen 3, 1 and 2 threads: 16x784x512 1.29x / 1.18x,
// 32x784x512 1.24x / 1.22x, 48x512x256 1.20x / 1.12x, 64x784x512 1.20x / 1.15x,
// 32x256x512 1.35x / 1.25x; but 24x784x512 (half a panel empty) 0.83x / 0.80x, 64x256x128
// (margin 1.3x) 1.08x / 0.88x, 32x784x64 (margin 1.85x) 0.96x on 1 thread.
template <typename T>
bool nt_transposed_pays(const GemmArgs<T>& g, const GemmKernelSet<T>& set, bool instead_of_dots) {
  if (!set.nt_via_transpose || set.wide.ukernel_direct_a == nullptr || !g.trans_b || g.trans_a ||
      g.m <= set.narrow.nr || g.n * g.k > kDirectAMaxElements || g.m * g.n > kNtTransposedMaxC) {
    return false;
  }
  const size_t saved = g.n * g.k, cost = g.m * (g.k + g.n);
  return instead_of_dots ? g.m % set.wide.nr == 0 && saved >= 2 * cost : saved > cost;
}

// C = alpha * A * B^T + beta * C as C^T = alpha * B * A^T + beta * C^T: the product runs on
// a scratch C^T (n x m; C copied in first when beta != 0) on the packed path, and each
// thread, once its block of C^T is complete, transposes it into C a few columns at a time
// and applies the epilogue to them. In the swapped product W = B is the A operand, read in
// place by the kernels, and only A^T (the batch, m x k) is packed, where the direct path
// packs all of W^T. Every element is the same chain of FMAs in the same order (a kernel's
// a*b is b*a), so the bits are the direct path's.
// In-process alternation on Zen 3, transposed / direct GFLOP/s, 1 and 2 threads, float:
// 128x784x512 (the 784-512 layer's forward) 1.10x / 1.10x, 128x784x256 1.05x / 1.18x,
// 128x256x1000 1.03x / 1.06x, 128x256x512 1.00x / 1.03x, 256x784x512 1.00x / 1.04x; and
// where nt_transposed_pays says no: 128x128x512 0.98x / 0.92x, 256x784x256 0.99x / 0.97x,
// 512x256x512 0.90x / 0.93x.
template <typename T>
void gemm_nt_transposed(const GemmArgs<T>& g, const GemmKernelSet<T>& set, size_t threads) {
  thread_local AlignedBuffer<T> scratch;
  T* ct = scratch.reserve(g.n * g.m);
  constexpr size_t kLine = 64 / sizeof(T);  // columns of C per step: one cache line of each row
  if (g.beta != T(0)) {
    split_blocks(g.n, kLine, threads, [&](size_t j0, size_t j1) {
      transpose_matrix(g.c + j0, g.ldc, g.m, j1 - j0, ct + j0 * g.m, g.m);
    });
  }
  GemmArgs<T> t;
  t.trans_b = true;
  t.m = g.n, t.n = g.m, t.k = g.k;
  t.alpha = g.alpha, t.beta = g.beta;
  t.a = g.b, t.lda = g.ldb, t.b = g.a, t.ldb = g.lda;
  t.c = ct, t.ldc = g.m;
  // Rows [j0, j1) x columns [i0, i1) of C^T are C's columns j0.. and rows i0..
  gemm_packed(t, set.wide, threads, [&](size_t j0, size_t j1, size_t i0, size_t i1) {
    for (size_t j = j0; j < j1; j += kLine) {
      const size_t cols = std::min(kLine, j1 - j);
      T* c = g.c + i0 * g.ldc + j;
      transpose_matrix(ct + j * g.m + i0, g.m, cols, i1 - i0, c, g.ldc);
      if (g.epilogue) apply_epilogue(g, c, i1 - i0, cols, j);
    }
  });
}

template <typename T>
void gemm_impl(const GemmArgs<T>& g, bool allow_threads) {
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0 || g.alpha == T(0)) {
    scale_c(g);
    return;
  }
  const GemmKernelSet<T>& set = kernels_for<T>(gemm_dispatch());
  const double flops = 2.0 * static_cast<double>(g.m) * static_cast<double>(g.n) *
                       static_cast<double>(g.k);
  const size_t threads = allow_threads && flops >= kMinParallelFlops ? thread_count() : 1;
  const bool few_rows = g.trans_b && (g.m <= kDotFewRows || (g.m <= kDotFewRowsDeep && g.k >= kDotDeepK));
  const bool dot_narrow = set.dot_narrow != nullptr && !g.trans_a && (g.n <= set.dot_narrow_max_n || few_rows) &&
                          g.k <= kDotNarrowMaxK;
  const bool dot_nt = set.dot_nt != nullptr && g.trans_b && !g.trans_a &&
                      (g.m <= set.dot_nt_max_m || (g.n <= 16 && g.m <= 4 * set.dot_nt_max_m));
  if (nt_transposed_pays(g, set, dot_narrow || dot_nt)) {
    gemm_nt_transposed(g, set, threads);
    return;
  }
  if (dot_narrow) {
    gemm_dot_narrow(g, set.dot_narrow, threads);
    return;
  }
  if (dot_nt) {
    gemm_dot_nt(g, set.dot_nt, threads);
    return;
  }
  // A transposed (stored k x m) packs into the column kernel's M-major panels by plain copies.
  const bool use_cols = set.cols.ukernel != nullptr && g.trans_a && g.n <= set.cols_max_n && g.m >= set.cols.mr;
  const GemmKernelConfig<T>& cfg = use_cols ? set.cols : g.n <= set.narrow.nr ? set.narrow : set.wide;
  gemm_packed(g, cfg, threads, NoBlockDone());
}

template <typename T>
void gemm_batched_impl(const GemmBatchedArgs<T>& args) {
  const GemmArgs<T>& g0 = args.gemm;
  if (args.batch == 0 || g0.m == 0 || g0.n == 0) return;
  auto nth = [&](size_t i) {
    GemmArgs<T> g = g0;
    g.a = g0.a + i * args.stride_a;
    g.b = g0.b + i * args.stride_b;
    g.c = g0.c + i * args.stride_c;
    return g;
  };
  const double flops = 2.0 * static_cast<double>(g0.m) * static_cast<double>(g0.n) *
                       static_cast<double>(g0.k);
  const size_t threads = thread_count();
  // Many small matrices: one matrix per task. Large ones: threads inside each matrix.
  // Either way each matrix is computed by the same code path, so results do not depend
  // on the thread count.
  if (threads > 1 && args.batch >= threads && flops * args.batch >= kMinParallelFlops &&
      flops < 16 * kMinParallelFlops) {
    parallel_for(args.batch, [&](size_t i) { gemm_impl(nth(i), false); });
  } else {
    for (size_t i = 0; i < args.batch; ++i) gemm_impl(nth(i), true);
  }
}

}  // namespace

void gemm(const GemmArgs<float>& args) {
  ScopedFlushDenormals ftz;
  gemm_impl(args, true);
}
void gemm(const GemmArgs<double>& args) {
  ScopedFlushDenormals ftz;
  gemm_impl(args, true);
}
void gemm_batched(const GemmBatchedArgs<float>& args) {
  ScopedFlushDenormals ftz;
  gemm_batched_impl(args);
}
void gemm_batched(const GemmBatchedArgs<double>& args) {
  ScopedFlushDenormals ftz;
  gemm_batched_impl(args);
}

}  // namespace myelin
