// Copying whole rows of a row-major matrix by index: the batch gather of a data loader.
#pragma once

#include <cstddef>
#include <cstdint>

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

}  // namespace myelin
