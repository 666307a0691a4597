// Maps a stopped task's stack at syscall entry to the source line that made
// the call (issue: source correlation). The tracer calls it; it owns all
// unwinding and debug-info state.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace renacer {

struct SourceOptions {
  bool enabled = false;
  // Directories whose files count as "user code" (empty: anything that is not
  // a system or toolchain path).
  std::vector<std::string> user_roots;
  // Report the whole user stack, not only the innermost user frame.
  bool full_stack = false;
  // strace -k: each syscall's stack as strace prints it (see backtrace()).
  bool backtrace = false;
  // strace -kk (--stack-trace=source): each frame with a symbol ends " file:line".
  bool backtrace_source = false;
};

// One frame of a stopped task's whole stack, for the debugger: physical
// frames innermost first, each expanded into its inline chain (innermost
// expansion first, `inlined` on all but the out-of-line function).
struct StackFrame {
  uint64_t pc = 0;
  std::string module;    // the mapped file
  bool system = false;   // a system library (no DWARF looked at)
  std::string file;      // "" when unknown
  int line = 0;
  int column = 0;
  std::string function;  // from DWARF, else the symbol table ("" when neither)
  uint64_t offset = 0;   // pc − the symbol's start, when the name came from the symbol table
  int kind = 0;          // CodeKind (source_paths.h): 3 user, 2 other, 1 system, 0 unknown
  bool inlined = false;
};

// What the tracer read at a syscall's entry stop (PTRACE_GET_SYSCALL_INFO):
// with it most stacks unwind without a PTRACE_GETREGS.
struct EntryState {
  long nr = -1;
  uint64_t ip = 0;  // after the syscall instruction
  uint64_t sp = 0;
  uint64_t args[2] = {0, 0};
};

class SourceResolver {
 public:
  explicit SourceResolver(const SourceOptions& opts);
  ~SourceResolver();

  // At a syscall-entry (or seccomp) stop of `tid` in process `tgid`.
  // Returns the resolved location serialised for the JavaScript side (see
  // source_resolver.cc), or "" when nothing is known.
  std::string resolve(pid_t tgid, pid_t tid, const EntryState& at);

  // strace -k's lines for the stack of `tid` at a syscall stop, innermost
  // first, as a JSON array of strings: " > /lib/libc.so.6(read+0x11)
  // [0x10c7a1]" (the symbol from the ELF symbol table, the address within
  // the module). "" when nothing could be unwound.
  // `pc_only`: the PC's frame alone (a fresh image at its entry point, after execve).
  // `at`: the syscall entry's PC and stack pointer, to unwind without PTRACE_GETREGS when it can.
  std::string backtrace(pid_t tgid, pid_t tid, bool pc_only = false, const EntryState* at = nullptr);

  // The whole stack of a stopped `tid` (any stop, not only a syscall's),
  // from its registers. False when nothing could be unwound.
  bool stack(pid_t tgid, pid_t tid, std::vector<StackFrame>* out);

  // The process replaced its image, or mapped new executable code.
  void invalidate(pid_t tgid);
  // The process is gone.
  void forget(pid_t tgid);

  // Notices for the user (a module without debug info…), drained by the caller.
  std::vector<std::string> take_notices();

 private:
  std::string resolve_impl(pid_t tgid, pid_t tid, const EntryState& at);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Breakpoint verification: the lines of source `file` that have code in the
// ELF file `elf` (its DWARF line tables), sorted. `dwarf_name` gets the
// file's name as the DWARF spells it (what stacks will show); `problem` why
// nothing could be looked up. Any thread; one caller at a time.
std::vector<int> code_lines_of(const std::string& elf, const std::string& file, std::string* dwarf_name,
                               std::string* problem);

}  // namespace renacer
