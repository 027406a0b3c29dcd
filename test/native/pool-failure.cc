// A task that throws on a pool worker thread (scratch memory refused) must reach the kernel's
// caller as that exception, with the pool ready for the next job: binding.cc then turns it into
// a JS RangeError. Worker threads join a job only when they wake in time, so each attempt makes
// its tasks slow enough for them to; the run prints what happened for pool-failure.test.ts.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "../../native/memory.h"
#include "../../native/threadpool.h"

int main() {
  int caught_on_worker = 0;
  size_t bytes = 0;
  for (int attempt = 0; attempt < 50 && !caught_on_worker; attempt++) {
    std::atomic<bool> thrown{false};
    std::atomic<int> thrower{-1};
    try {
      dt::parallel_for(64, [&](int64_t, int thread) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        if (thread != 0 && !thrown.exchange(true)) {
          thrower = thread;
          throw dt::AllocationFailure(123456789);
        }
      });
    } catch (const std::bad_alloc& e) {
      const auto* failure = dynamic_cast<const dt::AllocationFailure*>(&e);
      bytes = failure ? failure->bytes : 0;
      caught_on_worker = thrower.load() > 0;
    }
  }
  // The pool after a failure: every task of the next jobs runs exactly once.
  bool intact = true;
  for (int job = 0; job < 20; job++) {
    std::atomic<int64_t> sum{0};
    dt::parallel_for(1000, [&](int64_t task, int) { sum += task; });
    intact = intact && sum == 1000 * 999 / 2;
  }
  std::printf("threads=%d caught_on_worker=%d bytes=%zu pool_intact=%d\n", dt::num_threads(), caught_on_worker, bytes, int(intact));
  return 0;
}
