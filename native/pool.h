// Pooling pieces that other kernels run inside their own tasks.
#pragma once
#include <cstdint>

#include "kernels.h"

namespace dt {

// Output row oy of one image's max pool: y[ox·y_stride + c] for every ox, from the image x.
void max_pool_row(float* y, int64_t y_stride, const float* x, const PoolGeom& g, int64_t oy);
// The same row (y_stride = channels), and for each value the window cell it came from
// (ky·poolW + kx, the first maximal one), which max_pool_backward_winners routes its gradient
// to. Windows of at most 256 cells.
void max_pool_row_winners(float* y, uint8_t* winners, const float* x, const PoolGeom& g, int64_t oy);
// max_pool_backward with each window's winning cell given instead of found in the input. With
// relu_y, dy is masked by relu's derivative (0 where relu_y ≤ 0) as it is read; with dbias, the
// (masked) dy is also summed per channel: a relu convolution's bias gradient, in the same pass.
void max_pool_backward_winners(float* dx, const uint8_t* winners, const float* dy, const PoolGeom& g,
                               const float* relu_y = nullptr, float* dbias = nullptr);

}  // namespace dt
