// Splitting an elementwise kernel's index range over the thread pool.
//
// Each element (or bias-gradient column) is computed by the same arithmetic whichever
// chunk holds it, so the bits never depend on the thread count. Chunk bounds are
// multiples of kSplitAlign elements so every chunk but the last starts on a cache line
// and no line is written by two threads.
#pragma once

#include <algorithm>
#include <cstddef>

#include "thread_pool.h"

namespace myelin {

constexpr size_t kSplitAlign = 16;  // 64 B of float: one cache line

// Calls body(begin, end) over contiguous chunks covering [0, n). Splits only when each
// chunk gets at least min_chunk elements: below that the pool's hand-off (about 1 us
// while its threads spin, tens of us from sleep) costs more than it saves. One chunk per
// thread: two per thread measured slower for gelu' and no better elsewhere.
template <typename F>
void parallel_split(size_t n, size_t min_chunk, const F& body) {
  const size_t chunks = std::min(thread_count(), n / std::max<size_t>(min_chunk, 1));
  if (chunks <= 1) {
    body(size_t(0), n);
    return;
  }
  const size_t per = ((n + chunks - 1) / chunks + kSplitAlign - 1) / kSplitAlign * kSplitAlign;
  const size_t tasks = (n + per - 1) / per;
  parallel_for(tasks, [&](size_t t) {
    const size_t begin = t * per;
    body(begin, std::min(n, begin + per));
  });
}

}  // namespace myelin
