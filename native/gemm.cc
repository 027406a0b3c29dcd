#include "gemm.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "activation.h"
#include "memory.h"
#include "threadpool.h"

namespace dt {
namespace {

const GemmArch* arch_for(Isa isa) {
  switch (isa) {
    case Isa::Avx512: return avx512_arch();
    case Isa::Avx2: return avx2_arch();
    case Isa::Neon: return neon_arch();
    case Isa::Scalar: return scalar_arch();
  }
  return scalar_arch();
}

const GemmArch*& current_arch() {
  static const GemmArch* arch = arch_for(detected_isa());
  return arch;
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

// Packs B rows [pc, pc+kcb) × columns [jc, jc+NR) into a kc×NR panel, zero-padded.
void pack_b_panel(const float* b, int64_t ldb, bool trans, int64_t n, int64_t pc, int64_t kcb, int64_t jc, int nr,
                  float* dst) {
  const int64_t cols = std::min<int64_t>(nr, n - jc);
  if (trans) {  // read B's rows (B's columns) contiguously, write strided
    for (int64_t j = 0; j < cols; j++) {
      const float* src = b + (jc + j) * ldb + pc;
      for (int64_t k = 0; k < kcb; k++) dst[k * nr + j] = src[k];
    }
    for (int64_t k = 0; k < kcb; k++) std::fill(dst + k * nr + cols, dst + (k + 1) * nr, 0.0f);
    return;
  }
  for (int64_t k = 0; k < kcb; k++) {
    const float* src = b + (pc + k) * ldb + jc;
    std::copy(src, src + cols, dst + k * nr);
    std::fill(dst + k * nr + cols, dst + (k + 1) * nr, 0.0f);
  }
}

// The macro-kernel: rows [i0,i1) × columns [j0,j1) over depth [p0,p1) into c (row stride ldc).
// accumulate: add onto c's contents; the epilogue is applied when the last depth block of
// the whole product is in this range.
void run_block(const Gemm& g, int64_t i0, int64_t i1, int64_t j0, int64_t j1, int64_t p0, int64_t p1, float* c,
               int64_t ldc, bool accumulate, bool epilogue, int thread) {
  const GemmArch& arch = *g.arch;
  const int MR = arch.mr, NR = arch.nr;
  float* scratch = thread_scratch(Scratch::PackA, thread, size_t(round_up(g.mc, MR) * arch.kc));
  const PackShape shape{arch.kc, MR, arch.in_place};
  // B read in place whose rows hold several panels is copied panel by panel for this block, so
  // the kernel streams contiguous memory; the copy is 1/(2·mc) of the block's arithmetic.
  const bool copy_b = !g.b.packed && g.b.ld != NR;
  const bool relu = epilogue && g.ep.act == Activation::Relu;
  const bool other_act = epilogue && activates_after_tile(g.ep.act);
  // Columns per pass over an A block: B's kc×nc block (~1 MiB) stays in L2.
  const int64_t nc = std::max<int64_t>(NR, (int64_t(1) << 18) / g.kc / NR * NR);
  float* bcopy = copy_b ? thread_scratch(Scratch::PackB, thread, size_t(g.kc * nc)) : nullptr;
  for (int64_t ic = i0; ic < i1; ic += g.mc) {
    const int64_t mcb = std::min<int64_t>(g.mc, i1 - ic);
    for (int64_t pc = p0; pc < p1; pc += g.kc) {
      const int64_t kcb = std::min(g.kc, p1 - pc);
      const AView a = g.a->block(ic, mcb, pc, kcb, shape, scratch);
      const bool last = epilogue && pc + kcb == p1;
      MicroTile t{};
      t.kc = kcb;
      t.a_cs = a.cs;
      t.ldc = ldc;
      t.accumulate = accumulate || pc != p0;
      t.relu = last && relu;
      const bool in_place = a.rs != 1 && a.rs != arch.kc;
      const MicroKernel kernel = a.rs == 1 ? arch.k_major : in_place ? arch.in_place(a.rs) : arch.row_major;
      // A's micro-panel (MR×kc) stays in L1 while B's panels of this column chunk stream
      // from L2, one contiguous kc×NR panel after another.
      for (int64_t jb = j0; jb < j1; jb += nc) {
        const int64_t je = std::min(j1, jb + nc);
        if (copy_b) {
          for (int64_t jc = jb; jc < je; jc += NR)
            pack_b_panel(g.b.p, g.b.ld, false, g.n, pc, kcb, jc, NR, bcopy + (jc - jb) * kcb);
        }
        t.ldb = copy_b || g.b.packed ? NR : g.b.ld;
        for (int64_t ir = 0; ir < mcb; ir += MR) {
          t.mr = int(std::min<int64_t>(MR, mcb - ir));
          t.a = a.p + ir / MR * a.ps;
          t.a_rs = a.rs;
          MicroKernel rows_kernel = kernel;
          if (in_place && t.mr < MR) {  // in-place tiles are full-height: the last rows are copied
            for (int r = 0; r < t.mr; r++) std::memcpy(scratch + r * arch.kc, t.a + r * a.rs, size_t(kcb) * 4);
            t.a = scratch;
            t.a_rs = arch.kc;
            rows_kernel = arch.row_major;
          }
          for (int64_t jc = jb; jc < je; jc += NR) {
            t.nr = int(std::min<int64_t>(NR, je - jc));
            t.b = copy_b ? bcopy + (jc - jb) * kcb : g.b.panel(pc, jc, g.kc, NR);
            t.bias = last && g.ep.bias ? g.ep.bias + jc : nullptr;
            t.c = c + (ic + ir) * ldc + jc;
            rows_kernel(t);
            if (last && other_act) bias_activate(t.c, ldc, t.mr, t.nr, nullptr, g.ep.act);
          }
        }
      }
    }
  }
}

}  // namespace

AView MatrixA::block(int64_t i0, int64_t rows, int64_t p0, int64_t depth, const PackShape& shape,
                    float* scratch) const {
  const int64_t rs = shape.row_stride, mr = shape.mr;
  if (!trans_ && shape.in_place && shape.in_place(ld_)) return AView{a_ + i0 * ld_ + p0, ld_, 1, mr * ld_};
  if (!trans_) {
    for (int64_t r = 0; r < rows; r++) std::memcpy(scratch + r * rs, a_ + (i0 + r) * ld_ + p0, size_t(depth) * 4);
    return AView{scratch, rs, 1, mr * rs};
  }
  for (int64_t k = 0; k < depth; k++) {
    const float* src = a_ + (p0 + k) * ld_ + i0;
    for (int64_t r = 0; r < rows; r += mr)
      std::memcpy(scratch + r * depth + k * mr, src + r, size_t(std::min(mr, rows - r)) * 4);
  }
  return AView{scratch, 1, mr, mr * depth};
}

const GemmArch& gemm_arch() { return *current_arch(); }

const GemmArch& gemm_arch_for_columns(int64_t n) {
  const GemmArch& widest = gemm_arch();
  return widest.narrow && 2 * n <= widest.nr ? *widest.narrow : widest;
}

bool set_gemm_isa(Isa isa) {
  const GemmArch* arch = arch_for(isa);
  if (!arch || !cpu_supports(isa)) return false;
  current_arch() = arch;
  return true;
}

Gemm plan_gemm_in_task(int64_t m, int64_t n, int64_t k, const AOperand& a, const float* b, int64_t ldb, float* c,
                       int64_t ldc, Epilogue ep) {
  const GemmArch& arch = gemm_arch_for_columns(n);
  Gemm g{&arch, m, n, k, arch.mc, 0, &a, BPanels{b, ldb, false, 0}, c, ldc, ep};
  g.kc = std::max<int64_t>(1, ceil_div(k, std::max<int64_t>(1, ceil_div(k, arch.kc))));
  return g;
}

Gemm plan_gemm(int64_t m, int64_t n, int64_t k, const AOperand& a, const float* b, int64_t ldb, bool transB,
               float* c, int64_t ldc, Epilogue ep) {
  Gemm g = plan_gemm_in_task(m, n, k, a, b, ldb, c, ldc, ep);
  const GemmArch& arch = *g.arch;
  // B used by many row blocks is packed once for all of them (small, and read m/mc times).
  const bool reused = m > 2 * arch.mc && k * n <= (int64_t(1) << 23);
  if (!transB && !(reused && ldb != arch.nr)) return g;
  const int NR = arch.nr;
  const int64_t kblocks = ceil_div(k, g.kc), panels = ceil_div(n, NR);
  const int64_t block_stride = panels * g.kc * NR;
  float* packed = shared_scratch(Scratch::SharedB, size_t(kblocks * block_stride));
  parallel_for(kblocks * panels, [&](int64_t task, int) {
    const int64_t kb = task / panels, panel = task % panels;
    const int64_t pc = kb * g.kc;
    pack_b_panel(b, ldb, transB, n, pc, std::min(g.kc, k - pc), panel * NR, NR,
                 packed + kb * block_stride + panel * g.kc * NR);
  });
  g.b = BPanels{packed, NR, true, block_stride};
  return g;
}

void gemm_parallel(const Gemm& g) {
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0) {
    for (int64_t i = 0; i < g.m; i++) std::fill(g.c + i * g.ldc, g.c + i * g.ldc + g.n, 0.0f);
    bias_activate(g.c, g.ldc, g.m, g.n, g.ep.bias, g.ep.act);
    return;
  }
  const GemmArch& arch = *g.arch;
  const int64_t threads = num_threads();
  // Enough row blocks for every thread, evenly sized, when there are rows enough; a few rows
  // (a dense layer's batch) stay in one block and the columns are split instead, so B is
  // read once and no thread gets a sliver of a micro-tile.
  int64_t mblocks = ceil_div(g.m, arch.mc);
  if (mblocks < 8 * threads && g.m >= 4 * threads * arch.mr)
    mblocks = std::min(round_up(mblocks, threads), ceil_div(g.m, arch.mr));
  const int64_t mc = round_up(ceil_div(g.m, mblocks), arch.mr);
  mblocks = ceil_div(g.m, mc);
  const int64_t npanels = ceil_div(g.n, arch.nr);
  const int64_t nblocks = std::min(npanels, std::max<int64_t>(1, ceil_div(4 * threads, mblocks)));
  const int64_t nc = ceil_div(npanels, nblocks) * arch.nr;
  parallel_for(mblocks * ceil_div(g.n, nc), [&](int64_t task, int thread) {
    const int64_t ib = task % mblocks, jb = task / mblocks;
    const int64_t i0 = ib * mc, j0 = jb * nc;
    run_block(g, i0, std::min(g.m, i0 + mc), j0, std::min(g.n, j0 + nc), 0, g.k, g.c, g.ldc, false, true, thread);
  });
}

void gemm_serial(const Gemm& g, int thread, bool accumulate) {
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0) {
    if (!accumulate) gemm_parallel(g);
    return;
  }
  run_block(g, 0, g.m, 0, g.n, 0, g.k, g.c, g.ldc, accumulate, true, thread);
}

void gemm_split_k(const Gemm& g) {
  const int threads = num_threads();
  const int64_t kblocks = ceil_div(g.k, g.kc);
  if (threads == 1 || kblocks < 2 || g.ep.bias || g.ep.act != Activation::Linear) return gemm_parallel(g);
  // One A block spans every row when it fits in L2 (a layer's whole patch width): the image
  // is then read once per depth block, not once per row block.
  Gemm whole = g;
  whole.mc = round_up(std::min(g.m, std::max<int64_t>(g.arch->mc, (int64_t(1) << 18) / g.kc)), g.arch->mr);
  ThreadPartials partials(g.m * g.n);
  const int64_t tasks = std::min<int64_t>(kblocks, 4 * threads);
  parallel_for(tasks, [&](int64_t task, int thread) {
    const int64_t p0 = kblocks * task / tasks * g.kc, p1 = std::min(g.k, kblocks * (task + 1) / tasks * g.kc);
    run_block(whole, 0, g.m, 0, g.n, p0, p1, partials.of(thread), g.n, partials.written(thread), false, thread);
    partials.wrote(thread);
  });
  partials.sum_into(g.c, g.m, g.n, g.ldc);
}

}  // namespace dt
