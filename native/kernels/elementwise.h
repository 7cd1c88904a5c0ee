// General elementwise kernels: the tensor ops a model writes by hand (x.exp(), a.mul(b)
// with broadcasting, x.sum(1), x.transpose(0, 1)), as opposed to the fused nn kernels of
// activation.h that a Linear layer runs.
//
// The TypeScript backend (src/backend/js.ts) is the specification. Everything here but
// the transcendental unary ops gives its bits exactly: one IEEE operation per element in
// the element's own precision, denormals kept (the chunks switch flush-to-zero off, so
// pool threads, which run with it on, give the calling thread's bits), and sums in the
// order the TypeScript backend takes except over the last axis (below). exp, tanh and
// sigmoid run on the activation kernels (within a few ulp of libm, denormal results
// flushed as in the Linear epilogue); log, sin and cos call libm.
//
// Large calls are split over the thread pool; each element is computed by the same
// arithmetic whichever thread takes it, so the bits never depend on the thread count.
#pragma once

#include <cstddef>

#include "activation.h"

namespace myelin {

enum class UnaryOp { neg, exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, square, reciprocal, sign, step, copy };
enum class BinaryOp { add, sub, mul, div, pow, maximum, minimum, eq, gt, lt, ge, le };
enum class ReduceOp { sum, max };

// Parse the TypeScript backend's names (UnaryKind, BinaryKind, ReduceKind); false if unknown.
bool parse_unary_op(const char* name, UnaryOp* out);
bool parse_binary_op(const char* name, BinaryOp* out);
bool parse_reduce_op(const char* name, ReduceOp* out);

// Up to this many dimensions in the strided kernels (the bindings reject more).
constexpr size_t kMaxDims = 16;

// out[i] = op(x[i]) for i < n; out may be x.
template <typename T>
void unary(UnaryOp op, const T* x, T* out, size_t n);

// out[i] = act(x[i]) for i < n (activation.h's activate; param as there); out may be x.
template <typename T>
void activation_forward(Activation act, T param, const T* x, T* out, size_t n);

// out (contiguous, row-major over shape[0..ndim)) = op(a, b), where element (i0, i1, ...)
// of a is a[sum_d i_d * a_strides[d]] (a stride of 0 broadcasts), and likewise b.
// Comparisons give 1 or 0; maximum and minimum propagate NaN. out may be a or b when
// that operand is read contiguously.
template <typename T>
void binary(BinaryOp op, const T* a, const size_t* a_strides, const T* b, const size_t* b_strides, T* out,
            const size_t* shape, size_t ndim);

// out (contiguous over shape) = cond != 0 ? a : b, each read through its strides as in binary
// (NaN in cond counts as true, as in JavaScript's cond !== 0).
template <typename T>
void where(const T* cond, const size_t* cond_strides, const T* a, const size_t* a_strides, const T* b,
           const size_t* b_strides, T* out, const size_t* shape, size_t ndim);

// x viewed as [outer, run, inner] (contiguous): out[o, i] = op over r of x[o, r, i].
// Sums start at 0, maxima at -inf; max propagates NaN. For inner > 1 each output adds its
// run in order, as the TypeScript backend does; for inner == 1 (the run is the last axes)
// a fixed tree of vector lanes sums it, which is faster and more accurate than one
// sequential chain and differs from it in the last bits.
template <typename T>
void reduce(ReduceOp op, const T* x, size_t outer, size_t run, size_t inner, T* out);

// softmax (or log-softmax with log) along the run axis of x viewed as [outer, run, inner]:
// out = exp(x - max) / sum exp(x - max), or (x - max) - log(sum exp(x - max)), the max and
// sum taken over r for each (o, i). NaN anywhere in a slice makes the slice NaN. The exps
// run on the activation kernels (denormal results flushed); out must not overlap x.
template <typename T>
void softmax(bool log, const T* x, size_t outer, size_t run, size_t inner, T* out);

// out[sum_d i_d * out_strides[d]] = x[sum_d i_d * x_strides[d]] over shape. out's strides
// must not map two indices to one element (x's may: a broadcast).
template <typename T>
void copy_strided(const T* x, const size_t* x_strides, T* out, const size_t* out_strides, const size_t* shape,
                  size_t ndim);

}  // namespace myelin
