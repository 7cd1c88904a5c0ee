// gemm and gemmBatched: validate, take the typed arrays' pointers, call the kernel.
#include <new>
#include <stdexcept>
#include <string>

#include "args.h"
#include "bindings.h"
#include "gemm.h"

namespace myelin_addon {
namespace {

std::string shape_text(const char* name, bool trans, size_t rows, size_t cols, size_t ld) {
  // rows x cols is the stored layout (already transposed back when trans).
  return std::string(name) + (trans ? "^T" : "") + " stored " + std::to_string(rows) + "x" +
         std::to_string(cols) + " with ld " + std::to_string(ld);
}

// The parts of a (batched) GEMM call common to both entry points, checked.
struct GemmCall {
  bool trans_a = false, trans_b = false;
  size_t m = 0, n = 0, k = 0, lda = 0, ldb = 0, ldc = 0;
  double alpha = 1, beta = 0;
  FloatArray a, b, c;
  size_t stride_a = 0, stride_b = 0, stride_c = 0, batch = 1;
};

void check_dtypes(const Args& args, const GemmCall& g) {
  if (g.a.dtype != g.b.dtype || g.a.dtype != g.c.dtype) {
    args.fail_type(std::string("a, b, c must all be Float32Array or all Float64Array, got a: ") +
                   dtype_array_name(g.a.dtype) + ", b: " + dtype_array_name(g.b.dtype) +
                   ", c: " + dtype_array_name(g.c.dtype));
  }
}

template <typename Describe>
void check_leading_dim(const Args& args, const char* ld_name, size_t ld, size_t row_length,
                       const Describe& what) {
  if (ld < row_length) {
    args.fail_range(std::string(ld_name) + " = " + std::to_string(ld) + " is smaller than the row length " +
                    std::to_string(row_length) + " of " + what());
  }
}

// Checks leading dimensions, strides and that every array holds what the dims need. The
// shape texts are built only when a check fails.
void check_extents(const Args& args, const GemmCall& g) {
  const size_t a_rows = g.trans_a ? g.k : g.m, a_cols = g.trans_a ? g.m : g.k;
  const size_t b_rows = g.trans_b ? g.n : g.k, b_cols = g.trans_b ? g.k : g.n;
  const auto dims = [&] {
    return " (m=" + std::to_string(g.m) + ", n=" + std::to_string(g.n) + ", k=" + std::to_string(g.k) + ")";
  };
  const auto batch_text = [&] { return g.batch == 1 ? std::string() : " x batch " + std::to_string(g.batch); };
  const auto a_shape = [&] { return shape_text("A", g.trans_a, a_rows, a_cols, g.lda) + dims() + batch_text(); };
  const auto b_shape = [&] { return shape_text("B", g.trans_b, b_rows, b_cols, g.ldb) + dims() + batch_text(); };
  const auto c_shape = [&] { return shape_text("C", false, g.m, g.n, g.ldc) + dims() + batch_text(); };
  check_leading_dim(args, "lda", g.lda, a_cols, a_shape);
  check_leading_dim(args, "ldb", g.ldb, b_cols, b_shape);
  check_leading_dim(args, "ldc", g.ldc, g.n, c_shape);

  const size_t a_extent = matrix_extent(args, a_rows, a_cols, g.lda);
  const size_t b_extent = matrix_extent(args, b_rows, b_cols, g.ldb);
  const size_t c_extent = matrix_extent(args, g.m, g.n, g.ldc);
  if (g.batch > 1 && c_extent > 0 && g.stride_c < g.m * g.ldc) {
    args.fail_range("strideC = " + std::to_string(g.stride_c) + " is smaller than m*ldc = " +
                    std::to_string(g.m * g.ldc) + ": C matrices of the batch would overlap");
  }
  auto batched = [&](size_t extent, size_t stride) -> size_t {
    if (extent == 0 || g.batch == 0) return 0;
    size_t total = 0;
    if (__builtin_mul_overflow(g.batch - 1, stride, &total) ||
        __builtin_add_overflow(total, extent, &total)) {
      args.fail_range("batch " + std::to_string(g.batch) + " with stride " +
                      std::to_string(stride) + " is too large");
    }
    return total;
  };
  expect_length(args, g.a, "a", batched(a_extent, g.stride_a), a_shape);
  expect_length(args, g.b, "b", batched(b_extent, g.stride_b), b_shape);
  expect_length(args, g.c, "c", batched(c_extent, g.stride_c), c_shape);
}

template <typename T>
myelin::GemmArgs<T> kernel_args(const GemmCall& g) {
  myelin::GemmArgs<T> k;
  k.trans_a = g.trans_a, k.trans_b = g.trans_b;
  k.m = g.m, k.n = g.n, k.k = g.k;
  k.alpha = static_cast<T>(g.alpha), k.beta = static_cast<T>(g.beta);
  k.a = g.a.as<T>(), k.lda = g.lda;
  k.b = g.b.as<T>(), k.ldb = g.ldb;
  k.c = g.c.as<T>(), k.ldc = g.ldc;
  return k;
}

// Turns a C++ failure inside a kernel into a JS Error named after the op.
template <typename F>
void run_kernel(const Args& args, F&& kernel) {
  try {
    kernel();
  } catch (const std::bad_alloc&) {
    args.fail("out of memory for packing buffers");
  } catch (const std::exception& e) {
    args.fail(e.what());
  }
}

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  const Args args(info, "gemm");
  args.expect_count(13, "transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc");
  GemmCall g;
  g.trans_a = args.boolean(0, "transA");
  g.trans_b = args.boolean(1, "transB");
  g.m = args.size(2, "m");
  g.n = args.size(3, "n");
  g.k = args.size(4, "k");
  g.alpha = args.number(5, "alpha");
  g.a = args.float_array(6, "a");
  g.lda = args.size(7, "lda");
  g.b = args.float_array(8, "b");
  g.ldb = args.size(9, "ldb");
  g.beta = args.number(10, "beta");
  g.c = args.float_array(11, "c");
  g.ldc = args.size(12, "ldc");
  check_dtypes(args, g);
  check_extents(args, g);
  if (g.m == 0 || g.n == 0) return info.Env().Undefined();
  run_kernel(args, [&] {
    if (g.c.dtype == Dtype::float32) {
      myelin::gemm(kernel_args<float>(g));
    } else {
      myelin::gemm(kernel_args<double>(g));
    }
  });
  return info.Env().Undefined();
}

Napi::Value GemmBatched(const Napi::CallbackInfo& info) {
  const Args args(info, "gemmBatched");
  args.expect_count(17,
                    "transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, "
                    "ldc, strideC, batch");
  GemmCall g;
  g.trans_a = args.boolean(0, "transA");
  g.trans_b = args.boolean(1, "transB");
  g.m = args.size(2, "m");
  g.n = args.size(3, "n");
  g.k = args.size(4, "k");
  g.alpha = args.number(5, "alpha");
  g.a = args.float_array(6, "a");
  g.lda = args.size(7, "lda");
  g.stride_a = args.size(8, "strideA");
  g.b = args.float_array(9, "b");
  g.ldb = args.size(10, "ldb");
  g.stride_b = args.size(11, "strideB");
  g.beta = args.number(12, "beta");
  g.c = args.float_array(13, "c");
  g.ldc = args.size(14, "ldc");
  g.stride_c = args.size(15, "strideC");
  g.batch = args.size(16, "batch");
  check_dtypes(args, g);
  check_extents(args, g);
  if (g.m == 0 || g.n == 0 || g.batch == 0) return info.Env().Undefined();
  run_kernel(args, [&] {
    if (g.c.dtype == Dtype::float32) {
      myelin::GemmBatchedArgs<float> b{kernel_args<float>(g), g.stride_a, g.stride_b, g.stride_c,
                                       g.batch};
      myelin::gemm_batched(b);
    } else {
      myelin::GemmBatchedArgs<double> b{kernel_args<double>(g), g.stride_a, g.stride_b,
                                        g.stride_c, g.batch};
      myelin::gemm_batched(b);
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void register_gemm(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, Gemm, "gemm"));
  exports.Set("gemmBatched", Napi::Function::New(env, GemmBatched, "gemmBatched"));
}

}  // namespace myelin_addon
