// Floating-point mode for kernels: flush-to-zero and denormals-are-zero.
//
// Pool threads run with FTZ/DAZ always on; the calling (JavaScript) thread turns them on
// only for the duration of a kernel call and restores its MXCSR exactly afterwards, so
// a tile gives the same bits whichever thread computes it, and JavaScript's own
// floating-point behaviour (denormals, sticky exception flags) is left untouched.
#pragma once

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

namespace myelin {

#if defined(__x86_64__) || defined(__i386__)
constexpr unsigned kMxcsrFtzDaz = 0x8040;  // bit 15 FTZ, bit 6 DAZ

inline void enable_flush_denormals() { _mm_setcsr(_mm_getcsr() | kMxcsrFtzDaz); }

class ScopedFlushDenormals {
 public:
  ScopedFlushDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | kMxcsrFtzDaz); }
  ~ScopedFlushDenormals() { _mm_setcsr(saved_); }
  ScopedFlushDenormals(const ScopedFlushDenormals&) = delete;
  ScopedFlushDenormals& operator=(const ScopedFlushDenormals&) = delete;

 private:
  unsigned saved_;
};

// The opposite, for kernels that must keep denormals as JavaScript does (the general
// elementwise ops): FTZ/DAZ off for the scope, on any thread, then the old MXCSR back.
class ScopedKeepDenormals {
 public:
  ScopedKeepDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ & ~kMxcsrFtzDaz); }
  ~ScopedKeepDenormals() { _mm_setcsr(saved_); }
  ScopedKeepDenormals(const ScopedKeepDenormals&) = delete;
  ScopedKeepDenormals& operator=(const ScopedKeepDenormals&) = delete;

 private:
  unsigned saved_;
};
#else
inline void enable_flush_denormals() {}
class ScopedFlushDenormals {};
class ScopedKeepDenormals {};
#endif

}  // namespace myelin
