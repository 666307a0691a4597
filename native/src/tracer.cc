#include "tracer.h"

#include <dirent.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include "seccomp_filter.h"
#include "spawn.h"
#include "syscall_table.h"

namespace renacer {

namespace {

// Interrupts the tracer thread's waitpid (EINTR) when a stop is requested.
// SIGURG is ignored by default and unused by Node, so a no-op handler for it
// changes nothing else in the process.
constexpr int kWakeSignal = SIGURG;

void wake_handler(int) {}

constexpr long kTraceOptions = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC;
constexpr long kFollowOptions = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;

bool is_stop_signal(int sig) {
  return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

// Almost all of tracing's cost is the stop/resume round trip between tracee
// and tracer; across CPUs each one needs an inter-processor wake-up, on the
// same CPU it is a plain context switch (performance.md: 44 vs 29 µs). The
// tracer is one thread, so keeping it on one CPU costs nothing, and the
// scheduler's wake-affine logic then tends to run the tracees beside it. The
// tracees' own affinity is untouched: the program still sees every CPU.
// RENACER_NO_PIN=1 turns this off.
void pin_to_current_cpu() {
  const char* off = getenv("RENACER_NO_PIN");
  if (off && *off && strcmp(off, "0") != 0) return;
  int cpu = sched_getcpu();
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// The tracee's exit stop wakes this thread, and the call's time ends when we
// see it; while Node's threads hold our CPU that wake waits out their slice
// (EEVDF's default slice). A short requested slice lets the wake preempt them
// (Linux 6.12's custom slices, allowed unprivileged); older kernels refuse it
// and nothing changes.
void ask_for_short_slice() {
  struct {  // the kernel's struct sched_attr, first version (glibc has no wrapper)
    uint32_t size, sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime, sched_deadline, sched_period;
  } attr{};
  attr.size = sizeof attr;
  attr.sched_policy = SCHED_OTHER;
  attr.sched_runtime = 100 * 1000;  // ns: the shortest slice the kernel takes
  syscall(SYS_sched_setattr, 0, &attr, 0);
}

}  // namespace

std::string exe_path(pid_t pid) {
  char link[64];
  snprintf(link, sizeof link, "/proc/%d/exe", pid);
  char buf[4096];
  ssize_t n = readlink(link, buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

void Tracer::install_wakeup_handler() {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = wake_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: waitpid must return EINTR
  sigaction(kWakeSignal, &sa, nullptr);
}

Tracer::Tracer(TraceOptions opts, EventQueue* queue, double origin_mono_ns)
    : opts_(std::move(opts)), queue_(queue), origin_(origin_mono_ns) {
  if (opts_.source.enabled || opts_.source.backtrace) resolver_ = std::make_unique<SourceResolver>(opts_.source);
  if (!opts_.trace_paths.empty()) {
    // -P: only calls with a path or a descriptor can touch one (the seccomp filter stops for no other).
    if (opts_.traced.empty()) opts_.traced.assign(static_cast<size_t>(syscall_table_size()), true);
    for (size_t nr = 0; nr < opts_.traced.size(); ++nr) {
      const SyscallInfo* info = syscall_info(static_cast<long>(nr));
      if (!info || !(info->classes & (SC_FILE | SC_DESC | SC_NETWORK))) opts_.traced[nr] = false;
    }
  }
  if (opts_.stops) {
    debugging_ = true;
    stops_ = *opts_.stops;
  }
}

double Tracer::now() const {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec) - origin_;
}

Tracer::Task* Tracer::find(pid_t tid) {
  auto it = tasks_.find(tid);
  return it == tasks_.end() ? nullptr : &it->second;
}

Tracer::Task& Tracer::add_task(pid_t tid, pid_t tgid) {
  Task& t = tasks_[tid];
  t.tid = tid;
  t.tgid = tgid;
  t.call.tid = tid;
  return t;
}

void Tracer::remove_task(pid_t tid) { tasks_.erase(tid); }

bool Tracer::traced(long nr) const {
  if (opts_.traced.empty()) return true;
  if (nr < 0 || static_cast<size_t>(nr) >= opts_.traced.size()) return false;
  return opts_.traced[nr];
}

bool Tracer::emits(const Task& t) const { return t.emit && !t.hidden; }

pid_t Tracer::tgid_of(pid_t tid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", tid);
  FILE* f = fopen(path, "re");
  if (!f) return tid;
  char line[256];
  pid_t tgid = tid;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "Tgid:", 5) == 0) {
      tgid = static_cast<pid_t>(atoi(line + 5));
      break;
    }
  }
  fclose(f);
  return tgid;
}

StartResult Tracer::start() {
  StartResult r;
  thread_ = pthread_self();
  running_ = true;
  // Signals for the process (SIGINT, SIGTERM…) belong to Node's threads;
  // this thread takes the wake-up signal, and SIGCHLD: every tracee stop
  // sends SIGCHLD to this thread, and a blocked signal is never discarded as
  // ignored, so blocking it here would queue it process-wide and wake Node's
  // main thread at every stop (~10% of a full trace). Unblocked, its default
  // disposition drops it where it is sent.
  sigset_t mask;
  sigfillset(&mask);
  sigdelset(&mask, kWakeSignal);
  sigdelset(&mask, SIGCHLD);
  pthread_sigmask(SIG_SETMASK, &mask, nullptr);
  pin_to_current_cpu();
  ask_for_short_slice();

  if (!opts_.attach.empty()) {
    attached_mode_ = true;
    for (pid_t pid : opts_.attach) {
      std::vector<pid_t> tids;
      if (opts_.follow_forks) {
        char dir[64];
        snprintf(dir, sizeof dir, "/proc/%d/task", pid);
        if (DIR* d = opendir(dir)) {
          while (dirent* de = readdir(d)) {
            if (de->d_name[0] == '.') continue;
            tids.push_back(static_cast<pid_t>(atoi(de->d_name)));
          }
          closedir(d);
        }
      }
      if (tids.empty()) tids.push_back(pid);
      pid_t tgid = tgid_of(pid);
      for (pid_t tid : tids) {
        int err = attach_one(tid, tgid);
        if (err && tid == pid) {
          r.err = err;
          r.message = "attach: ptrace(PTRACE_SEIZE, " + std::to_string(pid) + "): " + strerror(err);
          // Let go of what was already seized.
          begin_stop();
          while (!tasks_.empty()) {
            int status;
            pid_t w = waitpid(-1, &status, __WALL | __WNOTHREAD);
            if (w < 0) break;
            handle_status(w, status);
          }
          return r;
        }
      }
      if (!main_pid_) main_pid_ = pid;
      NativeEvent e{EventKind::Spawn};
      e.pid = pid;
      e.tid = pid;
      e.t0 = e.t1 = now();
      e.s1 = exe_path(pid);
      queue_->push(std::move(e));
    }
    r.pid = main_pid_;
    return r;
  }

  // Launch. A filter makes untraced syscalls free through seccomp, in
  // children and threads too (every descendant inherits it). A RET_TRACE
  // filter in a task nobody traces fails its syscalls with ENOSYS, so a
  // filtered trace follows children even without -f (silently). A full trace
  // gains nothing from seccomp: it uses plain syscall stops.
  seccomp_mode_ = !opts_.traced.empty();
  if (seccomp_mode_) {
    // A syscall breakpoint's call must stop too, traced or not.
    seccomp_set_ = opts_.traced;
    for (size_t nr = 0; nr < stops_.syscalls.size() && nr < seccomp_set_.size(); ++nr)
      if (stops_.syscalls[nr]) seccomp_set_[nr] = true;
    configure(stops_);
    filter_ = build_seccomp_filter(seccomp_set_, syscall_audit_arch());
    fprog_.len = static_cast<unsigned short>(filter_.size());
    fprog_.filter = filter_.data();
  }
  SpawnRequest req;
  req.path = opts_.path;
  req.argv = opts_.argv;
  req.env = opts_.env;
  req.cwd = opts_.cwd;
  req.uid = opts_.uid;
  req.gid = opts_.gid;
  req.groups = opts_.groups;
  req.filter = seccomp_mode_ ? &fprog_ : nullptr;
  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, null_fd = -1, tty_fd = -1;
  if (!opts_.tty.empty() && !opts_.capture_output) {
    tty_fd = open(opts_.tty.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (tty_fd < 0) {
      r.err = errno;
      r.message = "open " + opts_.tty + ": " + strerror(errno);
      return r;
    }
    req.stdio[0] = req.stdio[1] = req.stdio[2] = tty_fd;
  }
  if (opts_.capture_output) {
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 ||
        (null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
      r.err = errno;
      r.message = std::string("pipe: ") + strerror(errno);
      return r;
    }
    req.stdio[0] = null_fd;
    req.stdio[1] = out_pipe[1];
    req.stdio[2] = err_pipe[1];
  }
  pid_t pid = spawn_stopped_child(req, &spawn_error_fd_);
  if (tty_fd >= 0) close(tty_fd);
  if (opts_.capture_output) {
    // Only the child (and its descendants) keep the write ends: EOF on the
    // read ends means every writer is gone.
    close(out_pipe[1]);
    close(err_pipe[1]);
    close(null_fd);
    if (pid < 0) {
      close(out_pipe[0]);
      close(err_pipe[0]);
    } else {
      // Read as the calls that wrote it are reported (never blocking the reader).
      fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
      fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);
      r.stdout_fd = out_pipe[0];
      r.stderr_fd = err_pipe[0];
    }
  }
  if (pid < 0) {
    r.err = -pid;
    r.message = std::string("fork: ") + strerror(-pid);
    return r;
  }
  int status = 0;
  while (waitpid(pid, &status, WSTOPPED | __WALL) < 0 && errno == EINTR) {
  }
  if (!WIFSTOPPED(status)) {
    int code = 0;
    if (read(spawn_error_fd_, &code, sizeof code) == sizeof code && code) {
      r.err = code;
      r.message = (opts_.cwd.empty() ? std::string("setup") : "chdir " + opts_.cwd) + ": " + strerror(code);
    } else {
      r.err = ECHILD;
      r.message = "the child exited before it could be traced";
    }
    return r;
  }
  long options = kTraceOptions | PTRACE_O_EXITKILL;
  bool follow = opts_.follow_forks || seccomp_mode_;
  if (follow) options |= kFollowOptions;
  if (seccomp_mode_) options |= PTRACE_O_TRACESECCOMP;
  if (ptrace(PTRACE_SEIZE, pid, 0, options) != 0) {
    int err = errno;
    kill(pid, SIGKILL);
    waitpid(pid, &status, __WALL);
    r.err = err;
    r.message = std::string("ptrace(PTRACE_SEIZE): ") + strerror(err);
    return r;
  }
  main_pid_ = pid;
  Task& t = add_task(pid, pid);
  t.hidden = true;
  // The child is in a group-stop; SIGCONT lets it run once we resume it.
  kill(pid, SIGCONT);
  NativeEvent e{EventKind::Spawn};
  e.pid = e.tid = pid;
  e.t0 = e.t1 = now();
  e.s1 = opts_.path;
  queue_->push(std::move(e));
  r.pid = pid;
  return r;
}

int Tracer::attach_one(pid_t tid, pid_t tgid) {
  long options = kTraceOptions;
  if (opts_.follow_forks) options |= kFollowOptions;
  if (ptrace(PTRACE_SEIZE, tid, 0, options) != 0) return errno;
  Task& t = add_task(tid, tgid);
  // Stop it once so the loop takes over; that stop is its "first stop".
  ptrace(PTRACE_INTERRUPT, tid, 0, 0);
  (void)t;
  return 0;
}

void Tracer::request_stop() {
  stop_requested_ = true;
  nudge();
}

void Tracer::nudge() {
  if ((stop_requested_ || commands_pending_) && running_) pthread_kill(thread_, kWakeSignal);
}

void Tracer::post(Command c) {
  {
    std::lock_guard<std::mutex> lk(commands_m_);
    commands_.push_back(std::move(c));
    commands_pending_ = true;
  }
  nudge();
}

void Tracer::detach_all(Task* current) {
  if (stop_begun_) return;
  stop_begun_ = true;
  all_stop_ = false;
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    Task& t = it->second;
    ++it;
    if (&t == current) {
      t.detach_at_resume = true;
    } else if (t.held) {
      // Already stopped: no further stop will come to detach it at. A call
      // we were about to skip runs after all.
      if (t.inject) ptrace(PTRACE_POKEUSER, t.tid, offsetof(struct user_regs_struct, orig_rax), t.call.nr);
      detach(t, t.held_sig);
    } else {
      t.detaching = true;
      // Traps it at once wherever it is; the loop then detaches it.
      ptrace(PTRACE_INTERRUPT, t.tid, 0, 0);
    }
  }
}

