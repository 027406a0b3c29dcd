// GEMM driver: cache blocking, B packing and threading around the ISA's micro-kernel.
// The left operand is abstract so convolutions can feed im2col blocks straight from the
// image (implicit GEMM) instead of materialising the whole patch matrix.
#pragma once
#include <cstdint>

#include "kernels.h"
#include "microkernel.h"

namespace dt {

// A packed block of A, cut into micro-panels of `mr` rows that start ps floats apart; element
// (r, k) of a micro-panel at p[r·rs + k·cs]. Either row-major, rs being the ISA's row stride
// (a compile-time constant in the micro-kernel), or k-major (rs == 1): best with cs == mr, each
// micro-panel one contiguous run that stays in L1 while B's panels stream past it.
struct AView {
  const float* p;
  int64_t rs, cs, ps;
};

// How the GEMM wants a block packed: the row stride of row-major blocks, the micro-panel height;
// and the ISA's in-place tiles, for operands that can hand over rows where they lie.
struct PackShape {
  int64_t row_stride;
  int64_t mr;
  MicroKernel (*in_place)(int64_t row_stride) = nullptr;
};

class AOperand {
 public:
  // Rows [i0, i0+rows) × depth [p0, p0+depth) of A packed into `scratch` (room for
  // rows rounded up to mr, times row_stride ≥ depth, floats).
  virtual AView block(int64_t i0, int64_t rows, int64_t p0, int64_t depth, const PackShape& shape,
                      float* scratch) const = 0;

 protected:
  ~AOperand() = default;
};

// A stored row-major [m, k] (trans false) or as its transpose [k, m]. Blocks are copied,
// since rows ld floats apart (often a power of two) would put a micro-panel's lines in one
// cache set, and a fixed row stride lets the micro-kernel address rows by immediates; except
// row-major rows at a stride the ISA has in-place tiles for (a pointwise convolution's image):
// there the copy would cost as much as the product's short depth.
class MatrixA final : public AOperand {
 public:
  MatrixA(const float* a, int64_t ld, bool trans) : a_(a), ld_(ld), trans_(trans) {}
  AView block(int64_t i0, int64_t rows, int64_t p0, int64_t depth, const PackShape& shape,
              float* scratch) const override;

 private:
  const float* a_;
  int64_t ld_;
  bool trans_;
};

struct Epilogue {
  const float* bias = nullptr;  // [n], added per column
  Activation act = Activation::Linear;
};

// B as the micro-kernel reads it: NR-wide column panels, straight from a row-major matrix
// or packed (panel after panel, each kc rows of NR floats, zero-padded on the right).
struct BPanels {
  const float* p;
  int64_t ld;
  bool packed;
  int64_t block_stride;  // packed: floats per kc block of rows

  const float* panel(int64_t pc, int64_t jc, int64_t kc, int nr) const {
    return packed ? p + (pc / kc) * block_stride + (jc / nr) * kc * nr : p + pc * ld + jc;
  }
};

struct Gemm {
  const GemmArch* arch;
  int64_t m, n, k;
  int64_t mc, kc;  // rows of A and depth per packed block
  const AOperand* a;
  BPanels b;
  float* c;
  int64_t ldc;
  Epilogue ep;
};

const GemmArch& gemm_arch();
// The micro-kernel shape for products n columns wide: the narrow one where half a tile would idle.
const GemmArch& gemm_arch_for_columns(int64_t n);
// Switches the micro-kernel (tests run every compiled path); false when the CPU lacks it.
bool set_gemm_isa(Isa isa);

// C[m×n] = A·B with B stored [k, n] (row stride ldb) or, transposed, [n, k]. Packs B into
// shared scratch, in parallel, when it is transposed or wide and reused by many row blocks.
Gemm plan_gemm(int64_t m, int64_t n, int64_t k, const AOperand& a, const float* b, int64_t ldb, bool transB,
               float* c, int64_t ldc, Epilogue ep);

// The same product for one task to run with gemm_serial: B is read in place (a block's panels
// copied as it needs them), never packed into the call's shared scratch.
Gemm plan_gemm_in_task(int64_t m, int64_t n, int64_t k, const AOperand& a, const float* b, int64_t ldb, float* c,
                       int64_t ldc, Epilogue ep);

// Tasks over blocks of rows (and of columns when there are few rows).
void gemm_parallel(const Gemm& g);
// Tasks over the depth k, each thread summing into its own partial C; no epilogue. For
// products whose output is small and depth huge (filter gradients).
void gemm_split_k(const Gemm& g);
// All of it in the calling thread (inside another kernel's task); accumulate: C += A·B.
void gemm_serial(const Gemm& g, int thread, bool accumulate = false);

}  // namespace dt
