// Pooling pieces that other kernels run inside their own tasks.
#pragma once
#include <cstdint>

#include "kernels.h"

namespace dt {

// Output row oy of one image's max pool: y[ox·channels + c] for every ox, from the image x.
void max_pool_row(float* y, const float* x, const PoolGeom& g, int64_t oy);

}  // namespace dt
