// Winograd F(2×2, 3×3) convolution (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016) for 3×3 stride-1 layers with 32 or more input channels. Each 2×2 block of output pixels
// (a tile) comes from its 4×4 input patch: patch and kernel are transformed into 16 positions,
// where the convolution becomes 16 independent products [tiles, inC]·[inC, outC], and the
// products are transformed back. 16 multiply-adds per tile, input and output channel instead
// of 36: the products take 2.25× less arithmetic than the direct GEMM; the transforms are a
// few additions per value. Their coefficients are 0, ±1 and ±½, so results agree with the
// direct sum to within a few roundings of its terms.
#pragma once
#include <cstdint>

#include "gemm.h"
#include "kernels.h"

namespace dt {

// 3×3, stride 1, enough channels for the products to be GEMMs worth running, and outputs large
// enough that tiles overhanging the edge do not eat the saving.
bool winograd_applies(const ConvGeom& g);
// Off: every convolution takes its GEMM (or direct) path, to compare the two.
void set_winograd(bool enabled);

// y = act(conv(x) + bias) into channels [y_offset, y_offset + outC) of pixels y_channels apart.
void winograd_conv2d(float* y, int64_t y_channels, int64_t y_offset, const float* x, const float* kernel,
                     const ConvGeom& g, const Epilogue& ep);

// An unpadded 2×2, stride-2 max pool covers each tile exactly, so it is taken as the tile is
// transformed back: y = max_pool(act(conv(x) + bias)), the convolution's output never stored.
bool winograd_pool_applies(const ConvGeom& g, const PoolGeom& p);
// winners (may be null): each output's tile pixel, 2a + b, as max_pool_row_winners gives it.
// y's pixels are y_channels apart from channel y_offset, as winograd_conv2d's; winners' are outC.
void winograd_conv2d_max_pool(float* y, int64_t y_channels, int64_t y_offset, uint8_t* winners, const float* x,
                              const float* kernel, const ConvGeom& g, const Epilogue& ep, const PoolGeom& p);

// The kernel gradient through the same transforms, the tiles being the products' depth.
void winograd_conv2d_backprop_filter(float* dkernel, const float* x, const float* dy, const ConvGeom& g);

}  // namespace dt
