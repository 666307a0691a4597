// Processes: exec, clone and namespaces, wait, exit, process ids, and the
// calls that reach into another process (kcmp, process_vm_readv/writev).
#include <linux/sched.h>
#include <sched.h>
#include <sys/wait.h>

#include <cstring>
#include <vector>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

// -- execve -------------------------------------------------------------------------

// Reads a NULL-terminated array of pointers, at most `max` of them, a
// block at a time. Returns false when the array itself is unreadable;
// *complete says whether its terminating NULL was seen.
bool read_ptr_array(const Call& c, uint64_t addr, size_t max, std::vector<uint64_t>* out, bool* complete) {
  *complete = false;
  out->clear();
  uint64_t block[64];
  for (size_t done = 0;;) {
    size_t got = c.mem.read(addr + done * 8, block, sizeof block) / 8;
    if (got == 0) return done > 0;
    for (size_t i = 0; i < got; ++i) {
      if (block[i] == 0) {
        *complete = true;
        return true;
      }
      if (out->size() == max) return true;
      out->push_back(block[i]);
    }
    done += got;
  }
}

// argv: ["ls", "-l"], at most -s elements then "..." (all of them under -v).
std::string argv_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  std::vector<uint64_t> ptrs;
  bool complete;
  if (!read_ptr_array(c, addr, c.abbrev() ? c.limit() : 1 << 20, &ptrs, &complete)) return hex(addr);
  std::vector<std::string> items;
  for (uint64_t p : ptrs) items.push_back(cstring(c, p));
  if (!c.abbrev()) return "[" + join(items.data(), items.size()) + (complete ? "]" : ", ...]");
  return array(c, items, complete ? items.size() : items.size() + 1);
}

// envp, abbreviated: 0x7ffd… /* 20 vars */; whole, as argv, under -v.
std::string envp_at(const Call& c, uint64_t addr) {
  if (!c.abbrev()) return argv_at(c, addr);
  if (addr == 0) return "NULL";
  std::vector<uint64_t> ptrs;
  bool complete;
  if (!read_ptr_array(c, addr, 1 << 20, &ptrs, &complete) || !complete) return hex(addr);
  size_t n = ptrs.size();
  return hex(addr) + " /* " + std::to_string(n) + (n == 1 ? " var */" : " vars */");
}

// exec replaces the memory the arguments are in: render at entry.
void exec_rest(Call& c, int i) {
  c.add(argv_at(c, c.u(i)));
  c.add(envp_at(c, c.u(i + 1)));
}

void execveat_entry(Call& c) {
  by_dirfd_path<exec_rest>(c);
  c.add(at_flags(c.u32(4)));
}

// -- clone, unshare, setns ------------------------------------------------------------

