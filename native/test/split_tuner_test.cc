// SplitTuner: times both splits of a shape in turn, starting with the model's guess, keeps
// the faster (ties to the guess), times them again after kExploitCalls calls, and
// remembers at most kMaxShapes shapes. Times are injected, so every case is exact.
#include "split_tuner.h"
#include "test_support.h"

using namespace myelin;
using namespace myelin_test;

namespace {

SplitKey key_of(uint64_t m) {
  SplitKey k;
  k.m = m, k.n = 512, k.k = 784, k.extra = 2;
  return k;
}

// Runs one round of timing: split 0 takes t0 seconds, split 1 takes t1. Returns the
// splits asked for, in order.
std::vector<int> explore(SplitTuner& tuner, const SplitKey& key, int guess, double t0, double t1) {
  std::vector<int> asked;
  for (int i = 0; i < 2 * SplitTuner::kTrials; ++i) {
    const int s = tuner.next(key, guess);
    asked.push_back(s);
    tuner.record(key, s, s == 0 ? t0 : t1);
  }
  return asked;
}

void check_rounds(Failures& f) {
  SplitTuner tuner;
  const SplitKey key = key_of(128);
  // Guess 1 (M): the round alternates 1, 0, 1, 0, ... and ends with both timed 5 times.
  const std::vector<int> asked = explore(tuner, key, 1, 2e-4, 3e-4);
  for (size_t i = 0; i < asked.size(); ++i) {
    if (asked[i] != (i % 2 == 0 ? 1 : 0)) f.report("round call %zu ran split %d, want %d", i, asked[i], i % 2 == 0 ? 1 : 0);
  }
  // Split 0 was faster: it runs for kExploitCalls calls, whatever the guess says.
  for (uint32_t i = 0; i < SplitTuner::kExploitCalls; ++i) {
    const int s = tuner.next(key, 1);
    if (s != 0) {
      f.report("exploit call %u ran split %d, want the faster 0", i, s);
      break;
    }
    tuner.record(key, s, 1.0);  // ignored: nothing is being timed
  }
  // Then a new round starts with the guess, and this time split 1 is faster.
  const std::vector<int> again = explore(tuner, key, 1, 5e-4, 1e-4);
  if (again.front() != 1) f.report("second round started with split %d, want the guess 1", again.front());
  if (tuner.next(key, 1) != 1) f.report("after the second round the faster split 1 should run");
}

void check_ties_and_noise(Failures& f) {
  SplitTuner tuner;
  const SplitKey key = key_of(64);
  explore(tuner, key, 0, 1e-4, 1e-4);
  if (tuner.next(key, 0) != 0) f.report("a tie should keep the guess 0");
  // One outlier per split does not decide: medians of 5.
  SplitTuner t2;
  const SplitKey k2 = key_of(65);
  const double times[2][5] = {{1.0, 1.0, 9.0, 1.0, 1.0}, {1.2, 0.1, 1.2, 1.2, 1.2}};
  int seen[2] = {0, 0};
  for (int i = 0; i < 2 * SplitTuner::kTrials; ++i) {
    const int s = t2.next(k2, 1);
    t2.record(k2, s, times[s][seen[s]++]);
  }
  if (t2.next(k2, 1) != 0) f.report("medians 1.0 (split 0) vs 1.2 (split 1) should pick split 0");
}

void check_shapes_are_separate_and_bounded(Failures& f) {
  SplitTuner tuner;
  explore(tuner, key_of(1), 1, 1e-4, 9e-4);  // shape 1: split 0 faster
  explore(tuner, key_of(2), 0, 9e-4, 1e-4);  // shape 2: split 1 faster
  if (tuner.next(key_of(1), 1) != 0 || tuner.next(key_of(2), 0) != 1) f.report("shapes 1 and 2 should keep their own choices");
  for (uint64_t m = 3; m < 3 + 2 * SplitTuner::kMaxShapes; ++m) tuner.next(key_of(m), 0);
  if (tuner.size() != SplitTuner::kMaxShapes) f.report("remembers %zu shapes, want at most %zu", tuner.size(), SplitTuner::kMaxShapes);
  // Shape 1 was forgotten (least recently used): it starts a new round with its guess.
  if (tuner.next(key_of(1), 1) != 1) f.report("a forgotten shape should start again from its guess");
}

}  // namespace

int main() {
  Failures f;
  check_rounds(f);
  check_ties_and_noise(f);
  check_shapes_are_separate_and_bounded(f);
  return f.exit_code("split_tuner_test");
}
