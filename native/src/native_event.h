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
  // A task the tracer holds stopped until JavaScript resumes it (debugging).
  // a: syscall nr (-1 outside a syscall) or, for a signal, the signal; b: HoldReason bits.
  // s1/s2: the call rendered as at its entry or exit; s3: StopReport JSON (stop_report.h).
  Hold = 8,
  // Every task of the session is held (after interruptAll): b: HoldReason of the request.
  AllHeld = 9,
};

enum EventFlags : uint16_t {
  EF_NO_RETURN = 1,   // syscall never returned (ret unknown)
  EF_CORE_DUMPED = 2, // exit by signal with a core dump
  EF_THREAD = 4,      // fork: the new task is a thread
  EF_ERROR = 8,       // syscall failed; `b` holds the errno
  EF_EXIT_STOP = 16,  // hold: at the syscall's exit (ret is its result)
  EF_IN_SYSCALL = 32, // hold: inside a call, neither at its entry nor its exit (interrupted while blocked)
  EF_INJECTED = 64,   // syscall: its outcome was set by the tracer (fault injection)
  EF_ENTRY_STOP = 128, // hold: at the syscall's entry (it has not run yet)
  EF_DETACHED = 256,   // syscall: the tracer let the task go inside it (strace -b execve)
};

// Why a task is held (bits).
enum HoldReason : int32_t {
  HR_SYSCALL = 1,    // a syscall breakpoint's syscall, at entry
  HR_LINE = 2,       // a line breakpoint's line is on the stack, at entry
  HR_FAILED = 4,     // the call failed, at exit
  HR_SIGNAL = 8,     // a signal is about to be delivered
  HR_STEP = 16,      // the task's next syscall stop after a step
  HR_INTERRUPT = 32, // held for all-stop or pause
};

struct NativeEvent {
  EventKind kind;
  uint16_t flags = 0;
  int32_t pid = 0;  // thread group id
  int32_t tid = 0;
  // Syscall: nr. Signal/Stopped: signo. Exit: exit code or signal. Fork: parent tid. Exec: former tid.
  int32_t a = 0;
  // Syscall: errno when EF_ERROR. Fork: parent tgid.
  int32_t b = 0;
  int64_t ret = 0;
  double t0 = 0;  // ns since the session origin
  double t1 = 0;
  // Syscall: the address after its syscall instruction, at entry. Signal:
  // where the task was when it was delivered. 0: unknown. (strace -i)
  uint64_t ip = 0;
  // Syscall: rendered arguments joined by '\0'. Signal: siginfo. Exec/Spawn: path.
  std::string s1;
  // Syscall: rendered return value when strace shows more than the number.
  std::string s2;
  // Syscall: the source location (JSON, see source_resolver.h), or "".
  // Signal: strace -k's stack lines (a JSON array of strings), or "".
  std::string s3;
};

}  // namespace renacer
