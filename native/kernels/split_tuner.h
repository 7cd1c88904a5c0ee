// Picks, per GEMM shape, between two ways of splitting one product over the threads that
// give the same bits, by timing both while the program runs (as FFTW's planner and
// cuDNN's benchmark mode time their candidates, but online: a training loop repeats the
// same shapes thousands of times).
//
// Why not a model alone: on a 2-vCPU VM the better split of the MLP's 128-row products
// changed with the host's state. In-process alternation on Zen 3, 2 threads, 128x784x512
// and 128x512x784, N split over M: 3-9 % faster in one minute, 7-14 % slower in another.
//
// Each shape first runs kTrials calls of each split, alternating, starting with the
// model's guess; the split with the lower median time then runs for kExploitCalls calls,
// after which both are timed again (the host's state moves on a scale of seconds). Ties
// go to the guess. At most kMaxShapes shapes are remembered (the least recently used one
// is forgotten). Thread-safe; the kernels' results never depend on the choice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace myelin {

struct SplitKey {
  uint64_t m = 0, n = 0, k = 0;
  uint64_t extra = 0;  // transposes, element size, thread count, kernel ISA
  bool operator==(const SplitKey& o) const { return m == o.m && n == o.n && k == o.k && extra == o.extra; }
};

class SplitTuner {
 public:
  static constexpr int kTrials = 5;
  static_assert(kTrials % 2 == 1, "the median of the trials is one of them");
  static constexpr uint32_t kExploitCalls = 200;
  static constexpr size_t kMaxShapes = 64;

  // The split (0 or 1) that the next call of `key` should run; `guess` is the model's.
  int next(const SplitKey& key, int guess);
  // How long a call of `key` with `split` took.
  void record(const SplitKey& key, int split, double seconds);
  // How many shapes are remembered (tests).
  size_t size();

 private:
  struct Entry {
    SplitKey key;
    int guess = 0;
    int best = 0;
    uint32_t calls = 0;  // calls since the last decision
    int trials[2] = {0, 0};
    double seconds[2][kTrials] = {};
    uint64_t last_use = 0;
  };
  Entry* lookup(const SplitKey& key);
  Entry& find(const SplitKey& key, int guess);

  std::mutex mutex_;
  std::vector<Entry> entries_;
  uint64_t clock_ = 0;
};

}  // namespace myelin
