// Chooses the GEMM kernels once per process: the table starts from the portable
// reference and each ISA the CPU supports overrides it, up to MYELIN_ISA if set.
#include <cstdlib>
#include <string>

#include "gemm_microkernel.h"

namespace myelin {
namespace {

Isa clamp_to_available(Isa wanted) {
  const Isa best = detect_best_isa();
  return static_cast<int>(wanted) > static_cast<int>(best) ? best : wanted;
}

Isa isa_from_environment() {
  Isa wanted = detect_best_isa();
  if (const char* env = std::getenv("MYELIN_ISA")) parse_isa(env, &wanted);
  return clamp_to_available(wanted);
}

GemmDispatch& dispatch_table() {
  static GemmDispatch table = gemm_dispatch_for(isa_from_environment());
  return table;
}

}  // namespace

GemmDispatch gemm_dispatch_for(Isa isa) {
  GemmDispatch d;
  d.isa = Isa::scalar;
  d.f32 = f32_gemm_kernels_scalar();
  d.f64 = f64_gemm_kernels_scalar();
  d.act_f32 = f32_activation_kernels_reference();
  d.act_f64 = f64_activation_kernels_reference();
#if defined(__x86_64__)
  if (static_cast<int>(isa) >= static_cast<int>(Isa::avx2)) {
    d.isa = Isa::avx2;
    d.f32 = f32_gemm_kernels_avx2();
    d.f64 = f64_gemm_kernels_avx2();
    d.act_f32 = f32_activation_kernels_avx2();
    d.act_f64 = f64_activation_kernels_avx2();
  }
  if (static_cast<int>(isa) >= static_cast<int>(Isa::avx512)) {
    d.isa = Isa::avx512;
    d.f32 = f32_gemm_kernels_avx512();
    d.f64 = f64_gemm_kernels_avx512();
    d.act_f32 = f32_activation_kernels_avx512();
    d.act_f64 = f64_activation_kernels_avx512();
  }
#else
  (void)isa;
#endif
  return d;
}

const GemmDispatch& gemm_dispatch() { return dispatch_table(); }

Isa select_gemm_isa(Isa wanted) {
  dispatch_table() = gemm_dispatch_for(clamp_to_available(wanted));
  return dispatch_table().isa;
}

}  // namespace myelin
