// Unary ops, activation gradients and binary ops with NumPy broadcasting.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "activation.h"
#include "kernels.h"
#include "simd.h"
#include "threadpool.h"

namespace dt {
namespace {

constexpr int64_t kGrain = 1 << 14;  // below ~16K floats a thread hand-off costs more than it saves

DT_CLONES void unary_span(float* y, UnaryOp op, const float* x, int64_t n) {
  switch (op) {
    case UnaryOp::Neg: for (int64_t i = 0; i < n; i++) y[i] = -x[i]; break;
    case UnaryOp::Exp: for (int64_t i = 0; i < n; i++) y[i] = std::exp(x[i]); break;
    case UnaryOp::Log: for (int64_t i = 0; i < n; i++) y[i] = std::log(x[i]); break;
    case UnaryOp::Sqrt: for (int64_t i = 0; i < n; i++) y[i] = std::sqrt(x[i]); break;
    case UnaryOp::Square: for (int64_t i = 0; i < n; i++) y[i] = x[i] * x[i]; break;
    case UnaryOp::Abs: for (int64_t i = 0; i < n; i++) y[i] = std::fabs(x[i]); break;
    case UnaryOp::Relu: for (int64_t i = 0; i < n; i++) y[i] = relu(x[i]); break;
    case UnaryOp::Sigmoid: for (int64_t i = 0; i < n; i++) y[i] = sigmoid(x[i]); break;
    case UnaryOp::Tanh: for (int64_t i = 0; i < n; i++) y[i] = std::tanh(x[i]); break;
  }
}

DT_CLONES void activation_grad_span(float* dx, Activation op, const float* y, const float* dy, int64_t n) {
  switch (op) {
    case Activation::Relu: for (int64_t i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0.0f; break;
    case Activation::Sigmoid: for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1 - y[i]); break;
    case Activation::Tanh: for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i] * y[i]); break;
    case Activation::Linear: std::memcpy(dx, dy, size_t(n) * 4); break;
  }
}

// acc[k] += Σ_r x[r·channels + k], in double as reduce sums.
DT_CLONES void sum_rows(double* acc, const float* x, int64_t rows, int64_t channels) {
  for (int64_t r = 0; r < rows; r++)
    for (int64_t k = 0; k < channels; k++) acc[k] += double(x[r * channels + k]);
}

DT_CLONES void bias_activate_row(float* c, int64_t n, const float* bias, Activation act) {
  if (bias) for (int64_t j = 0; j < n; j++) c[j] += bias[j];
  switch (act) {
    case Activation::Relu: for (int64_t j = 0; j < n; j++) c[j] = relu(c[j]); break;
    case Activation::Sigmoid: for (int64_t j = 0; j < n; j++) c[j] = sigmoid(c[j]); break;
    case Activation::Tanh: for (int64_t j = 0; j < n; j++) c[j] = std::tanh(c[j]); break;
    case Activation::Linear: break;
  }
}

// out[i] = a[i·sa] op b[i·sb] with sa, sb ∈ {0, 1}: the three loops a compiler can vectorise.
#define DT_BINARY_LOOPS(EXPR)                                                       \
  if (sa && sb) {                                                                   \
    for (int64_t i = 0; i < n; i++) { const float a = pa[i], b = pb[i]; out[i] = (EXPR); } \
  } else if (sa) {                                                                  \
    const float b = pb[0];                                                          \
    for (int64_t i = 0; i < n; i++) { const float a = pa[i]; out[i] = (EXPR); }     \
  } else if (sb) {                                                                  \
    const float a = pa[0];                                                          \
    for (int64_t i = 0; i < n; i++) { const float b = pb[i]; out[i] = (EXPR); }     \
  } else {                                                                          \
    const float a = pa[0], b = pb[0];                                               \
    const float v = (EXPR);                                                         \
    for (int64_t i = 0; i < n; i++) out[i] = v;                                     \
  }

// Math.max / Math.min semantics: NaN wins (a + b carries it).
DT_CLONES void binary_span(float* out, BinaryOp op, const float* pa, bool sa, const float* pb, bool sb, int64_t n) {
  switch (op) {
    case BinaryOp::Add: DT_BINARY_LOOPS(a + b) break;
    case BinaryOp::Sub: DT_BINARY_LOOPS(a - b) break;
    case BinaryOp::Mul: DT_BINARY_LOOPS(a * b) break;
    case BinaryOp::Div: DT_BINARY_LOOPS(a / b) break;
    case BinaryOp::Pow: DT_BINARY_LOOPS(std::pow(a, b)) break;
    case BinaryOp::Maximum: DT_BINARY_LOOPS(a != a || b != b ? a + b : a > b ? a : b) break;
    case BinaryOp::Minimum: DT_BINARY_LOOPS(a != a || b != b ? a + b : a < b ? a : b) break;
  }
}
#undef DT_BINARY_LOOPS

