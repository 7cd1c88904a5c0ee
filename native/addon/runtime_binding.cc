// info and setNumThreads: what the kernels run on, and how many threads they use.
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

}  // namespace

void register_runtime(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
}

}  // namespace myelin_addon
