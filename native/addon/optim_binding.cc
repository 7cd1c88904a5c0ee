// adamUpdate and sgdUpdate: one optimizer step over one parameter array, in place.
//
//   adamUpdate(w, g, m, v, vmax | null, stepSize, bc2Sqrt, beta1, beta2, eps, l2, shrink, sign)
//   sgdUpdate(w, g, buf | null, lr, momentum, dampening, weightDecay, sign, nesterov, first)
//   adamUpdateMany(ws, gs, ms, vs, vmaxs | null, stepSize, ...)   the same over Arrays of
//   sgdUpdateMany(ws, gs, bufs | null, lr, ...)                    arrays, one step per index
//
// The arrays of one parameter share one dtype and length (in the Many forms every
// parameter has the dtype of ws[0], and no array written may overlap another); the
// coefficient meanings are in native/kernels/optim_update.h.
#include <algorithm>
#include <utility>
#include <vector>

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

// The Many forms: lists[k][i] is array k of parameter i; null lists (vmaxs, bufs) where
// `nullable`. Checks counts, dtypes and lengths per parameter, and that no written array
// overlaps another (the pool updates several parameters at once).
struct ParamArrays {
  std::vector<std::vector<FloatArray>> lists;
  std::vector<bool> present;
  size_t count = 0;
  Dtype dtype = Dtype::float32;
};

ParamArrays param_arrays(const Args& args, const Napi::CallbackInfo& info, size_t kinds, const char* const* names,
                         const bool* nullable, const bool* written) {
  ParamArrays p;
  p.lists.resize(kinds);
  p.present.assign(kinds, false);
  // Every list's elements are read before any is converted (see Args::float_array_items).
  std::vector<std::vector<Napi::Value>> items(kinds);
  for (size_t k = 0; k < kinds; ++k) {
    if (nullable[k] && info[k].IsNull()) continue;
    items[k] = args.float_array_items(k, names[k]);
    p.present[k] = true;
  }
  for (size_t k = 0; k < kinds; ++k) {
    if (!p.present[k]) continue;
    for (size_t i = 0; i < items[k].size(); ++i) p.lists[k].push_back(args.float_array_item(items[k][i], names[k], i));
    if (p.lists[k].size() != p.lists[0].size()) {
      args.fail_range(std::string(names[k]) + " has " + std::to_string(p.lists[k].size()) + " arrays but " + names[0] +
                      " has " + std::to_string(p.lists[0].size()));
    }
  }
  p.count = p.lists[0].size();
  if (p.count > 0) p.dtype = p.lists[0][0].dtype;
  std::vector<std::pair<const char*, const char*>> ranges;  // bytes [first, second) written
  for (size_t i = 0; i < p.count; ++i) {
    const FloatArray& w = p.lists[0][i];
    for (size_t k = 0; k < kinds; ++k) {
      if (!p.present[k]) continue;
      const FloatArray& a = p.lists[k][i];
      const auto where = [&] { return std::string(names[k]) + "[" + std::to_string(i) + "]"; };
      if (a.dtype != p.dtype) {
        args.fail_type(where() + " is a " + dtype_array_name(a.dtype) + " but " + names[0] + "[0] is a " +
                       dtype_array_name(p.dtype));
      }
      if (a.length != w.length) {
        args.fail_range(where() + " has " + std::to_string(a.length) + " elements but " + names[0] + "[" +
                        std::to_string(i) + "] has " + std::to_string(w.length) +
                        (a.length == 0 ? " (is its buffer detached?)" : ""));
      }
      if (written[k] && a.length > 0) {
        const char* begin = static_cast<const char*>(a.data);
        ranges.emplace_back(begin, begin + a.length * (a.dtype == Dtype::float32 ? 4 : 8));
      }
    }
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t r = 1; r < ranges.size(); ++r) {
    if (ranges[r].first < ranges[r - 1].second) {
      args.fail("two of the arrays it writes share memory (parameters or state buffers that are views of one buffer "
                "cannot be updated in one call)");
    }
  }
  return p;
}