// The broadcast as few dims as possible: size-1 output dims dropped and neighbours merged
// when both operands step through them as one (same-shape, scalar and bias cases end up 1-2 dims).
struct Broadcast {
  std::vector<int64_t> dims, sa, sb;
};

Broadcast coalesce(IntSpan aShape, IntSpan bShape, IntSpan outShape) {
  const int64_t rank = outShape.size;
  std::vector<int64_t> sa(rank, 0), sb(rank, 0);
  auto strides = [&](IntSpan shape, std::vector<int64_t>& s) {
    int64_t step = 1;
    for (int64_t i = shape.size - 1; i >= 0; i--) {
      const int64_t d = rank - shape.size + i;
      s[d] = shape.data[i] == 1 ? 0 : step;
      step *= shape.data[i];
    }
  };
  strides(aShape, sa);
  strides(bShape, sb);
  Broadcast r;
  for (int64_t d = 0; d < rank; d++) {
    const int64_t dim = outShape.data[d];
    if (dim == 1) continue;
    if (!r.dims.empty() && r.sa.back() == sa[d] * dim && r.sb.back() == sb[d] * dim) {
      r.dims.back() *= dim;
      r.sa.back() = sa[d];
      r.sb.back() = sb[d];
      continue;
    }
    r.dims.push_back(dim);
    r.sa.push_back(sa[d]);
    r.sb.push_back(sb[d]);
  }
  if (r.dims.empty()) r.dims = {1}, r.sa = {0}, r.sb = {0};
  return r;
}

}  // namespace

void bias_activate(float* c, int64_t ldc, int64_t rows, int64_t cols, const float* bias, Activation act) {
  if (!bias && act == Activation::Linear) return;
  for (int64_t r = 0; r < rows; r++) bias_activate_row(c + r * ldc, cols, bias, act);
}

void unary(float* y, UnaryOp op, const float* x, int64_t n) {
  parallel_range(n, kGrain, [&](int64_t b, int64_t e, int) { unary_span(y + b, op, x + b, e - b); });
}

void activation_grad(float* dx, Activation op, const float* y, const float* dy, int64_t n) {
  parallel_range(n, kGrain, [&](int64_t b, int64_t e, int) { activation_grad_span(dx + b, op, y + b, dy + b, e - b); });
}

void activation_grad_bias(float* dz, float* dbias, Activation op, const float* y, const float* dy, int64_t rows,
                          int64_t channels) {
  // Chunks of a fixed number of rows, summed in order, so the sums do not depend on the threads.
  const int64_t chunk = std::max<int64_t>(1, kGrain / 4 / std::max<int64_t>(channels, 1));
  const int64_t chunks = (rows + chunk - 1) / chunk;
  std::vector<double> partial(dbias ? size_t(chunks * channels) : 0, 0.0);
  parallel_for(chunks, [&](int64_t task, int) {
    const int64_t r0 = task * chunk, n = (std::min(rows, r0 + chunk) - r0) * channels, at = r0 * channels;
    activation_grad_span(dz + at, op, y + at, dy + at, n);
    if (dbias) sum_rows(partial.data() + task * channels, dz + at, n / channels, channels);
  });
  if (dbias) sum_partials(dbias, partial.data(), chunks, channels);
}

void binary(float* out, BinaryOp op, const float* a, IntSpan aShape, const float* b, IntSpan bShape,
            IntSpan outShape) {
  for (int64_t d = 0; d < outShape.size; d++)
    if (outShape.data[d] == 0) return;
  const Broadcast bc = coalesce(aShape, bShape, outShape);
  const int64_t rank = int64_t(bc.dims.size());
  const int64_t inner = bc.dims.back();
  int64_t rows = 1;
  for (int64_t d = 0; d + 1 < rank; d++) rows *= bc.dims[d];
  // Long rows are cut into segments so a scalar or same-shape op still spreads over threads.
  const int64_t seg = std::max<int64_t>(kGrain, inner / (4 * num_threads()) + 1);
  const int64_t segs = (inner + seg - 1) / seg;
  const bool ia = bc.sa.back() != 0, ib = bc.sb.back() != 0;
  parallel_range(rows * segs, std::max<int64_t>(1, kGrain / inner), [&](int64_t t0, int64_t t1, int) {
    for (int64_t t = t0; t < t1; t++) {
      const int64_t row = t / segs, s = t % segs;
      int64_t oa = 0, ob = 0;
      for (int64_t d = rank - 2, rest = row; d >= 0; d--) {
        const int64_t i = rest % bc.dims[d];
        rest /= bc.dims[d];
        oa += i * bc.sa[d];
        ob += i * bc.sb[d];
      }
      const int64_t j0 = s * seg, len = std::min(seg, inner - j0);
      binary_span(out + row * inner + j0, op, a + oa + (ia ? j0 : 0), ia, b + ob + (ib ? j0 : 0), ib, len);
    }
  });
}

}  // namespace dt
