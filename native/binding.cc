// The N-API surface: every kernel in kernels.h, wrapped from one table. Argument conversion
// is derived from each kernel's C++ signature, one rule per parameter type; the JS side
// (src/backend/native/) has already checked shapes and lengths.
#include <napi.h>
#include <v8.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "conv_winograd.h"
#include "cpu.h"
#include "gemm.h"
#include "kernels.h"
#include "memory.h"
#include "threadpool.h"

namespace {

using Info = Napi::CallbackInfo;

[[noreturn]] void bad_arg(const Info& info, size_t i, const char* expected) {
  throw Napi::TypeError::New(info.Env(), "argument " + std::to_string(i) + ": expected " + expected);
}

template <typename T, typename = void>
struct Arg;

// A typed array of the given element type, or a TypeError naming the argument.
template <typename T>
Napi::TypedArrayOf<T> typed_array(const Info& info, size_t i, napi_typedarray_type type, const char* expected) {
  const Napi::Value v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) bad_arg(info, i, expected);
  return v.As<Napi::TypedArrayOf<T>>();
}

// The same, or nullptr for null/undefined: an optional buffer.
template <typename T>
T* optional_array(const Info& info, size_t i, napi_typedarray_type type, const char* expected) {
  if (info[i].IsNull() || info[i].IsUndefined()) return nullptr;
  return typed_array<T>(info, i, type, expected).Data();
}

// Float32Array, or null/undefined for an optional buffer (bias, velocity).
template <>
struct Arg<float*> {
  static float* get(const Info& info, size_t i) {
    return optional_array<float>(info, i, napi_float32_array, "a Float32Array");
  }
};
template <>
struct Arg<const float*> {
  static const float* get(const Info& info, size_t i) { return Arg<float*>::get(info, i); }
};

// Uint8Array, or null/undefined where optional (a max pool's winning cells).
template <>
struct Arg<uint8_t*> {
  static uint8_t* get(const Info& info, size_t i) {
    return optional_array<uint8_t>(info, i, napi_uint8_array, "a Uint8Array");
  }
};
// The augmentation's 8-bit cached pixels, the winning cells, double-precision pull maps.
template <>
struct Arg<const uint8_t*> {
  static const uint8_t* get(const Info& info, size_t i) {
    return typed_array<uint8_t>(info, i, napi_uint8_array, "a Uint8Array").Data();
  }
};
template <>
struct Arg<const double*> {
  static const double* get(const Info& info, size_t i) {
    return typed_array<double>(info, i, napi_float64_array, "a Float64Array").Data();
  }
};

template <>
struct Arg<int64_t> {
  static int64_t get(const Info& info, size_t i) {
    if (!info[i].IsNumber()) bad_arg(info, i, "a number");
    return info[i].As<Napi::Number>().Int64Value();
  }
};
template <>
struct Arg<float> {
  static float get(const Info& info, size_t i) {
    if (!info[i].IsNumber()) bad_arg(info, i, "a number");
    return info[i].As<Napi::Number>().FloatValue();
  }
};
template <>
struct Arg<bool> {
  static bool get(const Info& info, size_t i) {
    if (!info[i].IsBoolean()) bad_arg(info, i, "a boolean");
    return info[i].As<Napi::Boolean>().Value();
  }
};
// Op codes: indices into the name lists of src/backend/native/codes.ts.
template <typename E>
struct Arg<E, std::enable_if_t<std::is_enum_v<E>>> {
  static E get(const Info& info, size_t i) {
    if (!info[i].IsNumber()) bad_arg(info, i, "an op code");
    return static_cast<E>(info[i].As<Napi::Number>().Int32Value());
  }
};

Napi::Int32Array ints(const Info& info, size_t i) {
  return typed_array<int32_t>(info, i, napi_int32_array, "an Int32Array");
}

