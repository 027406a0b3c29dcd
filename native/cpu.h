// Which instruction set the hand-written GEMM micro-kernels use.
#pragma once

namespace dt {

enum class Isa { Scalar, Avx2, Avx512 };

// The best the CPU supports, unless DEEPTYPE_ISA=scalar|avx2|avx512 asks for less.
Isa detected_isa();
bool cpu_supports(Isa isa);
const char* isa_name(Isa isa);

}  // namespace dt
