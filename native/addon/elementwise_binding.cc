// General elementwise kernels: unary, binary and where (broadcasting through strides),
// reduce, softmax, copyStrided. Contracts are in module.cc; the kernels in native/kernels/elementwise.h.
//
// Every strided operand is checked against its array's length before a kernel runs: the
// furthest element its shape and strides reach must lie inside it.
#include <string>

#include "args.h"
#include "bindings.h"
#include "elementwise.h"

namespace myelin_addon {
namespace {

using myelin::kMaxDims;

std::string list_string(const size_t* v, size_t n) {
  std::string s = "[";
  for (size_t i = 0; i < n; ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

// A shape argument: its dims into shape, their count returned, the element count in *total.
size_t shape_arg(const Args& args, size_t index, size_t* shape, size_t* total) {
  const size_t nd = args.size_list(index, "shape", shape, kMaxDims);
  size_t n = 1;
  for (size_t d = 0; d < nd; ++d) {
    if (__builtin_mul_overflow(n, shape[d], &n)) args.fail_range("shape " + list_string(shape, nd) + " is too large");
  }
  *total = n;
  return nd;
}

// Strides of a strided operand (null: contiguous over shape), one entry per dim.
void strides_arg(const Args& args, size_t index, const char* name, const size_t* shape, size_t nd, size_t* strides) {
  if (args.is_null(index)) {
    size_t s = 1;
    for (size_t d = nd; d-- > 0;) strides[d] = s, s *= shape[d];
    return;
  }
  const std::string what = std::string(name) + "Strides";
  const size_t count = args.size_list(index, what.c_str(), strides, kMaxDims);
  if (count != nd) {
    args.fail_range(what + " " + list_string(strides, count) + " has " + std::to_string(count) + " entries but shape " +
                    list_string(shape, nd) + " has " + std::to_string(nd) + " dims");
  }
}

// Checks that the operand stays inside `array` from `offset`: the furthest element its
// shape and strides reach must exist.
void expect_inside(const Args& args, const char* name, const FloatArray& array, size_t offset, const size_t* shape,
                   size_t nd, size_t total, const size_t* strides) {
  if (total == 0) return;
  size_t last = offset;
  for (size_t d = 0; d < nd; ++d) {
    size_t step = 0;
    if (__builtin_mul_overflow(shape[d] - 1, strides[d], &step) || __builtin_add_overflow(last, step, &last)) {
      args.fail_range(std::string(name) + " strides " + list_string(strides, nd) + " over shape " +
                      list_string(shape, nd) + " overflow");
    }
  }
  if (last >= array.length) {
    args.fail_range(std::string(name) + " with offset " + std::to_string(offset) + " and strides " +
                    list_string(strides, nd) + " over shape " + list_string(shape, nd) + " reaches element " +
                    std::to_string(last) + ", but the " + dtype_array_name(array.dtype) + " has " +
                    std::to_string(array.length));
  }
}

template <typename Op, typename Parse>
Op kind_arg(const Args& args, size_t index, Parse parse, const char* known) {
  char name[32];
  Op op;
  if (!args.short_string(index, "kind", name, sizeof name) || !parse(name, &op)) {
    args.fail_type("unknown kind '" + args.string(index, "kind") + "' (" + known + ")");
  }
  return op;
}

Napi::Value Unary(const Napi::CallbackInfo& info) {
  const Args args(info, "unary");
  args.expect_count(3, "kind, x, out");
  const auto op = kind_arg<myelin::UnaryOp>(
      args, 0, myelin::parse_unary_op,
      "neg, exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, square, reciprocal, sign, step, copy");
  const FloatArray x = args.float_array(1, "x"), out = args.float_array(2, "out");
  expect_same_dtype(args, {{"x", x}, {"out", out}});
  expect_length(args, x, "x", out.length, [&] { return "out of " + std::to_string(out.length) + " elements"; });
  if (x.dtype == Dtype::float32) myelin::unary(op, x.as<float>(), out.as<float>(), out.length);
  else myelin::unary(op, x.as<double>(), out.as<double>(), out.length);
  return info.Env().Undefined();
}

Napi::Value Binary(const Napi::CallbackInfo& info) {
  const Args args(info, "binary");
  args.expect_count(7, "kind, a, aStrides|null, b, bStrides|null, out, shape");
  const auto op = kind_arg<myelin::BinaryOp>(args, 0, myelin::parse_binary_op,
                                             "add, sub, mul, div, pow, maximum, minimum, eq, gt, lt, ge, le");
  // The lists first: reading an Array can run JavaScript (a getter), which could detach a
  // typed array whose pointer was already taken.
  size_t shape[kMaxDims], sa[kMaxDims], sb[kMaxDims], total = 0;
  const size_t nd = shape_arg(args, 6, shape, &total);
  strides_arg(args, 2, "a", shape, nd, sa);
  strides_arg(args, 4, "b", shape, nd, sb);
  const FloatArray a = args.float_array(1, "a"), b = args.float_array(3, "b"), out = args.float_array(5, "out");
  expect_same_dtype(args, {{"a", a}, {"b", b}, {"out", out}});
  expect_inside(args, "a", a, 0, shape, nd, total, sa);
  expect_inside(args, "b", b, 0, shape, nd, total, sb);
  expect_length(args, out, "out", total, [&] { return "shape " + list_string(shape, nd); });
  if (a.dtype == Dtype::float32) myelin::binary(op, a.as<float>(), sa, b.as<float>(), sb, out.as<float>(), shape, nd);
  else myelin::binary(op, a.as<double>(), sa, b.as<double>(), sb, out.as<double>(), shape, nd);
  return info.Env().Undefined();
}

Napi::Value Where(const Napi::CallbackInfo& info) {
  const Args args(info, "where");
  args.expect_count(8, "cond, condStrides, a, aStrides, b, bStrides, out, shape");
  size_t shape[kMaxDims], sc[kMaxDims], sa[kMaxDims], sb[kMaxDims], total = 0;
  const size_t nd = shape_arg(args, 7, shape, &total);  // lists before arrays, as in binary
  strides_arg(args, 1, "cond", shape, nd, sc);
  strides_arg(args, 3, "a", shape, nd, sa);
  strides_arg(args, 5, "b", shape, nd, sb);
  const FloatArray c = args.float_array(0, "cond"), a = args.float_array(2, "a"), b = args.float_array(4, "b");
  const FloatArray out = args.float_array(6, "out");
  expect_same_dtype(args, {{"cond", c}, {"a", a}, {"b", b}, {"out", out}});
  expect_inside(args, "cond", c, 0, shape, nd, total, sc);
  expect_inside(args, "a", a, 0, shape, nd, total, sa);
  expect_inside(args, "b", b, 0, shape, nd, total, sb);
  expect_length(args, out, "out", total, [&] { return "shape " + list_string(shape, nd); });
  if (a.dtype == Dtype::float32) {
    myelin::where(c.as<float>(), sc, a.as<float>(), sa, b.as<float>(), sb, out.as<float>(), shape, nd);
  } else {
    myelin::where(c.as<double>(), sc, a.as<double>(), sa, b.as<double>(), sb, out.as<double>(), shape, nd);
  }
  return info.Env().Undefined();
}

// x viewed as [outer, run, inner] (reduce, softmax): the three sizes at `index`.., checked
// that x holds them and that out holds outer x inner (reduce) or all of them (softmax).
struct View3 {
  size_t outer, run, inner, elements, outputs;
};

View3 view_arg(const Args& args, size_t index, const FloatArray& x, const FloatArray& out, bool out_is_whole) {
  View3 v{args.size(index, "outer"), args.size(index + 1, "run"), args.size(index + 2, "inner"), 0, 0};
  if (__builtin_mul_overflow(v.outer, v.inner, &v.outputs) || __builtin_mul_overflow(v.outputs, v.run, &v.elements)) {
    args.fail_range("[" + std::to_string(v.outer) + "," + std::to_string(v.run) + "," + std::to_string(v.inner) +
                    "] is too large");
  }
  const auto shape = [&] {
    return "x viewed as [outer, run, inner] = [" + std::to_string(v.outer) + "," + std::to_string(v.run) + "," +
           std::to_string(v.inner) + "]";
  };
  expect_length(args, x, "x", v.elements, shape);
  expect_length(args, out, "out", out_is_whole ? v.elements : v.outputs, shape);
  return v;
}

Napi::Value Reduce(const Napi::CallbackInfo& info) {
  const Args args(info, "reduce");
  args.expect_count(6, "kind, x, outer, run, inner, out");
  const auto op = kind_arg<myelin::ReduceOp>(args, 0, myelin::parse_reduce_op, "sum, max");
  const FloatArray x = args.float_array(1, "x"), out = args.float_array(5, "out");
  expect_same_dtype(args, {{"x", x}, {"out", out}});
  const View3 v = view_arg(args, 2, x, out, false);
  if (x.dtype == Dtype::float32) myelin::reduce(op, x.as<float>(), v.outer, v.run, v.inner, out.as<float>());
  else myelin::reduce(op, x.as<double>(), v.outer, v.run, v.inner, out.as<double>());
  return info.Env().Undefined();
}

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  const Args args(info, "softmax");
  args.expect_count(6, "log, x, outer, run, inner, out");
  const bool log = args.boolean(0, "log");
  const FloatArray x = args.float_array(1, "x"), out = args.float_array(5, "out");
  expect_same_dtype(args, {{"x", x}, {"out", out}});
  const View3 v = view_arg(args, 2, x, out, true);
  const size_t bytes = v.elements * (x.dtype == Dtype::float32 ? 4 : 8);
  const char *xb = static_cast<const char*>(x.data), *ob = static_cast<const char*>(out.data);
  if (v.elements > 0 && xb < ob + bytes && ob < xb + bytes) args.fail_range("out overlaps x");
  if (x.dtype == Dtype::float32) myelin::softmax(log, x.as<float>(), v.outer, v.run, v.inner, out.as<float>());
  else myelin::softmax(log, x.as<double>(), v.outer, v.run, v.inner, out.as<double>());
  return info.Env().Undefined();
}

Napi::Value CopyStrided(const Napi::CallbackInfo& info) {
  const Args args(info, "copyStrided");
  args.expect_count(7, "x, xOffset, xStrides, out, outOffset, outStrides, shape");
  size_t shape[kMaxDims], sx[kMaxDims], so[kMaxDims], total = 0;
  const size_t nd = shape_arg(args, 6, shape, &total);  // lists before arrays, as in binary
  strides_arg(args, 2, "x", shape, nd, sx);
  strides_arg(args, 5, "out", shape, nd, so);
  const FloatArray x = args.float_array(0, "x"), out = args.float_array(3, "out");
  const size_t x_offset = args.size(1, "xOffset"), out_offset = args.size(4, "outOffset");
  expect_same_dtype(args, {{"x", x}, {"out", out}});
  expect_inside(args, "x", x, x_offset, shape, nd, total, sx);
  expect_inside(args, "out", out, out_offset, shape, nd, total, so);
  for (size_t d = 0; d < nd; ++d) {
    // Two indices writing one element would race between threads.
    if (shape[d] > 1 && so[d] == 0) {
      args.fail_range("outStrides " + list_string(so, nd) + " write dim " + std::to_string(d) + " of shape " +
                      list_string(shape, nd) + " to one element");
    }
  }
  if (total == 0) return info.Env().Undefined();
  if (x.dtype == Dtype::float32) {
    myelin::copy_strided(x.as<float>() + x_offset, sx, out.as<float>() + out_offset, so, shape, nd);
  } else {
    myelin::copy_strided(x.as<double>() + x_offset, sx, out.as<double>() + out_offset, so, shape, nd);
  }
  return info.Env().Undefined();
}

}  // namespace

void register_elementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", Napi::Function::New(env, Unary, "unary"));
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
  exports.Set("where", Napi::Function::New(env, Where, "where"));
  exports.Set("reduce", Napi::Function::New(env, Reduce, "reduce"));
  exports.Set("softmax", Napi::Function::New(env, Softmax, "softmax"));
  exports.Set("copyStrided", Napi::Function::New(env, CopyStrided, "copyStrided"));
}

}  // namespace myelin_addon
