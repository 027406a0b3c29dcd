// Convolutions of images with few channels (a network's RGB or grey input layer, and
// 16-channel inputs at stride 1) computed straight from image rows. As an implicit GEMM an RGB
// layer is 27 deep (3×3×3): packing each pixel's patch costs about as much as multiplying it,
// and the short depth leaves the micro-kernel little work per packed row. Read in place,
// consecutive pixels of a kernel row are `strideW·inC` floats apart, which the direct tile
// takes as a compile-time step.
#pragma once
#include <cstdint>

#include "gemm.h"
#include "kernels.h"

namespace dt {

// Whether this CPU's micro-kernels have a direct tile for g (1–4 channels at strideW ≤ 2, or
// 16 at stride 1).
bool direct_conv_applies(const ConvGeom& g);

// Output rows [r0, r1) of image b into y (row r0's first pixel; pixels ldc floats apart,
// outC channels each), inside the calling thread's task.
void direct_conv_rows(float* y, int64_t ldc, const float* x, const float* kernel, const ConvGeom& g,
                      const Epilogue& ep, int64_t b, int64_t r0, int64_t r1, int thread);

}  // namespace dt
