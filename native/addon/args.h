// Argument checking shared by all bindings. Every failure throws a JS Error whose
// message starts with the op name ("gemm: ...") and names the offending argument,
// shapes and dtypes; nothing a JavaScript caller passes may crash the process.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace myelin_addon {

enum class Dtype { float32, float64 };

const char* dtype_array_name(Dtype dtype);  // "Float32Array" | "Float64Array"

// A Float32Array or Float64Array, with its byteOffset already applied.
struct FloatArray {
  Dtype dtype = Dtype::float32;
  void* data = nullptr;
  size_t length = 0;  // elements; 0 for a detached buffer

  template <typename T>
  T* as() const { return static_cast<T*>(data); }
};

// Reads arguments of one call, tagging every error with the op name.
class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* op);

  // Throws unless there are exactly `count` arguments; `signature` is shown in the error.
  void expect_count(size_t count, const char* signature) const;

  bool boolean(size_t index, const char* name) const;
  double number(size_t index, const char* name) const;
  // A non-negative integer (a dimension, leading dimension or stride), at most 2^32.
  size_t size(size_t index, const char* name) const;
  FloatArray float_array(size_t index, const char* name) const;
  // null -> an empty FloatArray with data == nullptr.
  FloatArray float_array_or_null(size_t index, const char* name) const;
  // A JavaScript Array of Float32Array/Float64Array in two steps, for callers that read
  // several lists: every list's elements first (reading an element can run JavaScript, a
  // getter, which could detach an array whose pointer was already taken), then each element
  // converted as float_array does, errors naming it ("ws[2] must be ...").
  std::vector<Napi::Value> float_array_items(size_t index, const char* name) const;
  FloatArray float_array_item(const Napi::Value& v, const char* name, size_t element) const {
    return to_float_array(v, name, static_cast<long>(element));
  }
  // An Int32Array: its data (byteOffset applied) and element count.
  const int32_t* int32_array(size_t index, const char* name, size_t* length) const;
  bool is_number(size_t index) const { return info_[index].IsNumber(); }
  bool is_null(size_t index) const { return info_[index].IsNull(); }
  // A JavaScript Array of at most `max` non-negative integers (a shape or strides), each
  // checked as size() checks one, copied into out; returns its length.
  size_t size_list(size_t index, const char* name, size_t* out, size_t max) const;
  std::string string(size_t index, const char* name) const;
  // A string argument copied into buf (NUL-terminated) without allocating; false when it
  // does not fit (then the caller can report it with string()). Throws unless a string.
  bool short_string(size_t index, const char* name, char* buf, size_t size) const;

  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void fail_type(const std::string& message) const;
  [[noreturn]] void fail_range(const std::string& message) const;

  Napi::Env env() const { return info_.Env(); }
  const char* op() const { return op_; }

 private:
  FloatArray to_float_array(const Napi::Value& v, const char* name, long element) const;

  const Napi::CallbackInfo& info_;
  const char* op_;
};

// Elements a rows x cols row-major view with row stride ld needs: (rows-1)*ld + cols,
// or 0 when the view is empty. Throws (through args) on overflow.
size_t matrix_extent(const Args& args, size_t rows, size_t cols, size_t ld);

// Checks that `array` holds `needed` elements, naming the shape in the error.
// Throws unless every array has the dtype of the first.
void expect_same_dtype(const Args& args, std::initializer_list<std::pair<const char*, FloatArray>> arrays);

// `shape()` describes what needs the elements ("A stored 3x4 with ld 4"); it is called only
// on failure, so a successful call builds no strings (this runs on every kernel call).
[[noreturn]] void fail_length(const Args& args, const FloatArray& array, const char* name, size_t needed,
                              const std::string& shape);

template <typename Describe>
void expect_length(const Args& args, const FloatArray& array, const char* name, size_t needed,
                   const Describe& shape) {
  if (array.length < needed) fail_length(args, array, name, needed, shape());
}

}  // namespace myelin_addon
