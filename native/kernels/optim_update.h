// Elementwise optimizer updates: the inner loops of Adam/AdamW and SGD over one
// parameter array. The algorithms (step counts, bias corrections, schedules) stay in
// TypeScript; these loops receive the per-step coefficients already computed.
#pragma once

#include <cstddef>

namespace myelin {

// One Adam(W) step, PyTorch 1.13's rule, for every i < n:
//   g' = sign*g + l2*w;  m = beta1*m + (1-beta1)*g';  v = beta2*v + (1-beta2)*g'^2
//   vhat = max(vmax, v) when vmax != nullptr (amsgrad, stored back), else v
//   w = w*shrink - step_size*m / (sqrt(vhat)/bc2_sqrt + eps)
struct AdamCoefficients {
  double step_size, bc2_sqrt, beta1, beta2, eps, l2, shrink, sign;
};

// One SGD step (PyTorch's rule): d = sign*g + weight_decay*w; with momentum the buffer
// becomes d on the first step, momentum*buf + (1-dampening)*d after; w -= lr * (nesterov
// ? d + momentum*buf : buf). buf == nullptr means no momentum: w -= lr*d.
struct SgdCoefficients {
  double lr, momentum, dampening, weight_decay, sign;
  bool nesterov, first;
};

template <typename T>
void adam_update(T* w, const T* g, T* m, T* v, T* vmax, size_t n, const AdamCoefficients& c);

// The arrays of one parameter in a multi-tensor step (vmax / buf may be null).
template <typename T>
struct AdamSlice {
  T* w;
  const T* g;
  T* m;
  T* v;
  T* vmax;
  size_t n;
};

template <typename T>
struct SgdSlice {
  T* w;
  const T* g;
  T* buf;
  size_t n;
};

// One step over every parameter of a group with one set of coefficients: the same
// arithmetic per element as adam_update / sgd_update on each slice (so the same bits),
// but one split of the concatenated elements over the pool instead of one per
// parameter, so a step over many small tensors pays one hand-off. The slices must not
// overlap one another.
template <typename T>
void adam_update_many(const AdamSlice<T>* slices, size_t count, const AdamCoefficients& c);

template <typename T>
void sgd_update_many(const SgdSlice<T>* slices, size_t count, const SgdCoefficients& c);

template <typename T>
void sgd_update(T* w, const T* g, T* buf, size_t n, const SgdCoefficients& c);

}  // namespace myelin