void Tracer::begin_stop() {
  if (stop_begun_) return;
  result_.interrupted = true;
  if (attached_mode_) {
    // Attached tasks are let go where they are, as strace leaves them.
    detach_all(nullptr);
    return;
  }
  stop_begun_ = true;
  all_stop_ = false;
  for (auto& [tid, t] : tasks_) kill(tid, SIGKILL);
}

TraceResult Tracer::run() {
  // Only now: start() runs while JavaScript waits for it, before anything is delivered.
  if (opts_.lockstep) queue_->set_lockstep(true);
  while (!tasks_.empty() || !reaped_.empty()) {
    if (stop_requested_ && !stop_begun_) begin_stop();
    if (commands_pending_) process_commands();
    if (!collect_stops(reaped_.empty())) break;  // ECHILD: nothing left
    if (reaped_.empty()) continue;  // woken for a command
    ReapedStop s = reaped_.front();
    reaped_.pop_front();
    stop_ns_ = s.at;
    if (WIFSTOPPED(s.status)) ++result_.stops;
    handle_status(s.tid, s.status);
  }
  if (result_.exit_status == 127 && spawn_error_fd_ >= 0 && result_.error.empty()) {
    int code = 0;
    if (read(spawn_error_fd_, &code, sizeof code) == sizeof code && code)
      result_.error = std::string("setup: ") + strerror(code);
  }
  if (spawn_error_fd_ >= 0) close(spawn_error_fd_);
  result_.end_ns = now();
  running_ = false;
  return result_;
}

