// adamUpdate and sgdUpdate: one optimizer step over one parameter array, in place.
//
//   adamUpdate(w, g, m, v, vmax | null, stepSize, bc2Sqrt, beta1, beta2, eps, l2, shrink, sign)
//   sgdUpdate(w, g, buf | null, lr, momentum, dampening, weightDecay, sign, nesterov, first)
//
// All arrays share one dtype and length; the coefficient meanings are in
// native/kernels/optim_update.h.
#include "args.h"
#include "bindings.h"
#include "optim_update.h"

namespace myelin_addon {
namespace {

// The arrays at `indices` (null allowed where `nullable`), checked to match w's dtype and length.
struct SameArrays {
  FloatArray items[5];
  bool present[5] = {false, false, false, false, false};
};

SameArrays same_arrays(const Args& args, const Napi::CallbackInfo& info, size_t count,
                       const char* const* names, const bool* nullable) {
  SameArrays out;
  for (size_t i = 0; i < count; ++i) {
    if (nullable[i] && info[i].IsNull()) continue;
    out.items[i] = args.float_array(i, names[i]);
    out.present[i] = true;
    const FloatArray& w = out.items[0];
    const FloatArray& a = out.items[i];
    if (a.dtype != w.dtype) {
      args.fail_type(std::string(names[i]) + " is a " + dtype_array_name(a.dtype) + " but " + names[0] + " is a " +
                     dtype_array_name(w.dtype));
    }
    if (a.length != w.length) {
      args.fail_range(std::string(names[i]) + " has " + std::to_string(a.length) + " elements but " + names[0] +
                      " has " + std::to_string(w.length) + (a.length == 0 ? " (is its buffer detached?)" : ""));
    }
  }
  return out;
}

template <typename T>
T* ptr(const SameArrays& s, size_t i) {
  return s.present[i] ? s.items[i].as<T>() : nullptr;
}

Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  const Args args(info, "adamUpdate");
  args.expect_count(13, "w, g, m, v, vmax|null, stepSize, bc2Sqrt, beta1, beta2, eps, l2, shrink, sign");
  static const char* const names[] = {"w", "g", "m", "v", "vmax"};
  static const bool nullable[] = {false, false, false, false, true};
  const SameArrays a = same_arrays(args, info, 5, names, nullable);
  const myelin::AdamCoefficients c{args.number(5, "stepSize"), args.number(6, "bc2Sqrt"), args.number(7, "beta1"),
                                   args.number(8, "beta2"),    args.number(9, "eps"),     args.number(10, "l2"),
                                   args.number(11, "shrink"),  args.number(12, "sign")};
  const size_t n = a.items[0].length;
  if (a.items[0].dtype == Dtype::float32) {
    myelin::adam_update(ptr<float>(a, 0), ptr<float>(a, 1), ptr<float>(a, 2), ptr<float>(a, 3), ptr<float>(a, 4), n, c);
  } else {
    myelin::adam_update(ptr<double>(a, 0), ptr<double>(a, 1), ptr<double>(a, 2), ptr<double>(a, 3), ptr<double>(a, 4), n, c);
  }
  return info.Env().Undefined();
}

Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  const Args args(info, "sgdUpdate");
  args.expect_count(10, "w, g, buf|null, lr, momentum, dampening, weightDecay, sign, nesterov, first");
  static const char* const names[] = {"w", "g", "buf"};
  static const bool nullable[] = {false, false, true};
  const SameArrays a = same_arrays(args, info, 3, names, nullable);
  const myelin::SgdCoefficients c{args.number(3, "lr"),          args.number(4, "momentum"), args.number(5, "dampening"),
                                  args.number(6, "weightDecay"), args.number(7, "sign"),     args.boolean(8, "nesterov"),
                                  args.boolean(9, "first")};
  const size_t n = a.items[0].length;
  if (a.items[0].dtype == Dtype::float32) {
    myelin::sgd_update(ptr<float>(a, 0), ptr<float>(a, 1), ptr<float>(a, 2), n, c);
  } else {
    myelin::sgd_update(ptr<double>(a, 0), ptr<double>(a, 1), ptr<double>(a, 2), n, c);
  }
  return info.Env().Undefined();
}

}  // namespace

void register_optim(Napi::Env env, Napi::Object exports) {
  exports.Set("adamUpdate", Napi::Function::New(env, AdamUpdate, "adamUpdate"));
  exports.Set("sgdUpdate", Napi::Function::New(env, SgdUpdate, "sgdUpdate"));
}

}  // namespace myelin_addon
