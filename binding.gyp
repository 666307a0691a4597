{
  "targets": [
    {
      "target_name": "renacer",
      "sources": [
        "native/src/addon.cc",
        "native/src/tracer.cc",
        "native/src/tracer_syscall.cc",
        "native/src/tracer_process.cc",
        "native/src/spawn.cc",
        "native/src/seccomp_filter.cc",
        "native/src/path_filter.cc",
        "native/src/io_dump.cc",
        "native/src/tracee_memory.cc",
        "native/src/task_schedstat.cc",
        "native/src/decode.cc",
        "native/src/decode_strings.cc",
        "native/src/decode_fds.cc",
        "native/src/decode_flags.cc",
        "native/src/decode_file.cc",
        "native/src/decode_stat.cc",
        "native/src/decode_desc.cc",
        "native/src/decode_ioctl.cc",
        "native/src/decode_memory.cc",
        "native/src/decode_process.cc",
        "native/src/decode_prctl.cc",
        "native/src/decode_futex.cc",
        "native/src/decode_sched.cc",
        "native/src/decode_cred.cc",
        "native/src/decode_sysinfo.cc",
        "native/src/decode_time.cc",
        "native/src/decode_signal.cc",
        "native/src/decode_network.cc",
        "native/src/decode_ipc.cc",
        "native/src/syscalls_x86_64.cc",
        "native/src/trace_file_scanner.cc",
        "native/src/gzip_worker.cc",
        "native/src/json_string.cc",
        "native/src/stop_report.cc",
        "native/src/tracer_control.cc"
      ],
      "libraries": [
        "-l:libdeflate.a"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "_GNU_SOURCE"
      ],
      "cflags!": [
        "-fno-exceptions"
      ],
      "cflags_cc!": [
        "-fno-exceptions",
        "-fno-rtti"
      ],
      "cflags_cc": [
        "-std=c++17",
        "-O2",
        "-Wall",
        "-Wextra",
        "-Wno-missing-field-initializers",
        "-Wno-unused-parameter",
        "-ffp-contract=off"
      ],
      "conditions": [
        [
          "have_libdw==1",
          {
            "sources": [
              "native/src/source_resolver.cc",
              "native/src/source_paths.cc",
              "native/src/source_json.cc",
              "native/src/symbolizer.cc",
              "native/src/unwind.cc",
              "native/src/demangle.cc"
            ],
            "libraries": [
              "-ldw",
              "-lelf"
            ]
          },
          {
            "sources": [
              "native/src/source_resolver_unavailable.cc"
            ]
          }
        ]
      ]
    }
  ],
  "variables": {
    "have_libdw": "<!(sh -c 'test -z \"$RENACER_NO_LIBDW\" && test -f /usr/include/elfutils/libdwfl.h && echo 1 || echo 0')"
  }
}
