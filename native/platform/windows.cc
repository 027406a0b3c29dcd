// Windows: VirtualAlloc for large blocks, the process affinity mask, the CRT's aligned heap.
#include "platform.h"

#if defined(DT_WINDOWS)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX  // mingw's headers may define it already
#define NOMINMAX
#endif
#include <malloc.h>
#include <windows.h>

#include <bit>
#include <thread>

namespace dt::platform {

int usable_cpus() {
  DWORD_PTR process = 0, system = 0;
  // The mask covers one processor group (64 CPUs), which is all a process gets by default.
  if (GetProcessAffinityMask(GetCurrentProcess(), &process, &system) && process != 0) {
    return std::popcount(static_cast<unsigned long long>(process));
  }
  return int(std::thread::hardware_concurrency());
}

void* map_pages(size_t bytes) { return VirtualAlloc(nullptr, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE); }

void unmap_pages(void* p, size_t) { VirtualFree(p, 0, MEM_RELEASE); }

void* aligned_malloc(size_t bytes, size_t alignment) { return _aligned_malloc(bytes, alignment); }

void aligned_free(void* p) { _aligned_free(p); }

void cpu_relax() { YieldProcessor(); }

}  // namespace dt::platform
#endif
