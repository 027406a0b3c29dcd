// NHWC convolutions as implicit GEMMs: the patch matrix is never stored whole; each thread
// copies the block of patch rows it is about to multiply into its own cache-sized scratch.
#include <algorithm>
#include <cstring>

#include "conv_direct.h"
#include "conv_winograd.h"
#include "gemm.h"
#include "im2col.h"
#include "kernels.h"
#include "memory.h"
#include "pool.h"
#include "threadpool.h"

namespace dt {
namespace {

int64_t patch_size(const ConvGeom& g) { return int64_t(g.kernelH) * g.kernelW * g.inC; }
int64_t out_pixels(const ConvGeom& g) { return int64_t(g.batch) * g.outH * g.outW; }

// A 1×1, stride-1, unpadded convolution's patch matrix is the image itself.
bool pointwise(const ConvGeom& g) {
  return g.kernelH == 1 && g.kernelW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 &&
         g.padLeft == 0 && g.outH == g.inH && g.outW == g.inW;
}

// Stride 1: dx is dy correlated with the kernel turned 180° and its in/out axes swapped,
// padded so every output pixel that saw an input pixel reaches it back.
ConvGeom backprop_input_geometry(const ConvGeom& g) {
  return ConvGeom{g.batch, g.outH, g.outW, g.outC, g.inH, g.inW, g.inC, g.kernelH, g.kernelW,
                  1, 1, g.kernelH - 1 - g.padTop, g.kernelW - 1 - g.padLeft};
}

// The kernel turned 180° with its in/out axes swapped, in shared scratch.
const float* turned_kernel(const float* kernel, const ConvGeom& g) {
  const int64_t tap_size = int64_t(g.inC) * g.outC;
  float* flipped = shared_scratch(Scratch::Kernel, size_t(g.kernelH) * g.kernelW * tap_size);
  parallel_for(int64_t(g.kernelH) * g.kernelW, [&](int64_t tap, int) {
    const float* src = kernel + (int64_t(g.kernelH) * g.kernelW - 1 - tap) * tap_size;
    float* dst = flipped + tap * tap_size;
    for (int64_t i = 0; i < g.inC; i++)
      for (int64_t o = 0; o < g.outC; o++) dst[o * g.inC + i] = src[i * g.outC + o];
  });
  return flipped;
}

void backprop_input_stride1(float* dx, const float* dy, const float* kernel, const ConvGeom& g) {
  conv2d(dx, dy, turned_kernel(kernel, g), backprop_input_geometry(g), nullptr, Activation::Linear, g.inC, 0);
}

// dcols = dy·kernelᵀ per image, in bounded chunks of pixels, each scattered back onto the
// image (col2im). Images run in parallel, so overlapping patches never race.
void backprop_input_col2im(float* dx, const float* dy, const float* kernel, const ConvGeom& g) {
  const int64_t per_image = int64_t(g.outH) * g.outW, depth = patch_size(g);
  const int64_t image_size = int64_t(g.inH) * g.inW * g.inC;
  parallel_range(g.batch * image_size, 1 << 16, [&](int64_t begin, int64_t end, int) {
    std::memset(dx + begin, 0, size_t(end - begin) * 4);
  });
  const int64_t chunk = std::max<int64_t>(1, std::min<int64_t>(per_image, (int64_t(1) << 20) / depth));
  const MatrixA rows_of_dy(dy, g.outC, false);
  const Gemm plan = plan_gemm(chunk, depth, g.outC, rows_of_dy, kernel, g.outC, true, nullptr, depth, {});
  parallel_for(g.batch, [&](int64_t b, int thread) {
    float* cols = thread_scratch(Scratch::Columns, thread, size_t(chunk * depth));
    for (int64_t p0 = 0; p0 < per_image; p0 += chunk) {
      const MatrixA a(dy + (b * per_image + p0) * g.outC, g.outC, false);
      Gemm part = plan;
      part.m = std::min(chunk, per_image - p0);
      part.a = &a;
      part.c = cols;
      gemm_serial(part, thread);
      scatter_add_rows(cols, g, b * per_image + p0, part.m, dx);
    }
  });
}

// The forward GEMM's left operand: the image itself for a pointwise convolution, else its patches.
struct ForwardOperand {
  MatrixA image;
  PatchRows patches;
  bool use_image;
  ForwardOperand(const float* x, const ConvGeom& g) : image(x, g.inC, false), patches(x, g), use_image(pointwise(g)) {}
  const AOperand& get() const { return use_image ? static_cast<const AOperand&>(image) : patches; }
};

// Another operand's rows from `first` on.
class RowsFrom final : public AOperand {
 public:
  RowsFrom(const AOperand& a, int64_t first) : a_(a), first_(first) {}
  AView block(int64_t i0, int64_t rows, int64_t p0, int64_t depth, const PackShape& shape,
              float* scratch) const override {
    return a_.block(first_ + i0, rows, p0, depth, shape, scratch);
  }