template <typename T>
T* item(const ParamArrays& p, size_t k, size_t i) {
  return p.present[k] ? p.lists[k][i].as<T>() : nullptr;
}

template <typename T>
void adam_many(const ParamArrays& p, const myelin::AdamCoefficients& c) {
  std::vector<myelin::AdamSlice<T>> slices(p.count);
  for (size_t i = 0; i < p.count; ++i) {
    slices[i] = {item<T>(p, 0, i), item<T>(p, 1, i), item<T>(p, 2, i), item<T>(p, 3, i), item<T>(p, 4, i),
                 p.lists[0][i].length};
  }
  myelin::adam_update_many(slices.data(), slices.size(), c);
}

Napi::Value AdamUpdateMany(const Napi::CallbackInfo& info) {
  const Args args(info, "adamUpdateMany");
  args.expect_count(13, "ws, gs, ms, vs, vmaxs|null, stepSize, bc2Sqrt, beta1, beta2, eps, l2, shrink, sign");
  static const char* const names[] = {"ws", "gs", "ms", "vs", "vmaxs"};
  static const bool nullable[] = {false, false, false, false, true};
  static const bool written[] = {true, false, true, true, true};
  const ParamArrays p = param_arrays(args, info, 5, names, nullable, written);
  const myelin::AdamCoefficients c{args.number(5, "stepSize"), args.number(6, "bc2Sqrt"), args.number(7, "beta1"),
                                   args.number(8, "beta2"),    args.number(9, "eps"),     args.number(10, "l2"),
                                   args.number(11, "shrink"),  args.number(12, "sign")};
  if (p.dtype == Dtype::float32) {
    adam_many<float>(p, c);
  } else {
    adam_many<double>(p, c);
  }
  return info.Env().Undefined();
}

template <typename T>
void sgd_many(const ParamArrays& p, const myelin::SgdCoefficients& c) {
  std::vector<myelin::SgdSlice<T>> slices(p.count);
  for (size_t i = 0; i < p.count; ++i) {
    slices[i] = {item<T>(p, 0, i), item<T>(p, 1, i), item<T>(p, 2, i), p.lists[0][i].length};
  }
  myelin::sgd_update_many(slices.data(), slices.size(), c);
}

Napi::Value SgdUpdateMany(const Napi::CallbackInfo& info) {
  const Args args(info, "sgdUpdateMany");
  args.expect_count(10, "ws, gs, bufs|null, lr, momentum, dampening, weightDecay, sign, nesterov, first");
  static const char* const names[] = {"ws", "gs", "bufs"};
  static const bool nullable[] = {false, false, true};
  static const bool written[] = {true, false, true};
  const ParamArrays p = param_arrays(args, info, 3, names, nullable, written);
  const myelin::SgdCoefficients c{args.number(3, "lr"),          args.number(4, "momentum"), args.number(5, "dampening"),
                                  args.number(6, "weightDecay"), args.number(7, "sign"),     args.boolean(8, "nesterov"),
                                  args.boolean(9, "first")};
  if (p.dtype == Dtype::float32) {
    sgd_many<float>(p, c);
  } else {
    sgd_many<double>(p, c);
  }
  return info.Env().Undefined();
}

}  // namespace

void register_optim(Napi::Env env, Napi::Object exports) {
  exports.Set("adamUpdate", Napi::Function::New(env, AdamUpdate, "adamUpdate"));
  exports.Set("sgdUpdate", Napi::Function::New(env, SgdUpdate, "sgdUpdate"));
  exports.Set("adamUpdateMany", Napi::Function::New(env, AdamUpdateMany, "adamUpdateMany"));
  exports.Set("sgdUpdateMany", Napi::Function::New(env, SgdUpdateMany, "sgdUpdateMany"));
}

}  // namespace myelin_addon
