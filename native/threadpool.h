// A persistent pool of worker threads, sized to the CPUs this process may run on
// (DEEPTYPE_NUM_THREADS overrides). Kernels are called synchronously from JS; each one
// splits its work into tasks that the caller's thread and the workers take in turn.
#pragma once
#include <algorithm>
#include <cstdint>

namespace dt {

using TaskFn = void (*)(void* ctx, int64_t task, int thread);

int num_threads();
// Runs fn(ctx, task, thread) for task in [0, tasks); thread is in [0, num_threads()).
// Called from inside a task it runs serially. One caller at a time (binding.cc serialises
// kernels): the scratch of pool thread 0 belongs to the caller.
void run_tasks(int64_t tasks, TaskFn fn, void* ctx);

// f(task, thread) for every task, in parallel.
template <typename F>
void parallel_for(int64_t tasks, F&& f) {
  using Fn = std::remove_reference_t<F>;
  run_tasks(tasks, [](void* ctx, int64_t task, int thread) { (*static_cast<Fn*>(ctx))(task, thread); },
            const_cast<void*>(static_cast<const void*>(&f)));
}

// f(begin, end, thread) over [0, n) in chunks of at least `grain` items, a few per thread so a
// thread slowed by a neighbour on the same core does not hold everyone up.
template <typename F>
void parallel_range(int64_t n, int64_t grain, F&& f) {
  if (n <= 0) return;
  const int64_t wanted = int64_t(num_threads()) * 4;
  const int64_t chunks = std::max<int64_t>(1, std::min(wanted, n / std::max<int64_t>(grain, 1)));
  const int64_t size = (n + chunks - 1) / chunks;
  parallel_for((n + size - 1) / size, [&](int64_t c, int thread) {
    const int64_t begin = c * size;
    f(begin, std::min(n, begin + size), thread);
  });
}

// out[k] = Σ_t partials[t·n + k] for k < n, t < parts, added in order of t: sums that tasks
// kept apart (per image, per row, per chunk) come out the same whatever thread took which.
inline void sum_partials(float* out, const double* partials, int64_t parts, int64_t n) {
  for (int64_t k = 0; k < n; k++) {
    double total = 0;
    for (int64_t t = 0; t < parts; t++) total += partials[t * n + k];
    out[k] = float(total);
  }
}

}  // namespace dt
