// Run-time code-path selection for the auto-vectorised loops: GCC compiles each marked
// function for AVX-512, AVX2+FMA and baseline x86-64 and picks one from the CPU's features
// when the addon loads (an ifunc). Elsewhere the plain version is the only one.
#pragma once
#include "platform/platform.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define DT_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define DT_CLONES
#endif