 private:
  const AOperand& a_;
  int64_t first_;
};

}  // namespace

void conv2d(float* y, const float* x, const float* kernel, ConvGeom g, const float* bias, Activation act,
            int64_t y_channels, int64_t y_offset) {
  if (direct_conv_applies(g)) {
    const int64_t group = 4, groups = (g.outH + group - 1) / group;
    parallel_for(int64_t(g.batch) * groups, [&](int64_t task, int thread) {
      const int64_t b = task / groups, r0 = task % groups * group, r1 = std::min<int64_t>(g.outH, r0 + group);
      direct_conv_rows(y + y_offset + (b * g.outH + r0) * g.outW * y_channels, y_channels, x, kernel, g, {bias, act},
                       b, r0, r1, thread);
    });
    return;
  }
  if (winograd_applies(g)) return winograd_conv2d(y, y_channels, y_offset, x, kernel, g, {bias, act});
  const ForwardOperand operand(x, g);
  const AOperand& a = operand.get();
  gemm_parallel(plan_gemm(out_pixels(g), g.outC, patch_size(g), a, kernel, g.outC, false, y + y_offset, y_channels,
                          {bias, act}));
}

const char* conv2d_algorithm(ConvGeom g) {
  if (direct_conv_applies(g)) return "direct";
  const int tile = winograd_tile(g);
  return tile == 4 ? "winograd 4×4" : tile == 2 ? "winograd 2×2" : "gemm";
}

namespace {

// Pooled row py of image b from `rows`, an image of convolution rows whose top is local.padTop
// rows above the pool's: into pixels y_channels apart from channel y_offset, or with its winners.
void pool_row_of(float* y, uint8_t* winners, int64_t y_channels, int64_t y_offset, const float* rows,
                 const PoolGeom& local, int64_t b, int64_t py) {
  const int64_t pixel = (b * local.outH + py) * local.outW;
  if (winners) max_pool_row_winners(y + pixel * local.channels, winners + pixel * local.channels, rows, local, py);
  else max_pool_row(y + pixel * y_channels + y_offset, y_channels, rows, local, py);
}

// Rows of an image per task: `fit` of them (at least `least`, at most all `rows`), halved while
// the batch would give the threads fewer than four tasks each.
int64_t rows_per_task(int64_t fit, int64_t least, int64_t rows, int64_t batch) {
  int64_t n = std::max(least, std::min(fit, rows));
  while (n > least && batch * ((rows + n - 1) / n) < 4 * int64_t(num_threads())) n = (n + 1) / 2;
  return std::max(n, least);
}

// Pooled rows per task of conv2d_max_pool. Windows that overlap (pool > stride) make a task
// recompute the convolution rows it shares with the next: then as many pooled rows as keep
// the convolved rows in L2, while every thread still gets several tasks (SqueezeNet's fire3:
// an image a task, 35 rows convolved, where groups of 4 pooled rows convolved 39; its conv1:
// 75 rows for 74, was 81). Otherwise 8 convolved rows.
int64_t pooled_rows_per_task(const PoolGeom& p, int64_t conv_row_floats, int64_t batch) {
  const int64_t usual = std::max<int64_t>(1, 8 / p.strideH);
  if (p.poolH <= p.strideH) return usual;
  const int64_t fit = (int64_t(1) << 17) / conv_row_floats;  // 512 KiB of rows
  return rows_per_task((fit - p.poolH) / p.strideH + 1, usual, p.outH, batch);
}

}  // namespace

// A task takes a few pooled rows of one image, convolves just the rows their windows read into
// its own scratch (cache-resident) and pools from there: the full-size convolution output never
// goes to memory and back. Overlapping windows (pool > stride) recompute a row per group.
void conv2d_max_pool(float* y, uint8_t* winners, const float* x, const float* kernel, ConvGeom g, const float* bias,
                     Activation act, PoolGeom p, int64_t y_channels, int64_t y_offset) {
  if (winograd_pool_applies(g, p))
    return winograd_conv2d_max_pool(y, y_channels, y_offset, winners, x, kernel, g, {bias, act}, p);
  if (winograd_applies(g)) {
    // Pool windows that are not the tiles (SqueezeNet's 3×3/2): Winograd's products still
    // beat the row groups' GEMM (fire5's expand3x3: 2.1 vs 2.6 ms), so the convolution is
    // taken whole and then pooled.
    const size_t size = size_t(out_pixels(g)) * g.outC;
    float* full = buffer_acquire(size);
    winograd_conv2d(full, g.outC, 0, x, kernel, g, {bias, act});
    parallel_for(int64_t(g.batch) * p.outH, [&](int64_t row, int) {
      const int64_t b = row / p.outH;
      pool_row_of(y, winners, y_channels, y_offset, full + b * g.outH * g.outW * g.outC, p, b, row % p.outH);
    });
    buffer_return(full, size);
    return;
  }
  const bool direct = direct_conv_applies(g);
  const ForwardOperand operand(x, g);
  const AOperand& a = operand.get();
  const Gemm plan = direct ? Gemm{}
                           : plan_gemm(out_pixels(g), g.outC, patch_size(g), a, kernel, g.outC, false, nullptr, g.outC,
                                       {bias, act});
  const int64_t row_size = int64_t(g.outW) * g.outC;
  const int64_t group = pooled_rows_per_task(p, row_size, g.batch), groups = (p.outH + group - 1) / group;
  parallel_for(int64_t(g.batch) * groups, [&](int64_t task, int thread) {
    const int64_t b = task / groups, py0 = task % groups * group, py1 = std::min<int64_t>(p.outH, py0 + group);
    const int64_t r0 = std::max<int64_t>(0, py0 * p.strideH - p.padTop);
    const int64_t r1 = std::min<int64_t>(g.outH, (py1 - 1) * p.strideH - p.padTop + p.poolH);
    float* rows = thread_scratch(Scratch::Columns, thread, size_t((r1 - r0) * row_size));
    if (direct) {
      direct_conv_rows(rows, g.outC, x, kernel, g, {bias, act}, b, r0, r1, thread);
    } else {
      const RowsFrom from(a, (b * g.outH + r0) * g.outW);
      Gemm part = plan;
      part.m = (r1 - r0) * g.outW;
      part.a = &from;
      part.c = rows;
      gemm_serial(part, thread);
    }
    // The scratch holds conv rows [r0, r1): as an image of its own, its top is r0 rows lower.
    PoolGeom local = p;
    local.inH = int32_t(r1 - r0);
    local.padTop = int32_t(p.padTop + r0);
    for (int64_t py = py0; py < py1; py++) pool_row_of(y, winners, y_channels, y_offset, rows, local, b, py);
  });
}

namespace {

// Output rows [r0, r1) of image b of the convolution g into y (row r0's first pixel; pixels ldc
// floats apart), inside the calling thread's task: the direct tile, or a GEMM over those rows'
// patches (the image's own rows for a pointwise convolution).
void conv_rows(float* y, int64_t ldc, const float* x, const float* kernel, const ConvGeom& g, const Epilogue& ep,
               int64_t b, int64_t r0, int64_t r1, int thread) {
  if (direct_conv_applies(g)) return direct_conv_rows(y, ldc, x, kernel, g, ep, b, r0, r1, thread);
  const ForwardOperand operand(x, g);
  const RowsFrom rows(operand.get(), (b * g.outH + r0) * g.outW);
  gemm_serial(plan_gemm_in_task((r1 - r0) * g.outW, g.outC, patch_size(g), rows, kernel, g.outC, y, ldc, ep), thread);
}

}  // namespace

// Each task takes a band of rows of one image: both convolutions into the band's channels of
// the concatenation (in L2), then the pointwise convolution of those rows. The concatenation
// (13 MB after SqueezeNet's fire2 at batch 20) is never written out and read back. Convolutions
// that Winograd speeds up are not taken by rows: then the concatenation is made whole.
void concat_conv2d_pointwise(float* z, const float* x, const float* kernel0, ConvGeom g0, const float* bias0,
                             Activation act0, const float* kernel1, ConvGeom g1, const float* bias1, Activation act1,
                             const float* next_kernel, ConvGeom next, const float* next_bias, Activation next_act) {
  const int64_t channels = int64_t(g0.outC) + g1.outC;
  if (winograd_applies(g0) || winograd_applies(g1)) {
    const size_t size = size_t(out_pixels(g0)) * channels;
    float* joined = buffer_acquire(size);
    conv2d(joined, x, kernel0, g0, bias0, act0, channels, 0);
    conv2d(joined, x, kernel1, g1, bias1, act1, channels, g0.outC);
    conv2d(z, joined, next_kernel, next, next_bias, next_act, next.outC, 0);
    buffer_return(joined, size);
    return;
  }
  const int64_t H = g0.outH, W = g0.outW;
  // Rows per band: 256 KiB of the concatenation.
  const int64_t rows = rows_per_task((int64_t(1) << 16) / (W * channels), 1, H, g0.batch);
  const int64_t bands = (H + rows - 1) / rows;
  parallel_for(int64_t(g0.batch) * bands, [&](int64_t task, int thread) {
    const int64_t b = task / bands, r0 = task % bands * rows, r1 = std::min(H, r0 + rows);
    float* joined = thread_scratch(Scratch::Columns, thread, size_t((r1 - r0) * W * channels));
    conv_rows(joined, channels, x, kernel0, g0, {bias0, act0}, b, r0, r1, thread);
    conv_rows(joined + g0.outC, channels, x, kernel1, g1, {bias1, act1}, b, r0, r1, thread);
    const MatrixA band(joined, channels, false);
    float* out = z + (b * H + r0) * W * next.outC;
    gemm_serial(plan_gemm_in_task((r1 - r0) * W, next.outC, channels, band, next_kernel, next.outC, out, next.outC,
                                  {next_bias, next_act}),
                thread);
  });
}

// Strides > 1 need col2im. At stride 1 either works: col2im multiplies by the whole patch
// width (kh·kw·inC columns) and pays a scatter; the flipped correlation multiplies by only inC
// columns and pays an im2col copy per kernel tap, and its padded border grows with the kernel.
// Measured (model A, VGG16 shapes): col2im wins from 64 input channels up, given an image per
// thread, unless the flipped correlation is a 3×3 one that Winograd's products speed up.
void conv2d_backprop_input(float* dx, const float* dy, const float* kernel, ConvGeom g) {
  const bool stride1 = g.strideH == 1 && g.strideW == 1;
  if (stride1 && (g.inC < 64 || g.batch < num_threads() || winograd_applies(backprop_input_geometry(g))))
    backprop_input_stride1(dx, dy, kernel, g);
  else backprop_input_col2im(dx, dy, kernel, g);
}

bool backprop_input_reads_routed(const ConvGeom& g) {
  const ConvGeom t = backprop_input_geometry(g);
  return g.strideH == 1 && g.strideW == 1 && !direct_conv_applies(t) && winograd_applies(t);
}

void conv2d_backprop_input_routed(float* dx, const RoutedGrad& dy, const float* kernel, ConvGeom g) {
  winograd_conv2d_routed(dx, dy, turned_kernel(kernel, g), backprop_input_geometry(g));
}

// dkernel[q, o] = Σ_p patch[p, q]·dy[p, o]: the depth is every output pixel of the batch,
// so threads split the pixels and sum their partial kernels at the end.
void conv2d_backprop_filter(float* dkernel, const float* x, const float* dy, ConvGeom g) {
  if (winograd_applies(g)) return winograd_conv2d_backprop_filter(dkernel, x, dy, g);
  const MatrixA image_t(x, g.inC, true);
  const PatchCols patches_t(x, g);
  const AOperand& a = pointwise(g) ? static_cast<const AOperand&>(image_t) : patches_t;
  gemm_split_k(plan_gemm(patch_size(g), g.outC, out_pixels(g), a, dy, g.outC, false, dkernel, g.outC, {}));
}

}  // namespace dt
