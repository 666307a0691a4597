// Starting the program to trace: a child that shares the tracer's address
// space until it execs (posix_spawn's way: nothing to tear down at exec),
// stops, gets seized by the tracer thread (ptrace ties a tracee to the
// thread that attached it), installs the seccomp filter, execs.
#pragma once
#include <linux/filter.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace renacer {

struct SpawnRequest {
  std::string path;  // already resolved (PATH lookup done by the caller)
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::string cwd;                   // empty: inherit
  // The user to become before exec (strace -u): uid < 0 keeps the tracer's.
  int uid = -1, gid = -1;
  std::vector<unsigned> groups;
  const sock_fprog* filter = nullptr;  // null: no seccomp filter
  // Descriptors to install as the child's 0, 1, 2 (-1: inherit the tracer's).
  int stdio[3] = {-1, -1, -1};
};

// Starts the child, which stops itself with SIGSTOP before installing the
// filter and exec'ing. Returns the child's pid, or -errno. *error_fd receives
// a pipe (close-on-exec in the child) from which a setup failure (chdir,
// seccomp, execve) can be read as an errno int once the child has exited.
pid_t spawn_stopped_child(const SpawnRequest& req, int* error_fd);

}  // namespace renacer
