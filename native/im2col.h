// The patch (im2col) view of an NHWC image under a convolution: row p of the patch matrix
// is output pixel p's receptive field, ordered (ky, kx, c) like the kernel's [kh, kw, in] rows.
#pragma once
#include <cstdint>

#include "gemm.h"
#include "kernels.h"

namespace dt {

// Walks output pixels in order without a division per pixel.
struct PixelCursor {
  const ConvGeom& g;
  int64_t b, oy, ox;
  PixelCursor(const ConvGeom& geom, int64_t pixel);
  void next() {
    if (++ox == g.outW) {
      ox = 0;
      if (++oy == g.outH) oy = 0, b++;
    }
  }
};

// Adds patch rows (all kh·kw·inC columns) of `rows` pixels from `pixel` on back onto the image
// pixels they came from (col2im).
void scatter_add_rows(const float* cols, const ConvGeom& g, int64_t pixel, int64_t rows, float* x);

// The patch matrix as a GEMM left operand [pixels, kh·kw·inC]: blocks packed row by row.
class PatchRows final : public AOperand {
 public:
  PatchRows(const float* x, const ConvGeom& g) : x_(x), g_(g) {}
  AView block(int64_t i0, int64_t rows, int64_t p0, int64_t depth, const PackShape& shape,
              float* scratch) const override;

 private:
  const float* x_;
  const ConvGeom& g_;
};

// Its transpose [kh·kw·inC, pixels]: the same row copies, laid out k-major.
class PatchCols final : public AOperand {
 public:
  PatchCols(const float* x, const ConvGeom& g) : x_(x), g_(g) {}
  AView block(int64_t i0, int64_t rows, int64_t p0, int64_t depth, const PackShape& shape,
              float* scratch) const override;

 private:
  const float* x_;
  const ConvGeom& g_;
};

}  // namespace dt
