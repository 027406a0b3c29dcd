// Portable micro-kernel: 4 rows × 8 columns of plain C++, for CPUs without AVX2 (and the
// reference the SIMD kernels are tested against on machines that have them).
#include <algorithm>

#include "activation.h"
#include "microkernel.h"

namespace dt {
namespace {

constexpr int MR = 4;
constexpr int NR = 8;

void tile(const MicroTile& t) {
  float acc[MR][NR] = {};
  const float* a = t.a;
  const float* b = t.b;
  for (int64_t k = 0; k < t.kc; k++) {
    for (int r = 0; r < t.mr; r++) {
      const float av = a[r * t.a_rs];
      for (int j = 0; j < t.nr; j++) acc[r][j] += av * b[j];
    }
    a += t.a_cs;
    b += t.ldb;
  }
  for (int r = 0; r < t.mr; r++) {
    float* c = t.c + r * t.ldc;
    for (int j = 0; j < t.nr; j++) {
      float v = acc[r][j] + (t.bias ? t.bias[j] : 0.0f);
      if (t.accumulate) v += c[j];
      c[j] = t.relu ? relu(v) : v;
    }
  }
}

}  // namespace

const GemmArch* scalar_arch() {
  static const GemmArch arch{Isa::Scalar, MR, NR, 256, MR * 32, &tile, &tile, nullptr, nullptr, nullptr};
  return &arch;
}

}  // namespace dt
