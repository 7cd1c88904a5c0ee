// info and setNumThreads: what the kernels run on, and how many threads they use;
// alignOffset: where a buffer's first cache line starts.
#include <cstdint>

#include "args.h"
#include "bindings.h"
#include "cpu_features.h"
#include "gemm_microkernel.h"
#include "thread_pool.h"

namespace myelin_addon {
namespace {

Napi::Value Info(const Napi::CallbackInfo& info) {
  const Args args(info, "info");
  args.expect_count(0, "no arguments");
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  const myelin::GemmDispatch& dispatch = myelin::gemm_dispatch();
  out.Set("isa", myelin::isa_name(dispatch.isa));
  out.Set("threads", static_cast<double>(myelin::thread_count()));
  const std::vector<myelin::Isa> isas = myelin::available_isas();
  Napi::Array available = Napi::Array::New(env, isas.size());
  for (size_t i = 0; i < isas.size(); ++i) available.Set(static_cast<uint32_t>(i), myelin::isa_name(isas[i]));
  out.Set("available", available);
  return out;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  const Args args(info, "setNumThreads");
  args.expect_count(1, "n");
  const size_t n = args.size(0, "n");
  if (n < 1 || n > 1024) args.fail_range("n must be an integer in [1, 1024], got " + std::to_string(n));
  myelin::set_thread_count(n);
  return info.Env().Undefined();
}

// Bytes from the start of an ArrayBuffer to its first 64-byte boundary: storage.ts starts
// tensors there, so that a 64-byte row segment (an AVX-512 register, a GEMM tile row)
// spans one cache line and 32-byte loads never split across two.
Napi::Value AlignOffset(const Napi::CallbackInfo& info) {
  const Args args(info, "alignOffset");
  args.expect_count(1, "buffer");
  if (!info[0].IsArrayBuffer()) args.fail_type("buffer must be an ArrayBuffer");
  const auto address = reinterpret_cast<uintptr_t>(info[0].As<Napi::ArrayBuffer>().Data());
  return Napi::Number::New(info.Env(), static_cast<double>((64 - address % 64) % 64));
}

}  // namespace

void register_runtime(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("alignOffset", Napi::Function::New(env, AlignOffset, "alignOffset"));
}

}  // namespace myelin_addon
