// takeRows: the rows of a matrix at given indices, copied into a batch (a data loader's
// gather), validated here again: no index from JavaScript reads outside the source.
// prefetchRows: the same rows fetched into the caches ahead of the takeRows that needs them.
#include <string>

#include "args.h"
#include "bindings.h"
#include "gather_rows.h"

namespace myelin_addon {
namespace {

// Rejects any index outside [0, src.length / row_size), naming the op and the index.
void expect_rows_in_range(const Args& args, const FloatArray& src, size_t row_size, const int32_t* indices,
                          size_t count) {
  const size_t rows = src.length / row_size;
  for (size_t i = 0; i < count; ++i) {
    if (indices[i] < 0 || static_cast<size_t>(indices[i]) >= rows) {
      args.fail_range("indices[" + std::to_string(i) + "] = " + std::to_string(indices[i]) + " is outside [0, " +
                      std::to_string(rows) + ") (src holds " + std::to_string(rows) + " rows of " +
                      std::to_string(row_size) + ")");
    }
  }
}

Napi::Value TakeRows(const Napi::CallbackInfo& info) {
  const Args args(info, "takeRows");
  args.expect_count(4, "src, rowSize, indices, out");
  const FloatArray src = args.float_array(0, "src");
  const size_t row_size = args.size(1, "rowSize");
  size_t count = 0;
  const int32_t* indices = args.int32_array(2, "indices", &count);
  const FloatArray out = args.float_array(3, "out");
  expect_same_dtype(args, {{"src", src}, {"out", out}});
  if (row_size == 0 || count == 0) return info.Env().Undefined();
  size_t needed = 0;
  if (__builtin_mul_overflow(count, row_size, &needed)) args.fail_range("indices x rowSize is too large");
  expect_length(args, out, "out", needed, [&] {
    return std::to_string(count) + " rows of " + std::to_string(row_size);
  });
  expect_rows_in_range(args, src, row_size, indices, count);
  if (src.dtype == Dtype::float32) {
    myelin::gather_rows(src.as<float>(), row_size, indices, count, out.as<float>());
  } else {
    myelin::gather_rows(src.as<double>(), row_size, indices, count, out.as<double>());
  }
  return info.Env().Undefined();
}

Napi::Value PrefetchRows(const Napi::CallbackInfo& info) {
  const Args args(info, "prefetchRows");
  args.expect_count(3, "src, rowSize, indices");
  const FloatArray src = args.float_array(0, "src");
  const size_t row_size = args.size(1, "rowSize");
  size_t count = 0;
  const int32_t* indices = args.int32_array(2, "indices", &count);
  if (row_size == 0 || count == 0) return info.Env().Undefined();
  expect_rows_in_range(args, src, row_size, indices, count);
  if (src.dtype == Dtype::float32) {
    myelin::prefetch_rows(src.as<float>(), row_size, indices, count);
  } else {
    myelin::prefetch_rows(src.as<double>(), row_size, indices, count);
  }
  return info.Env().Undefined();
}

}  // namespace

void register_data(Napi::Env env, Napi::Object exports) {
  exports.Set("takeRows", Napi::Function::New(env, TakeRows, "takeRows"));
  exports.Set("prefetchRows", Napi::Function::New(env, PrefetchRows, "prefetchRows"));
}

}  // namespace myelin_addon
