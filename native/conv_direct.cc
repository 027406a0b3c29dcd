#include "conv_direct.h"

#include <algorithm>
#include <cstring>

#include "activation.h"
#include "memory.h"

namespace dt {

bool direct_conv_applies(const ConvGeom& g) {
  const GemmArch& arch = gemm_arch();
  const bool few_channels = g.inC <= 4 && g.strideW <= 2;
  // 16 channels at stride 1 (SqueezeNet's fire2–3 expand3x3): the patch rows an im2col would
  // copy are read in place, a kernel row's taps one contiguous run of kw·16 floats. (A 1×1
  // kernel's patches are the image's rows: the GEMM reads those in place, faster still.)
  const bool sixteen = g.inC == 16 && g.strideH == 1 && g.strideW == 1 && g.kernelH * g.kernelW > 1;
  return (few_channels || sixteen) && arch.direct && arch.direct(g.strideW * g.inC, g.outC).full;
}

void direct_conv_rows(float* y, int64_t ldc, const float* x, const float* kernel, const ConvGeom& g,
                      const Epilogue& ep, int64_t b, int64_t r0, int64_t r1, int thread) {
  const int64_t C = g.inC, step = g.strideW * C, rows = r1 - r0;
  const DirectTiles tiles = gemm_arch().direct(int(step), g.outC);
  const int MR = tiles.mr, NR = tiles.nr;
  // The band: the input rows these output rows read, zero-padded on every side. At stride 1
  // its rows are laid end to end, each exactly as wide as the row's windows reach (outW +
  // kw − 1 pixels), and tiles run on across rows: pixel p of that flat order is output
  // (p / band_w, p % band_w), and the last kw − 1 of a row, whose windows wrap round into the
  // next, are dropped. Otherwise each output row has its own tiles, the last one reaching
  // past the edge, and a band row is wide enough for it.
  const bool flat = g.strideH == 1 && g.strideW == 1;
  const int64_t row_tiles = (g.outW + MR - 1) / MR;
  const int64_t band_w = flat ? g.outW + g.kernelW - 1 : (row_tiles * MR - 1) * g.strideW + g.kernelW;
  const int64_t band_h = (rows - 1) * g.strideH + g.kernelH;
  const int64_t row_floats = band_w * C;
  // The last flat tile reads up to MR + kw pixels past the band's last row.
  const int64_t slack = flat ? (MR + g.kernelW) * C : 0;
  float* band = thread_scratch(Scratch::PackA, thread, size_t(band_h * row_floats + slack));
  const int64_t left = std::min<int64_t>(g.padLeft, band_w), width = std::clamp<int64_t>(band_w - left, 0, g.inW);
  for (int64_t i = 0; i < band_h; i++) {
    float* dst = band + i * row_floats;
    const int64_t iy = r0 * g.strideH - g.padTop + i;
    if (iy < 0 || iy >= g.inH) {
      std::fill(dst, dst + row_floats, 0.0f);
      continue;
    }
    std::fill(dst, dst + left * C, 0.0f);
    std::memcpy(dst + left * C, x + ((b * g.inH + iy) * g.inW) * C, size_t(width * C) * 4);
    std::fill(dst + (left + width) * C, dst + row_floats, 0.0f);
  }
  std::fill(band + band_h * row_floats, band + band_h * row_floats + slack, 0.0f);
  const bool other_act = activates_after_tile(ep.act);
  DirectTile t{};
  t.a_row = row_floats;
  t.kernel_h = g.kernelH;
  t.taps_w = int(g.kernelW * C);
  t.ldb = g.outC;
  t.ldc = ldc;
  t.relu = ep.act == Activation::Relu;
  float* scattered[32];
  // The tile at t.a, every panel of output channels: its pixels at c, ldc apart, or (c null)
  // where `scattered` says.
  auto tile_channels = [&](float* c) {
    t.rows = c ? nullptr : scattered;
    for (int64_t jc = 0; jc < g.outC; jc += NR) {
      t.nr = int(std::min<int64_t>(NR, g.outC - jc));
      t.b = kernel + jc;
      t.c = c ? c + jc : nullptr;
      t.bias = ep.bias ? ep.bias + jc : nullptr;
      (t.nr == NR ? tiles.full : tiles.part)(t);
      if (c) {
        if (other_act) bias_activate(t.c, ldc, t.mr, t.nr, nullptr, ep.act);
        continue;
      }
      for (int i = 0; i < t.mr; i++) {
        if (!scattered[i]) continue;
        if (other_act) bias_activate(scattered[i], ldc, 1, t.nr, nullptr, ep.act);
        scattered[i] += NR;
      }
    }
  };
  if (!flat) {
    for (int64_t r = 0; r < rows; r++) {
      for (int64_t ox = 0; ox < g.outW; ox += MR) {
        t.a = band + r * g.strideH * row_floats + ox * step;
        t.mr = int(std::min<int64_t>(MR, g.outW - ox));
        tile_channels(y + (r * g.outW + ox) * ldc);
      }
    }
    return;
  }
  t.mr = MR;
  for (int64_t p0 = 0; p0 < rows * band_w; p0 += MR) {
    t.a = band + p0 * C;
    const int64_t row = p0 / band_w, col = p0 % band_w;
    if (col + MR <= g.outW) {
      tile_channels(y + (row * g.outW + col) * ldc);
      continue;
    }
    for (int i = 0; i < MR; i++) {
      const int64_t r = (p0 + i) / band_w, c = (p0 + i) % band_w;
      scattered[i] = r < rows && c < g.outW ? y + (r * g.outW + c) * ldc : nullptr;
    }
    tile_channels(nullptr);
  }
}

}  // namespace dt
