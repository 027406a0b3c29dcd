// Memory that outlives a kernel call: the buffers handed to JS (recycled by size, kept
// mapped) and the addon's own scratch (packing panels, partial sums), grown once and reused.
#pragma once
#include <cstddef>
#include <new>

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

}  // namespace dt
