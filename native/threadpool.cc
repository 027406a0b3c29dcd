#include "threadpool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "platform/platform.h"

namespace dt {
namespace {

constexpr int kMaxThreads = 256;
// Kernels arrive back to back from JS; a worker that spins this long after a job ends catches
// the next one without a futex wake-up, yet gives the core back soon when JS is busy elsewhere
// (the cores may be shared with other processes, for which every spin is lost time). The JS
// between SqueezeNet's 49 kernels takes 35 µs at the median, past 100 µs at times; waking a
// sleeping vCPU on a busy host can take longer than that.
constexpr auto kSpin = std::chrono::microseconds(200);

thread_local bool in_task = false;

int configured_threads() {
  if (const char* env = std::getenv("DEEPTYPE_NUM_THREADS")) {
    const int n = std::atoi(env);
    if (n >= 1) return std::min(n, kMaxThreads);
  }
  return std::clamp(platform::usable_cpus(), 1, kMaxThreads);
}

class Pool {
 public:
  explicit Pool(int threads) : threads_(threads) {
    for (int id = 1; id < threads_; id++) std::thread([this, id] { worker(id); }).detach();
  }

  int threads() const { return threads_; }

  void run(int64_t tasks, TaskFn fn, void* ctx) {
    if (tasks <= 1 || threads_ == 1 || in_task) {
      for (int64_t t = 0; t < tasks; t++) fn(ctx, t, 0);
      return;
    }
    running_.store(true, std::memory_order_relaxed);
    fn_ = fn;
    ctx_ = ctx;
    tasks_ = tasks;
    next_.store(0, std::memory_order_relaxed);
    finished_.store(0, std::memory_order_relaxed);
    const uint64_t job = generation_.load(std::memory_order_relaxed) + 1;
    participants_.store(tag(job), std::memory_order_release);
    {
      std::lock_guard<std::mutex> lock(wake_mutex_);
      generation_.store(job, std::memory_order_release);
    }
    wake_.notify_all();
    work(0);
    // Every task is taken. Workers not yet awake must not join now; wait only for those that did.
    const uint64_t joined = participants_.fetch_or(kClosed, std::memory_order_acq_rel) & (kClosed - 1);
    // The last tasks are running on workers; if one was preempted, let it have the core.
    for (int spins = 0; finished_.load(std::memory_order_acquire) != joined; spins++) {
      if (spins < 4096) platform::cpu_relax();
      else std::this_thread::yield();
    }
    ended_.store(std::chrono::steady_clock::now().time_since_epoch().count(), std::memory_order_relaxed);
    running_.store(false, std::memory_order_release);
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  }

 private:
  // participants_ holds the job's number (low 32 bits of it) above a "closed" bit and the count
  // of workers that joined. A worker that wakes after the calling thread has taken every task
  // finds the job closed and goes back to waiting: on a busy VM a vCPU can take milliseconds
  // to wake, and the kernel would otherwise wait for it to do nothing. (ONNX Runtime's pool
  // revokes work not yet started for the same reason.)
  static constexpr uint64_t kClosed = uint64_t(1) << 31;
  static uint64_t tag(uint64_t job) { return (job & 0xffffffffu) << 32; }

  bool join(uint64_t job) {
    uint64_t p = participants_.load(std::memory_order_acquire);
    do {
      if ((p >> 32) != (job & 0xffffffffu) || (p & kClosed)) return false;
    } while (!participants_.compare_exchange_weak(p, p + 1, std::memory_order_acq_rel, std::memory_order_acquire));
    return true;
  }

  // A task that throws (scratch memory refused) must not take the process down from a worker
  // thread: the first exception is kept, the tasks not yet taken are dropped, and run()
  // rethrows it on the calling thread, leaving the pool ready for the next job.
  void work(int thread) {
    in_task = true;
    for (int64_t t; (t = next_.fetch_add(1, std::memory_order_relaxed)) < tasks_;) {
      try {
        fn_(ctx_, t, thread);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(failure_mutex_);
        if (!failure_) failure_ = std::current_exception();
        next_.store(tasks_, std::memory_order_relaxed);
      }
    }
    in_task = false;
  }

  void worker(int id) {
    uint64_t seen = 0;
    for (;;) {
      int spins = 0;
      while (generation_.load(std::memory_order_acquire) == seen) {
        platform::cpu_relax();
        if (++spins % 64 == 0 && idle_for_spin()) {
          std::unique_lock<std::mutex> lock(wake_mutex_);
          wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
        }
      }
      seen = generation_.load(std::memory_order_acquire);
      if (!join(seen)) continue;
      work(id);
      finished_.fetch_add(1, std::memory_order_release);
    }
  }

  // True once no job has run for kSpin. Counted from the job's end, not this worker's last
  // task: the calling thread may still be finishing a long task of its own.
  bool idle_for_spin() const {
    if (running_.load(std::memory_order_acquire)) return false;
    const auto ended = std::chrono::steady_clock::time_point(
        std::chrono::steady_clock::duration(ended_.load(std::memory_order_relaxed)));
    return std::chrono::steady_clock::now() > ended + kSpin;
  }

  const int threads_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int64_t> next_{0};
  std::atomic<uint64_t> participants_{0};
  std::atomic<uint64_t> finished_{0};
  std::atomic<bool> running_{false};
  std::atomic<int64_t> ended_{0};  // steady_clock ticks when the last job ended
  std::mutex failure_mutex_;
  std::exception_ptr failure_;  // read by run() once every participant has finished
  TaskFn fn_ = nullptr;
  void* ctx_ = nullptr;
  int64_t tasks_ = 0;
};

// Never destroyed: the detached workers may still be parked on it while the process exits.
Pool& pool() {
  static Pool* instance = new Pool(configured_threads());
  return *instance;
}

}  // namespace

int num_threads() { return pool().threads(); }

void run_tasks(int64_t tasks, TaskFn fn, void* ctx) { pool().run(tasks, fn, ctx); }

}  // namespace dt
