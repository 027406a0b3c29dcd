// In-place optimizer steps with the Keras update rules.
#include <cmath>

#include "kernels.h"
#include "simd.h"
#include "threadpool.h"

namespace dt {
namespace {

constexpr int64_t kGrain = 1 << 14;

DT_CLONES void sgd_span(float* w, const float* g, float* vel, int64_t n, float lr, float mu, bool nesterov) {
  if (!vel) {
    for (int64_t i = 0; i < n; i++) w[i] -= lr * g[i];
  } else if (nesterov) {  // v ← μv − lr·g; w ← w + μv − lr·g
    for (int64_t i = 0; i < n; i++) {
      const float v = mu * vel[i] - lr * g[i];
      vel[i] = v;
      w[i] += mu * v - lr * g[i];
    }
  } else {  // v ← μv − lr·g; w ← w + v
    for (int64_t i = 0; i < n; i++) {
      const float v = mu * vel[i] - lr * g[i];
      vel[i] = v;
      w[i] += v;
    }
  }
}

// a ← ρa + (1−ρ)g²; w ← w − lr·g/(√a + ε)
DT_CLONES void rmsprop_span(float* w, const float* g, float* a, int64_t n, float lr, float rho, float eps) {
  for (int64_t i = 0; i < n; i++) {
    const float ai = rho * a[i] + (1 - rho) * g[i] * g[i];
    a[i] = ai;
    w[i] -= lr * g[i] / (std::sqrt(ai) + eps);
  }
}

// m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²; w ← w − lr_t·m/(√v + ε)
DT_CLONES void adam_span(float* w, const float* g, float* m, float* v, int64_t n, float lr, float b1, float b2,
                         float eps) {
  for (int64_t i = 0; i < n; i++) {
    const float mi = b1 * m[i] + (1 - b1) * g[i];
    const float vi = b2 * v[i] + (1 - b2) * g[i] * g[i];
    m[i] = mi;
    v[i] = vi;
    w[i] -= lr * mi / (std::sqrt(vi) + eps);
  }
}

}  // namespace

void sgd_update(float* w, const float* g, float* velocity, int64_t n, float lr, float momentum, bool nesterov) {
  parallel_range(n, kGrain, [&](int64_t b, int64_t e, int) {
    sgd_span(w + b, g + b, velocity ? velocity + b : nullptr, e - b, lr, momentum, nesterov);
  });
}

void rmsprop_update(float* w, const float* g, float* meanSquare, int64_t n, float lr, float rho, float eps) {
  parallel_range(n, kGrain, [&](int64_t b, int64_t e, int) {
    rmsprop_span(w + b, g + b, meanSquare + b, e - b, lr, rho, eps);
  });
}

void adam_update(float* w, const float* g, float* m, float* v, int64_t n, float lr, float beta1, float beta2,
                 float eps) {
  parallel_range(n, kGrain, [&](int64_t b, int64_t e, int) {
    adam_span(w + b, g + b, m + b, v + b, e - b, lr, beta1, beta2, eps);
  });
}

}  // namespace dt
