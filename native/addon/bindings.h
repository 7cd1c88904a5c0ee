// One registration function per binding file; module.cc calls them all.
#pragma once

#include <napi.h>

namespace myelin_addon {

void register_gemm(Napi::Env env, Napi::Object exports);
void register_runtime(Napi::Env env, Napi::Object exports);
void register_nn(Napi::Env env, Napi::Object exports);
void register_optim(Napi::Env env, Napi::Object exports);
void register_data(Napi::Env env, Napi::Object exports);
void register_elementwise(Napi::Env env, Napi::Object exports);

}  // namespace myelin_addon