// Reaps what has stopped: waits for one stop when `block`, then takes every
// other that is ready. Each is stamped when reaped and handled in that order:
// waitpid(-1) reports the newest tracees first, so a task whose exit stop
// waits behind its busy threads would be reaped late (its call timed long)
// or not at all while they keep stopping. With one task nothing else waits.
// False when no tracee is left.
bool Tracer::collect_stops(bool block) {
  if (!block && tasks_.size() < 2) return true;
  for (;;) {
    int status = 0;
    pid_t tid = waitpid(-1, &status, __WALL | __WNOTHREAD | (block ? 0 : WNOHANG));
    if (tid == 0) return true;
    if (tid < 0) return errno == EINTR || !reaped_.empty();
    reaped_.push_back({tid, status, now()});
    if (tasks_.size() < 2) return true;
    block = false;
  }
}

void Tracer::handle_status(pid_t tid, int status) {
  Task* t = find(tid);
  if (t) {
    t->stop_phase = 0;
    t->stopped_at = stop_ns_;
  }
  if (WIFEXITED(status) || WIFSIGNALED(status)) {
    on_exit(t, tid, status);
    return;
  }
  if (!WIFSTOPPED(status)) return;
  int sig = WSTOPSIG(status);
  int event = status >> 16;

  if (!t) {
    // A new child whose parent's fork event is still to come: hold it.
    orphan_first_stops_[tid] = true;
    return;
  }
  if (t->detaching) {
    // Stopped at last: let go, keeping a pending signal.
    bool signal_stop = t->seen_first_stop && event == 0 && sig != (SIGTRAP | 0x80);
    detach(*t, signal_stop ? sig : 0);
    return;
  }
  if (!t->seen_first_stop) {
    t->seen_first_stop = true;
    first_stop_of(*t);
    return;
  }
  if (sig == (SIGTRAP | 0x80)) {
    on_syscall_stop(*t);
    return;
  }
  if (sig == SIGTRAP && event) {
    switch (event) {
      case PTRACE_EVENT_SECCOMP: {
        if (t->in_syscall && t->entry_stop_seen) {
          // Syscall stops are on (debugging) and this call's entry stop came first.
          resume(*t, 0);
          return;
        }
        __ptrace_syscall_info info;
        if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) > 0 &&
            info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
          uint64_t args[6];
          for (int i = 0; i < 6; ++i) args[i] = info.seccomp.args[i];
          t->entry_ip = info.instruction_pointer;
          t->entry_sp = info.stack_pointer;
          on_syscall_entry(*t, static_cast<long>(info.seccomp.nr), args, false);
        }
        resume(*t, 0);
        return;
      }
      case PTRACE_EVENT_FORK:
      case PTRACE_EVENT_VFORK:
      case PTRACE_EVENT_CLONE:
        on_new_child(*t, event);
        return;
      case PTRACE_EVENT_EXEC:
        on_exec(*t);
        return;
      case PTRACE_EVENT_STOP:
        // Handled below with the other stops.
        break;
      default:
        resume(*t, 0);
        return;
    }
  }
  if (event == PTRACE_EVENT_STOP) {
    if (is_stop_signal(sig)) {
      // Group-stop: keep the task stopped, as without a tracer, until SIGCONT.
      if (emits(*t)) {
        NativeEvent e{EventKind::Stopped};
        e.pid = t->tgid;
        e.tid = tid;
        e.a = sig;
        e.t0 = e.t1 = now();
        queue_->push(std::move(e));
      }
      t->listening = true;
      ptrace(PTRACE_LISTEN, tid, 0, 0);
      return;
    }
    t->listening = false;
    t->interrupt_sent = false;
    resume(*t, 0);
    return;
  }
  on_signal(*t, sig);
}

