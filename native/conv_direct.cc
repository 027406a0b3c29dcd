#include "conv_direct.h"

#include <algorithm>
#include <cstring>

#include "activation.h"
#include "memory.h"

namespace dt {

bool direct_conv_applies(const ConvGeom& g) {
  const GemmArch& arch = gemm_arch();
  return g.inC <= 4 && g.strideW <= 2 && arch.direct && arch.direct(g.strideW * g.inC, true);
}

void direct_conv_rows(float* y, int64_t ldc, const float* x, const float* kernel, const ConvGeom& g,
                      const Epilogue& ep, int64_t b, int64_t r0, int64_t r1, int thread) {
  const GemmArch& arch = gemm_arch();
  const int MR = arch.mr, NR = arch.nr;
  const int step = g.strideW * g.inC;
  // The band: the input rows these output rows read, zero-padded on every side, wide enough
  // for the last tile's MR pixels, so the tile never tests a bound.
  const int64_t tiles = (g.outW + MR - 1) / MR;
  const int64_t band_w = (tiles * MR - 1) * g.strideW + g.kernelW;
  const int64_t band_h = (r1 - r0 - 1) * g.strideH + g.kernelH;
  const int64_t row_floats = band_w * g.inC;
  float* band = thread_scratch(Scratch::PackA, thread, size_t(band_h * row_floats));
  const int64_t left = std::min<int64_t>(g.padLeft, band_w), width = std::clamp<int64_t>(band_w - left, 0, g.inW);
  for (int64_t i = 0; i < band_h; i++) {
    float* dst = band + i * row_floats;
    const int64_t iy = r0 * g.strideH - g.padTop + i;
    if (iy < 0 || iy >= g.inH) {
      std::fill(dst, dst + row_floats, 0.0f);
      continue;
    }
    std::fill(dst, dst + left * g.inC, 0.0f);
    std::memcpy(dst + left * g.inC, x + ((b * g.inH + iy) * g.inW) * g.inC, size_t(width * g.inC) * 4);
    std::fill(dst + (left + width) * g.inC, dst + row_floats, 0.0f);
  }
  const DirectKernel full = arch.direct(step, true), part = arch.direct(step, false);
  const bool other_act = activates_after_tile(ep.act);
  DirectTile t{};
  t.a_row = row_floats;
  t.kernel_h = g.kernelH;
  t.taps_w = g.kernelW * g.inC;
  t.ldb = g.outC;
  t.ldc = ldc;
  t.relu = ep.act == Activation::Relu;
  for (int64_t r = r0; r < r1; r++) {
    const float* band_row = band + (r - r0) * g.strideH * row_floats;
    for (int64_t tile = 0; tile < tiles; tile++) {
      const int64_t ox = tile * MR;
      t.a = band_row + ox * step;
      t.mr = int(std::min<int64_t>(MR, g.outW - ox));
      for (int64_t jc = 0; jc < g.outC; jc += NR) {
        t.nr = int(std::min<int64_t>(NR, g.outC - jc));
        t.b = kernel + jc;
        t.c = y + ((r - r0) * g.outW + ox) * ldc + jc;
        t.bias = ep.bias ? ep.bias + jc : nullptr;
        (t.nr == NR ? full : part)(t);
        if (other_act) bias_activate(t.c, ldc, t.mr, t.nr, nullptr, ep.act);
      }
    }
  }
}

}  // namespace dt
