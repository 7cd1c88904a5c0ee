#include "args.h"

#include <cmath>

namespace myelin_addon {
namespace {

// Dimensions beyond 2^32 cannot describe a typed array V8 will allocate, and keeping
// them below that makes every product of two fit in 64 bits.
constexpr double kMaxSize = 4294967296.0;

std::string describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsBoolean()) return "a boolean";
  if (v.IsNumber()) return "the number " + v.ToString().Utf8Value();
  if (v.IsString()) return "a string";
  if (v.IsTypedArray()) {
    switch (v.As<Napi::TypedArray>().TypedArrayType()) {
      case napi_int8_array: return "an Int8Array";
      case napi_uint8_array: return "a Uint8Array";
      case napi_uint8_clamped_array: return "a Uint8ClampedArray";
      case napi_int16_array: return "an Int16Array";
      case napi_uint16_array: return "a Uint16Array";
      case napi_int32_array: return "an Int32Array";
      case napi_uint32_array: return "a Uint32Array";
      case napi_float32_array: return "a Float32Array";
      case napi_float64_array: return "a Float64Array";
      case napi_bigint64_array: return "a BigInt64Array";
      case napi_biguint64_array: return "a BigUint64Array";
      default: return "a typed array";
    }
  }
  if (v.IsArray()) return "an Array";
  if (v.IsFunction()) return "a function";
  return "an object";
}

}  // namespace

const char* dtype_array_name(Dtype dtype) {
  return dtype == Dtype::float32 ? "Float32Array" : "Float64Array";
}

Args::Args(const Napi::CallbackInfo& info, const char* op) : info_(info), op_(op) {}

void Args::fail(const std::string& message) const {
  throw Napi::Error::New(env(), std::string(op_) + ": " + message);
}
void Args::fail_type(const std::string& message) const {
  throw Napi::TypeError::New(env(), std::string(op_) + ": " + message);
}
void Args::fail_range(const std::string& message) const {
  throw Napi::RangeError::New(env(), std::string(op_) + ": " + message);
}

void Args::expect_count(size_t count, const char* signature) const {
  if (info_.Length() != count) {
    fail_type("expected " + std::to_string(count) + " arguments (" + signature + "), got " +
              std::to_string(info_.Length()));
  }
}

// One N-API call each: napi_get_value_* fails on a value of another type, and only then
// is the type looked up for the message.
bool Args::boolean(size_t index, const char* name) const {
  const Napi::Value v = info_[index];
  bool out = false;
  if (napi_get_value_bool(info_.Env(), v, &out) != napi_ok) {
    fail_type(std::string(name) + " must be a boolean, got " + describe(v));
  }
  return out;
}

double Args::number(size_t index, const char* name) const {
  const Napi::Value v = info_[index];
  double out = 0;
  if (napi_get_value_double(info_.Env(), v, &out) != napi_ok) {
    fail_type(std::string(name) + " must be a number, got " + describe(v));
  }
  return out;
}

size_t Args::size(size_t index, const char* name) const {
  const double x = number(index, name);
  if (!std::isfinite(x) || x != std::floor(x) || x < 0) {
    fail_range(std::string(name) + " must be a non-negative integer, got " +
               Napi::Value(info_[index]).ToString().Utf8Value());
  }
  if (x > kMaxSize) fail_range(std::string(name) + " = " + std::to_string(x) + " is too large");
  return static_cast<size_t>(x);
}

FloatArray Args::float_array(size_t index, const char* name) const {
  return to_float_array(info_[index], name, -1);
}

// `element` >= 0 names the array's element in errors ("ws[2]"); the name is built on failure only.
FloatArray Args::to_float_array(const Napi::Value& v, const char* name, long element) const {
  // One napi_get_typedarray_info call gives type, length and data (byteOffset applied);
  // going through Napi::TypedArray and Napi::Float32Array repeats it three times.
  bool is_typed_array = false;
  napi_typedarray_type type = napi_int8_array;
  size_t length = 0;
  void* data = nullptr;
  if (napi_is_typedarray(info_.Env(), v, &is_typed_array) == napi_ok && is_typed_array &&
      napi_get_typedarray_info(info_.Env(), v, &type, &length, &data, nullptr, nullptr) == napi_ok &&
      (type == napi_float32_array || type == napi_float64_array)) {
    FloatArray out;
    out.dtype = type == napi_float32_array ? Dtype::float32 : Dtype::float64;
    out.data = data;
    out.length = data == nullptr ? 0 : length;  // a detached buffer has no data
    return out;
  }
  const std::string what = element < 0 ? std::string(name) : std::string(name) + "[" + std::to_string(element) + "]";
  fail_type(what + " must be a Float32Array or Float64Array, got " + describe(v));
}

