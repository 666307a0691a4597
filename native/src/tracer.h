// The ptrace loop. Runs on one dedicated thread: that thread forks or seizes
// every tracee and is the only one that may ptrace them.
#pragma once
#include <linux/filter.h>
#include <pthread.h>
#include <sys/types.h>

#include <atomic>
#include <string>
#include <unordered_map>
#include <vector>

#include "decode.h"
#include "event_queue.h"
#include "source_resolver.h"

namespace renacer {

struct TraceOptions {
  // Launch: path (resolved), argv, env, cwd.
  std::string path;
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::string cwd;
  // Attach: pids (non-empty means attach mode).
  std::vector<pid_t> attach;
  // Launch: give the program pipes for stdout/stderr and /dev/null for stdin
  // instead of the tracer's own stdio.
  bool capture_output = false;
  bool follow_forks = false;
  // Indexed by syscall number; empty means trace everything.
  std::vector<bool> traced;
  DecodeOptions decode;
  SourceOptions source;
};

// What start() reports back to the caller thread.
struct StartResult {
  pid_t pid = 0;
  int stdout_fd = -1;  // capture_output: read ends of the program's stdout/stderr
  int stderr_fd = -1;
  int err = 0;             // errno of the failed step, 0 on success
  std::string message;     // what failed, for the user
};

struct TraceResult {
  // The launched program's exit code (or 128+signal); -1 when attached.
  int exit_status = -1;
  int exit_signal = 0;
  bool interrupted = false;
  uint64_t syscalls = 0;
  uint64_t stops = 0;  // ptrace stops handled: what tracing cost the tracees
  double end_ns = 0;
  std::string error;  // setup error discovered after start (chdir, seccomp, exec)
};

class Tracer {
 public:
  Tracer(TraceOptions opts, EventQueue* queue, double origin_mono_ns);

  // On the tracer thread: launch or attach. Must succeed before run().
  StartResult start();
  // On the tracer thread: trace until no tracee is left.
  TraceResult run();

  // Any thread: stop tracing. Launched tracees are killed (as strace does on
  // a fatal signal), attached ones detached and left running. Safe to call
  // repeatedly; each call also wakes the tracer thread if it is blocked.
  void request_stop();
  // Any thread: wake the tracer thread if a stop was requested and is not done.
  void nudge();

  // Called once per process, before any tracer thread runs.
  static void install_wakeup_handler();

 private:
  struct Task {
    pid_t tid = 0;
    pid_t tgid = 0;
    bool seen_first_stop = false;  // auto-attach stop not yet consumed
    bool hidden = false;           // launched child before its exec: our setup, not the program
    bool in_syscall = false;
    bool detaching = false;
    bool listening = false;        // in group-stop, held with PTRACE_LISTEN
    bool emit = true;              // events of this task are reported
    SyscallContext call;
    double t_entry = 0;
    std::string entry_state;
    std::string source;            // resolved at entry, JSON (source_resolver.h)
    bool suppress_call = false;    // current call is filtered out
  };

  double now() const;
  Task* find(pid_t tid);
  Task& add_task(pid_t tid, pid_t tgid);
  void remove_task(pid_t tid);
  bool traced(long nr) const;
  bool emits(const Task& t) const;

  void handle_status(pid_t tid, int status);
  void on_exit(Task* t, pid_t tid, int status);
  void on_syscall_stop(Task& t);
  void on_syscall_entry(Task& t, long nr, const uint64_t* args);
  void on_syscall_exit(Task& t, int64_t rval, bool is_error);
  void on_new_child(Task& parent, int event);
  void on_exec(Task& t);
  void on_signal(Task& t, int sig);
  void first_stop_of(Task& child);
  void emit_fork(const Task& parent, const Task& child);
  void emit_call(Task& t, bool returned);
  void resume(Task& t, int sig);
  void detach(Task& t, int sig);
  void begin_stop();
  int attach_one(pid_t tid, pid_t tgid);
  pid_t tgid_of(pid_t tid);

  TraceOptions opts_;
  EventQueue* queue_;
  double origin_;
  bool seccomp_mode_ = false;
  bool attached_mode_ = false;
  std::unique_ptr<SourceResolver> resolver_;
  std::vector<sock_filter> filter_;
  sock_fprog fprog_{};
  pid_t main_pid_ = 0;
  int spawn_error_fd_ = -1;
  std::unordered_map<pid_t, Task> tasks_;
  // Children whose parent's fork event has not arrived yet, held stopped.
  std::unordered_map<pid_t, bool> orphan_first_stops_;
  TraceResult result_;
  pthread_t thread_{};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> running_{false};
  bool stop_begun_ = false;
};

}  // namespace renacer
