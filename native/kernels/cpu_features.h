// Which SIMD instruction sets this process may use, decided once at load.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace myelin {

// Ordered from the portable reference upward; a higher value implies the lower ones.
enum class Isa { scalar = 0, avx2 = 1, avx512 = 2 };

const char* isa_name(Isa isa);

// Parses "scalar" | "avx2" | "avx512"; returns false for anything else.
bool parse_isa(const std::string& text, Isa* out);

// Best ISA the CPU *and the OS* support (AVX-512 needs the OS to save the ZMM and
// opmask state, checked through XCR0, not only the CPUID bit).
Isa detect_best_isa();

// Size of one core's L2 cache in bytes as the OS reports it (glibc reads CPUID), or
// `fallback` where it cannot tell. GEMM sizes its packed B block from it.
size_t l2_cache_bytes(size_t fallback);

// Every ISA this machine can run, reference first.
std::vector<Isa> available_isas();

}  // namespace myelin
