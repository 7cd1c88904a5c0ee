#include "gather_rows.h"

#include <cstring>

#include "parallel_split.h"

namespace myelin {
namespace {

// Fewest elements per pool chunk. A gathered row usually comes from memory, not cache, so
// two cores fetch about twice as fast once each copies a few hundred KiB.
constexpr size_t kGatherMinChunk = 64 * 1024;

}  // namespace

template <typename T>
void gather_rows(const T* src, size_t row_size, const int32_t* indices, size_t count, T* out) {
  if (row_size == 0 || count == 0) return;
  const size_t min_rows = kGatherMinChunk / row_size + 1;
  parallel_split(count, min_rows, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      std::memcpy(out + i * row_size, src + static_cast<size_t>(indices[i]) * row_size, row_size * sizeof(T));
    }
  });
}

template <typename T>
void prefetch_rows(const T* src, size_t row_size, const int32_t* indices, size_t count) {
  constexpr size_t kLine = 64;
  const size_t bytes = row_size * sizeof(T);
  for (size_t i = 0; i < count; ++i) {
    const char* row = reinterpret_cast<const char*>(src + static_cast<size_t>(indices[i]) * row_size);
    // One prefetch per cache line the row touches, the last one included.
    const char* first = row - reinterpret_cast<uintptr_t>(row) % kLine;
    for (const char* p = first; p < row + bytes; p += kLine) __builtin_prefetch(p, 0, 3);
  }
}

template void prefetch_rows<float>(const float*, size_t, const int32_t*, size_t);
template void prefetch_rows<double>(const double*, size_t, const int32_t*, size_t);
template void gather_rows<float>(const float*, size_t, const int32_t*, size_t, float*);
template void gather_rows<double>(const double*, size_t, const int32_t*, size_t, double*);

}  // namespace myelin
