// Data movement. N-d transpose as a loop over 2-d tiles: after merging axes that stay adjacent, the last two
// output axes are copied in cache-sized tiles (or as straight runs when the last is contiguous).
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels.h"
#include "threadpool.h"

namespace dt {

void transpose(float* out, const float* x, IntSpan shape, IntSpan perm) {
  const int64_t rank = shape.size;
  std::vector<int64_t> in_stride(size_t(rank), 1);
  for (int64_t d = rank - 2; d >= 0; d--) in_stride[size_t(d)] = in_stride[size_t(d + 1)] * shape.data[d + 1];
  // Output axes with their input strides, size-1 axes dropped, mergeable neighbours merged.
  std::vector<int64_t> dims, steps;
  int64_t total = 1;
  for (int64_t d = 0; d < rank; d++) {
    const int64_t dim = shape.data[perm.data[d]], step = in_stride[size_t(perm.data[d])];
    total *= dim;
    if (dim == 1) continue;
    if (!dims.empty() && steps.back() == step * dim) {
      dims.back() *= dim;
      steps.back() = step;
    } else {
      dims.push_back(dim);
      steps.push_back(step);
    }
  }
  if (total == 0) return;
  while (dims.size() < 2) dims.insert(dims.begin(), 1), steps.insert(steps.begin(), 0);
  const int64_t R = dims[dims.size() - 2], C = dims.back();
  const int64_t sR = steps[steps.size() - 2], sC = steps.back();
  const int64_t outer = total / (R * C);
  constexpr int64_t T = 32;
  const int64_t rtiles = (R + T - 1) / T;
  parallel_range(outer * rtiles, std::max<int64_t>(1, (1 << 14) / (T * C)), [&](int64_t t0, int64_t t1, int) {
    for (int64_t t = t0; t < t1; t++) {
      const int64_t o = t / rtiles, r0 = (t % rtiles) * T, r1 = std::min(R, r0 + T);
      int64_t base = 0;
      for (int64_t d = int64_t(dims.size()) - 3, rest = o; d >= 0; d--) {
        base += (rest % dims[size_t(d)]) * steps[size_t(d)];
        rest /= dims[size_t(d)];
      }
      float* dst = out + o * R * C;
      if (sC == 1) {
        for (int64_t r = r0; r < r1; r++) std::memcpy(dst + r * C, x + base + r * sR, size_t(C) * 4);
        continue;
      }
      for (int64_t c0 = 0; c0 < C; c0 += T) {
        const int64_t c1 = std::min(C, c0 + T);
        for (int64_t r = r0; r < r1; r++)
          for (int64_t c = c0; c < c1; c++) dst[r * C + c] = x[base + r * sR + c * sC];
      }
    }
  });
}

// Concatenation and its split on the last axes: one row of the block per memcpy.
void copy_block(float* dst, int64_t dst_stride, int64_t dst_offset, const float* src, int64_t src_stride,
                int64_t src_offset, int64_t rows, int64_t width) {
  parallel_range(rows, std::max<int64_t>(1, (int64_t(1) << 14) / std::max<int64_t>(width, 1)), [&](int64_t r0, int64_t r1, int) {
    for (int64_t r = r0; r < r1; r++)
      std::memcpy(dst + r * dst_stride + dst_offset, src + r * src_stride + src_offset, size_t(width) * 4);
  });
}

}  // namespace dt
