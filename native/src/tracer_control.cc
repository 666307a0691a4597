// The debugger's side of the tracer thread: commands from JavaScript, and
// holding tasks stopped while it decides (DESIGN.md, "Debugging").
//
// A task is held instead of resumed when a cheap native test says it may be
// a breakpoint hit (its syscall, a line on its stack, a failure, a signal, a
// step), or while an all-stop is in progress: then every stop of every task
// is handled as usual (events reported, children reaped) and the task is
// kept stopped. Each hold sends a Hold event at once; JavaScript answers
// with a command (tracer.h Command) and a SIGURG wakes this thread.
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include <cstddef>

#include "stop_report.h"
#include "tracer.h"

namespace renacer {

bool Tracer::wants_syscall_stops(const Task& t) const {
  // Between a syscall's entry and exit we need its exit stop; otherwise the
  // seccomp filter decides where the task stops next.
  return !seccomp_mode_ || full_stops_ || t.in_syscall || t.restarting || t.step;
}

void Tracer::process_commands() {
  std::vector<Command> cmds;
  {
    std::lock_guard<std::mutex> lk(commands_m_);
    cmds.swap(commands_);
    commands_pending_ = false;
  }
  for (Command& c : cmds) {
    switch (c.op) {
      case Command::kConfigure:
        if (c.config) configure(*c.config);
        break;
      case Command::kInterruptAll:
        interrupt_all();
        break;
      case Command::kResume: {
        Task* t = find(c.tid);
        if (!t || !t->held) break;
        t->step = c.step;
        // Resumed with it from its syscall stop: the kernel delivers it as the call returns.
        if (c.signal) t->held_sig = c.signal;
        // During an all-stop a task stays with the others until resumeAll.
        if (!all_stop_) release(*t);
        break;
      }
      case Command::kResumeAll:
        all_stop_ = false;
        all_held_reported_ = false;
        for (auto& [tid, t] : tasks_) {
          if (!t.held) continue;
          t.step = tid == c.tid && c.step;
          release(t);
        }
        break;
      case Command::kOutcome: {
        Task* t = find(c.tid);
        if (t && t->held) set_outcome(*t, c.outcome, c.value);
        break;
      }
    }
  }
}

void Tracer::configure(const StopConfig& c) {
  stops_ = c;
  debugging_ = true;
  if (!seccomp_mode_) return;  // every syscall stops anyway
  bool full = !c.lines.empty() || c.failed;
  for (size_t nr = 0; !full && nr < c.syscalls.size(); ++nr)
    if (c.syscalls[nr] && (nr >= seccomp_set_.size() || !seccomp_set_[nr])) full = true;
  if (full && !full_stops_) {
    // Tasks let run under the filter alone would miss these calls: bring
    // each to a stop, from where it resumes with syscall stops.
    for (auto& [tid, t] : tasks_) {
      if (t.held || t.listening || t.in_syscall) continue;
      if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) == 0) t.interrupt_sent = true;
    }
  }
  full_stops_ = full;
}

int Tracer::entry_hold_reasons(Task& t, long nr) {
  t.stack.clear();
  if (!t.emit || t.hidden) return 0;  // untraced descendants; our own set-up before exec
  int r = 0;
  if (t.step) {
    r |= HR_STEP;
    t.step = false;
  }
  if (nr >= 0 && static_cast<size_t>(nr) < stops_.syscalls.size() && stops_.syscalls[nr]) r |= HR_SYSCALL;
  if (!stops_.lines.empty() && resolver_) {
    // A line "makes" the call when it is anywhere in the user frames of its
    // stack, inline expansions included.
    resolver_->stack(t.tgid, t.tid, &t.stack);
    std::string key;
    for (const StackFrame& f : t.stack) {
      if (f.line <= 0 || f.kind < 2) continue;
      key = f.file;
      key += ':';
      key += std::to_string(f.line);
      if (stops_.lines.count(key)) {
        r |= HR_LINE;
        break;
      }
    }
  }
  return r;
}