template <>
struct Arg<dt::IntSpan> {
  static dt::IntSpan get(const Info& info, size_t i) {
    const Napi::Int32Array a = ints(info, i);
    return dt::IntSpan{a.Data(), int64_t(a.ElementLength())};
  }
};

// Geometry structs travel as an Int32Array of their fields, in declaration order.
template <typename S>
S geometry(const Info& info, size_t i) {
  const Napi::Int32Array a = ints(info, i);
  if (a.ElementLength() * sizeof(int32_t) != sizeof(S)) bad_arg(info, i, "a geometry Int32Array of the right length");
  S s;
  std::memcpy(&s, a.Data(), sizeof(S));
  return s;
}
template <>
struct Arg<dt::ConvGeom> {
  static dt::ConvGeom get(const Info& info, size_t i) { return geometry<dt::ConvGeom>(info, i); }
};
template <>
struct Arg<dt::PoolGeom> {
  static dt::PoolGeom get(const Info& info, size_t i) { return geometry<dt::PoolGeom>(info, i); }
};

// A refused allocation as a JS RangeError naming the op and, when known, the bytes asked for.
Napi::Error out_of_memory(Napi::Env env, const char* op, const std::bad_alloc& e) {
  const auto* failure = dynamic_cast<const dt::AllocationFailure*>(&e);
  const std::string amount = failure ? std::to_string(failure->bytes) + " bytes" : "memory";
  return Napi::RangeError::New(env, std::string(op) + ": cannot allocate " + amount + " of native memory");
}

template <typename... Args, size_t... I>
void call(void (*fn)(Args...), const Info& info, std::index_sequence<I...>) {
  fn(Arg<Args>::get(info, I)...);
}

template <typename... Args>
constexpr size_t arity(void (*)(Args...)) {
  return sizeof...(Args);
}

// Kernels share the addon's scratch memory and thread pool: calls from several JS threads
// (worker_threads) take turns.
std::mutex kernel_mutex;

template <auto Fn>
Napi::Value wrap(const Info& info) {
  constexpr size_t n = arity(Fn);
  if (info.Length() != n) {
    throw Napi::TypeError::New(info.Env(), "expected " + std::to_string(n) + " arguments, got " +
                                               std::to_string(info.Length()));
  }
  try {
    const std::lock_guard<std::mutex> lock(kernel_mutex);
    call(Fn, info, std::make_index_sequence<n>());
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::bad_alloc& e) {
    throw out_of_memory(info.Env(), static_cast<const char*>(info.Data()), e);  // the kernel's name
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), e.what());
  }
  return info.Env().Undefined();
}

struct Entry {
  const char* name;
  Napi::Value (*fn)(const Info&);
};

#define DT_KERNEL(name) Entry{#name, &wrap<&dt::name>}
constexpr Entry kKernels[] = {
    DT_KERNEL(matmul),
    DT_KERNEL(conv2d),
    DT_KERNEL(conv2d_max_pool),
    DT_KERNEL(concat_conv2d_pointwise),
    DT_KERNEL(conv2d_backprop_input),
    DT_KERNEL(conv2d_backprop_filter),
    DT_KERNEL(conv2d_max_pool_backward),
    DT_KERNEL(max_pool),
    DT_KERNEL(max_pool_backward),
    DT_KERNEL(avg_pool),
    DT_KERNEL(avg_pool_backward),
    DT_KERNEL(unary),
    DT_KERNEL(activation_grad),
    DT_KERNEL(binary),
    DT_KERNEL(reduce),
    DT_KERNEL(transpose),
    DT_KERNEL(copy_block),
    DT_KERNEL(softmax),
    DT_KERNEL(sgd_update),
    DT_KERNEL(rmsprop_update),
    DT_KERNEL(adam_update),
    DT_KERNEL(affine_warp),
    DT_KERNEL(affine_warp_u8),
    DT_KERNEL(scale_u8),
};
#undef DT_KERNEL

#ifdef V8_ENABLE_SANDBOX
#error "deeptype's tensors live in native memory outside V8's sandbox: build against Node.js's own V8"
#endif