constexpr Named kCloneFlags[] = {
    {CLONE_VM, "CLONE_VM"},
    {CLONE_FS, "CLONE_FS"},
    {CLONE_FILES, "CLONE_FILES"},
    {CLONE_SIGHAND, "CLONE_SIGHAND"},
    {CLONE_PIDFD, "CLONE_PIDFD"},
    {CLONE_PTRACE, "CLONE_PTRACE"},
    {CLONE_VFORK, "CLONE_VFORK"},
    {CLONE_PARENT, "CLONE_PARENT"},
    {CLONE_THREAD, "CLONE_THREAD"},
    {CLONE_NEWNS, "CLONE_NEWNS"},
    {CLONE_SYSVSEM, "CLONE_SYSVSEM"},
    {CLONE_SETTLS, "CLONE_SETTLS"},
    {CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID"},
    {CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID"},
    {CLONE_UNTRACED, "CLONE_UNTRACED"},
    {CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID"},
    {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
    {CLONE_NEWUTS, "CLONE_NEWUTS"},
    {CLONE_NEWIPC, "CLONE_NEWIPC"},
    {CLONE_NEWUSER, "CLONE_NEWUSER"},
    {CLONE_NEWPID, "CLONE_NEWPID"},
    {CLONE_NEWNET, "CLONE_NEWNET"},
    {CLONE_IO, "CLONE_IO"},
};
// clone3 takes 64-bit flags; the upper ones exist only there.
constexpr Named kClone3HighFlags[] = {
    {0x100000000ULL, "CLONE_CLEAR_SIGHAND"},
    {0x200000000ULL, "CLONE_INTO_CGROUP"},
};

std::string clone3_flags(uint64_t v) {
  if (v == 0) return "0";
  std::string out;
  uint64_t rest = append_flags(&out, v, table(kCloneFlags));
  append_flags_hex(&out, rest, table(kClone3HighFlags));
  return out;
}
// unshare/setns take the namespace subset, CLONE_NEWTIME first.
constexpr Named kUnshareFlags[] = {
    {0x80, "CLONE_NEWTIME"},         {CLONE_VM, "CLONE_VM"},           {CLONE_FS, "CLONE_FS"},
    {CLONE_FILES, "CLONE_FILES"},    {CLONE_SIGHAND, "CLONE_SIGHAND"}, {CLONE_THREAD, "CLONE_THREAD"},
    {CLONE_NEWNS, "CLONE_NEWNS"},    {CLONE_SYSVSEM, "CLONE_SYSVSEM"}, {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
    {CLONE_NEWUTS, "CLONE_NEWUTS"},  {CLONE_NEWIPC, "CLONE_NEWIPC"},   {CLONE_NEWUSER, "CLONE_NEWUSER"},
    {CLONE_NEWPID, "CLONE_NEWPID"},  {CLONE_NEWNET, "CLONE_NEWNET"},
};
constexpr Named kSetnsFlags[] = {
    {0x80, "CLONE_NEWTIME"},        {CLONE_NEWNS, "CLONE_NEWNS"},     {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
    {CLONE_NEWUTS, "CLONE_NEWUTS"}, {CLONE_NEWIPC, "CLONE_NEWIPC"},   {CLONE_NEWUSER, "CLONE_NEWUSER"},
    {CLONE_NEWPID, "CLONE_NEWPID"}, {CLONE_NEWNET, "CLONE_NEWNET"},
};

// clone(2) flags: the CLONE_* bits, then the exit signal from the low byte.
std::string clone_flags(uint64_t v) {
  std::string out;
  append_flags_hex(&out, v & ~0xffULL, table(kCloneFlags));
  if (!out.empty()) out = styled(hex(v & ~0xffULL), out);
  int sig = static_cast<int>(v & 0xff);
  if (sig) append_part(&out, signame(sig));
  return out.empty() ? "0" : out;
}

std::string tid_at(const Call& c, uint64_t addr) {
  int v;
  if (!c.ok() || !c.mem.read_value(addr, &v)) return ptr(addr);
  return "[" + std::to_string(v) + "]";
}

// CLONE_PIDFD's pidfd, written by the kernel: "[3<pid:1234>]" with -y.
std::string pidfd_at(const Call& c, uint64_t addr) {
  int v;
  if (!c.ok() || !c.mem.read_value(addr, &v)) return ptr(addr);
  return "[" + fd_str(c, v) + "]";
}

// x86_64 argument order: flags, stack, parent_tid, child_tid, tls.
void clone_(Call& c) {
  uint64_t f = c.u(0);
  c.add("child_stack=" + ptr(c.u(1)));
  c.add("flags=" + clone_flags(f));
  // With CLONE_PIDFD alone the kernel writes the pidfd there.
  if (f & (CLONE_PARENT_SETTID | CLONE_PIDFD))
    c.add("parent_tid=" + (f & CLONE_PARENT_SETTID ? tid_at(c, c.u(2)) : pidfd_at(c, c.u(2))));
  if (f & CLONE_SETTLS) c.add("tls=" + ptr(c.u(4)));
  if (f & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) c.add("child_tidptr=" + ptr(c.u(3)));
}

// clone_args is read at entry; the kernel writes parent_tid/pidfd, shown
// at exit as "=> {parent_tid=[N]}".
void clone3_entry(Call& c) {
  struct clone_args a;
  memset(&a, 0, sizeof a);
  size_t size = c.u(1) < sizeof a ? static_cast<size_t>(c.u(1)) : sizeof a;
  if (c.u(0) == 0 || size < 64 || !c.mem.read_exact(c.u(0), &a, size)) {
    c.add(ptr(c.u(0)));
    return;
  }
  std::string s = "{flags=" + clone3_flags(a.flags);
  if (a.flags & CLONE_PIDFD) s += ", pidfd=" + ptr(a.pidfd);
  if (a.flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) s += ", child_tid=" + ptr(a.child_tid);
  if (a.flags & CLONE_PARENT_SETTID) s += ", parent_tid=" + ptr(a.parent_tid);
  s += ", exit_signal=" + (a.exit_signal ? signame(static_cast<int>(a.exit_signal)) : std::string("0"));
  s += ", stack=" + ptr(a.stack) + ", stack_size=" + hex(a.stack_size);
  if (a.flags & CLONE_SETTLS) s += ", tls=" + ptr(a.tls);
  if (size >= 80 && a.set_tid_size) s += ", set_tid=" + ptr(a.set_tid) + ", set_tid_size=" + udec(a.set_tid_size);
  if (size >= 88 && (a.flags & 0x200000000ULL)) s += ", cgroup=" + udec(a.cgroup);
  c.add(s + "}");
  c.saved.push_back(std::to_string(a.flags));
  c.saved.push_back(std::to_string(a.pidfd));
  c.saved.push_back(std::to_string(a.parent_tid));
}

void clone3_exit(Call& c) {
  if (c.ok() && c.saved.size() == 3 && !c.out.empty()) {
    uint64_t f = strtoull(c.saved[0].c_str(), nullptr, 10);
    std::string after;
    if (f & CLONE_PIDFD) after += "pidfd=" + pidfd_at(c, strtoull(c.saved[1].c_str(), nullptr, 10));
    if (f & CLONE_PARENT_SETTID) {
      if (!after.empty()) after += ", ";
      after += "parent_tid=" + tid_at(c, strtoull(c.saved[2].c_str(), nullptr, 10));
    }
    if (!after.empty()) c.out.back() += " => {" + after + "}";
  }
  c.add(udec(c.u(1)));
}

void unshare(Call& c) { c.add(flags(c.u(0), table(kUnshareFlags), "CLONE_???")); }

void setns(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(flags(c.u32(1), table(kSetnsFlags), "CLONE_???"));
}

// -- wait -----------------------------------------------------------------------------

constexpr Named kWaitOptions[] = {
    {WNOHANG, "WNOHANG"},     {WEXITED, "WEXITED"},   {WSTOPPED, "WSTOPPED"}, {WCONTINUED, "WCONTINUED"},
    {WNOWAIT, "WNOWAIT"},     {__WCLONE, "__WCLONE"}, {__WALL, "__WALL"},     {__WNOTHREAD, "__WNOTHREAD"},
};
constexpr Named kIdTypes[] = {{P_ALL, "P_ALL"}, {P_PID, "P_PID"}, {P_PGID, "P_PGID"}, {3, "P_PIDFD"}};
constexpr Named kPtraceEvents[] = {
    {1, "PTRACE_EVENT_FORK"}, {2, "PTRACE_EVENT_VFORK"}, {3, "PTRACE_EVENT_CLONE"}, {4, "PTRACE_EVENT_EXEC"},
    {5, "PTRACE_EVENT_VFORK_DONE"}, {6, "PTRACE_EVENT_EXIT"}, {7, "PTRACE_EVENT_SECCOMP"}, {128, "PTRACE_EVENT_STOP"}};

std::string wait_status(int s) {
  std::string out;
  if (WIFEXITED(s)) {
    out = "WIFEXITED(s) && WEXITSTATUS(s) == " + std::to_string(WEXITSTATUS(s));
  } else if (WIFSIGNALED(s)) {
    out = "WIFSIGNALED(s) && WTERMSIG(s) == " + signame(WTERMSIG(s));
    if (WCOREDUMP(s)) out += " && WCOREDUMP(s)";
  } else if (WIFSTOPPED(s)) {
    out = "WIFSTOPPED(s) && WSTOPSIG(s) == " + signame(WSTOPSIG(s));
    if (s >> 16) out += " && s >> 16 == " + xlat(static_cast<uint32_t>(s) >> 16, table(kPtraceEvents), nullptr);
  } else if (WIFCONTINUED(s)) {
    out = "WIFCONTINUED(s)";
  } else {
    return "[" + hex(static_cast<uint32_t>(s)) + "]";
  }
  return "[{" + out + "}]";
}

void wait4(Call& c) {
  c.add(std::to_string(c.i32(0)));
  int st;
  // The status is written only when a child was reaped (WNOHANG may return 0).
  if (c.ok() && c.rval() > 0 && c.u(1) && c.mem.read_value(c.u(1), &st)) c.add(wait_status(st));
  else c.add(ptr(c.u(1)));
  c.add(flags(c.u32(2), table(kWaitOptions), "W???"));
  c.add(rusage_at(c, c.u(3)));
}

void waitid(Call& c) {
  c.add(xlat(c.u32(0), table(kIdTypes), "P_???"));
  // (A pidfd as it was at entry, see fd_arg: the process is gone once reaped.)
  c.add(c.u32(0) == 3 /* P_PIDFD */ ? fd_arg(c, 1) : std::to_string(c.i32(1)));
  if (c.ok() && c.u(2)) {
    siginfo_t si;
    if (c.mem.read_value(c.u(2), &si)) c.add(si.si_signo == 0 ? "{}" : siginfo_at(c, c.u(2)));
    else c.add(hex(c.u(2)));
  } else {
    c.add(ptr(c.u(2)));
  }
  c.add(flags(c.u32(3), table(kWaitOptions), "W???"));
  c.add(rusage_at(c, c.u(4)));
}

// -- kcmp, process_vm -----------------------------------------------------------------

constexpr Named kKcmpTypes[] = {{0, "KCMP_FILE"}, {1, "KCMP_VM"},      {2, "KCMP_FILES"},  {3, "KCMP_FS"},
                                {4, "KCMP_SIGHAND"}, {5, "KCMP_IO"}, {6, "KCMP_SYSVSEM"}, {7, "KCMP_EPOLL_TFD"}};

void kcmp(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(std::to_string(c.i32(1)));
  c.add(xlat(c.u32(2), table(kKcmpTypes), "KCMP_???"));
  if (c.u32(2) == 0 || c.u32(2) == 7) {
    // KCMP_FILE's descriptors are pid1's and pid2's (strace -y looks them up there).
    bool plain = !c.opts.decode_fds;
    c.add(plain ? std::to_string(c.u(3)) : fd_of_task(c, c.i32(0), static_cast<int>(c.u(3))));
    if (c.u32(2) == 7) c.add(ptr(c.u(4)));
    else c.add(plain ? std::to_string(c.u(4)) : fd_of_task(c, c.i32(1), static_cast<int>(c.u(4))));
  }
}

// process_vm_readv/writev: the local iovec holds data (what was read or
// written), the remote one only addresses.
void process_vm(Call& c, bool read) {
  c.add(std::to_string(c.i32(0)));
  if (read) c.add(c.ok() ? iovec_at(c, c.u(1), c.u(2), static_cast<uint64_t>(c.rval())) : ptr(c.u(1)));
  else c.add(iovec_at(c, c.u(1), c.u(2), UINT64_MAX));
  c.add(udec(c.u(2)));
  c.add(iovec_addrs_at(c, c.u(3), c.u(4)));
  c.add(udec(c.u(4)));
  c.add(udec(c.u(5)));
}
void process_vm_readv(Call& c) { process_vm(c, true); }
void process_vm_writev(Call& c) { process_vm(c, false); }

constexpr Decoder kDecoders[] = {
    with_entry("execve", by_path<exec_rest>, nullptr),
    with_entry("execveat", execveat_entry, nullptr),
    with_exit("clone", clone_),
    with_entry("clone3", clone3_entry, clone3_exit),
    with_signature("fork", ""),
    with_signature("vfork", ""),
    with_exit("unshare", unshare),
    with_exit("setns", setns),
    with_exit("wait4", wait4),
    with_exit("waitid", waitid),
    with_signature("exit", "d"),
    with_signature("exit_group", "d"),
    with_signature("getpid", ""),
    with_signature("getppid", ""),
    with_signature("gettid", ""),
    with_signature("getpgrp", ""),
    with_signature("setsid", ""),
    with_signature("getpgid", "d"),
    with_signature("getsid", "d"),
    with_signature("setpgid", "dd"),
    with_exit("kcmp", kcmp),
    with_exit("process_vm_readv", process_vm_readv),
    with_exit("process_vm_writev", process_vm_writev),
};

}  // namespace

DecoderList process_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
