// The pool's job protocol: every task of every job (up to 64 tasks, and longer jobs) runs
// exactly once, whether the pool threads join a job, join it late (after the caller has
// claimed every task) or miss it; a thread that missed a job never runs a task of it, and
// resizing between jobs is safe.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

#include "test_support.h"
#include "thread_pool.h"

using namespace myelin;
using namespace myelin_test;

namespace {

// Runs `jobs` jobs of 1..max_tasks tasks; each task counts itself in its job's slot. Some
// tasks sleep, so pool threads arrive at later jobs at random points of the protocol.
void check_each_task_once(Failures& f, size_t threads, size_t jobs, size_t max_tasks) {
  set_thread_count(threads);
  std::vector<std::atomic<int>> counts(max_tasks);
  for (size_t j = 0; j < jobs; ++j) {
    const size_t n = 1 + (j * 7919) % max_tasks;
    for (size_t t = 0; t < max_tasks; ++t) counts[t].store(0);
    parallel_for(n, [&](size_t t) {
      if ((j + t) % 97 == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
      counts[t].fetch_add(1);
    });
    // parallel_for has returned: every task must be done, none twice, none past n.
    for (size_t t = 0; t < max_tasks; ++t) {
      const int want = t < n ? 1 : 0;
      if (counts[t].load() != want) {
        f.report("threads=%zu job %zu (%zu tasks): task %zu ran %d times, expected %d", threads, j, n, t,
                 counts[t].load(), want);
      }
    }
  }
}

// A task that throws on a pool thread or the caller surfaces as std::runtime_error after
// all tasks ran, and the pool keeps working.
void check_failure_reported(Failures& f) {
  set_thread_count(2);
  for (int round = 0; round < 50; ++round) {
    std::atomic<int> ran{0};
    bool threw = false;
    try {
      parallel_for(8, [&](size_t t) {
        ran.fetch_add(1);
        if (t == static_cast<size_t>(round % 8)) throw std::logic_error("task failure");
      });
    } catch (const std::runtime_error&) {
      threw = true;
    }
    if (!threw) f.report("round %d: a failing task did not raise", round);
    if (ran.load() != 8) f.report("round %d: %d of 8 tasks ran after a failure", round, ran.load());
  }
  std::atomic<int> after{0};
  parallel_for(4, [&](size_t) { after.fetch_add(1); });
  if (after.load() != 4) f.report("after failures: %d of 4 tasks ran", after.load());
}

// Jobs published faster than a pool thread can follow (tiny tasks, back to back) and
// jobs after the threads went to sleep (past the spin time).
void check_back_to_back_and_after_sleep(Failures& f) {
  set_thread_count(2);
  std::atomic<long> sum{0};
  for (int j = 0; j < 200000; ++j) parallel_for(2, [&](size_t t) { sum.fetch_add(static_cast<long>(t) + 1); });
  if (sum.load() != 600000) f.report("back to back: sum %ld, expected 600000", sum.load());
  const auto caller = std::this_thread::get_id();
  for (int j = 0; j < 5; ++j) {
    // Past the spin time (5 ms unless MYELIN_POOL_SPIN_US says otherwise): pool threads sleep.
    std::this_thread::sleep_for(std::chrono::milliseconds(12));
    std::atomic<int> ran{0};
    parallel_for(4, [&](size_t) { ran.fetch_add(1); });
    if (ran.load() != 4) f.report("after sleep %d: %d of 4 tasks ran", j, ran.load());
    // The thread woken by that job must come back: a lost wake-up would leave the caller
    // running every task alone from now on. Four tasks of 1 ms give it time to join even
    // when waking it takes a few hundred microseconds.
    bool joined = false;
    for (int k = 0; k < 50 && !joined; ++k) {
      std::atomic<bool> other{false};
      parallel_for(4, [&](size_t) {
        if (std::this_thread::get_id() != caller) other.store(true);
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
        while (std::chrono::steady_clock::now() < until) {
        }
      });
      joined = other.load();
    }
    if (!joined) f.report("after sleep %d: no pool thread ran a task in 50 jobs (lost wake-up)", j);
  }
}

}  // namespace

int main() {
  Failures f;
  for (size_t threads : {1, 2, 3, 4}) {
    check_each_task_once(f, threads, 20000, 9);   // up to 64 tasks: each thread's own first
    check_each_task_once(f, threads, 2000, 130);  // more: first come, first served
  }
  check_failure_reported(f);
  check_back_to_back_and_after_sleep(f);
  set_thread_count(default_thread_count());
  return f.exit_code("thread_pool_test");
}