// A Float32Array over pooled native memory. Unreleased arrays stay valid for as long as JS
// holds them; when the GC frees one, V8 calls the deleter and the memory goes back to the pool,
// still mapped, so the next step does not fault fresh pages in.
//
// Why V8's backing store rather than napi_create_external_arraybuffer: Node runs a napi
// finalizer only on a later turn of the event loop, so code that never gets there (a loop of
// awaited predicts on one batch each, any synchronous loop) never returned a buffer — RSS grew
// by every output, 1.2 GB after 400 SqueezeNet predictions, and each output faulted in fresh
// pages. The deleter runs when the GC frees the buffer, on whichever thread sweeps (the pool
// locks), and V8 counts the bytes as external memory itself, so GCs come when they pile up.
// A napi_value is the bits of a V8 handle: Node's N-API converts them the same way.
Napi::Value alloc(const Info& info) {
  const int64_t floats = Arg<int64_t>::get(info, 0);
  if (floats <= 0) throw Napi::RangeError::New(info.Env(), "alloc: size must be positive");
  const size_t bytes = size_t(floats) * sizeof(float);
  float* memory;
  try {
    memory = dt::buffer_acquire(size_t(floats));
  } catch (const std::bad_alloc& e) {
    throw out_of_memory(info.Env(), "alloc", e);
  }
  std::shared_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
      memory, bytes,
      [](void* data, size_t length, void*) { dt::buffer_return(static_cast<float*>(data), length / sizeof(float)); },
      nullptr);
  const v8::Local<v8::Value> buffer = v8::ArrayBuffer::New(v8::Isolate::GetCurrent(), std::move(store));
  static_assert(sizeof(buffer) == sizeof(napi_value), "a napi_value is a V8 handle's bits");
  napi_value value;
  std::memcpy(&value, &buffer, sizeof(value));
  return Napi::Float32Array::New(info.Env(), size_t(floats), Napi::ArrayBuffer(info.Env(), value), 0);
}

// affine_warp_batch_u8(out, sources, maps, flips, height, width, channels, fillMode, cval,
// scale): its sources an array of Uint8Array, the one argument the kernel table has no rule for.
Napi::Value affine_warp_batch_u8(const Info& info) {
  const Napi::Env env = info.Env();
  if (info.Length() != 10) throw Napi::TypeError::New(env, "expected 10 arguments, got " + std::to_string(info.Length()));
  Napi::Float32Array out = typed_array<float>(info, 0, napi_float32_array, "a Float32Array");
  if (!info[1].IsArray()) bad_arg(info, 1, "an array of Uint8Array");
  const Napi::Array list = info[1].As<Napi::Array>();
  const Napi::Float64Array maps = typed_array<double>(info, 2, napi_float64_array, "a Float64Array");
  const Napi::Uint8Array flips = typed_array<uint8_t>(info, 3, napi_uint8_array, "a Uint8Array");
  const int64_t height = Arg<int64_t>::get(info, 4), width = Arg<int64_t>::get(info, 5),
                channels = Arg<int64_t>::get(info, 6);
  const auto fill_mode = Arg<dt::FillMode>::get(info, 7);
  const float cval = Arg<float>::get(info, 8), scale = Arg<float>::get(info, 9);
  const uint32_t images = list.Length();
  const size_t size = size_t(std::max<int64_t>(0, height * width * channels));
  if (out.ElementLength() < images * size || maps.ElementLength() < 6 * size_t(images) || flips.ElementLength() < images) {
    throw Napi::RangeError::New(env, "affine_warp_batch_u8: out, maps or flips too short for the images");
  }
  std::vector<const uint8_t*> sources(images);
  for (uint32_t j = 0; j < images; j++) {
    const Napi::Value source = list.Get(j);
    if (!source.IsTypedArray() || source.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array ||
        source.As<Napi::Uint8Array>().ElementLength() < size) {
      throw Napi::TypeError::New(env, "affine_warp_batch_u8: source " + std::to_string(j) + " is not a Uint8Array of " +
                                          std::to_string(size) + " values");
    }
    sources[j] = source.As<Napi::Uint8Array>().Data();
  }
  const std::lock_guard<std::mutex> lock(kernel_mutex);
  dt::affine_warp_batch_u8(out.Data(), sources.data(), images, height, width, channels, maps.Data(), flips.Data(), fill_mode,
                           cval, scale);
  return env.Undefined();
}

