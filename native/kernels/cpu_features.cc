#include "cpu_features.h"

#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <cstdint>
#endif

namespace myelin {

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::avx512: return "avx512";
    case Isa::avx2: return "avx2";
    case Isa::scalar: break;
  }
  return "scalar";
}

bool parse_isa(const std::string& text, Isa* out) {
  if (text == "scalar") { *out = Isa::scalar; return true; }
  if (text == "avx2") { *out = Isa::avx2; return true; }
  if (text == "avx512") { *out = Isa::avx512; return true; }
  return false;
}

#if defined(__x86_64__) || defined(__i386__)
namespace {

// XCR0 tells which register state the OS saves on context switch. Without it, a
// CPU that has AVX-512 would still fault (or corrupt registers) when we use it.
uint64_t read_xcr0() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  const bool osxsave = (ecx >> 27) & 1;
  if (!osxsave) return 0;
  uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

constexpr uint64_t kXcr0SseAvx = (1u << 1) | (1u << 2);               // XMM, YMM
constexpr uint64_t kXcr0Avx512 = (1u << 5) | (1u << 6) | (1u << 7);   // opmask, ZMM0-15 hi, ZMM16-31

}  // namespace

Isa detect_best_isa() {
  __builtin_cpu_init();
  const uint64_t xcr0 = read_xcr0();
  const bool os_avx = (xcr0 & kXcr0SseAvx) == kXcr0SseAvx;
  const bool os_avx512 = os_avx && (xcr0 & kXcr0Avx512) == kXcr0Avx512;
  if (os_avx512 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("fma")) {
    return Isa::avx512;
  }
  if (os_avx && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::avx2;
  return Isa::scalar;
}
#else
Isa detect_best_isa() { return Isa::scalar; }
#endif

size_t l2_cache_bytes(size_t fallback) {
#if defined(_SC_LEVEL2_CACHE_SIZE)
  const long bytes = sysconf(_SC_LEVEL2_CACHE_SIZE);
  // Virtual machines sometimes report 0 or absurd sizes; accept 64 KiB .. 64 MiB.
  if (bytes >= (64L << 10) && bytes <= (64L << 20)) return static_cast<size_t>(bytes);
#endif
  return fallback;
}

std::vector<Isa> available_isas() {
  std::vector<Isa> out;
  const Isa best = detect_best_isa();
  for (int i = 0; i <= static_cast<int>(best); ++i) out.push_back(static_cast<Isa>(i));
  return out;
}

}  // namespace myelin
