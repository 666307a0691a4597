// The tracer's syscall stops: a call's entry (decoding what it reads,
// holding it for the debugger) and its exit (its result, injected outcomes),
// the source line read from its stack at one of them, and the event that
// reports it.
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

#include <cstddef>
#include <unordered_set>

#include "json_string.h"
#include "path_filter.h"
#include "syscall_table.h"
#include "tracer.h"

namespace renacer {

namespace {

bool never_returns(long nr) {
  const SyscallInfo* info = syscall_info(nr);
  if (!info) return false;
  return strcmp(info->name, "exit") == 0 || strcmp(info->name, "exit_group") == 0;
}

bool is_exec(long nr) {
  const SyscallInfo* info = syscall_info(nr);
  if (!info) return false;
  return strcmp(info->name, "execve") == 0 || strcmp(info->name, "execveat") == 0;
}

// Whose stack is read at the call's entry stop rather than its exit: calls
// that may wait without end (a task can die inside one, its exit never
// seen) and calls that leave on another stack or none. Every other call's
// stack is the same at its exit, and read there: a module's first load then
// delays only the program's own code after the call, not a call whose time
// is measured (a long stop of ours lets the tracee's CPU go idle, and the
// call then runs on a cold one).
bool stack_read_at_entry(long nr) {
  static const std::unordered_set<long> calls = [] {
    static const char* const names[] = {
        "read", "readv", "pread64", "preadv", "preadv2", "write", "writev", "pwrite64", "pwritev", "pwritev2",
        "recvfrom", "recvmsg", "recvmmsg", "sendto", "sendmsg", "sendmmsg", "accept", "accept4", "connect",
        "poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2", "futex",
        "futex_waitv", "wait4", "waitid", "nanosleep", "clock_nanosleep", "pause", "rt_sigsuspend",
        "rt_sigtimedwait", "msgrcv", "msgsnd", "semop", "semtimedop", "mq_timedreceive", "mq_timedsend",
        "flock", "io_getevents", "io_pgetevents", "io_uring_enter", "splice", "tee",
        "sendfile", "ptrace", "clone", "clone3", "fork", "vfork", "rt_sigreturn",
        "exit", "exit_group", "execve", "execveat"};
    std::unordered_set<long> s;
    for (const char* n : names) {
      long nr = syscall_number(n);
      if (nr >= 0) s.insert(nr);
    }
    return s;
  }();
  return calls.count(nr) != 0;
}

// The source JSON (source_resolver.h) with `key` (strace -k's "backtrace", -e read='s "dump").
void add_field(std::string* source, const char* key, const std::string& json) {
  if (json.empty()) return;
  if (source->empty()) {
    *source = std::string("{\"") + key + "\":" + json + "}";
  } else {
    source->pop_back();
    *source += std::string(",\"") + key + "\":" + json + "}";
  }
}

void add_backtrace(std::string* source, const std::string& lines) { add_field(source, "backtrace", lines); }

std::string json_lines(const std::vector<std::string>& lines) {
  if (lines.empty()) return "";
  std::string out = "[";
  for (const std::string& l : lines) {
    if (out.size() > 1) out += ',';
    append_json_string(&out, l);
  }
  return out + ']';
}

}  // namespace

void Tracer::on_syscall_stop(Task& t) {
  __ptrace_syscall_info info;
  if (ptrace(PTRACE_GET_SYSCALL_INFO, t.tid, sizeof info, &info) <= 0) {
    resume(t, 0);
    return;
  }
  if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
    uint64_t args[6];
    for (int i = 0; i < 6; ++i) args[i] = info.entry.args[i];
    t.entry_ip = info.instruction_pointer;
    t.entry_sp = info.stack_pointer;
    on_syscall_entry(t, static_cast<long>(info.entry.nr), args, true);
  } else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
    if (t.in_syscall) on_syscall_exit(t, info.exit.rval, info.exit.is_error != 0);
    // An exit without an entry: the call was under way when we attached.
    // A signal held for the call (ptrace_resume) is sent from here, as the call returns.
    int sig = t.entry_signal;
    t.entry_signal = 0;
    resume(t, sig);
    return;
  }
  resume(t, 0);
}

void Tracer::on_syscall_entry(Task& t, long nr, const uint64_t* args, bool entry_stop) {
  if (t.restarting && (nr == t.call.nr || nr == SYS_restart_syscall)) {
    // The call our interrupt cut short, restarted by the kernel: still the same call.
    t.restarting = false;
    t.in_syscall = true;
    t.entry_stop_seen = entry_stop;
    return;
  }
  t.stop_phase = 1;
  t.restarting = false;
  t.in_syscall = true;
  t.entry_stop_seen = entry_stop;
  // Provisional (a call shown at entry); the call's time starts when the task is let into it.
  t.t_entry = stop_ns_;
  t.mark_entry_time = true;
  t.call.nr = nr;
  for (int i = 0; i < 6; ++i) t.call.args[i] = args[i];
  t.call.sp = t.entry_sp;
  t.call.exited = false;
  t.inject = false;
  t.injected = false;
  // Before its exec the launched child runs our setup code: only the
  // program's own execve is shown.
  t.suppress_call = !traced(nr) || !t.emit || (t.hidden && !is_exec(nr)) ||
                    (!opts_.trace_paths.empty() && !call_touches_path(t.call, TraceeMemory(t.tid), opts_.trace_paths));
  t.entry_state.clear();
  t.source.clear();
  t.stack_at_exit = false;
  int hold = debugging_ ? entry_hold_reasons(t, nr) : 0;
  if (t.suppress_call && !hold) {
    if (seccomp_mode_) {
      // Stopped only because another task needs this syscall (or another ABI):
      // skip its exit stop.
      t.in_syscall = false;
    }
    return;
  }
  TraceeMemory mem(t.tid);
  t.entry_state = decode_entry(t.call, mem, opts_.decode);
  t.hold_reason = hold;
  if (t.suppress_call) return;
  if (resolver_) {
    // A held call's stack is shown now, by the debugger.
    if (hold || stack_read_at_entry(nr)) read_stack(t);
    else t.stack_at_exit = true;
  }
  if (opts_.detach_on_execve && is_exec(nr) && !t.hidden && !hold) {
    // strace -b execve: shown as unfinished and detached, the new program runs untraced.
    t.detach_at_resume = true;
    emit_call(t, false);
    t.suppress_call = true;
    t.in_syscall = false;
    return;
  }
  if (never_returns(nr)) {
    // exit/exit_group: shown now, as strace does, before the tasks it ends
    // report their own unfinished calls and exits.
    if (hold) t.pending_emit = 2; else emit_call(t, false);
    t.in_syscall = !seccomp_mode_;  // syscall stops: the (absent) exit stop must not be taken for another call's
    t.suppress_call = true;
  }
}

