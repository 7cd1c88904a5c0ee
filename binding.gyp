{
  # node-gyp build of the addon (install-time fallback and prebuildify). The .cc list
  # must match CMakeLists.txt. Baseline x86-64 flags only: AVX2/AVX-512 kernels are
  # enabled per function with target attributes and chosen at load from CPUID.
  "targets": [
    {
      "target_name": "myelin",
      "sources": [
        "native/addon/args.cc",
        "native/addon/data_binding.cc",
        "native/addon/elementwise_binding.cc",
        "native/addon/gemm_binding.cc",
        "native/addon/module.cc",
        "native/addon/nn_binding.cc",
        "native/addon/optim_binding.cc",
        "native/addon/runtime_binding.cc",
        "native/kernels/activation.cc",
        "native/kernels/activation_avx2.cc",
        "native/kernels/activation_avx512.cc",
        "native/kernels/cpu_features.cc",
        "native/kernels/elementwise.cc",
        "native/kernels/gather_rows.cc",
        "native/kernels/gemm_dispatch.cc",
        "native/kernels/gemm_driver.cc",
        "native/kernels/gemm_pack.cc",
        "native/kernels/gemm_reference.cc",
        "native/kernels/gemm_ukernel_avx2.cc",
        "native/kernels/gemm_ukernel_avx512.cc",
        "native/kernels/gemm_ukernel_scalar.cc",
        "native/kernels/loss_kernels.cc",
        "native/kernels/optim_update.cc",
        "native/kernels/split_tuner.cc",
        "native/kernels/thread_pool.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native/kernels"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions", "-O2", "-O0"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y", "-O2", "-O0"],
      "cflags": ["-O3", "-fno-math-errno", "-fvisibility=hidden", "-Wall", "-Wextra"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-fvisibility-inlines-hidden"],
      "ldflags": ["-pthread"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
        "OTHER_CFLAGS": ["-O3"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"] }
      }
    }
  ]
}
