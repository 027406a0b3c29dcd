// Memory that outlives a kernel call: the buffers handed to JS (recycled by size, kept
// mapped) and the addon's own scratch (packing panels, partial sums), grown once and reused.
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace dt {

// The OS refused `bytes` of memory. binding.cc turns it into a JS RangeError naming the bytes and
// the kernel, so an allocation too large is an error the program can catch, never an abort.
struct AllocationFailure : std::bad_alloc {
  explicit AllocationFailure(size_t bytes) : bytes(bytes) {}
  const char* what() const noexcept override { return "native memory allocation failed"; }
  size_t bytes;
};

// A block of `floats` floats from the recycling pool, or freshly mapped (huge pages advised
// for large blocks: a fresh 4 KiB page costs ~12 µs to fault in, a huge page far less per byte).
float* buffer_acquire(size_t floats);
// Back into the pool; beyond the pool's byte cap the block is unmapped instead.
void buffer_return(float* p, size_t floats);

enum class Scratch { PackA, PackB, Partial, Columns, Tiles, SharedB, Kernel, Product, TransformedKernel, Count };

// Scratch owned by the addon: per pool thread (PackA, PackB, Partial, Columns, Tiles) or shared
// by one kernel call (SharedB, Kernel, Product, TransformedKernel). Grows to the largest request
// and is then reused; contents unspecified.
float* thread_scratch(Scratch slot, int thread, size_t floats);
float* shared_scratch(Scratch slot, size_t floats);

// Per-thread partial results of `size` floats, in each thread's Partial scratch, for a kernel whose
// tasks add into their thread's partial and whose result is then the sum over the threads.
class ThreadPartials {
 public:
  explicit ThreadPartials(int64_t size);
  float* of(int thread) { return parts_[size_t(thread)]; }
  // Whether a task has written the thread's partial yet (until then it holds an earlier kernel's
  // values: the first task writes over it rather than adding); a task says when it has.
  bool written(int thread) const { return written_[size_t(thread)] != 0; }
  void wrote(int thread) { written_[size_t(thread)] = 1; }
  // of(thread), zeroed for the thread's first task.
  float* zeroed(int thread);
  // Σ over the written partials of element e (0 where none is).
  float total(int64_t e) const;
  // out[i·ldc + j] = total(i·cols + j) for the rows × cols = size elements, across the pool.
  void sum_into(float* out, int64_t rows, int64_t cols, int64_t ldc) const;

 private:
  int64_t size_;
  std::vector<float*> parts_;
  std::vector<char> written_;
};

}  // namespace dt
