// Maps a stopped task's stack at syscall entry to the source line that made
// the call (issue: source correlation). The tracer calls it; it owns all
// unwinding and debug-info state.
#pragma once
#include <sys/types.h>

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
};

class SourceResolver {
 public:
  explicit SourceResolver(const SourceOptions& opts);
  ~SourceResolver();

  // At a syscall-entry (or seccomp) stop of `tid` in process `tgid`.
  // Returns the resolved location serialised for the JavaScript side (see
  // source_resolver.cc), or "" when nothing is known.
  std::string resolve(pid_t tgid, pid_t tid);

  // The process replaced its image, or mapped new executable code.
  void invalidate(pid_t tgid);
  // The process is gone.
  void forget(pid_t tgid);

  // Notices for the user (a module without debug info…), drained by the caller.
  std::vector<std::string> take_notices();

 private:
  std::string resolve_impl(pid_t tgid, pid_t tid);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace renacer
