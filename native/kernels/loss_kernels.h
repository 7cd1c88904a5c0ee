// Bias gradient and fused softmax + cross-entropy, forward and backward.
#pragma once

#include <cstddef>
#include <cstdint>

namespace myelin {

// out[j] = sum_i dy[i*n + j], summed in row order (deterministic).
template <typename T>
void bias_grad(const T* dy, size_t m, size_t n, T* out);

// Per row i of logits[m, n]: prob[i, :] = softmax(logits[i, :]) and
// loss[i] = logsumexp(logits[i, :]) - logits[i, target[i]]. The row max is subtracted
// before exp, so large logits never overflow. Targets must lie in [0, n) (checked by the
// caller).
template <typename T>
void softmax_cross_entropy(const T* logits, size_t m, size_t n, const int32_t* targets, T* loss,
                           T* prob);

// out[i, j] = g_i * (prob[i, j] - [j == target[i]]), with g_i = grad_loss[i], or the
// scalar *grad_loss for every row when grad_loss_per_row is false.
template <typename T>
void softmax_cross_entropy_backward(const T* prob, size_t m, size_t n, const int32_t* targets,
                                    const T* grad_loss, bool grad_loss_per_row, T* out);

}  // namespace myelin
