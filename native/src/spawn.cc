#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <memory>

#include "seccomp_filter.h"

namespace renacer {

namespace {

// Why not fork(): the child of fork() gets a copy of Node's address space
// (hundreds of MB mapped), and its execve() then tears that copy down inside
// the first traced call, which a person reads as a slow execve. A child made
// with CLONE_VM | CLONE_VFORK borrows the address space instead and leaves it
// at exec with nothing to tear down, as posix_spawn does. The thread that
// clones is suspended until the child execs or exits, so it cannot be the
// tracer thread (which must seize the stopped child first): a helper thread
// clones, and CLONE_PARENT_SETTID hands the child's pid over at once.
//
// Everything the child touches lives in the job, which the helper owns until
// the child has left the shared memory (clone returns after exec or exit).
struct SpawnJob {
  std::string path;
  std::vector<std::string> argv_text, env_text;
  std::vector<char*> argv, envp;
  std::string cwd;
  int uid = -1, gid = -1;
  std::vector<gid_t> groups;
  std::vector<sock_filter> filter_code;
  sock_fprog filter{};
  bool has_filter = false;
  int stdio[3] = {-1, -1, -1};
  int err_fd = -1;
  pid_t child_tid = 0;           // written by the kernel (CLONE_PARENT_SETTID)
  std::atomic<int> clone_error{0};  // errno of a failed clone
};

// Child side: shares the address space with the (suspended) helper thread,
// so only system calls from here on: no allocation, no locks, and no glibc
// call that reads its thread state (raise() would signal the helper).
int child_main(void* arg) {
  const SpawnJob& job = *static_cast<const SpawnJob*>(arg);
  // Node ignores SIGPIPE and may block signals on its threads; the program
  // must start with default dispositions and an empty mask, as under a shell.
  // (Without CLONE_SIGHAND the child's dispositions are its own.)
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
  // dup2 clears close-on-exec on the new descriptor. (Without CLONE_FILES
  // the descriptor table is the child's own copy.)
  for (int fd = 0; fd <= 2; ++fd) {
    if (job.stdio[fd] >= 0) dup2(job.stdio[fd], fd);
  }
  // Node opens its stdio close-on-exec; the program inherits it as from a
  // shell. FD_CLOEXEC is per descriptor, so Node's own copies are untouched.
  for (int fd = 0; fd <= 2; ++fd) {
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0 && (fl & FD_CLOEXEC)) fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
  }

  int err = 0;
  if (!job.cwd.empty() && chdir(job.cwd.c_str()) != 0) err = errno;
  if (err == 0) {
    // Wait here until the tracer has seized us.
    syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP);
    // strace -u: the user's groups, group and id, in that order (setuid last
    // drops the right to change the others). Raw calls: glibc's wrappers
    // would set the id on every thread of the borrowed process.
    if (job.uid >= 0) {
      if (syscall(SYS_setgroups, job.groups.size(), job.groups.data()) != 0 || syscall(SYS_setresgid, job.gid, job.gid, job.gid) != 0 ||
          syscall(SYS_setresuid, job.uid, job.uid, job.uid) != 0)
        err = errno;
    }
    if (err == 0 && job.has_filter) err = install_seccomp_filter(&job.filter);
  }
  if (err == 0) {
    execve(job.path.c_str(), job.argv.data(), job.envp.data());
    // A failed execve was traced like any other syscall: the tracer shows it.
    err = errno;
  }
  int code = err;
  ssize_t ignored = write(job.err_fd, &code, sizeof code);
  (void)ignored;
  _exit(127);
}

void* clone_helper(void* arg) {
  std::unique_ptr<std::shared_ptr<SpawnJob>> held(static_cast<std::shared_ptr<SpawnJob>*>(arg));
  SpawnJob* job = held->get();
  // The child's stack: part of this thread's, which waits right here until the child is gone from it.
  constexpr size_t kStack = 64 * 1024;
  alignas(16) char stack[kStack];
  pid_t r = clone(child_main, stack + kStack, CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID | SIGCHLD, job, &job->child_tid);
  if (r < 0) job->clone_error.store(errno);
  close(job->err_fd);
  return nullptr;
}

}  // namespace

pid_t spawn_stopped_child(const SpawnRequest& req, int* error_fd) {
  auto job = std::make_shared<SpawnJob>();
  job->path = req.path;
  job->argv_text = req.argv;
  job->env_text = req.env;
  for (auto& a : job->argv_text) job->argv.push_back(const_cast<char*>(a.c_str()));
  job->argv.push_back(nullptr);
  for (auto& e : job->env_text) job->envp.push_back(const_cast<char*>(e.c_str()));
  job->envp.push_back(nullptr);
  job->cwd = req.cwd;
  job->uid = req.uid;
  job->gid = req.gid;
  job->groups.assign(req.groups.begin(), req.groups.end());
  if (req.filter) {
    job->filter_code.assign(req.filter->filter, req.filter->filter + req.filter->len);
    job->filter.len = req.filter->len;
    job->filter.filter = job->filter_code.data();
    job->has_filter = true;
  }
  // The child's descriptor table is copied at clone, before its pid is
  // handed over: once this returns the caller may close these.
  for (int fd = 0; fd < 3; ++fd) job->stdio[fd] = req.stdio[fd];

  // Reports a setup failure (chdir, seccomp, execve) back to the caller; closed on exec.
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    return -errno;
  }
  job->err_fd = err_pipe[1];

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t helper;
  auto* arg = new std::shared_ptr<SpawnJob>(job);
  int rc = pthread_create(&helper, &attr, clone_helper, arg);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    delete arg;
    close(err_pipe[0]);
    close(err_pipe[1]);
    return -rc;
  }
  // The kernel writes the pid before the child first runs; a failed clone says so.
  pid_t pid = 0;
  for (;;) {
    pid = __atomic_load_n(&job->child_tid, __ATOMIC_ACQUIRE);
    if (pid > 0) break;
    if (int e = job->clone_error.load()) {
      close(err_pipe[0]);
      return -e;
    }
    sched_yield();
  }
  *error_fd = err_pipe[0];
  return pid;
}

}  // namespace renacer
