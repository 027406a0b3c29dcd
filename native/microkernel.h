// The register-blocked GEMM micro-kernel contract, one implementation per instruction set.
// A tile computes C[mr×nr] (+)= A[mr×kc]·B[kc×nr] with mr ≤ MR, nr ≤ NR of its ISA.
#pragma once
#include <array>
#include <cstdint>
#include <utility>

#include "cpu.h"
#include "platform/platform.h"

namespace dt {

struct MicroTile {
  int64_t kc;
  const float* a;  // element (r, k) at a[r·a_rs + k·a_cs]; row-major blocks have a_rs == kc
  int64_t a_rs, a_cs;
  const float* b;  // element (k, j) at b[k·ldb + j]; lanes j ≥ nr are never read
  int64_t ldb;
  float* c;  // element (r, j) at c[r·ldc + j]
  int64_t ldc;
  int mr, nr;
  bool accumulate;    // C += A·B rather than C = A·B
  const float* bias;  // when set, bias[j] is added on store (last k block only)
  bool relu;          // relu() on store (last k block only)
};

using MicroKernel = void (*)(const MicroTile&);

// A direct-convolution tile for images with few channels: MR output pixels × nr channels, read
// straight from image rows instead of packed patches. Pixel r's tap (ky, j), j < taps_w =
// kw·inC, is a[ky·a_row + r·step + j] (step = strideW·inC, a kernel constant); B is the
// kernel's [kh·taps_w, ldb] rows. All MR pixels are computed; pixels r < mr are stored at
// c[r·ldc], or, where `rows` is set, at rows[r] (none where that is null: a window that
// wraps round a row's end).
struct DirectTile {
  const float* a;
  int64_t a_row;
  int kernel_h, taps_w;
  const float* b;
  int64_t ldb;
  float* c;
  int64_t ldc;
  float* const* rows;
  int mr, nr;
  const float* bias;
  bool relu;
};

using DirectKernel = void (*)(const DirectTile&);

// An ISA's direct tiles for one pixel step: `mr` pixels × `nr` channels, full and partial width.
struct DirectTiles {
  DirectKernel full = nullptr, part = nullptr;
  int mr = 0, nr = 0;
};

struct GemmArch {
  Isa isa;
  int mr, nr;      // register tile
  int kc, mc;      // cache blocking: B micro-panel kc×NR in L1, A block mc×kc in L2
  MicroKernel row_major;  // for a_cs == 1, a_rs == kc (A and im2col rows, copied)
  MicroKernel k_major;    // for a_rs == 1 (Aᵀ and transposed im2col, copied)
  // A full-height (mr == MR) tile reading A's rows in place, row_stride floats apart, or
  // nullptr where this ISA has none for that stride.
  MicroKernel (*in_place)(int64_t row_stride);
  // The direct tiles for a pixel step and output channel count (none where full is null).
  DirectTiles (*direct)(int step, int64_t out_c);
  // The same ISA shaped for products at most NR/2 columns wide, or nullptr.
  const GemmArch* narrow;
};

// Runs Tiles::rows<t.mr>(t): an ISA compiles its tile once per row count up to MaxR, so each
// keeps its accumulators in registers, and the GEMM's last row block takes the one it needs.
template <int MaxR, typename Tiles>
void by_rows(const MicroTile& t) {
  static constexpr auto table = []<size_t... R>(std::index_sequence<R...>) {
    return std::array<MicroKernel, MaxR + 1>{{nullptr, &Tiles::template rows<int(R) + 1>...}};
  }(std::make_index_sequence<MaxR>());
  table[t.mr](t);
}

// Defined only where the ISA's file was compiled for this architecture.
const GemmArch* avx512_arch();
const GemmArch* avx2_arch();
const GemmArch* neon_arch();
const GemmArch* scalar_arch();

}  // namespace dt
