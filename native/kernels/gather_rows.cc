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

template void gather_rows<float>(const float*, size_t, const int32_t*, size_t, float*);
template void gather_rows<double>(const double*, size_t, const int32_t*, size_t, double*);

}  // namespace myelin
