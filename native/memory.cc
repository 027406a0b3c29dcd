#include "memory.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "platform/platform.h"
#include "simd.h"
#include "threadpool.h"

namespace dt {
namespace {

constexpr size_t kMapThreshold = 256 << 10;  // below this, malloc's own free lists recycle well
// What the pool may keep while nobody uses it: a few training steps' worth of activations.
constexpr size_t kPoolCapBytes = size_t(1) << 30;

size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

size_t block_bytes(size_t floats) {
  const size_t bytes = std::max<size_t>(floats * sizeof(float), 64);
  return bytes >= kMapThreshold ? round_up(bytes, 4096) : round_up(bytes, 64);
}

void* map_block(size_t bytes) {
  void* p = bytes < kMapThreshold ? platform::aligned_malloc(bytes, 64) : platform::map_pages(bytes);
  if (!p) throw AllocationFailure(bytes);
  return p;
}

void unmap_block(void* p, size_t bytes) {
  if (bytes < kMapThreshold) platform::aligned_free(p);
  else platform::unmap_pages(p, bytes);
}

struct BufferPool {
  std::mutex mutex;  // V8 may free buffers on its sweeper threads
  std::unordered_map<size_t, std::vector<void*>> free;
  size_t cached = 0;
};

BufferPool& buffers() {
  static BufferPool* pool = new BufferPool();  // outlives buffers V8 frees at exit
  return *pool;
}

struct Block {
  float* p = nullptr;
  size_t floats = 0;
};

float* grow(Block& b, size_t floats) {
  if (b.floats >= floats) return b.p;
  if (b.p) unmap_block(b.p, block_bytes(b.floats));
  b.p = nullptr;
  b.floats = 0;
  b.p = static_cast<float*>(map_block(block_bytes(floats)));
  b.floats = floats;
  return b.p;
}

constexpr int kSlots = int(Scratch::Count);

}  // namespace

float* buffer_acquire(size_t floats) {
  const size_t bytes = block_bytes(floats);
  BufferPool& pool = buffers();
  {
    std::lock_guard<std::mutex> lock(pool.mutex);
    auto it = pool.free.find(bytes);
    if (it != pool.free.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      pool.cached -= bytes;
      return static_cast<float*>(p);
    }
  }
  return static_cast<float*>(map_block(bytes));
}

void buffer_return(float* p, size_t floats) {
  const size_t bytes = block_bytes(floats);
  BufferPool& pool = buffers();
  {
    std::lock_guard<std::mutex> lock(pool.mutex);
    if (pool.cached + bytes <= kPoolCapBytes) {
      pool.free[bytes].push_back(p);
      pool.cached += bytes;
      return;
    }
  }
  unmap_block(p, bytes);
}

float* thread_scratch(Scratch slot, int thread, size_t floats) {
  static std::vector<Block>* blocks = new std::vector<Block>(size_t(num_threads()) * kSlots);
  return grow((*blocks)[size_t(thread) * kSlots + int(slot)], floats);
}

float* shared_scratch(Scratch slot, size_t floats) {
  static Block blocks[kSlots];
  return grow(blocks[int(slot)], floats);
}

ThreadPartials::ThreadPartials(int64_t size)
    : size_(size), parts_(size_t(num_threads())), written_(size_t(num_threads()), 0) {
  for (size_t t = 0; t < parts_.size(); t++) parts_[t] = thread_scratch(Scratch::Partial, int(t), size_t(size));
}

float* ThreadPartials::zeroed(int thread) {
  float* part = of(thread);
  if (!written(thread)) std::fill(part, part + size_, 0.0f);
  wrote(thread);
  return part;
}

float ThreadPartials::total(int64_t e) const {
  float sum = 0.0f;
  for (size_t t = 0; t < parts_.size(); t++)
    if (written_[t]) sum += parts_[t][e];
  return sum;
}

namespace {

DT_CLONES void add_to(float* sum, const float* part, int64_t n) {
  for (int64_t j = 0; j < n; j++) sum[j] += part[j];
}

}  // namespace

void ThreadPartials::sum_into(float* out, int64_t rows, int64_t cols, int64_t ldc) const {
  parallel_range(rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(cols, 1)), [&](int64_t r0, int64_t r1, int) {
    for (int64_t i = r0; i < r1; i++) {
      float* row = out + i * ldc;
      bool first = true;
      for (size_t t = 0; t < parts_.size(); t++) {
        if (!written_[t]) continue;
        const float* part = parts_[t] + i * cols;
        if (first) std::copy(part, part + cols, row);
        else add_to(row, part, cols);
        first = false;
      }
      if (first) std::fill(row, row + cols, 0.0f);
    }
  });
}

}  // namespace dt
