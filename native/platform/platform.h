// Every call the kernels make to the operating system, and the compiler-specific spellings
// they need, in one place: the rest of native/ is portable C++20. One implementation file per
// OS family (posix.cc: Linux and macOS; windows.cc), each compiled to nothing elsewhere.
#pragma once
#include <cstddef>

// Which OS's branch to compile. DT_AS_MACOS selects the macOS branch on any POSIX system, so
// CI compiles it on Linux (with clang) and a broken guard fails there, not on a user's Mac.
#if defined(_WIN32)
#define DT_WINDOWS 1
#elif defined(__APPLE__) || defined(DT_AS_MACOS)
#define DT_MACOS 1
#elif defined(__linux__)
#define DT_LINUX 1
#else
#define DT_OTHER_POSIX 1
#endif

// Always inline, on every compiler (GCC and clang spell it as an attribute, MSVC as a keyword).
#if defined(_MSC_VER) && !defined(__clang__)
#define DT_INLINE __forceinline
#else
#define DT_INLINE inline __attribute__((always_inline))
#endif

// A hint to bring the cache line holding p in for reading (MSVC spells it per architecture).
#if defined(_MSC_VER) && !defined(__clang__) && (defined(_M_X64) || defined(_M_IX86))
#include <xmmintrin.h>
#define DT_PREFETCH(p) _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0)
#elif defined(_MSC_VER) && !defined(__clang__)
#define DT_PREFETCH(p) ((void)(p))
#else
#define DT_PREFETCH(p) __builtin_prefetch(p)
#endif

// The functions between DT_TARGET_BEGIN("avx2,fma") and DT_TARGET_END are compiled for that
// instruction set, which the rest of the addon may not assume (GCC's target pragma; clang, as
// on macOS, has its own spelling). cpu.cc decides whether they may run.
#define DT_PRAGMA(x) _Pragma(#x)
#if defined(__clang__)
#define DT_TARGET_BEGIN(isa) DT_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define DT_TARGET_END DT_PRAGMA(clang attribute pop)
#else
#define DT_TARGET_BEGIN(isa) DT_PRAGMA(GCC push_options) DT_PRAGMA(GCC target(isa))
#define DT_TARGET_END DT_PRAGMA(GCC pop_options)
#endif

namespace dt::platform {

// The CPUs this process may run on: its affinity mask where the OS has one, else every CPU.
int usable_cpus();

// Zero-filled memory straight from the OS, page-aligned, for large blocks (on Linux with huge
// pages advised); nullptr when the OS refuses. Returned with unmap_pages and the same size.
void* map_pages(size_t bytes);
void unmap_pages(void* p, size_t bytes);

// `bytes` aligned to `alignment` (a power of two), nullptr on failure; freed by aligned_free.
void* aligned_malloc(size_t bytes, size_t alignment);
void aligned_free(void* p);

// A hint inside a spin-wait loop (x86 pause, Arm yield).
void cpu_relax();

}  // namespace dt::platform
