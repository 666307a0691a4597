// The ptrace loop. Runs on one dedicated thread: that thread forks or seizes
// every tracee and is the only one that may ptrace them.
#pragma once
#include <linux/filter.h>
#include <pthread.h>
#include <sys/types.h>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "decode.h"
#include "event_queue.h"
#include "source_resolver.h"
#include "io_dump.h"
#include "task_schedstat.h"

namespace renacer {

// Where the debugger wants tasks held (tracer_control.cc).
struct StopConfig {
  std::vector<bool> syscalls;              // by nr: hold at entry
  bool failed = false;                     // hold at the exit of a failed call
  bool signals = false;                    // hold before a signal is delivered
  std::unordered_set<std::string> lines;   // "file:line": hold at entry when on the stack
};

// A request from JavaScript to the tracer thread.
struct Command {
  enum Op { kResume, kResumeAll, kInterruptAll, kConfigure, kOutcome } op = kResume;
  pid_t tid = 0;         // kResume/kOutcome: the task; kResumeAll: the one to step (0: none)
  bool step = false;     // hold `tid` again at its next syscall stop
  int signal = 0;        // kResume: deliver this signal as the task goes on (strace's inject signal=)
  int outcome = 0;       // kOutcome: 1 fail with errno `value`, 2 return `value`
  int64_t value = 0;
  std::shared_ptr<StopConfig> config;  // kConfigure
};

// -ERESTARTSYS … -ERESTART_RESTARTBLOCK: the kernel restarts the call; never a result the program sees.
inline bool is_restart_code(int64_t rval) { return rval <= -512 && rval >= -516; }

struct TraceOptions {
  // Launch: path (resolved), argv, env, cwd.
  std::string path;
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::string cwd;
  // Launch: run the program as this user (strace -u); uid < 0: as renacer's own.
  int uid = -1, gid = -1;
  std::vector<unsigned> groups;
  // Attach: pids (non-empty means attach mode).
  std::vector<pid_t> attach;
  // Launch: give the program pipes for stdout/stderr and /dev/null for stdin
  // instead of the tracer's own stdio.
  bool capture_output = false;
  // Launch: a terminal (e.g. /dev/pts/3) for the program's stdin/stdout/stderr
  // (a debug session's `console: "integratedTerminal"`).
  std::string tty;
  bool follow_forks = false;
  // strace -b execve: let a task go at its execve (not the launched program's own).
  bool detach_on_execve = false;
  // --syscall-limit: let every task go after this many calls are reported (0: no limit).
  uint64_t syscall_limit = 0;
  // Indexed by syscall number; empty means trace everything.
  std::vector<bool> traced;
  // strace -P: only the calls that touch one of these paths (path_filter.h).
  std::vector<std::string> trace_paths;
  // strace -e read=SET / -e write=SET (io_dump.h).
  IoDumpSets io_dump;
  // strace -e raw=SET: these calls' arguments and results as raw hex numbers (by syscall number).
  std::vector<bool> raw;
  bool raw_all = false;
  DecodeOptions decode;
  SourceOptions source;
  // Deliver each event before the tracee goes on (trace lines on a terminal).
  bool lockstep = false;
  // Debugging: where to hold tasks from the start (its syscalls join the seccomp filter).
  std::shared_ptr<StopConfig> stops;
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

// The program a task runs (/proc/PID/exe), or "" when it cannot be read.
std::string exe_path(pid_t pid);

// One tracing session on its own thread: tracer.cc sets it up and runs the
// wait loop, tracer_syscall.cc handles syscall stops, tracer_process.cc
// new tasks, exec and signals, tracer_control.cc the debugger's holds.
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

