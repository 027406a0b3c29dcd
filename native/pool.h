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

// A 2×2, stride-2, unpadded pool: its windows tile the plane, two by two pixels each.
bool pairs_pool(const PoolGeom& p);

// A 2×2, stride-2, unpadded max pool's gradient `grad` ([batch, rows, cols, channels], with its
// winners) seen as the full-size gradient it routes: pixel (y, x) of the pool's input holds pooled
// pixel (y/2, x/2)'s gradient where that window's winner is cell 2·(y%2) + x%2, and zero elsewhere
// (past a floor-sized pool's last row or column too). Convolutions' tiles read it block by block
// (routed_block) rather than have it written out whole.
struct RoutedGrad {
  const float* grad;
  const uint8_t* winners;
  int64_t rows, cols, channels;
};
// Pixel (y0 + i, x0 + j) of image b for i, j < n (n ≤ 8): pixel[n·i + j] points at it, routed
// into `out` (n²·channels floats), or at `zeros` where no gradient lands.
void routed_block(const float** pixel, float* out, const RoutedGrad& dy, int64_t b, int64_t y0, int64_t x0, int64_t n,
                  const float* zeros);

}  // namespace dt
