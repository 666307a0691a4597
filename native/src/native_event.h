// One record crossing from the tracer thread to JavaScript.
#pragma once
#include <cstdint>
#include <string>

namespace renacer {

enum class EventKind : uint8_t {
  Syscall = 0,
  Spawn = 1,
  Fork = 2,
  Exec = 3,
  Signal = 4,
  Stopped = 5,
  Exit = 6,
  Detach = 7,
};

enum EventFlags : uint8_t {
  EF_NO_RETURN = 1,   // syscall never returned (ret unknown)
  EF_CORE_DUMPED = 2, // exit by signal with a core dump
  EF_THREAD = 4,      // fork: the new task is a thread
  EF_ERROR = 8,       // syscall failed; `b` holds the errno
};

struct NativeEvent {
  EventKind kind;
  uint8_t flags = 0;
  int32_t pid = 0;  // thread group id
  int32_t tid = 0;
  // Syscall: nr. Signal/Stopped: signo. Exit: exit code or signal. Fork: parent tid. Exec: former tid.
  int32_t a = 0;
  // Syscall: errno when EF_ERROR. Fork: parent tgid.
  int32_t b = 0;
  int64_t ret = 0;
  double t0 = 0;  // ns since the session origin
  double t1 = 0;
  // Syscall: rendered arguments joined by '\0'. Signal: siginfo. Exec/Spawn: path.
  std::string s1;
  // Syscall: rendered return value when strace shows more than the number.
  std::string s2;
  // Syscall: the source location (JSON, see source_resolver.h), or "".
  std::string s3;
};

}  // namespace renacer
