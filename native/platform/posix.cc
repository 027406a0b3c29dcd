// Linux and macOS (and other POSIX systems): mmap for large blocks, the affinity mask on Linux.
#include "platform.h"

#if !defined(DT_WINDOWS)
#include <sys/mman.h>

#include <cstdlib>
#include <thread>

#if defined(DT_LINUX)
#include <sched.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace dt::platform {

int usable_cpus() {
#if defined(DT_LINUX)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
#endif
  // macOS has no affinity masks: every CPU is usable.
  return int(std::thread::hardware_concurrency());
}

void* map_pages(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
  if (p == MAP_FAILED) return nullptr;
#if defined(DT_LINUX) && defined(MADV_HUGEPAGE)
  // A fresh 4 KiB page costs microseconds to fault in, a 2 MiB one far less per byte. Advice
  // only: fine if refused. (macOS picks superpages by itself.)
  constexpr size_t kHugePage = size_t(2) << 20;
  if (bytes >= kHugePage) madvise(p, bytes, MADV_HUGEPAGE);
#endif
  return p;
}

void unmap_pages(void* p, size_t bytes) { munmap(p, bytes); }

void* aligned_malloc(size_t bytes, size_t alignment) {
  void* p = nullptr;
  return posix_memalign(&p, alignment, bytes) == 0 ? p : nullptr;
}

void aligned_free(void* p) { std::free(p); }

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__) || defined(__arm__)
  __asm__ __volatile__("yield");
#else
  std::this_thread::yield();
#endif
}

}  // namespace dt::platform
#endif