std::vector<Napi::Value> Args::float_array_items(size_t index, const char* name) const {
  const Napi::Value v = info_[index];
  if (!v.IsArray()) fail_type(std::string(name) + " must be an Array of Float32Array or Float64Array, got " + describe(v));
  const Napi::Array list = v.As<Napi::Array>();
  const uint32_t length = list.Length();
  std::vector<Napi::Value> items;
  items.reserve(length);
  for (uint32_t i = 0; i < length; ++i) items.push_back(list.Get(i));
  return items;
}

size_t Args::size_list(size_t index, const char* name, size_t* out, size_t max) const {
  const Napi::Value v = info_[index];
  if (!v.IsArray()) fail_type(std::string(name) + " must be an Array of non-negative integers, got " + describe(v));
  const Napi::Array list = v.As<Napi::Array>();
  const uint32_t length = list.Length();
  if (length > max) {
    fail_range(std::string(name) + " has " + std::to_string(length) + " entries, more than the " +
               std::to_string(max) + " supported");
  }
  for (uint32_t i = 0; i < length; ++i) {
    const Napi::Value e = list.Get(i);
    const double x = e.IsNumber() ? e.As<Napi::Number>().DoubleValue() : -1;
    if (!std::isfinite(x) || x != std::floor(x) || x < 0 || x > kMaxSize) {
      fail_range(std::string(name) + "[" + std::to_string(i) + "] must be a non-negative integer of at most 2^32, got " +
                 describe(e));
    }
    out[i] = static_cast<size_t>(x);
  }
  return length;
}

FloatArray Args::float_array_or_null(size_t index, const char* name) const {
  if (info_[index].IsNull()) return FloatArray{};
  return float_array(index, name);
}

const int32_t* Args::int32_array(size_t index, const char* name, size_t* length) const {
  const Napi::Value v = info_[index];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    fail_type(std::string(name) + " must be an Int32Array, got " + describe(v));
  }
  Napi::Int32Array a = v.As<Napi::Int32Array>();
  *length = a.Data() == nullptr ? 0 : a.ElementLength();
  return a.Data();
}

std::string Args::string(size_t index, const char* name) const {
  const Napi::Value v = info_[index];
  if (!v.IsString()) fail_type(std::string(name) + " must be a string, got " + describe(v));
  return v.As<Napi::String>().Utf8Value();
}

bool Args::short_string(size_t index, const char* name, char* buf, size_t size) const {
  const Napi::Value v = info_[index];
  if (!v.IsString()) fail_type(std::string(name) + " must be a string, got " + describe(v));
  size_t copied = 0;
  if (napi_get_value_string_utf8(info_.Env(), v, buf, size, &copied) != napi_ok) return false;
  return copied + 1 < size;  // a string that filled buf may have been cut short
}

size_t matrix_extent(const Args& args, size_t rows, size_t cols, size_t ld) {
  if (rows == 0 || cols == 0) return 0;
  size_t extent = 0;
  if (__builtin_mul_overflow(rows - 1, ld, &extent) ||
      __builtin_add_overflow(extent, cols, &extent)) {
    args.fail_range("matrix of " + std::to_string(rows) + " rows with stride " +
                    std::to_string(ld) + " is too large");
  }
  return extent;
}

void expect_same_dtype(const Args& args,
                       std::initializer_list<std::pair<const char*, FloatArray>> arrays) {
  const auto& first = *arrays.begin();
  for (const auto& [name, array] : arrays) {
    if (array.data != nullptr && array.dtype != first.second.dtype) {
      args.fail_type(std::string(name) + " is a " + dtype_array_name(array.dtype) + " but " +
                     first.first + " is a " + dtype_array_name(first.second.dtype) +
                     ": all arrays must share one dtype");
    }
  }
}

void fail_length(const Args& args, const FloatArray& array, const char* name, size_t needed,
                 const std::string& shape) {
  args.fail_range(std::string(name) + " (" + dtype_array_name(array.dtype) + ") has " +
                  std::to_string(array.length) + " elements but " + shape + " needs " +
                  std::to_string(needed) + (array.length == 0 ? " (is its buffer detached?)" : ""));
}

}  // namespace myelin_addon
