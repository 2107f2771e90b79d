{
  "targets": [
    {
      "target_name": "gradspec_native",
      "sources": ["gradspec_native.c"],
      "include_dirs": ["<!(node -p \"process.env.GRADSPEC_OPENBLAS_INCLUDE_DIR || ''\")"],
      "libraries": ["-lopenblas", "-lm"],
      "cflags": ["-O3", "-std=c11", "-ffp-contract=off", "-Wall"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