  // Any thread: queue a debugger command and wake the tracer thread.
  void post(Command c);

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
    uint64_t entry_ip = 0, entry_sp = 0;  // at this call's entry stop (source resolution)
    double t_entry = 0;
    std::string entry_state;
    std::string source;            // the call's stack resolved, JSON (source_resolver.h)
    bool stack_at_exit = false;    // the stack is read at the call's exit (read_stack)
    bool suppress_call = false;    // current call is filtered out
    double t_exit = 0;
    double stopped_at = 0;         // when its current stop was reaped
    bool mark_entry_time = false;  // the call's time starts when the task is let into it
    bool entry_stop_seen = false;  // this call's entry came as a syscall-entry stop (not seccomp)
    double segment_start = 0;      // when the task was last let run inside the call
    bool timed_by_schedstat = false;  // its exit may be seen late (task_schedstat.h)
    SchedStat sched_at_entry;
    TaskSchedStat schedstat;
    // Debugging (tracer_control.cc).
    int stop_phase = 0;            // the stop being handled: 1 a syscall's entry, 2 its exit, 0 other
    bool held = false;             // stopped, waiting for a command
    int held_sig = 0;              // the signal to deliver on release
    int hold_reason = 0;           // HoldReason bits: hold instead of resuming
    int pending_emit = 0;          // on release, emit the call: 1 as returned, 2 as never returning
    bool step = false;             // hold at the next syscall stop
    bool interrupt_sent = false;   // PTRACE_INTERRUPT sent since the last PTRACE_EVENT_STOP (any trap may consume it)
    bool restarting = false;       // our interrupt cut the call short; the kernel restarts it
    bool inject = false;           // at the exit stop, write inject_value as the result
    int64_t inject_value = 0;
    bool injected = false;         // this call's outcome was set by us
    bool detach_at_resume = false; // let go instead of resuming (strace -b execve)
    int entry_signal = 0;          // to send from this call's exit stop (inject signal=; a seccomp stop drops it)
    std::vector<StackFrame> stack; // the whole stack at this stop (line breakpoints), else empty
  };

  double now() const;
  Task* find(pid_t tid);
  Task& add_task(pid_t tid, pid_t tgid);
  void remove_task(pid_t tid);
  bool traced(long nr) const;
  bool emits(const Task& t) const;

  bool collect_stops(bool block);
  void handle_status(pid_t tid, int status);
  void on_exit(Task* t, pid_t tid, int status);
  void on_syscall_stop(Task& t);
  void on_syscall_entry(Task& t, long nr, const uint64_t* args, bool entry_stop);
  void on_syscall_exit(Task& t, int64_t rval, bool is_error);
  void on_new_child(Task& parent, int event);
  void on_exec(Task& t);
  void on_signal(Task& t, int sig);
  void first_stop_of(Task& child);
  void emit_fork(const Task& parent, const Task& child);
  // How much later than the task stopped we saw it stop at `seen_at`, in
  // the run inside its call since segment_start (task_schedstat.h).
  double seen_late_by(Task& t, double seen_at);
  // strace -e raw=: whether this call is shown undecoded.
  bool raw(long nr) const;
  // The call's source line and -k stack from the task's stack, into t.source.
  void read_stack(Task& t);
  void emit_call(Task& t, bool returned);
  void resume(Task& t, int sig);
  void ptrace_resume(Task& t, int sig);
  // tracer_control.cc
  void process_commands();
  void hold(Task& t, int sig);
  void release(Task& t);
  void check_all_held();
  void interrupt_all();
  void configure(const StopConfig& c);
  void set_outcome(Task& t, int outcome, int64_t value);
  int entry_hold_reasons(Task& t, long nr);
  int exit_hold_reasons(Task& t);
  bool wants_syscall_stops(const Task& t) const;
  void detach(Task& t, int sig);
  void begin_stop();
  // Lets every task go where it is (--syscall-limit; the end of an attach);
  // `current`, whose stop is being handled, at its resume.
  void detach_all(Task* current);
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
  double stop_ns_ = 0;  // when the stop being handled was reaped
  // Stops reaped but not yet handled, oldest first (collect_stops).
  struct ReapedStop {
    pid_t tid;
    int status;
    double at;
  };
  std::deque<ReapedStop> reaped_;
  // Debugging.
  std::mutex commands_m_;
  std::vector<Command> commands_;
  std::atomic<bool> commands_pending_{false};
  StopConfig stops_;
  bool debugging_ = false;       // a StopConfig was ever set
  bool all_stop_ = false;        // interruptAll until resumeAll: every stop holds
  bool all_held_reported_ = false;
  bool full_stops_ = false;      // seccomp mode, but every syscall must stop (line breakpoints…)
  std::vector<bool> seccomp_set_;  // what the installed filter stops for
};

}  // namespace renacer
