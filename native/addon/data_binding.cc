// takeRows: the rows of a matrix at given indices, copied into a batch (a data loader's
// gather), validated here again: no index from JavaScript reads outside the source.
// prefetchRows: the same rows fetched into the caches ahead of the takeRows that needs them.
#include <string>

#include "args.h"
#include "bindings.h"
#include "gather_rows.h"

namespace myelin_addon {
namespace {

// The rows both calls name: src, rowSize, indices (arguments 0-2).
struct RowSelection {
  FloatArray src;
  size_t row_size = 0;
  const int32_t* indices = nullptr;
  size_t count = 0;
};

RowSelection read_rows(const Args& args) {
  RowSelection r{args.float_array(0, "src"), args.size(1, "rowSize"), nullptr, 0};
  r.indices = args.int32_array(2, "indices", &r.count);
  return r;
}

// Rejects any index outside [0, src.length / row_size), naming the op and the index.
void expect_rows_in_range(const Args& args, const RowSelection& r) {
  const size_t rows = r.src.length / r.row_size;
  for (size_t i = 0; i < r.count; ++i) {
    if (r.indices[i] < 0 || static_cast<size_t>(r.indices[i]) >= rows) {
      args.fail_range("indices[" + std::to_string(i) + "] = " + std::to_string(r.indices[i]) + " is outside [0, " +
                      std::to_string(rows) + ") (src holds " + std::to_string(rows) + " rows of " +
                      std::to_string(r.row_size) + ")");
    }
  }
}

Napi::Value TakeRows(const Napi::CallbackInfo& info) {
  const Args args(info, "takeRows");
  args.expect_count(4, "src, rowSize, indices, out");
  const RowSelection r = read_rows(args);
  const FloatArray out = args.float_array(3, "out");
  expect_same_dtype(args, {{"src", r.src}, {"out", out}});
  if (r.row_size == 0 || r.count == 0) return info.Env().Undefined();
  size_t needed = 0;
  if (__builtin_mul_overflow(r.count, r.row_size, &needed)) args.fail_range("indices x rowSize is too large");
  expect_length(args, out, "out", needed, [&] {
    return std::to_string(r.count) + " rows of " + std::to_string(r.row_size);
  });
  expect_rows_in_range(args, r);
  if (r.src.dtype == Dtype::float32) {
    myelin::gather_rows(r.src.as<float>(), r.row_size, r.indices, r.count, out.as<float>());
  } else {
    myelin::gather_rows(r.src.as<double>(), r.row_size, r.indices, r.count, out.as<double>());
  }
  return info.Env().Undefined();
}

Napi::Value PrefetchRows(const Napi::CallbackInfo& info) {
  const Args args(info, "prefetchRows");
  args.expect_count(3, "src, rowSize, indices");
  const RowSelection r = read_rows(args);
  if (r.row_size == 0 || r.count == 0) return info.Env().Undefined();
  expect_rows_in_range(args, r);
  if (r.src.dtype == Dtype::float32) {
    myelin::prefetch_rows(r.src.as<float>(), r.row_size, r.indices, r.count);
  } else {
    myelin::prefetch_rows(r.src.as<double>(), r.row_size, r.indices, r.count);
  }
  return info.Env().Undefined();
}

}  // namespace

void register_data(Napi::Env env, Napi::Object exports) {
  exports.Set("takeRows", Napi::Function::New(env, TakeRows, "takeRows"));
  exports.Set("prefetchRows", Napi::Function::New(env, PrefetchRows, "prefetchRows"));
}

}  // namespace myelin_addon
