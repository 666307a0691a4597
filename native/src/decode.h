// Renders syscall arguments, return values and signals as strace does.
#pragma once
#include <signal.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tracee_memory.h"

namespace renacer {

// What strace -y / --decode-fds=SET shows after a descriptor (DecodeOptions::decode_fds).
enum : unsigned {
  kDecodeFdPath = 1,    // path: "3</etc/hostname>", "AT_FDCWD</home>"
  kDecodeFdSocket = 2,  // socket: "3<TCP:[127.0.0.1:80->127.0.0.1:40000]>" (sock_diag)
  kDecodeFdDev = 4,     // dev: "1</dev/null<char 1:3>>"
  kDecodeFdPidfd = 8,   // pidfd: "3<pid:1234>"
};

struct DecodeOptions {
  int string_limit = 32;  // strace -s
  unsigned decode_fds = 0;  // kDecodeFd* bits; 0: descriptors are plain numbers
  // strace -v / -e abbrev=: the calls (by number) whose structures and
  // argument arrays are printed whole; `whole_all`: every call.
  std::vector<bool> whole;
  bool whole_all = false;
  // strace -X: 0 abbrev, 1 raw, 2 verbose (decode_flags.h ConstStyle).
  uint8_t const_style = 0;
};

struct SyscallContext {
  pid_t tid = 0;
  long nr = -1;
  uint64_t args[6] = {0, 0, 0, 0, 0, 0};
  uint64_t sp = 0;      // the stack pointer at entry (rt_sigreturn's frame is there)
  bool exited = false;  // false: the call never returned (or entry-time rendering)
  int64_t rval = 0;     // raw kernel return value (negative errno on failure)
  bool is_error = false;
};

// Entry-time rendering, for syscalls whose arguments must be read before the
// call runs (execve replaces the memory; poll/select overwrite their inputs;
// exit_group never returns). Returns "" when exit-time rendering is enough;
// the result is handed back to decode_exit as `entry_state`.
std::string decode_entry(const SyscallContext& ctx, const TraceeMemory& mem,
                         const DecodeOptions& opts);

struct DecodedCall {
  std::string args;    // arguments joined by '\0'
  std::string retval;  // strace's rendering of a successful return when it is not the decimal
                       // number (hex addresses, "0 (Timeout)", flags), else ""
};

// strace -e raw=: each argument the call has, and a successful result, as
// hex numbers ("0x3", "0"): what strace shows of a call it does not decode.
DecodedCall decode_raw(const SyscallContext& ctx);

// Renders a call at exit (ctx.exited) or when the task died inside it.
DecodedCall decode_exit(const SyscallContext& ctx, const TraceeMemory& mem,
                        const DecodeOptions& opts, const std::string& entry_state);

// `{si_signo=SIGCHLD, si_code=CLD_EXITED, …}` as strace prints after `--- SIGCHLD `.
std::string decode_siginfo(const siginfo_t& si);

// "SIGSEGV"; real-time signals by the kernel's numbering as strace names
// them: 32 is "SIGRTMIN", 35 "SIGRT_3"; "SIG123" when unknown.
std::string signal_name(int sig);

// "ENOENT", "ERESTARTSYS"; "E123" when unknown.
std::string errno_name(int err);

// strace's message for an errno: "No such file or directory", "To be restarted if SA_RESTART is set".
std::string errno_message(int err);

}  // namespace renacer
