// Activation functions applied over rows of a matrix, shared by the GEMM epilogue and the
// elementwise kernels so both compute exactly the same values.
#pragma once
#include <cmath>
#include <cstdint>

#include "kernels.h"

namespace dt {

// c[r·ldc + j] = act(c[r·ldc + j] (+ bias[j])) for r < rows, j < cols.
void bias_activate(float* c, int64_t ldc, int64_t rows, int64_t cols, const float* bias, Activation act);

// The micro-kernels' epilogue adds the bias and applies relu itself; any other activation takes
// a bias_activate pass over the stored tile.
inline bool activates_after_tile(Activation act) { return act != Activation::Linear && act != Activation::Relu; }

// dz = dy · act'(x), taken from y = act(x), over rows × channels, and when dbias is not null
// dbias[k] = Σ_r dz[r·channels + k] from the same pass: a layer's activation and bias backward.
void activation_grad_bias(float* dz, float* dbias, Activation act, const float* y, const float* dy, int64_t rows,
                          int64_t channels);

inline float sigmoid(float v) { return 1.0f / (1.0f + std::exp(-v)); }

// relu as TensorFlow computes it: NaN stays NaN (so bad input shows in the loss rather than
// vanishing into zeros while the weights it reaches turn NaN), and -0 becomes +0.
inline float relu(float v) { return v <= 0 ? 0.0f : v; }

}  // namespace dt
