#include "thread_pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "fp_mode.h"

namespace myelin {
namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// How long an idle pool thread spins before it sleeps on the condition variable
// (MYELIN_POOL_SPIN_US sets it; 0 sleeps at once). A training step calls its kernels
// with microseconds of JavaScript between them, but V8 pauses JavaScript now and then
// (scavenges take 0.3-0.8 ms, every 10-20 ms of training), and waking a sleeping thread
// costs far more than its futex call: the idle core halts, and on a 2-vCPU VM a 128x512x256
// GEMM right after 1.6 ms of idleness ran at 108 instead of 175 GFLOP/s (~120 us lost).
// Over 6 epochs of the 784-512-256-10 b128 loop the thread fell asleep 340-440 times
// with a 200 us spin, 30-70 times with 2 ms and 8 times (start-up and epoch ends) with
// 5 ms. Like OpenMP's spin-wait (KMP_BLOCKTIME is 200 ms), this costs an idle process
// that much spinning after its last kernel call, then nothing; past the first 200 us the
// spin yields to any other thread that wants the core, and sleeps once one has taken it
// (as libgomp cuts its spin when threads outnumber cores): a 5 ms spin beside another
// busy process on 2 cores made a timer-lag test of train.fit fail.
std::chrono::microseconds spin_before_sleep() {
  static const std::chrono::microseconds value = [] {
    if (const char* env = std::getenv("MYELIN_POOL_SPIN_US")) {
      char* end = nullptr;
      const long us = std::strtol(env, &end, 10);
      if (end != env && *end == '\0' && us >= 0 && us <= 10000000) return std::chrono::microseconds(us);
    }
    return std::chrono::microseconds(5000);
  }();
  return value;
}

// Spinning past this yields the core to any other runnable thread between checks; a
// yield that lasts longer than kYieldTaken means another thread ran, and the spin ends.
constexpr auto kSpinBeforeYield = std::chrono::microseconds(200);
constexpr auto kYieldTaken = std::chrono::microseconds(50);

// Reads "quota period" from cgroup v2 cpu.max or v1 cfs files; 0 when unlimited/absent.
size_t cgroup_cpu_limit() {
  auto ceil_ratio = [](long long quota, long long period) -> size_t {
    if (quota <= 0 || period <= 0) return 0;
    return static_cast<size_t>((quota + period - 1) / period);
  };
  std::vector<std::string> v2_files = {"/sys/fs/cgroup/cpu.max"};
  std::ifstream self("/proc/self/cgroup");
  for (std::string line; std::getline(self, line);) {
    if (line.rfind("0::", 0) == 0 && line.size() > 4) {
      v2_files.insert(v2_files.begin(), "/sys/fs/cgroup" + line.substr(3) + "/cpu.max");
    }
  }
  for (const std::string& path : v2_files) {
    std::ifstream f(path);
    std::string quota;
    long long period = 0;
    if (f >> quota >> period) {
      if (quota == "max") return 0;
      return ceil_ratio(std::atoll(quota.c_str()), period);
    }
  }
  for (const char* dir : {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"}) {
    std::ifstream q(std::string(dir) + "/cpu.cfs_quota_us");
    std::ifstream p(std::string(dir) + "/cpu.cfs_period_us");
    long long quota = 0, period = 0;
    if (q >> quota && p >> period) return ceil_ratio(quota, period);
  }
  return 0;
}

// A job is published as one atomic word: its generation (high 32 bits), a "closed" bit and
// the number of pool threads inside it (low bits). A pool thread joins a job only while it
// is open, by a CAS on that word, and the caller closes it (fetch_or) once every task has
// been claimed; it then waits only for the threads that did join. A pool thread that was
// descheduled (by the OS, or by V8's own background threads on a 2-core machine) therefore
// never holds the caller up: the caller has run its share itself. Waiting for every pool
// thread to check in, as a plain "busy workers" count does, turned such a miss into a wait
// of a whole scheduler slice (p99 of a 40 us GEMM was ~3 ms on 2 cores).
class ThreadPool {
 public:
  explicit ThreadPool(size_t n) { start(n); }

  size_t size() const { return size_.load(std::memory_order_relaxed); }

  bool offer(BackgroundJob* job) {
    if (size() <= 1) return false;
    BackgroundJob* none = nullptr;
    if (!background_.compare_exchange_strong(none, job)) return false;
    if (sleepers_.load() > 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      wake_.notify_all();
    }
    return true;
  }

  // Sequentially consistent on both sides (a Dekker pair): a pool thread announces itself
  // in background_inside_ and then re-reads background_, and withdraw clears background_
  // and then reads background_inside_. Either the thread sees the job gone, or withdraw
  // sees the thread inside and waits for it.
  void withdraw(BackgroundJob* job) {
    BackgroundJob* expected = job;
    background_.compare_exchange_strong(expected, nullptr);
    while (background_inside_.load() != 0) cpu_relax();
  }

  void resize(size_t n) {
    std::lock_guard<std::mutex> exclusive(run_mutex_);
    stop();
    start(n);
  }

  void run(size_t n_tasks, TaskRef task) {
    std::unique_lock<std::mutex> exclusive(run_mutex_, std::try_to_lock);
    if (!exclusive.owns_lock() || workers_.empty() || n_tasks <= 1) {
      for (size_t t = 0; t < n_tasks; ++t) task(t);
      return;
    }
    task_ = &task;
    n_tasks_ = n_tasks;
    next_task_.store(0, std::memory_order_relaxed);
    claimed_.store(0, std::memory_order_relaxed);
    failed_.store(false, std::memory_order_relaxed);
    const uint64_t generation = (job_.load(std::memory_order_relaxed) >> 32) + 1;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_.store(generation << 32, std::memory_order_release);  // open, nobody inside
    }
    if (sleepers_.load(std::memory_order_relaxed) > 0) wake_.notify_all();
    run_tasks(0);
    // Every task is claimed: close the job, then wait for the threads inside it only.
    job_.fetch_or(kClosed, std::memory_order_acq_rel);
    while ((job_.load(std::memory_order_acquire) & kInsideMask) != 0) cpu_relax();
    task_ = nullptr;
    if (failed_.load(std::memory_order_relaxed)) {
      throw std::runtime_error("a kernel task failed on a pool thread");
    }
  }

 private:
  static constexpr uint64_t kClosed = uint64_t(1) << 31;
  static constexpr uint64_t kInsideMask = kClosed - 1;

  static uint32_t generation_of(uint64_t job) { return static_cast<uint32_t>(job >> 32); }

  void start(size_t n) {
    stopping_.store(false);
    // A worker must compare against the generation at its creation, not at its first
    // run: the first job may be published before the new thread gets scheduled.
    const uint32_t seen = generation_of(job_.load(std::memory_order_acquire));
    for (size_t i = 1; i < n; ++i) workers_.emplace_back([this, seen, i] { worker_main(seen, i); });
    size_.store(n < 1 ? 1 : n, std::memory_order_relaxed);
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_.store(true);
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
    workers_.clear();
  }

  // Runs tasks until none is left. With at most 64 tasks, thread `self` (the caller is 0)
  // first takes its own tasks, self, self + threads, ..., then any left: the same task
  // (the same slice of C, of the parameters) lands on the same core call after call and
  // its data stays in that core's L2, while a late thread's tasks still get done by the
  // others. More tasks than that are handed out first come, first served.
  void run_tasks(size_t self) {
    if (n_tasks_ > 64) {
      for (;;) {
        const size_t t = next_task_.fetch_add(1, std::memory_order_relaxed);
        if (t >= n_tasks_) return;
        run_one(t);
      }
    }
    const size_t stride = workers_.size() + 1;
    for (size_t t = self; t < n_tasks_; t += stride) {
      if (claim(t)) run_one(t);
    }
    const uint64_t all = n_tasks_ == 64 ? ~uint64_t(0) : (uint64_t(1) << n_tasks_) - 1;
    for (uint64_t free; (free = ~claimed_.load(std::memory_order_relaxed) & all) != 0;) {
      const size_t t = static_cast<size_t>(__builtin_ctzll(free));
      if (claim(t)) run_one(t);
    }
  }

  bool claim(size_t t) {
    const uint64_t bit = uint64_t(1) << t;
    return (claimed_.fetch_or(bit, std::memory_order_relaxed) & bit) == 0;
  }

  void run_one(size_t t) {
    try {
      (*task_)(t);
    } catch (...) {
      failed_.store(true, std::memory_order_relaxed);
    }
  }

  // Joins the job in `job` if it is still open (then `job` holds the word it joined);
  // false when it closed first.
  bool try_enter(uint64_t& job) {
    while ((job & kClosed) == 0) {
      if (job_.compare_exchange_weak(job, job + 1, std::memory_order_acquire,
                                     std::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }

  void worker_main(uint32_t seen, size_t self) {
    enable_flush_denormals();
    for (;;) {
      auto idle_since = std::chrono::steady_clock::now();
      auto spin_end = idle_since + spin_before_sleep();
      auto yield_after = idle_since + kSpinBeforeYield;
      unsigned spins = 0;
      uint64_t job;
      while (generation_of(job = job_.load(std::memory_order_acquire)) == seen) {
        if (stopping_.load(std::memory_order_relaxed)) return;
        if (background_.load(std::memory_order_relaxed) != nullptr) {
          run_background(seen);
          // Background work counts as work: the idle spin starts over after it.
          idle_since = std::chrono::steady_clock::now();
          spin_end = idle_since + spin_before_sleep();
          yield_after = idle_since + kSpinBeforeYield;
          continue;
        }
        cpu_relax();
        if ((++spins & 63) != 0) continue;
        const auto now = std::chrono::steady_clock::now();
        // Past the first stretch the spin offers the core to any other thread that wants it
        // (V8's GC helpers, other processes). When one took it (the yield lasted), the core
        // is contended: spinning on would slow that thread down, so sleep now.
        bool contended = false;
        if (now > yield_after && now <= spin_end) {
          std::this_thread::yield();
          contended = std::chrono::steady_clock::now() - now > kYieldTaken;
        }
        if (contended || now > spin_end) {
          std::unique_lock<std::mutex> lock(mutex_);
          sleepers_.fetch_add(1, std::memory_order_relaxed);
          wake_.wait(lock, [&] {
            return generation_of(job_.load(std::memory_order_acquire)) != seen || stopping_.load() ||
                   background_.load() != nullptr;
          });
          sleepers_.fetch_sub(1, std::memory_order_relaxed);
          spins = 0;
        }
      }
      const bool entered = try_enter(job);
      seen = generation_of(job);
      if (!entered) continue;  // the caller already ran every task of it
      run_tasks(self);
      job_.fetch_sub(1, std::memory_order_release);
    }
  }

  // Runs pieces of the job on offer until it has none left, a parallel_for job is
  // published (generation no longer `seen`), or the pool stops.
  void run_background(uint32_t seen) {
    background_inside_.fetch_add(1);
    BackgroundJob* job = background_.load();
    while (job != nullptr && generation_of(job_.load(std::memory_order_acquire)) == seen &&
           !stopping_.load(std::memory_order_relaxed)) {
      bool more = false;
      try {
        more = job->run_piece();
      } catch (...) {
        more = false;
      }
      if (!more) {
        // Done: take it off offer so idle threads go back to plain spinning.
        BackgroundJob* expected = job;
        background_.compare_exchange_strong(expected, nullptr);
        break;
      }
      job = background_.load();
    }
    background_inside_.fetch_sub(1);
  }

  std::mutex run_mutex_;  // one caller at a time
  std::mutex mutex_;      // guards sleeping on wake_
  std::condition_variable wake_;
  std::atomic<uint64_t> job_{0};  // generation << 32 | closed bit | threads inside
  std::atomic<size_t> next_task_{0};   // jobs of more than 64 tasks
  std::atomic<uint64_t> claimed_{0};   // jobs of up to 64 tasks: bit t set once task t is taken
  std::atomic<size_t> sleepers_{0};
  std::atomic<bool> failed_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> size_{1};
  std::atomic<BackgroundJob*> background_{nullptr};  // on offer to idle threads
  std::atomic<size_t> background_inside_{0};         // pool threads inside its run_piece
  size_t n_tasks_ = 0;
  const TaskRef* task_ = nullptr;
  std::vector<std::thread> workers_;
};

// Created on first use and deliberately never destroyed: joining threads from a static
// destructor while Node tears down is a classic exit-time hang.
ThreadPool& pool() {
  static ThreadPool* instance = new ThreadPool(default_thread_count());
  return *instance;
}

}  // namespace

size_t usable_core_count() {
  size_t cores = std::thread::hardware_concurrency();
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) cores = static_cast<size_t>(CPU_COUNT(&set));
#endif
  const size_t quota = cgroup_cpu_limit();
  if (quota > 0 && quota < cores) cores = quota;
  return cores < 1 ? 1 : cores;
}

size_t default_thread_count() {
  if (const char* env = std::getenv("MYELIN_NUM_THREADS")) {
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n >= 1 && n <= 1024) return static_cast<size_t>(n);
  }
  return usable_core_count();
}

size_t thread_count() { return pool().size(); }

void set_thread_count(size_t n) { pool().resize(n < 1 ? 1 : n); }

void parallel_for(size_t n_tasks, TaskRef task) { pool().run(n_tasks, task); }

bool offer_background(BackgroundJob* job) { return job != nullptr && pool().offer(job); }

void withdraw_background(BackgroundJob* job) { pool().withdraw(job); }

}  // namespace myelin
