// Which instruction set the hand-written GEMM micro-kernels use.
#pragma once
#include <vector>

namespace dt {

enum class Isa { Scalar, Avx2, Avx512, Neon };

// Every instruction set, the portable one first; a CPU supports a subset.
constexpr Isa kIsas[] = {Isa::Scalar, Isa::Avx2, Isa::Avx512, Isa::Neon};

// The SIMD features of this CPU that the kernels look at, by their usual names, for messages.
std::vector<const char*> cpu_features();

// The best the CPU supports, unless DEEPTYPE_ISA=scalar|avx2|avx512|neon asks for another it supports.
Isa detected_isa();
bool cpu_supports(Isa isa);
const char* isa_name(Isa isa);

}  // namespace dt
