// Winograd F(2×2, 3×3) and F(4×4, 3×3) convolutions (Lavin & Gray, "Fast Algorithms for
// Convolutional Neural Networks", 2016) for 3×3 stride-1 layers with 32 or more input channels.
// Each m×m block of output pixels (a tile) comes from its (m+2)×(m+2) input patch: patch and
// kernel are transformed into (m+2)² positions, where the convolution becomes that many
// independent products [tiles, inC]·[inC, outC], and the products are transformed back. Per
// output pixel, input and output channel: 4 multiply-adds with 2×2 tiles, 2.25 with 4×4,
// against the direct GEMM's 9; the transforms are a few additions per value.
#pragma once
#include <cstdint>

#include "gemm.h"
#include "kernels.h"
#include "pool.h"

namespace dt {

// 3×3, stride 1, enough channels for the products to be GEMMs worth running, and outputs large
// enough that tiles overhanging the edge do not eat the saving: the tile size, 4 or 2, or 0.
int winograd_tile(const ConvGeom& g);
bool winograd_applies(const ConvGeom& g);
// The largest tile taken: 4, 2, or 0 (every convolution takes its GEMM or direct path), to
// compare them.
void set_winograd(int largest_tile);

// y = act(conv(x) + bias) into channels [y_offset, y_offset + outC) of pixels y_channels apart.
void winograd_conv2d(float* y, int64_t y_channels, int64_t y_offset, const float* x, const float* kernel,
                     const ConvGeom& g, const Epilogue& ep);

// An unpadded 2×2, stride-2 max pool tiles each tile exactly, so it is taken as the tile is
// transformed back: y = max_pool(act(conv(x) + bias)), the convolution's output never stored.
bool winograd_pool_applies(const ConvGeom& g, const PoolGeom& p);
// winners (may be null): each output's pixel in its pool window, 2a + b, as max_pool_row_winners gives it.
// y's pixels are y_channels apart from channel y_offset, as winograd_conv2d's; winners' are outC.
void winograd_conv2d_max_pool(float* y, int64_t y_channels, int64_t y_offset, uint8_t* winners, const float* x,
                              const float* kernel, const ConvGeom& g, const Epilogue& ep, const PoolGeom& p);

// A convolution (linear, no bias, y's pixels outC apart) whose input is a max pool's gradient read
// through its winners: the input gradient's correlation of one.
void winograd_conv2d_routed(float* y, const RoutedGrad& x, const float* kernel, const ConvGeom& g);

// The kernel gradient through the same transforms, the tiles being the products' depth; dy a
// full-size gradient or a max pool's read through its winners.
void winograd_conv2d_backprop_filter(float* dkernel, const float* x, const float* dy, const ConvGeom& g);
void winograd_conv2d_backprop_filter(float* dkernel, const float* x, const RoutedGrad& dy, const ConvGeom& g);

}  // namespace dt