void Tracer::on_syscall_exit(Task& t, int64_t rval, bool is_error) {
  t.t_exit = stop_ns_;
  t.t_entry += seen_late_by(t, t.t_exit);
  t.timed_by_schedstat = false;
  if (t.inject) {
    // The call was skipped at entry (or is to be overridden): the program sees our result.
    ptrace(PTRACE_POKEUSER, t.tid, offsetof(struct user_regs_struct, rax), t.inject_value);
    rval = t.inject_value;
    is_error = rval < 0 && rval >= -4095;
    t.inject = false;
    t.injected = true;
  }
  if (t.interrupt_sent && is_restart_code(rval)) {
    // -ERESTART*: our interrupt cut a blocking call short and the kernel
    // restarts it on resume. Not a result: the call goes on.
    t.restarting = true;
    return;
  }
  t.in_syscall = false;
  t.entry_stop_seen = false;
  t.stop_phase = 2;
  t.call.exited = true;
  t.call.rval = rval;
  t.call.is_error = is_error;
  if (t.stack_at_exit) read_stack(t);
  if (opts_.source.backtrace && resolver_ && is_exec(t.call.nr) && !t.suppress_call)
    add_backtrace(&t.source, resolver_->backtrace(t.tgid, t.tid, !is_error));
  int hold = debugging_ ? exit_hold_reasons(t) : 0;
  if (hold) {
    t.hold_reason = hold;
    if (!t.suppress_call) t.pending_emit = 1;
    return;
  }
  if (!t.suppress_call) emit_call(t, true);
}

double Tracer::seen_late_by(Task& t, double seen_at) {
  // Shorter than this, a run has nothing of ours worth a read to take out.
  constexpr double kSeenLateNs = 20e3;
  double wall = seen_at - t.segment_start;
  if (!t.timed_by_schedstat || wall <= kSeenLateNs) return 0;
  // In one slice the run neither slept nor was preempted: its time is what
  // the tracee ran. The wait for a CPU before that slice is our resume's
  // (a busy or idle CPU to wake it on), as is how late we looked.
  SchedStat s;
  const SchedStat& e = t.sched_at_entry;
  if (!t.schedstat.read(t.tid, &s) || s.slices - e.slices != 1) return 0;
  double spent = static_cast<double>(s.run_ns - e.run_ns);
  return spent < wall ? wall - spent : 0;
}

bool Tracer::raw(long nr) const {
  return opts_.raw_all || (nr >= 0 && static_cast<size_t>(nr) < opts_.raw.size() && opts_.raw[nr]);
}

void Tracer::read_stack(Task& t) {
  t.stack_at_exit = false;
  EntryState at;
  at.nr = t.call.nr;
  at.ip = t.entry_ip;
  at.sp = t.entry_sp;
  at.args[0] = t.call.args[0];
  at.args[1] = t.call.args[1];
  if (opts_.source.enabled) t.source = resolver_->resolve(t.tgid, t.tid, at);
  // An execve's stack is the new image's, at its exit (as strace prints it).
  if (opts_.source.backtrace && !is_exec(at.nr)) add_backtrace(&t.source, resolver_->backtrace(t.tgid, t.tid, false, &at));
}

void Tracer::emit_call(Task& t, bool returned) {
  NativeEvent e{EventKind::Syscall};
  e.pid = t.tgid;
  e.tid = t.tid;
  e.a = static_cast<int32_t>(t.call.nr);
  e.t0 = t.t_entry;
  e.t1 = returned ? t.t_exit : t.t_entry;
  e.ip = t.entry_ip;
  if (t.injected) e.flags |= EF_INJECTED;
  if (t.detach_at_resume) e.flags |= EF_DETACHED;
  TraceeMemory mem(t.tid);
  if (!returned) {
    t.call.exited = false;
    e.flags |= EF_NO_RETURN;
  } else {
    e.ret = t.call.rval;
    if (t.call.is_error) {
      e.flags |= EF_ERROR;
      e.b = static_cast<int32_t>(-t.call.rval);
    }
  }
  DecodedCall d = raw(t.call.nr) ? decode_raw(t.call) : decode_exit(t.call, mem, opts_.decode, t.entry_state);
  if (returned && !opts_.io_dump.empty()) add_field(&t.source, "dump", json_lines(io_dump(t.call, mem, opts_.io_dump)));
  e.s1 = std::move(d.args);
  e.s2 = std::move(d.retval);
  e.s3 = std::move(t.source);
  t.source.clear();
  t.entry_state.clear();
  ++result_.syscalls;
  queue_->push(std::move(e));
  if (opts_.syscall_limit && result_.syscalls >= opts_.syscall_limit) detach_all(&t);
}

}  // namespace renacer
