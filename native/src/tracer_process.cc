// The tracer's process events: new tasks (fork, vfork, clone), exec, and
// signals on their way to a task.
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <utility>

#include "syscall_table.h"
#include "tracer.h"

namespace renacer {

void Tracer::emit_fork(const Task& parent, const Task& child) {
  NativeEvent e{EventKind::Fork};
  e.pid = child.tgid;
  e.tid = child.tid;
  e.a = parent.tid;
  e.b = parent.tgid;
  if (child.tgid == parent.tgid) e.flags |= EF_THREAD;
  e.t0 = e.t1 = now();
  queue_->push(std::move(e));
}

void Tracer::on_new_child(Task& parent, int event) {
  unsigned long msg = 0;
  ptrace(PTRACE_GETEVENTMSG, parent.tid, 0, &msg);
  pid_t child_tid = static_cast<pid_t>(msg);
  pid_t child_tgid = child_tid;
  if (event == PTRACE_EVENT_CLONE) {
    // A thread shares its creator's thread group; the clone flags tell.
    uint64_t flags = 0;
    const SyscallInfo* info = syscall_info(parent.call.nr);
    if (info && strcmp(info->name, "clone3") == 0) {
      TraceeMemory(parent.tid).read_value(parent.call.args[0], &flags);
    } else {
      flags = parent.call.args[0];
    }
    if (flags & CLONE_THREAD) child_tgid = parent.tgid;
  }
  if (child_tid > 0 && !find(child_tid)) {
    Task& child = add_task(child_tid, child_tgid);
    child.emit = opts_.follow_forks && parent.emit;
    child.hidden = parent.hidden;
    if (child.emit) emit_fork(parent, child);
    auto held = orphan_first_stops_.find(child_tid);
    if (held != orphan_first_stops_.end()) {
      orphan_first_stops_.erase(held);
      child.seen_first_stop = true;
      if (stop_begun_) {
        if (attached_mode_) detach(child, 0); else kill(child_tid, SIGKILL), resume(child, 0);
      } else {
        first_stop_of(child);
      }
    } else if (stop_begun_) {
      if (attached_mode_) child.detaching = true; else kill(child_tid, SIGKILL);
    }
  }
  Task* p = find(parent.tid);  // add_task may have rehashed
  if (p) resume(*p, 0);
}

void Tracer::on_exec(Task& t) {
  unsigned long former = 0;
  ptrace(PTRACE_GETEVENTMSG, t.tid, 0, &former);
  pid_t tid = t.tid;
  Task* cur = &t;
  if (static_cast<pid_t>(former) != tid) {
    // A non-leader thread exec'd: it now has the leader's tid; its state
    // (mid-execve) moves with it; the other threads are gone.
    auto it = tasks_.find(static_cast<pid_t>(former));
    if (it != tasks_.end()) {
      Task moved = std::move(it->second);
      tasks_.erase(it);
      pid_t tgid = t.tgid;
      for (auto i = tasks_.begin(); i != tasks_.end();) {
        if (i->second.tgid == tgid && i->first != tid) i = tasks_.erase(i); else ++i;
      }
      moved.tid = tid;
      moved.call.tid = tid;
      moved.schedstat = TaskSchedStat();  // the file was the former tid's
      tasks_[tid] = std::move(moved);
      cur = &tasks_[tid];
    }
  }
  cur->hidden = false;
  if (resolver_) resolver_->invalidate(cur->tgid);
  if (cur->emit) {
    NativeEvent e{EventKind::Exec};
    e.pid = cur->tgid;
    e.tid = tid;
    e.a = static_cast<int32_t>(former);
    e.t0 = e.t1 = now();
    e.s1 = exe_path(tid);
    queue_->push(std::move(e));
  }
  resume(*cur, 0);
}

void Tracer::on_signal(Task& t, int sig) {
  siginfo_t si;
  bool have = ptrace(PTRACE_GETSIGINFO, t.tid, 0, &si) == 0;
  if (t.hidden) {
    // Our own SIGSTOP/SIGCONT handshake before exec: not the program's.
    resume(t, (sig == SIGSTOP || sig == SIGCONT) ? 0 : sig);
    return;
  }
  if (emits(t)) {
    NativeEvent e{EventKind::Signal};
    e.pid = t.tgid;
    e.tid = t.tid;
    e.a = sig;
    e.t0 = e.t1 = now();
    if (have) e.s1 = decode_siginfo(si);
    // At any stop PTRACE_GET_SYSCALL_INFO gives the task's PC.
    __ptrace_syscall_info info;
    if (ptrace(PTRACE_GET_SYSCALL_INFO, t.tid, sizeof info, &info) > 0) e.ip = info.instruction_pointer;
    if (opts_.source.backtrace && resolver_) e.s3 = resolver_->backtrace(t.tgid, t.tid);  // strace -k: signals too
    queue_->push(std::move(e));
    if (debugging_ && stops_.signals) t.hold_reason |= HR_SIGNAL;
  }
  resume(t, sig);
}

}  // namespace renacer
