{
  "targets": [
    {
      "target_name": "deeptype_native",
      "sources": [
        "native/binding.cc",
        "native/conv.cc",
        "native/conv_direct.cc",
        "native/conv_pool_backward.cc",
        "native/conv_winograd.cc",
        "native/cpu.cc",
        "native/elementwise.cc",
        "native/gemm.cc",
        "native/gemm_avx2.cc",
        "native/gemm_avx512.cc",
        "native/gemm_neon.cc",
        "native/gemm_scalar.cc",
        "native/im2col.cc",
        "native/matmul.cc",
        "native/memory.cc",
        "native/optim.cc",
        "native/peak.cc",
        "native/platform/posix.cc",
        "native/platform/windows.cc",
        "native/pool.cc",
        "native/reduce.cc",
        "native/threadpool.cc",
        "native/transpose.cc",
        "native/warp.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions", "-O2", "-O0"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20", "-O2", "-O0"],
      "cflags": ["-O3", "-fno-math-errno", "-fno-trapping-math"],
      "cflags_cc": ["-std=c++20", "-O3", "-fno-math-errno", "-fno-trapping-math", "-fexceptions", "-pthread"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++20",
            "MACOSX_DEPLOYMENT_TARGET": "11.0",
            "OTHER_CPLUSPLUSFLAGS": ["-O3", "-fno-math-errno", "-fno-trapping-math"]
          }
        }],
        ["OS=='win'", {
          "msvs_settings": {
            "VCCLCompilerTool": {
              "ExceptionHandling": 1,
              "Optimization": 2,
              "AdditionalOptions": ["/std:c++20", "/Zc:__cplusplus"]
            }
          }
        }]
      ]
    }
  ]
}
