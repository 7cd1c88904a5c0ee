// One persistent pool of std::threads for all kernels (no OpenMP).
#pragma once

#include <cstddef>

namespace myelin {

// Cores this process may really use: sched_getaffinity, capped by a cgroup CPU quota
// (v2 cpu.max, v1 cfs_quota_us). At least 1.
size_t usable_core_count();

// Threads the pool starts with: MYELIN_NUM_THREADS if it is a positive integer, else
// usable_core_count().
size_t default_thread_count();

// A borrowed callable `void(size_t task)`; cheaper than std::function and never allocates.
class TaskRef {
 public:
  template <typename F>
  TaskRef(const F& f)  // NOLINT: implicit on purpose, like a function_ref
      : object_(&f), call_([](const void* o, size_t t) { (*static_cast<const F*>(o))(t); }) {}
  void operator()(size_t task) const { call_(object_, task); }

 private:
  const void* object_;
  void (*call_)(const void*, size_t);
};

// Number of threads (the caller included) that parallel_for uses; creates the pool on
// first use.
size_t thread_count();

// Resizes the pool to n threads in total (the caller counts as one). n >= 1.
void set_thread_count(size_t n);

// Runs task(0..n_tasks-1) across the pool and the calling thread, returns when all are
// done. Pool threads run with FTZ/DAZ. A task must not throw (an exception is reported
// back as std::runtime_error after all tasks finished). If another thread is already
// using the pool (e.g. a Node worker_thread), the tasks run on the caller alone.
void parallel_for(size_t n_tasks, TaskRef task);

// Work that idle pool threads advance piece by piece between parallel_for jobs, while the
// thread that offered it goes on with other things (a data loader's next batch, gathered
// while JavaScript runs the current step). A pool thread checks for a parallel_for job
// after every piece, so a piece should take about a microsecond.
class BackgroundJob {
 public:
  virtual ~BackgroundJob() = default;
  // Does one piece of the work; false when no piece was left to take. Called from pool
  // threads, concurrently with each other and with the offering thread.
  virtual bool run_piece() = 0;
};

// Offers `job` to the pool's idle threads; false (and nothing happens) when the pool has
// no threads besides the caller's or another job is on offer. The job must stay alive until
// withdraw_background(job) returns.
bool offer_background(BackgroundJob* job);

// Takes `job` off offer and returns once no pool thread is inside its run_piece(). Safe to
// call for a job that was never offered or already withdrawn.
void withdraw_background(BackgroundJob* job);

}  // namespace myelin
