#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp_filter.h"

namespace renacer {

namespace {

// Child side of fork: only async-signal-safe calls from here on.
[[noreturn]] void child_main(const SpawnRequest& req, char* const* argv, char* const* envp,
                             int err_fd) {
  // Node ignores SIGPIPE and may block signals on its threads; the program
  // must start with default dispositions and an empty mask, as under a shell.
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    sigaction(sig, &dfl, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);

  // Redirected stdio (a debug adapter's stdout is its protocol channel).
  // dup2 clears close-on-exec on the new descriptor.
  for (int fd = 0; fd <= 2; ++fd) {
    if (req.stdio[fd] >= 0) dup2(req.stdio[fd], fd);
  }
  // Node opens its stdio close-on-exec; the program inherits it as from a
  // shell. FD_CLOEXEC is per descriptor, so Node's own copies are untouched.
  for (int fd = 0; fd <= 2; ++fd) {
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0 && (fl & FD_CLOEXEC)) fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
  }

  int err = 0;
  if (!req.cwd.empty() && chdir(req.cwd.c_str()) != 0) err = errno;
  if (err == 0) {
    // Wait here until the tracer has seized us.
    raise(SIGSTOP);
    if (req.filter) err = install_seccomp_filter(req.filter);
  }
  if (err == 0) {
    execve(req.path.c_str(), argv, envp);
    // A failed execve was traced like any other syscall: the tracer shows it.
    err = errno;
  }
  int code = err;
  ssize_t ignored = write(err_fd, &code, sizeof code);
  (void)ignored;
  _exit(127);
}

}  // namespace

pid_t spawn_stopped_child(const SpawnRequest& req, int* error_fd) {
  // Everything the child needs is built before fork: no allocation after.
  std::vector<char*> argv, envp;
  for (const auto& a : req.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : req.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  // Reports a setup failure (chdir, seccomp) back to the caller; closed on exec.
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return -errno;

  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(err_pipe[0]);
    close(err_pipe[1]);
    return -e;
  }
  if (pid == 0) {
    close(err_pipe[0]);
    child_main(req, argv.data(), envp.data(), err_pipe[1]);
  }
  close(err_pipe[1]);
  *error_fd = err_pipe[0];
  return pid;
}

}  // namespace renacer