void Tracer::first_stop_of(Task& t) {
  // The attach/auto-attach stop: not the program's doing; just resume.
  resume(t, 0);
}

void Tracer::on_exit(Task* t, pid_t tid, int status) {
  if (!t) {
    orphan_first_stops_.erase(tid);
    return;
  }
  double when = now();
  if (t->in_syscall && !t->suppress_call) emit_call(*t, false);
  bool signaled = WIFSIGNALED(status);
  if (tid == main_pid_ && !attached_mode_) {
    result_.exit_status = signaled ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    result_.exit_signal = signaled ? WTERMSIG(status) : 0;
  }
  if (t->emit) {
    NativeEvent e{EventKind::Exit};
    e.pid = t->tgid;
    e.tid = tid;
    e.t0 = e.t1 = when;
    if (signaled) {
      e.a = WTERMSIG(status);
      e.b = 1;
      if (WCOREDUMP(status)) e.flags |= EF_CORE_DUMPED;
    } else {
      e.a = WEXITSTATUS(status);
    }
    queue_->push(std::move(e));
  }
  if (resolver_ && tid == t->tgid) resolver_->forget(tid);
  remove_task(tid);
  check_all_held();
}

void Tracer::resume(Task& t, int sig) {
  if (t.detach_at_resume) {
    detach(t, sig);
    return;
  }
  if (!stop_begun_ && (t.hold_reason || all_stop_)) {
    hold(t, sig);
    return;
  }
  t.hold_reason = 0;
  ptrace_resume(t, sig);
}

