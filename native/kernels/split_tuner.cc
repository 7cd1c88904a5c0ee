#include "split_tuner.h"

#include <algorithm>

namespace myelin {
namespace {

double median(const double* xs) {
  double sorted[SplitTuner::kTrials];
  std::copy(xs, xs + SplitTuner::kTrials, sorted);
  std::nth_element(sorted, sorted + SplitTuner::kTrials / 2, sorted + SplitTuner::kTrials);
  return sorted[SplitTuner::kTrials / 2];
}

}  // namespace

SplitTuner::Entry* SplitTuner::lookup(const SplitKey& key) {
  for (Entry& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

SplitTuner::Entry& SplitTuner::find(const SplitKey& key, int guess) {
  ++clock_;
  if (Entry* e = lookup(key)) {
    e->last_use = clock_;
    return *e;
  }
  if (entries_.size() >= kMaxShapes) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](const Entry& a, const Entry& b) { return a.last_use < b.last_use; });
    entries_.erase(oldest);
  }
  Entry e;
  e.key = key;
  e.guess = e.best = guess;
  e.last_use = clock_;
  entries_.push_back(e);
  return entries_.back();
}

int SplitTuner::next(const SplitKey& key, int guess) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& e = find(key, guess != 0);
  const int other = 1 - e.guess;
  const bool exploring = e.trials[0] < kTrials || e.trials[1] < kTrials;
  if (exploring) return e.trials[e.guess] <= e.trials[other] ? e.guess : other;
  if (++e.calls > kExploitCalls) {  // time both again
    e.trials[0] = e.trials[1] = 0;
    e.calls = 0;
    return e.guess;
  }
  return e.best;
}

void SplitTuner::record(const SplitKey& key, int split, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entry* e = lookup(key);
  const int s = split != 0;
  if (e == nullptr || e->trials[s] >= kTrials) return;  // forgotten, or decided already
  e->seconds[s][e->trials[s]++] = seconds;
  if (e->trials[0] == kTrials && e->trials[1] == kTrials) {
    const int other = 1 - e->guess;
    e->best = median(e->seconds[other]) < median(e->seconds[e->guess]) ? other : e->guess;
    e->calls = 0;
  }
}

size_t SplitTuner::size() {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace myelin
