// The kernel library's whole surface: plain C++ functions over raw pointers, sizes and small
// structs, with no N-API types, so a wasm or C build can wrap the same functions later.
// Outputs come first and are preallocated by the caller (the JS side owns buffer pooling).
// Enum values are the indices of the names in src/backend/native/codes.ts; keep both in step.
#pragma once
#include <cstdint>

namespace dt {

enum class Activation : int32_t { Linear, Relu, Sigmoid, Tanh };
enum class UnaryOp : int32_t { Neg, Exp, Log, Sqrt, Square, Abs, Relu, Sigmoid, Tanh };
enum class BinaryOp : int32_t { Add, Sub, Mul, Div, Pow, Maximum, Minimum };
enum class ReduceOp : int32_t { Sum, Max };

// Field order matches Conv2DInfo / Pool2DInfo in src/backend/backend.ts; the binding copies
// them from an Int32Array of exactly these fields.
struct ConvGeom {
  int32_t batch, inH, inW, inC, outH, outW, outC, kernelH, kernelW, strideH, strideW, padTop, padLeft;
};
struct PoolGeom {
  int32_t batch, inH, inW, channels, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft;
};

struct IntSpan {
  const int32_t* data;
  int64_t size;
};

void matmul(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n, bool transA,
            bool transB, const float* bias, Activation act);

// y's pixels are y_channels floats apart and this convolution fills channels [y_offset, y_offset + outC)
// of each: y_channels == outC and y_offset == 0 for a plain output, more to write into a concatenation.
void conv2d(float* y, const float* x, const float* kernel, ConvGeom g, const float* bias, Activation act,
            int64_t y_channels, int64_t y_offset);
// y = max_pool(act(conv(x) + bias)) without storing the convolution's output. winners (may be
// null; windows of at most 256 cells): for each output, the window cell it came from, ky·poolW + kx
// (the first maximal one), which is all conv2d_max_pool_backward needs of the forward.
// y's pixels are y_channels floats apart, this convolution's channels from y_offset, as conv2d's
// (winners, when given, need y_channels == outC and y_offset == 0).
void conv2d_max_pool(float* y, uint8_t* winners, const float* x, const float* kernel, ConvGeom g, const float* bias,
                     Activation act, PoolGeom p, int64_t y_channels, int64_t y_offset);
// conv2d_max_pool's kernel gradient, its input's when dx is not null and its bias's when dbias is
// not null, from dy: the gradient of its output y = act(...). act's derivative is taken from y
// (each activation is non-decreasing, so a window's winning cell holds the pooled value).
void conv2d_max_pool_backward(float* dx, float* dkernel, float* dbias, const float* x, const float* kernel,
                              const float* y, Activation act, const float* dy, const uint8_t* winners, ConvGeom g,
                              PoolGeom p);
// z = conv(concat([conv(x, kernel0), conv(x, kernel1)], channels), next_kernel), each with its
// bias and activation, without storing the concatenation (SqueezeNet's fire module and the next
// one's squeeze). next is pointwise: 1×1, stride 1, unpadded, over g0.outC + g1.outC channels.
void concat_conv2d_pointwise(float* z, const float* x, const float* kernel0, ConvGeom g0, const float* bias0,
                             Activation act0, const float* kernel1, ConvGeom g1, const float* bias1, Activation act1,
                             const float* next_kernel, ConvGeom next, const float* next_bias, Activation next_act);
// Which path conv2d takes for g: "direct", "winograd 4×4", "winograd 2×2" or "gemm" (tests check their
// shapes reach each).
const char* conv2d_algorithm(ConvGeom g);
void conv2d_backprop_input(float* dx, const float* dy, const float* kernel, ConvGeom g);
// The same from a max pool's gradient read through its winners (pool.h), where the input
// gradient takes Winograd's tiles (backprop_input_reads_routed).
struct RoutedGrad;
bool backprop_input_reads_routed(const ConvGeom& g);
void conv2d_backprop_input_routed(float* dx, const RoutedGrad& dy, const float* kernel, ConvGeom g);
void conv2d_backprop_filter(float* dkernel, const float* x, const float* dy, ConvGeom g);

void max_pool(float* y, const float* x, PoolGeom g);
void max_pool_backward(float* dx, const float* x, const float* dy, PoolGeom g);
void avg_pool(float* y, const float* x, PoolGeom g);
void avg_pool_backward(float* dx, const float* dy, PoolGeom g);

void unary(float* y, UnaryOp op, const float* x, int64_t n);
// op is Relu, Sigmoid or Tanh; the gradient is taken from the op's output y.
void activation_grad(float* dx, Activation op, const float* y, const float* dy, int64_t n);
void binary(float* out, BinaryOp op, const float* a, IntSpan aShape, const float* b, IntSpan bShape,
            IntSpan outShape);
void reduce(float* out, ReduceOp op, const float* x, int64_t outer, int64_t n, int64_t inner);
void transpose(float* out, const float* x, IntSpan shape, IntSpan perm);
// dst[r·dst_stride + dst_offset + j] = src[r·src_stride + src_offset + j], r < rows, j < width.
void copy_block(float* dst, int64_t dst_stride, int64_t dst_offset, const float* src, int64_t src_stride,
                int64_t src_offset, int64_t rows, int64_t width);
void softmax(float* out, const float* x, int64_t rows, int64_t cols);

// velocity may be null (plain SGD).
void sgd_update(float* w, const float* g, float* velocity, int64_t n, float lr, float momentum, bool nesterov);
void rmsprop_update(float* w, const float* g, float* meanSquare, int64_t n, float lr, float rho, float eps);
void adam_update(float* w, const float* g, float* m, float* v, int64_t n, float lr, float beta1, float beta2,
                 float eps);

// Augmentation: out[h, w, c] resampled from src through the affine pull map (row, col) →
// (u, v) = (map[2] + map[0]·row + map[1]·col, map[5] + map[3]·row + map[4]·col), bilinear,
// points outside filled per fill_mode (cval for Constant), each value then multiplied by
// `scale` in float32 (the generator's rescale folded in; 1 leaves it out). Same pixels as
// src/data/warp.ts. The flips mirror where each output pixel is stored (the generator's flips,
// which come after the transform).
enum class FillMode : int32_t { Nearest, Constant, Reflect, Wrap };
void affine_warp(float* out, const float* src, int64_t height, int64_t width, int64_t channels, const double* map,
                 FillMode fill_mode, float cval, float scale, bool flip_horizontal, bool flip_vertical);
void affine_warp_u8(float* out, const uint8_t* src, int64_t height, int64_t width, int64_t channels, const double* map,
                    FillMode fill_mode, float cval, float scale, bool flip_horizontal, bool flip_vertical);
// affine_warp_u8 for `images` images into consecutive slots of out (a batch), image j with map
// maps[6j, 6j + 6) and flips[j] (bit 0 horizontal, bit 1 vertical).
void affine_warp_batch_u8(float* out, const uint8_t* const* sources, int64_t images, int64_t height, int64_t width,
                          int64_t channels, const double* maps, const uint8_t* flips, FillMode fill_mode, float cval,
                          float scale);
// out[i] = float(src[i]) · scale: a cached 8-bit image into a batch, rescaled, in one pass.
void scale_u8(float* out, const uint8_t* src, int64_t n, float scale);

// GFLOP/s of independent FMA chains on every pool thread with the GEMM's instruction set.
double fma_peak_gflops();

}  // namespace dt