void Tracer::ptrace_resume(Task& t, int sig) {
  // Between a syscall's entry and exit we need its exit stop; otherwise the
  // seccomp filter decides where the task stops next.
  int req = wants_syscall_stops(t) ? PTRACE_SYSCALL : PTRACE_CONT;
  if (sig && t.in_syscall && t.stop_phase == 1 && !t.entry_stop_seen) {
    // A signal given at a seccomp stop is dropped; from the call's exit
    // stop the kernel sends it (delivered as the call returns).
    t.entry_signal = sig;
    sig = 0;
    req = PTRACE_SYSCALL;
  }
  if (t.mark_entry_time) {
    // Let into the call now: the call's time is the tracee's, not ours.
    t.mark_entry_time = false;
    if (t.in_syscall) {
      // Any call's exit may be seen late (our wake, or our work on another
      // task): what the task ran and waited from here is kept to check.
      t.timed_by_schedstat = t.schedstat.read(t.tid, &t.sched_at_entry);
      t.t_entry = t.segment_start = now();
    }
  } else if (t.in_syscall && t.stop_phase == 0 && t.stopped_at > t.t_entry) {
    // A stop inside the call (exec, fork, clone events; a hold): the time
    // the task sat stopped here, ours, is not the call's, nor the part of
    // the run up to it that we were late to see.
    double now_ns = now();
    t.t_entry += (now_ns - t.stopped_at) + seen_late_by(t, t.stopped_at);
    t.timed_by_schedstat = t.schedstat.read(t.tid, &t.sched_at_entry);
    t.segment_start = now_ns;
  }
  ptrace(static_cast<__ptrace_request>(req), t.tid, 0, sig);
}

void Tracer::detach(Task& t, int sig) {
  pid_t tid = t.tid;
  bool emit = t.emit;
  pid_t tgid = t.tgid;
  ptrace(PTRACE_DETACH, tid, 0, sig);
  if (emit) {
    NativeEvent e{EventKind::Detach};
    e.pid = tgid;
    e.tid = tid;
    e.t0 = e.t1 = now();
    queue_->push(std::move(e));
  }
  remove_task(tid);
}

}  // namespace renacer