dt::Isa isa_named(const std::string& name) {
  for (dt::Isa isa : dt::kIsas)
    if (name == dt::isa_name(isa)) return isa;
  return dt::Isa::Scalar;
}

// Which micro-kernels this CPU can run, best last.
Napi::Value isas(const Info& info) {
  Napi::Array out = Napi::Array::New(info.Env());
  uint32_t i = 0;
  for (dt::Isa isa : dt::kIsas)
    if (dt::cpu_supports(isa)) out.Set(i++, Napi::String::New(info.Env(), dt::isa_name(isa)));
  return out;
}

Napi::Value cpu_features(const Info& info) {
  Napi::Array out = Napi::Array::New(info.Env());
  uint32_t i = 0;
  for (const char* feature : dt::cpu_features()) out.Set(i++, Napi::String::New(info.Env(), feature));
  return out;
}

Napi::Value isa(const Info& info) { return Napi::String::New(info.Env(), dt::isa_name(dt::gemm_arch().isa)); }

Napi::Value set_isa(const Info& info) {
  if (!info[0].IsString()) bad_arg(info, 0, "an ISA name");
  const std::string name = info[0].As<Napi::String>();
  return Napi::Boolean::New(info.Env(), name == dt::isa_name(isa_named(name)) && dt::set_gemm_isa(isa_named(name)));
}

Napi::Value conv_algorithm(const Info& info) {
  return Napi::String::New(info.Env(), dt::conv2d_algorithm(Arg<dt::ConvGeom>::get(info, 0)));
}

Napi::Value set_winograd(const Info& info) {
  const int tile = info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : -1;
  if (tile != 0 && tile != 2 && tile != 4) bad_arg(info, 0, "the largest Winograd tile: 4, 2 or 0");
  const std::lock_guard<std::mutex> lock(kernel_mutex);
  dt::set_winograd(tile);
  return info.Env().Undefined();
}

Napi::Value threads(const Info& info) { return Napi::Number::New(info.Env(), dt::num_threads()); }

Napi::Value fma_peak(const Info& info) {
  const std::lock_guard<std::mutex> lock(kernel_mutex);
  return Napi::Number::New(info.Env(), dt::fma_peak_gflops());
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  for (const Entry& e : kKernels) {
    exports.Set(e.name, Napi::Function::New(env, e.fn, e.name, const_cast<char*>(e.name)));
  }
  exports.Set("alloc", Napi::Function::New(env, alloc, "alloc"));
  exports.Set("affine_warp_batch_u8", Napi::Function::New(env, affine_warp_batch_u8, "affine_warp_batch_u8"));
  exports.Set("isas", Napi::Function::New(env, isas, "isas"));
  exports.Set("isa", Napi::Function::New(env, isa, "isa"));
  exports.Set("cpuFeatures", Napi::Function::New(env, cpu_features, "cpuFeatures"));
  exports.Set("setIsa", Napi::Function::New(env, set_isa, "setIsa"));
  exports.Set("convAlgorithm", Napi::Function::New(env, conv_algorithm, "convAlgorithm"));
  exports.Set("setWinograd", Napi::Function::New(env, set_winograd, "setWinograd"));
  exports.Set("threads", Napi::Function::New(env, threads, "threads"));
  exports.Set("fmaPeak", Napi::Function::New(env, fma_peak, "fmaPeak"));
  return exports;
}

}  // namespace

NODE_API_MODULE(deeptype_native, init)
