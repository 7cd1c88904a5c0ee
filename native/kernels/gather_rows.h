// Copying whole rows of a row-major matrix by index: the batch gather of a data loader.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "thread_pool.h"

namespace myelin {

// out[i*row_size .. +row_size) = src[indices[i]*row_size .. +row_size) for i < count.
// Indices must already be checked to lie in [0, rows of src). Gathers of more than a few
// thousand elements (a batch of 32 images) are split over the thread pool by rows; each
// row is one memcpy, so the bits never depend on it.
template <typename T>
void gather_rows(const T* src, size_t row_size, const int32_t* indices, size_t count, T* out);

// Asks the CPU to start fetching rows src[indices[i]*row_size ..] (their first lines) into
// its caches, without waiting: a data loader calls it for the next batch, whose rows
// (random rows of a large set: TLB and DRAM misses) then start arriving while the current
// step computes. Only a hint; it reads nothing itself. Indices must already be checked.
template <typename T>
void prefetch_rows(const T* src, size_t row_size, const int32_t* indices, size_t count);

// gather_rows done ahead, by the pool's idle threads, while the caller does other work:
// start() offers the rows to the pool and returns at once; finish() copies whatever rows
// no pool thread has taken, waits for the ones in flight, and returns with every row in
// place. Rows are claimed one at a time through an atomic counter, so each is copied
// exactly once, by whichever thread claims it: the bits are gather_rows'. With no pool
// thread (one thread in total) or another job on offer, finish() simply copies them all.
// src and out must stay valid, and src unchanged, until finish() returns; the destructor
// finishes a started gather.
template <typename T>
class BackgroundGather final : public BackgroundJob {
 public:
  BackgroundGather(const T* src, size_t row_size, const int32_t* indices, size_t count, T* out);
  ~BackgroundGather() override;
  BackgroundGather(const BackgroundGather&) = delete;
  BackgroundGather& operator=(const BackgroundGather&) = delete;

  // Offers the rows to the pool; true when a pool thread may now take some.
  bool start();
  // Returns once every row is in out.
  void finish();
  // Rows copied by pool threads so far (for tests and benchmarks).
  size_t rows_by_pool() const { return by_pool_.load(std::memory_order_relaxed); }

  bool run_piece() override;

 private:
  bool copy_next(bool from_pool);

  const T* src_;
  size_t row_size_;
  std::vector<int32_t> indices_;
  T* out_;
  std::atomic<size_t> next_{0};
  std::atomic<size_t> by_pool_{0};
  bool offered_ = false;
  bool finished_ = false;
};

}  // namespace myelin