int Tracer::exit_hold_reasons(Task& t) {
  if (!t.emit || t.hidden) return 0;
  int r = 0;
  if (t.step) {
    r |= HR_STEP;
    t.step = false;
  }
  if (stops_.failed && t.call.is_error && !t.suppress_call && !is_restart_code(t.call.rval)) r |= HR_FAILED;
  return r;
}

void Tracer::hold(Task& t, int sig) {
  t.held = true;
  t.held_sig = sig;
  int reasons = t.hold_reason ? t.hold_reason : HR_INTERRUPT;
  t.hold_reason = 0;
  NativeEvent e{EventKind::Hold};
  e.pid = t.tgid;
  e.tid = t.tid;
  e.b = reasons;
  e.t0 = e.t1 = stop_ns_;
  e.a = -1;
  bool in_call = t.stop_phase == 1 || t.stop_phase == 2 || t.in_syscall || t.restarting;
  if (reasons & HR_SIGNAL) {
    e.a = sig;
  } else if (in_call) {
    e.a = static_cast<int32_t>(t.call.nr);
    if (t.stop_phase == 2) {
      e.flags |= EF_EXIT_STOP;
      e.ret = t.call.rval;
      if (t.call.is_error) e.flags |= EF_ERROR;
    } else if (t.stop_phase == 1) {
      e.flags |= EF_ENTRY_STOP;
    } else {
      e.flags |= EF_IN_SYSCALL;
    }
    if (t.injected) e.flags |= EF_INJECTED;
    TraceeMemory mem(t.tid);
    SyscallContext call = t.call;
    call.exited = t.stop_phase == 2;
    DecodedCall d = decode_exit(call, mem, opts_.decode, t.entry_state);
    e.s1 = std::move(d.args);
    e.s2 = std::move(d.retval);
  }
  user_regs_struct regs;
  bool have_regs = ptrace(PTRACE_GETREGS, t.tid, nullptr, &regs) == 0;
  if (t.stack.empty() && resolver_ && !t.hidden) resolver_->stack(t.tgid, t.tid, &t.stack);
  e.s3 = stop_report_json(have_regs ? &regs : nullptr, in_call ? t.call.args : nullptr, t.stack);
  t.stack.clear();
  queue_->push_urgent(std::move(e));
  check_all_held();
}

void Tracer::release(Task& t) {
  t.held = false;
  int sig = t.held_sig;
  t.held_sig = 0;
  if (t.pending_emit) {
    emit_call(t, t.pending_emit == 1);
    t.pending_emit = 0;
  }
  ptrace_resume(t, sig);
}

void Tracer::check_all_held() {
  if (!all_stop_ || all_held_reported_ || stop_begun_) return;
  for (auto& [tid, t] : tasks_)
    if (!t.held && !t.listening) return;
  all_held_reported_ = true;
  NativeEvent e{EventKind::AllHeld};
  e.t0 = e.t1 = now();
  queue_->push_urgent(std::move(e));
}

void Tracer::interrupt_all() {
  all_stop_ = true;
  all_held_reported_ = false;
  // Sent even when one is outstanding: any ptrace stop clears a pending
  // interrupt in the kernel, so an earlier one may never arrive.
  for (auto& [tid, t] : tasks_) {
    if (t.held || t.listening) continue;
    if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) == 0) t.interrupt_sent = true;
  }
  check_all_held();
}

void Tracer::set_outcome(Task& t, int outcome, int64_t value) {
  int64_t v = outcome == 1 ? -value : value;
  if (t.stop_phase == 2) {
    // At the exit: the program sees this instead of what the kernel returned.
    ptrace(PTRACE_POKEUSER, t.tid, offsetof(struct user_regs_struct, rax), v);
    t.call.rval = v;
    t.call.is_error = v < 0 && v >= -4095;
    t.injected = true;
  } else if (t.stop_phase == 1 && t.in_syscall) {
    // At the entry: the kernel skips syscall -1; the exit stop (which still
    // comes) writes our result.
    ptrace(PTRACE_POKEUSER, t.tid, offsetof(struct user_regs_struct, orig_rax), -1L);
    t.inject = true;
    t.inject_value = v;
  }
}

}  // namespace renacer
