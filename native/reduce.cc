// Sum/max over the middle axis of [outer, n, inner], and row-wise softmax. Sums run in
// double, as the js reference does, so long reductions agree with it closely.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels.h"
#include "simd.h"
#include "threadpool.h"

namespace dt {
namespace {

double identity(ReduceOp op) { return op == ReduceOp::Sum ? 0.0 : -std::numeric_limits<double>::infinity(); }

// NaN wins and stays, as in the js reference.
double fold(ReduceOp op, double acc, double v) {
  return op == ReduceOp::Sum ? acc + v : (v > acc || v != v) ? v : acc;
}

// acc[i] ⊕= x[r·stride + i] for r < rows, i < cols.
DT_CLONES void fold_rows(ReduceOp op, double* acc, const float* x, int64_t rows, int64_t stride, int64_t cols) {
  for (int64_t r = 0; r < rows; r++) {
    const float* row = x + r * stride;
    if (op == ReduceOp::Sum) {
      for (int64_t i = 0; i < cols; i++) acc[i] += row[i];
    } else {
      for (int64_t i = 0; i < cols; i++) acc[i] = (row[i] > acc[i] || row[i] != row[i]) ? row[i] : acc[i];
    }
  }
}

// Contiguous run folded in 8 lanes (vectorisable), then the lanes folded together.
DT_CLONES double fold_run(ReduceOp op, const float* x, int64_t n) {
  double lanes[8];
  for (double& l : lanes) l = identity(op);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; j++) {
      const double v = x[i + j];
      lanes[j] = op == ReduceOp::Sum ? lanes[j] + v : (v > lanes[j] || v != v) ? v : lanes[j];
    }
  }
  double acc = identity(op);
  for (double l : lanes) acc = fold(op, acc, l);
  for (; i < n; i++) acc = fold(op, acc, x[i]);
  return acc;
}

}  // namespace

void reduce(float* out, ReduceOp op, const float* x, int64_t outer, int64_t n, int64_t inner) {
  const int64_t threads = num_threads();
  // Few outputs over a long axis (a bias gradient: [1, pixels, channels]) also split the axis.
  const int64_t icut = inner == 1 ? 1 : std::max<int64_t>(1, std::min<int64_t>(inner / 64, 4 * threads));
  const int64_t iwidth = (inner + icut - 1) / icut;
  const int64_t base_tasks = outer * icut;
  const int64_t splits = base_tasks >= 2 * threads || n * inner < (1 << 16)
                             ? 1
                             : std::max<int64_t>(1, std::min<int64_t>(n / 64, 4 * threads / base_tasks + 1));
  std::vector<double> partial(size_t(splits * outer * inner), identity(op));
  parallel_for(base_tasks * splits, [&](int64_t task, int) {
    const int64_t s = task / base_tasks, o = (task % base_tasks) / icut, ic = task % icut;
    const int64_t i0 = ic * iwidth, i1 = std::min(inner, i0 + iwidth);
    const int64_t r0 = n * s / splits, r1 = n * (s + 1) / splits;
    double* acc = partial.data() + (s * outer + o) * inner;
    const float* src = x + (o * n + r0) * inner;
    if (inner == 1) acc[0] = fold_run(op, src, r1 - r0);
    else if (i1 > i0) fold_rows(op, acc + i0, src + i0, r1 - r0, inner, i1 - i0);
  });
  parallel_range(outer * inner, 1 << 14, [&](int64_t b, int64_t e, int) {
    for (int64_t j = b; j < e; j++) {
      double acc = partial[size_t(j)];
      for (int64_t s = 1; s < splits; s++) acc = fold(op, acc, partial[size_t(s * outer * inner + j)]);
      out[j] = float(acc);
    }
  });
}

void softmax(float* out, const float* x, int64_t rows, int64_t cols) {
  parallel_range(rows, std::max<int64_t>(1, (1 << 13) / std::max<int64_t>(cols, 1)), [&](int64_t r0, int64_t r1, int) {
    for (int64_t r = r0; r < r1; r++) {
      const float* in = x + r * cols;
      float* o = out + r * cols;
      float max = -std::numeric_limits<float>::infinity();
      for (int64_t c = 0; c < cols; c++) max = std::max(max, in[c]);
      double sum = 0;
      for (int64_t c = 0; c < cols; c++) {
        o[c] = std::exp(in[c] - max);
        sum += o[c];
      }
      for (int64_t c = 0; c < cols; c++) o[c] = float(o[c] / sum);
    }
  });
}

}  // namespace dt
