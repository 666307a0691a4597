// Processes and threads: exec, clone, wait, exit, limits, credentials,
// scheduling, futex, prctl, and the system-information calls.
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
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

// argv: ["ls", "-l"], at most -s elements then "...".
std::string argv_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  std::vector<uint64_t> ptrs;
  bool complete;
  if (!read_ptr_array(c, addr, c.limit(), &ptrs, &complete)) return hex(addr);
  std::vector<std::string> items;
  for (uint64_t p : ptrs) items.push_back(cstring(c, p));
  return array(c, items, complete ? items.size() : items.size() + 1);
}

// envp, abbreviated: 0x7ffd… /* 20 vars */.
std::string envp_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  std::vector<uint64_t> ptrs;
  bool complete;
  if (!read_ptr_array(c, addr, 1 << 20, &ptrs, &complete) || !complete) return hex(addr);
  size_t n = ptrs.size();
  return hex(addr) + " /* " + std::to_string(n) + (n == 1 ? " var */" : " vars */");
}

// exec replaces the memory the arguments are in: render at entry.
void execve_entry(Call& c) {
  c.add(path(c, c.u(0)));
  c.add(argv_at(c, c.u(1)));
  c.add(envp_at(c, c.u(2)));
}

void execveat_entry(Call& c) {
  c.add(dirfd(c.i32(0)));
  c.add(path(c, c.u(1)));
  c.add(argv_at(c, c.u(2)));
  c.add(envp_at(c, c.u(3)));
  c.add(at_flags(c.u32(4)));
}

// -- clone ----------------------------------------------------------------------------

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
  rest = append_flags(&out, rest, table(kClone3HighFlags));
  if (rest) out += (out.empty() ? "" : "|") + hex(rest);
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
  uint64_t rest = append_flags(&out, v & ~0xffULL, table(kCloneFlags));
  if (rest) out += (out.empty() ? "" : "|") + hex(rest);
  int sig = static_cast<int>(v & 0xff);
  if (sig) out += (out.empty() ? "" : "|") + signame(sig);
  return out.empty() ? "0" : out;
}

std::string tid_at(const Call& c, uint64_t addr) {
  int v;
  if (!c.ok() || !c.mem.read_value(addr, &v)) return ptr(addr);
  return "[" + std::to_string(v) + "]";
}

// x86_64 argument order: flags, stack, parent_tid, child_tid, tls.
void clone_(Call& c) {
  uint64_t f = c.u(0);
  c.add("child_stack=" + ptr(c.u(1)));
  c.add("flags=" + clone_flags(f));
  if (f & (CLONE_PARENT_SETTID | CLONE_PIDFD)) c.add("parent_tid=" + tid_at(c, c.u(2)));
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
    if (f & CLONE_PIDFD) after += "pidfd=" + tid_at(c, strtoull(c.saved[1].c_str(), nullptr, 10));
    if (f & CLONE_PARENT_SETTID) {
      if (!after.empty()) after += ", ";
      after += "parent_tid=" + tid_at(c, strtoull(c.saved[2].c_str(), nullptr, 10));
    }
    if (!after.empty()) c.out.back() += " => {" + after + "}";
  }
  c.add(udec(c.u(1)));
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

std::string rusage_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  struct rusage ru;
  if (!c.ok() || !c.mem.read_value(addr, &ru)) return hex(addr);
  return "{ru_utime=" + timeval_str(ru.ru_utime.tv_sec, ru.ru_utime.tv_usec) +
         ", ru_stime=" + timeval_str(ru.ru_stime.tv_sec, ru.ru_stime.tv_usec) + ", ...}";
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
  c.add(std::to_string(c.i32(1)));
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

// -- limits -----------------------------------------------------------------------------

constexpr Named kRlimits[] = {
    {RLIMIT_CPU, "RLIMIT_CPU"},       {RLIMIT_FSIZE, "RLIMIT_FSIZE"},         {RLIMIT_DATA, "RLIMIT_DATA"},
    {RLIMIT_STACK, "RLIMIT_STACK"},   {RLIMIT_CORE, "RLIMIT_CORE"},           {RLIMIT_RSS, "RLIMIT_RSS"},
    {RLIMIT_NPROC, "RLIMIT_NPROC"},   {RLIMIT_NOFILE, "RLIMIT_NOFILE"},       {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},
    {RLIMIT_AS, "RLIMIT_AS"},         {RLIMIT_LOCKS, "RLIMIT_LOCKS"},         {RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"},
    {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"}, {RLIMIT_NICE, "RLIMIT_NICE"},       {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"},
    {RLIMIT_RTTIME, "RLIMIT_RTTIME"},
};

// strace shows limits that are multiples of 1024 as "N*1024".
std::string rlim_value(uint64_t v, const char* infinity) {
  if (v == UINT64_MAX) return infinity;
  if (v != 0 && v % 1024 == 0) return std::to_string(v / 1024) + "*1024";
  return std::to_string(v);
}

std::string rlimit_at(const Call& c, uint64_t addr, const char* infinity) {
  if (addr == 0) return "NULL";
  uint64_t v[2];
  if (!c.mem.read_value(addr, &v)) return hex(addr);
  return "{rlim_cur=" + rlim_value(v[0], infinity) + ", rlim_max=" + rlim_value(v[1], infinity) + "}";
}

std::string resource(int v) { return xlat(static_cast<uint32_t>(v), table(kRlimits), "RLIMIT_???"); }

void prlimit64(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(resource(c.i32(1)));
  c.add(rlimit_at(c, c.u(2), "RLIM64_INFINITY"));
  c.add(c.ok() ? rlimit_at(c, c.u(3), "RLIM64_INFINITY") : ptr(c.u(3)));
}

void getrlimit(Call& c) {
  c.add(resource(c.i32(0)));
  c.add(c.ok() ? rlimit_at(c, c.u(1), "RLIM_INFINITY") : ptr(c.u(1)));
}

void setrlimit(Call& c) {
  c.add(resource(c.i32(0)));
  c.add(rlimit_at(c, c.u(1), "RLIM_INFINITY"));
}

// -- arch_prctl, thread setup ------------------------------------------------------------

constexpr Named kArchPrctl[] = {
    {0x1001, "ARCH_SET_GS"},       {0x1002, "ARCH_SET_FS"},      {0x1003, "ARCH_GET_FS"},
    {0x1004, "ARCH_GET_GS"},       {0x1011, "ARCH_GET_CPUID"},   {0x1012, "ARCH_SET_CPUID"},
    {0x1021, "ARCH_GET_XCOMP_SUPP"}, {0x1022, "ARCH_GET_XCOMP_PERM"}, {0x1023, "ARCH_REQ_XCOMP_PERM"},
    {0x1024, "ARCH_GET_XCOMP_GUEST_PERM"}, {0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"},
    {0x2001, "ARCH_MAP_VDSO_X32"}, {0x2002, "ARCH_MAP_VDSO_32"}, {0x2003, "ARCH_MAP_VDSO_64"},
};

void arch_prctl(Call& c) {
  uint32_t code = c.u32(0);
  c.add(xlat(code, table(kArchPrctl), "ARCH_???"));
  switch (code) {
    case 0x1003:
    case 0x1004: {
      uint64_t v;
      c.add(c.ok() && c.mem.read_value(c.u(1), &v) ? "[" + hex(v) + "]" : ptr(c.u(1)));
      return;
    }
    case 0x1021:
    case 0x1022:
    case 0x1024: {
      uint64_t v;
      c.add(c.ok() && c.mem.read_value(c.u(1), &v) ? "[" + hex(v) + "]" : ptr(c.u(1)));
      return;
    }
    case 0x1012:
    case 0x1023:
    case 0x1025:
      c.add(udec(c.u(1)));
      return;
    default:
      c.add(hex(c.u(1)));
      return;
  }
}

void rseq(Call& c) {
  c.add(ptr(c.u(0)));
  c.add(hex(c.u32(1)));
  c.add(hex(c.u32(2)));
  c.add(hex(c.u32(3)));
}

void get_robust_list(Call& c) {
  c.add(std::to_string(c.i32(0)));
  uint64_t v;
  c.add(c.ok() && c.mem.read_value(c.u(1), &v) ? "[" + ptr(v) + "]" : ptr(c.u(1)));
  c.add(c.ok() && c.mem.read_value(c.u(2), &v) ? "[" + std::to_string(v) + "]" : ptr(c.u(2)));
}

// -- seccomp ---------------------------------------------------------------------------------

constexpr Named kSeccompOps[] = {{0, "SECCOMP_SET_MODE_STRICT"}, {1, "SECCOMP_SET_MODE_FILTER"},
                                 {2, "SECCOMP_GET_ACTION_AVAIL"}, {3, "SECCOMP_GET_NOTIF_SIZES"}};
constexpr Named kSeccompFilterFlags[] = {{1, "SECCOMP_FILTER_FLAG_TSYNC"}, {2, "SECCOMP_FILTER_FLAG_LOG"},
                                         {4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"}, {8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"},
                                         {16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"},
                                         {32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}};
constexpr Named kSeccompActions[] = {{0x80000000U, "SECCOMP_RET_KILL_PROCESS"}, {0, "SECCOMP_RET_KILL_THREAD"},
                                     {0x00030000U, "SECCOMP_RET_TRAP"}, {0x00050000U, "SECCOMP_RET_ERRNO"},
                                     {0x7fc00000U, "SECCOMP_RET_USER_NOTIF"}, {0x7ff00000U, "SECCOMP_RET_TRACE"},
                                     {0x7ffc0000U, "SECCOMP_RET_LOG"}, {0x7fff0000U, "SECCOMP_RET_ALLOW"}};

// A BPF program, abbreviated: {len=4, filter=0x…}.
std::string sock_fprog_at(const Call& c, uint64_t addr) {
  struct {
    uint16_t len;
    uint64_t filter;
  } p;
  if (addr == 0) return "NULL";
  if (!c.mem.read_value(addr, &p)) return hex(addr);
  return "{len=" + std::to_string(p.len) + ", filter=" + ptr(p.filter) + "}";
}

void seccomp(Call& c) {
  uint32_t op = c.u32(0);
  c.add(xlat(op, table(kSeccompOps), "SECCOMP_SET_MODE_???"));
  c.add(op == 1 ? flags(c.u32(1), table(kSeccompFilterFlags), "SECCOMP_FILTER_FLAG_???") : hex(c.u32(1)));
  if (op == 1) {
    c.add(sock_fprog_at(c, c.u(2)));
  } else if (op == 2) {
    uint32_t action;
    c.add(c.mem.read_value(c.u(2), &action) ? "[" + xlat(action, table(kSeccompActions), "SECCOMP_RET_???") + "]"
                                            : ptr(c.u(2)));
  } else {
    c.add(ptr(c.u(2)));
  }
}

// -- prctl ---------------------------------------------------------------------------------

constexpr Named kPrctlOptions[] = {
    {PR_SET_PDEATHSIG, "PR_SET_PDEATHSIG"}, {PR_GET_PDEATHSIG, "PR_GET_PDEATHSIG"},
    {PR_GET_DUMPABLE, "PR_GET_DUMPABLE"},   {PR_SET_DUMPABLE, "PR_SET_DUMPABLE"},
    {PR_GET_UNALIGN, "PR_GET_UNALIGN"},     {PR_SET_UNALIGN, "PR_SET_UNALIGN"},
    {PR_GET_KEEPCAPS, "PR_GET_KEEPCAPS"},   {PR_SET_KEEPCAPS, "PR_SET_KEEPCAPS"},
    {PR_GET_FPEMU, "PR_GET_FPEMU"},         {PR_SET_FPEMU, "PR_SET_FPEMU"},
    {PR_GET_FPEXC, "PR_GET_FPEXC"},         {PR_SET_FPEXC, "PR_SET_FPEXC"},
    {PR_GET_TIMING, "PR_GET_TIMING"},       {PR_SET_TIMING, "PR_SET_TIMING"},
    {PR_SET_NAME, "PR_SET_NAME"},           {PR_GET_NAME, "PR_GET_NAME"},
    {PR_GET_ENDIAN, "PR_GET_ENDIAN"},       {PR_SET_ENDIAN, "PR_SET_ENDIAN"},
    {PR_GET_SECCOMP, "PR_GET_SECCOMP"},     {PR_SET_SECCOMP, "PR_SET_SECCOMP"},
    {PR_CAPBSET_READ, "PR_CAPBSET_READ"},   {PR_CAPBSET_DROP, "PR_CAPBSET_DROP"},
    {PR_GET_TSC, "PR_GET_TSC"},             {PR_SET_TSC, "PR_SET_TSC"},
    {PR_GET_SECUREBITS, "PR_GET_SECUREBITS"}, {PR_SET_SECUREBITS, "PR_SET_SECUREBITS"},
    {PR_SET_TIMERSLACK, "PR_SET_TIMERSLACK"}, {PR_GET_TIMERSLACK, "PR_GET_TIMERSLACK"},
    {PR_TASK_PERF_EVENTS_DISABLE, "PR_TASK_PERF_EVENTS_DISABLE"},
    {PR_TASK_PERF_EVENTS_ENABLE, "PR_TASK_PERF_EVENTS_ENABLE"},
    {PR_MCE_KILL, "PR_MCE_KILL"},           {PR_MCE_KILL_GET, "PR_MCE_KILL_GET"},
    {PR_SET_MM, "PR_SET_MM"},               {PR_SET_PTRACER, "PR_SET_PTRACER"},
    {PR_SET_CHILD_SUBREAPER, "PR_SET_CHILD_SUBREAPER"}, {PR_GET_CHILD_SUBREAPER, "PR_GET_CHILD_SUBREAPER"},
    {PR_SET_NO_NEW_PRIVS, "PR_SET_NO_NEW_PRIVS"}, {PR_GET_NO_NEW_PRIVS, "PR_GET_NO_NEW_PRIVS"},
    {PR_GET_TID_ADDRESS, "PR_GET_TID_ADDRESS"}, {PR_SET_THP_DISABLE, "PR_SET_THP_DISABLE"},
    {PR_GET_THP_DISABLE, "PR_GET_THP_DISABLE"}, {PR_MPX_ENABLE_MANAGEMENT, "PR_MPX_ENABLE_MANAGEMENT"},
    {PR_MPX_DISABLE_MANAGEMENT, "PR_MPX_DISABLE_MANAGEMENT"}, {PR_SET_FP_MODE, "PR_SET_FP_MODE"},
    {PR_GET_FP_MODE, "PR_GET_FP_MODE"},     {PR_CAP_AMBIENT, "PR_CAP_AMBIENT"},
    {PR_SVE_SET_VL, "PR_SVE_SET_VL"},       {PR_SVE_GET_VL, "PR_SVE_GET_VL"},
    {PR_GET_SPECULATION_CTRL, "PR_GET_SPECULATION_CTRL"}, {PR_SET_SPECULATION_CTRL, "PR_SET_SPECULATION_CTRL"},
    {PR_PAC_RESET_KEYS, "PR_PAC_RESET_KEYS"}, {PR_SET_TAGGED_ADDR_CTRL, "PR_SET_TAGGED_ADDR_CTRL"},
    {PR_GET_TAGGED_ADDR_CTRL, "PR_GET_TAGGED_ADDR_CTRL"}, {PR_SET_IO_FLUSHER, "PR_SET_IO_FLUSHER"},
    {PR_GET_IO_FLUSHER, "PR_GET_IO_FLUSHER"}, {PR_SET_SYSCALL_USER_DISPATCH, "PR_SET_SYSCALL_USER_DISPATCH"},
    {PR_PAC_SET_ENABLED_KEYS, "PR_PAC_SET_ENABLED_KEYS"}, {PR_PAC_GET_ENABLED_KEYS, "PR_PAC_GET_ENABLED_KEYS"},
    {PR_SCHED_CORE, "PR_SCHED_CORE"},       {0x53564d41, "PR_SET_VMA"},
};
constexpr Named kDumpable[] = {{0, "SUID_DUMP_DISABLE"}, {1, "SUID_DUMP_USER"}, {2, "SUID_DUMP_ROOT"}};
constexpr Named kCaps[] = {
    {CAP_CHOWN, "CAP_CHOWN"},         {CAP_DAC_OVERRIDE, "CAP_DAC_OVERRIDE"}, {CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH"},
    {CAP_FOWNER, "CAP_FOWNER"},       {CAP_FSETID, "CAP_FSETID"},             {CAP_KILL, "CAP_KILL"},
    {CAP_SETGID, "CAP_SETGID"},       {CAP_SETUID, "CAP_SETUID"},             {CAP_SETPCAP, "CAP_SETPCAP"},
    {CAP_LINUX_IMMUTABLE, "CAP_LINUX_IMMUTABLE"}, {CAP_NET_BIND_SERVICE, "CAP_NET_BIND_SERVICE"},
    {CAP_NET_BROADCAST, "CAP_NET_BROADCAST"}, {CAP_NET_ADMIN, "CAP_NET_ADMIN"},   {CAP_NET_RAW, "CAP_NET_RAW"},
    {CAP_IPC_LOCK, "CAP_IPC_LOCK"},   {CAP_IPC_OWNER, "CAP_IPC_OWNER"},       {CAP_SYS_MODULE, "CAP_SYS_MODULE"},
    {CAP_SYS_RAWIO, "CAP_SYS_RAWIO"}, {CAP_SYS_CHROOT, "CAP_SYS_CHROOT"},     {CAP_SYS_PTRACE, "CAP_SYS_PTRACE"},
    {CAP_SYS_PACCT, "CAP_SYS_PACCT"}, {CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},       {CAP_SYS_BOOT, "CAP_SYS_BOOT"},
    {CAP_SYS_NICE, "CAP_SYS_NICE"},   {CAP_SYS_RESOURCE, "CAP_SYS_RESOURCE"}, {CAP_SYS_TIME, "CAP_SYS_TIME"},
    {CAP_SYS_TTY_CONFIG, "CAP_SYS_TTY_CONFIG"}, {CAP_MKNOD, "CAP_MKNOD"},     {CAP_LEASE, "CAP_LEASE"},
    {CAP_AUDIT_WRITE, "CAP_AUDIT_WRITE"}, {CAP_AUDIT_CONTROL, "CAP_AUDIT_CONTROL"}, {CAP_SETFCAP, "CAP_SETFCAP"},
    {CAP_MAC_OVERRIDE, "CAP_MAC_OVERRIDE"}, {CAP_MAC_ADMIN, "CAP_MAC_ADMIN"}, {CAP_SYSLOG, "CAP_SYSLOG"},
    {CAP_WAKE_ALARM, "CAP_WAKE_ALARM"}, {CAP_BLOCK_SUSPEND, "CAP_BLOCK_SUSPEND"}, {CAP_AUDIT_READ, "CAP_AUDIT_READ"},
    {38, "CAP_PERFMON"},              {39, "CAP_BPF"},                        {40, "CAP_CHECKPOINT_RESTORE"},
};
constexpr Named kVmaOps[] = {{0, "PR_SET_VMA_ANON_NAME"}};
constexpr Named kMceKillPolicies[] = {{0, "PR_MCE_KILL_LATE"}, {1, "PR_MCE_KILL_EARLY"}, {2, "PR_MCE_KILL_DEFAULT"}};
constexpr Named kSeccompModes[] = {{0, "SECCOMP_MODE_DISABLED"}, {1, "SECCOMP_MODE_STRICT"}, {2, "SECCOMP_MODE_FILTER"}};
constexpr Named kTscModes[] = {{1, "PR_TSC_ENABLE"}, {2, "PR_TSC_SIGSEGV"}};
constexpr Named kCapAmbientOps[] = {{1, "PR_CAP_AMBIENT_IS_SET"}, {2, "PR_CAP_AMBIENT_RAISE"},
                                    {3, "PR_CAP_AMBIENT_LOWER"}, {4, "PR_CAP_AMBIENT_CLEAR_ALL"}};
constexpr Named kSpecMisfeatures[] = {{0, "PR_SPEC_STORE_BYPASS"}, {1, "PR_SPEC_INDIRECT_BRANCH"}, {2, "PR_SPEC_L1D_FLUSH"}};
constexpr Named kSpecFlags[] = {{1, "PR_SPEC_PRCTL"}, {2, "PR_SPEC_ENABLE"}, {4, "PR_SPEC_DISABLE"},
                                {8, "PR_SPEC_FORCE_DISABLE"}, {16, "PR_SPEC_DISABLE_NOEXEC"}};

void prctl(Call& c) {
  uint32_t op = c.u32(0);
  const char* name = lookup(table(kPrctlOptions), op);
  if (!name) {
    c.add(hex(op) + " /* PR_??? */");
    for (int i = 1; i < 5; ++i) c.add(hex(c.u(i)));
    return;
  }
  c.add(name);
  switch (op) {
    // A task name is at most TASK_COMM_LEN (16) bytes with its NUL.
    case PR_SET_NAME:
      c.add(cstring(c, c.u(1), c.limit() < 15 ? c.limit() : 15));
      return;
    case PR_GET_NAME:
      c.add(c.ok() ? cstring(c, c.u(1), c.limit() < 15 ? c.limit() : 15) : ptr(c.u(1)));
      return;
    case PR_SET_PDEATHSIG:
      c.add(signame(c.i32(1)));
      return;
    case PR_GET_PDEATHSIG: {
      int v;
      c.add(c.ok() && c.mem.read_value(c.u(1), &v) ? "[" + signame(v) + "]" : ptr(c.u(1)));
      return;
    }
    case PR_GET_DUMPABLE:
      if (c.ok()) c.ret = std::to_string(c.rval()) + " (" + xlat(c.rval(), table(kDumpable), nullptr) + ")";
      return;
    case PR_SET_DUMPABLE:
      c.add(xlat(c.u(1), table(kDumpable), "SUID_DUMP_???"));
      return;
    case PR_CAPBSET_READ:
    case PR_CAPBSET_DROP:
      c.add(xlat(c.u(1), table(kCaps), "CAP_???"));
      return;
    // No arguments.
    case PR_GET_KEEPCAPS: case PR_GET_SECUREBITS: case PR_GET_TIMERSLACK: case PR_GET_SECCOMP:
    case PR_TASK_PERF_EVENTS_DISABLE: case PR_TASK_PERF_EVENTS_ENABLE: case PR_GET_FP_MODE:
      return;
    // Four unused arguments the kernel checks for zero.
    case PR_GET_NO_NEW_PRIVS: case PR_GET_THP_DISABLE: case PR_GET_IO_FLUSHER: case PR_SET_NO_NEW_PRIVS:
    case PR_SET_THP_DISABLE:
      for (int i = 1; i < 5; ++i) c.add(udec(c.u(i)));
      return;
    case PR_MCE_KILL_GET:
      for (int i = 1; i < 5; ++i) c.add(udec(c.u(i)));
      if (c.ok()) c.ret = std::to_string(c.rval()) + " (" + xlat(c.rval(), table(kMceKillPolicies), nullptr) + ")";
      return;
    case PR_SET_KEEPCAPS: case PR_SET_TIMERSLACK: case PR_SET_CHILD_SUBREAPER: case PR_SET_SECUREBITS:
    case PR_SET_IO_FLUSHER:
      c.add(udec(c.u(1)));
      return;
    case PR_SET_PTRACER:
      c.add(c.u(1) == static_cast<uint64_t>(-1) ? "PR_SET_PTRACER_ANY" : std::to_string(c.i32(1)));
      return;
    case PR_GET_TID_ADDRESS: {
      uint64_t v;
      c.add(c.ok() && c.mem.read_value(c.u(1), &v) ? "[" + ptr(v) + "]" : ptr(c.u(1)));
      return;
    }
    case PR_GET_TSC: {
      int v;
      c.add(c.ok() && c.mem.read_value(c.u(1), &v) ? "[" + xlat(static_cast<uint32_t>(v), table(kTscModes), "PR_TSC_???") + "]"
                                                  : ptr(c.u(1)));
      return;
    }
    case PR_SET_SECCOMP:
      c.add(xlat(c.u(1), table(kSeccompModes), "SECCOMP_MODE_???"));
      if (c.u(1) == 2) c.add(sock_fprog_at(c, c.u(2)));
      return;
    case PR_SET_TSC:
      c.add(xlat(c.u32(1), table(kTscModes), "PR_TSC_???"));
      return;
    case PR_GET_ENDIAN: case PR_GET_UNALIGN: case PR_GET_FPEMU: case PR_GET_FPEXC: {
      int v;
      c.add(c.ok() && c.mem.read_value(c.u(1), &v) ? "[" + std::to_string(v) + "]" : ptr(c.u(1)));
      return;
    }
    case PR_CAP_AMBIENT: {
      uint64_t sub = c.u(1);
      c.add(xlat(sub, table(kCapAmbientOps), "PR_CAP_AMBIENT_???"));
      if (sub == PR_CAP_AMBIENT_IS_SET || sub == PR_CAP_AMBIENT_RAISE || sub == PR_CAP_AMBIENT_LOWER) {
        c.add(xlat(c.u(2), table(kCaps), "CAP_???"));
        c.add(udec(c.u(3)));
        c.add(udec(c.u(4)));
      } else {
        for (int i = 2; i < 5; ++i) c.add(udec(c.u(i)));
      }
      return;
    }
    case PR_GET_SPECULATION_CTRL:
      c.add(xlat(c.u(1), table(kSpecMisfeatures), "PR_SPEC_???"));
      if (c.ok())
        c.ret = c.rval() == 0 ? "0 (PR_SPEC_NOT_AFFECTED)"
                              : hex(static_cast<uint64_t>(c.rval())) + " (" + flags(c.rval(), table(kSpecFlags), nullptr) + ")";
      return;
    case PR_SET_SPECULATION_CTRL:
      c.add(xlat(c.u(1), table(kSpecMisfeatures), "PR_SPEC_???"));
      c.add(flags(c.u(2), table(kSpecFlags), "PR_SPEC_???"));
      return;
    case PR_GET_CHILD_SUBREAPER: {
      int v;
      c.add(c.ok() && c.mem.read_value(c.u(1), &v) ? "[" + std::to_string(v) + "]" : ptr(c.u(1)));
      return;
    }
    case 0x53564d41:  // PR_SET_VMA
      c.add(xlat(c.u(1), table(kVmaOps), "PR_SET_VMA_???"));
      c.add(ptr(c.u(2)));
      c.add(udec(c.u(3)));
      c.add(c.u(1) == 0 ? cstring(c, c.u(4)) : hex(c.u(4)));
      return;
    default:
      for (int i = 1; i < 5; ++i) c.add(hex(c.u(i)));
      return;
  }
}

// -- system information -----------------------------------------------------------------

void uname(Call& c) {
  struct utsname u;
  if (!c.ok() || !c.mem.read_value(c.u(0), &u)) {
    c.add(ptr(c.u(0)));
    return;
  }
  // The fields are fixed-size arrays, which strace prints whole.
  c.add("{sysname=" + fixed_string(u.sysname, sizeof u.sysname, sizeof u.sysname) +
        ", nodename=" + fixed_string(u.nodename, sizeof u.nodename, sizeof u.nodename) + ", ...}");
}

void sysinfo(Call& c) {
  struct sysinfo s;
  if (!c.ok() || !c.mem.read_value(c.u(0), &s)) {
    c.add(ptr(c.u(0)));
    return;
  }
  std::vector<std::string> loads;
  for (unsigned long l : s.loads) loads.push_back(std::to_string(l));
  c.add("{uptime=" + std::to_string(s.uptime) + ", loads=" + array(c, loads, 3) + ", totalram=" + std::to_string(s.totalram) +
        ", freeram=" + std::to_string(s.freeram) + ", sharedram=" + std::to_string(s.sharedram) +
        ", bufferram=" + std::to_string(s.bufferram) + ", totalswap=" + std::to_string(s.totalswap) +
        ", freeswap=" + std::to_string(s.freeswap) + ", procs=" + std::to_string(s.procs) +
        ", totalhigh=" + std::to_string(s.totalhigh) + ", freehigh=" + std::to_string(s.freehigh) +
        ", mem_unit=" + std::to_string(s.mem_unit) + "}");
}

constexpr Named kGrndFlags[] = {{1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}};

void getrandom(Call& c) {
  c.add(c.ok() ? buffer(c, c.u(0), static_cast<uint64_t>(c.rval()), true) : ptr(c.u(0)));
  c.add(udec(c.u(1)));
  c.add(flags(c.u32(2), table(kGrndFlags), "GRND_???"));
}

// A CPU mask: "[0 1]" (the CPUs set), `bytes` long.
std::string cpumask_at(const Call& c, uint64_t addr, uint64_t bytes) {
  if (addr == 0) return "NULL";
  if (bytes > 8192) bytes = 8192;
  std::vector<uint8_t> m(static_cast<size_t>(bytes));
  if (bytes && !c.mem.read_exact(addr, m.data(), m.size())) return hex(addr);
  std::string out = "[";
  bool first = true;
  for (size_t i = 0; i < m.size() * 8; ++i) {
    if (!(m[i / 8] & (1u << (i % 8)))) continue;
    if (!first) out += ' ';
    first = false;
    out += std::to_string(i);
  }
  return out + "]";
}

void sched_getaffinity(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(udec(c.u32(1)));
  c.add(c.ok() ? cpumask_at(c, c.u(2), static_cast<uint64_t>(c.rval())) : ptr(c.u(2)));
}

void sched_setaffinity(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(udec(c.u32(1)));
  c.add(cpumask_at(c, c.u(2), c.u32(1)));
}

constexpr Named kSchedPolicies[] = {{SCHED_OTHER, "SCHED_OTHER"}, {SCHED_FIFO, "SCHED_FIFO"}, {SCHED_RR, "SCHED_RR"},
                                    {SCHED_BATCH, "SCHED_BATCH"}, {4, "SCHED_ISO"},           {SCHED_IDLE, "SCHED_IDLE"},
                                    {6, "SCHED_DEADLINE"}};
constexpr Named kSchedFlags[] = {{SCHED_RESET_ON_FORK, "SCHED_RESET_ON_FORK"}};

std::string sched_param_at(const Call& c, uint64_t addr) {
  int prio;
  if (addr == 0) return "NULL";
  if (!c.mem.read_value(addr, &prio)) return hex(addr);
  return "[" + std::to_string(prio) + "]";
}

std::string sched_policy(uint32_t v) {
  std::string out = xlat(v & ~static_cast<uint32_t>(SCHED_RESET_ON_FORK), table(kSchedPolicies), "SCHED_???");
  if (v & SCHED_RESET_ON_FORK) out += "|SCHED_RESET_ON_FORK";
  return out;
}

void sched_getscheduler(Call& c) {
  c.add(std::to_string(c.i32(0)));
  if (c.ok()) c.ret = std::to_string(c.rval()) + " (" + sched_policy(static_cast<uint32_t>(c.rval())) + ")";
}

void sched_setscheduler(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(sched_policy(c.u32(1)));
  c.add(sched_param_at(c, c.u(2)));
}

void sched_getparam(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(c.ok() ? sched_param_at(c, c.u(1)) : ptr(c.u(1)));
}

void sched_setparam(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(sched_param_at(c, c.u(1)));
}

void sched_priority(Call& c) { c.add(sched_policy(c.u32(0))); }

constexpr Named kPrioWhich[] = {{PRIO_PROCESS, "PRIO_PROCESS"}, {PRIO_PGRP, "PRIO_PGRP"}, {PRIO_USER, "PRIO_USER"}};

void getpriority(Call& c) {
  c.add(xlat(c.u32(0), table(kPrioWhich), "PRIO_???"));
  c.add(std::to_string(c.u32(1)));
}

void setpriority(Call& c) {
  getpriority(c);
  c.add(std::to_string(c.i32(2)));
}

constexpr Named kRusageWho[] = {{static_cast<uint64_t>(RUSAGE_SELF), "RUSAGE_SELF"},
                                {static_cast<uint64_t>(static_cast<uint32_t>(RUSAGE_CHILDREN)), "RUSAGE_CHILDREN"},
                                {static_cast<uint64_t>(RUSAGE_THREAD), "RUSAGE_THREAD"},
                                {static_cast<uint64_t>(static_cast<uint32_t>(-2)), "RUSAGE_BOTH"}};

void getrusage(Call& c) {
  c.add(xlat(c.u32(0), table(kRusageWho), "RUSAGE_???"));
  c.add(c.ok() ? rusage_at(c, c.u(1)) : ptr(c.u(1)));
}

// -- credentials --------------------------------------------------------------------------

std::string id_list_at(const Call& c, uint64_t addr, size_t n) {
  if (addr == 0) return "NULL";
  std::vector<uint32_t> ids(n > 65536 ? 65536 : n);
  if (!ids.empty() && !c.mem.read_exact(addr, ids.data(), ids.size() * 4)) return hex(addr);
  std::vector<std::string> items;
  for (size_t i = 0; i < ids.size() && i < c.limit(); ++i) items.push_back(id32(ids[i]));
  return array(c, items, ids.size());
}

void getgroups(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(c.ok() && c.u(1) ? id_list_at(c, c.u(1), static_cast<size_t>(c.rval())) : ptr(c.u(1)));
}

void setgroups(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(id_list_at(c, c.u(1), c.u32(0)));
}

void getresid(Call& c) {
  for (int i = 0; i < 3; ++i) {
    uint32_t v;
    c.add(c.ok() && c.mem.read_value(c.u(i), &v) ? "[" + id32(v) + "]" : ptr(c.u(i)));
  }
}

// -- futex ----------------------------------------------------------------------------------

constexpr Named kFutexCmds[] = {
    {FUTEX_WAIT, "FUTEX_WAIT"},           {FUTEX_WAKE, "FUTEX_WAKE"},
    {FUTEX_FD, "FUTEX_FD"},               {FUTEX_REQUEUE, "FUTEX_REQUEUE"},
    {FUTEX_CMP_REQUEUE, "FUTEX_CMP_REQUEUE"}, {FUTEX_WAKE_OP, "FUTEX_WAKE_OP"},
    {FUTEX_LOCK_PI, "FUTEX_LOCK_PI"},     {FUTEX_UNLOCK_PI, "FUTEX_UNLOCK_PI"},
    {FUTEX_TRYLOCK_PI, "FUTEX_TRYLOCK_PI"}, {FUTEX_WAIT_BITSET, "FUTEX_WAIT_BITSET"},
    {FUTEX_WAKE_BITSET, "FUTEX_WAKE_BITSET"}, {FUTEX_WAIT_REQUEUE_PI, "FUTEX_WAIT_REQUEUE_PI"},
    {FUTEX_CMP_REQUEUE_PI, "FUTEX_CMP_REQUEUE_PI"}, {13, "FUTEX_LOCK_PI2"},
};
constexpr Named kFutexOps[] = {{0, "FUTEX_OP_SET"}, {1, "FUTEX_OP_ADD"}, {2, "FUTEX_OP_OR"},
                               {3, "FUTEX_OP_ANDN"}, {4, "FUTEX_OP_XOR"}};
constexpr Named kFutexCmps[] = {{0, "FUTEX_OP_CMP_EQ"}, {1, "FUTEX_OP_CMP_NE"}, {2, "FUTEX_OP_CMP_LT"},
                                {3, "FUTEX_OP_CMP_LE"}, {4, "FUTEX_OP_CMP_GT"}, {5, "FUTEX_OP_CMP_GE"}};

// FUTEX_WAIT_PRIVATE, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME…; the clock
// flag is valid only on the waiting commands.
std::string futex_op(uint32_t op) {
  uint32_t cmd = op & FUTEX_CMD_MASK;
  bool priv = op & FUTEX_PRIVATE_FLAG;
  bool rt = op & FUTEX_CLOCK_REALTIME;
  const char* name = lookup(table(kFutexCmds), cmd);
  bool rt_ok = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAIT_REQUEUE_PI;
  if (!name || (rt && !rt_ok) || (op & ~(FUTEX_CMD_MASK | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)))
    return hex(op) + " /* FUTEX_??? */";
  std::string out = name;
  if (priv) out += cmd == FUTEX_FD ? "|FUTEX_PRIVATE_FLAG" : "_PRIVATE";
  if (rt) out += "|FUTEX_CLOCK_REALTIME";
  return out;
}

std::string futex_wake_op(uint32_t v) {
  uint32_t op = (v >> 28) & 0xf, cmp = (v >> 24) & 0xf, oparg = (v >> 12) & 0xfff, cmparg = v & 0xfff;
  std::string out;
  if (op & FUTEX_OP_OPARG_SHIFT) out = "FUTEX_OP_OPARG_SHIFT|";
  out += xlat(op & 7, table(kFutexOps), "FUTEX_OP_???") + "<<28|" + std::to_string(oparg) + "<<12|";
  out += xlat(cmp, table(kFutexCmps), "FUTEX_OP_CMP_???") + "<<24|" + std::to_string(cmparg);
  return out;
}

std::string bitset(uint32_t v) { return v == FUTEX_BITSET_MATCH_ANY ? "FUTEX_BITSET_MATCH_ANY" : hex(v); }

void futex(Call& c) {
  uint32_t op = c.u32(1);
  c.add(ptr(c.u(0)));
  c.add(futex_op(op));
  switch (op & FUTEX_CMD_MASK) {
    case FUTEX_WAIT:
      c.add(std::to_string(c.u32(2)));
      c.add(timespec_at(c, c.u(3)));
      return;
    case FUTEX_WAKE:
    case FUTEX_FD:
      c.add(std::to_string(c.u32(2)));
      return;
    case FUTEX_REQUEUE:
      c.add(std::to_string(c.u32(2)));
      c.add(std::to_string(c.u32(3)));
      c.add(ptr(c.u(4)));
      return;
    case FUTEX_CMP_REQUEUE:
    case FUTEX_CMP_REQUEUE_PI:
      c.add(std::to_string(c.u32(2)));
      c.add(std::to_string(c.u32(3)));
      c.add(ptr(c.u(4)));
      c.add(std::to_string(c.u32(5)));
      return;
    case FUTEX_WAKE_OP:
      c.add(std::to_string(c.u32(2)));
      c.add(std::to_string(c.u32(3)));
      c.add(ptr(c.u(4)));
      c.add(futex_wake_op(c.u32(5)));
      return;
    case FUTEX_LOCK_PI:
    case 13:  // FUTEX_LOCK_PI2
      c.add(timespec_at(c, c.u(3)));
      return;
    case FUTEX_UNLOCK_PI:
    case FUTEX_TRYLOCK_PI:
      return;
    case FUTEX_WAIT_BITSET:
      c.add(std::to_string(c.u32(2)));
      c.add(timespec_at(c, c.u(3)));
      c.add(bitset(c.u32(5)));
      return;
    case FUTEX_WAKE_BITSET:
      c.add(std::to_string(c.u32(2)));
      c.add(bitset(c.u32(5)));
      return;
    case FUTEX_WAIT_REQUEUE_PI:
      c.add(std::to_string(c.u32(2)));
      c.add(timespec_at(c, c.u(3)));
      c.add(ptr(c.u(4)));
      return;
    default:
      for (int i = 2; i < 6; ++i) c.add(hex(c.u(i)));
      return;
  }
}

// -- misc ----------------------------------------------------------------------------------

void getcpu(Call& c) {
  for (int i = 0; i < 2; ++i) {
    unsigned v;
    c.add(c.ok() && c.u(i) && c.mem.read_value(c.u(i), &v) ? "[" + std::to_string(v) + "]" : ptr(c.u(i)));
  }
  c.add(ptr(c.u(2)));
}

void unshare(Call& c) { c.add(flags(c.u(0), table(kUnshareFlags), "CLONE_???")); }

void setns(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(flags(c.u32(1), table(kSetnsFlags), "CLONE_???"));
}

constexpr Named kPersonalityTypes[] = {{0x0000, "PER_LINUX"}, {0x0008, "PER_LINUX32"}};
constexpr Named kPersonalityFlags[] = {
    {0x0040000, "ADDR_NO_RANDOMIZE"}, {0x0200000, "FDPIC_FUNCPTRS"}, {0x1000000, "MMAP_PAGE_ZERO"},
    {0x0800000, "ADDR_COMPAT_LAYOUT"}, {0x0400000, "READ_IMPLIES_EXEC"}, {0x8000000, "ADDR_LIMIT_32BIT"},
    {0x4000000, "SHORT_INODE"},        {0x2000000, "WHOLE_SECONDS"},     {0x0100000, "STICKY_TIMEOUTS"},
    {0x0020000, "UNAME26"},
};

std::string personality_str(uint32_t v) {
  std::string out = xlat(v & 0xff, table(kPersonalityTypes), nullptr);
  uint64_t rest = append_flags(&out, v & ~0xffu, table(kPersonalityFlags));
  if (rest) out += "|" + hex(rest);
  return out;
}

void personality(Call& c) {
  uint32_t v = c.u32(0);
  c.add(v == 0xffffffff ? hex(v) : personality_str(v));
  if (c.ok()) c.ret = hex(static_cast<uint32_t>(c.rval())) + " (" + personality_str(static_cast<uint32_t>(c.rval())) + ")";
}

// -- capabilities, I/O priority, scheduling attributes ------------------------------

constexpr Named kCapVersions[] = {{0x19980330, "_LINUX_CAPABILITY_VERSION_1"},
                                  {0x20071026, "_LINUX_CAPABILITY_VERSION_2"},
                                  {0x20080522, "_LINUX_CAPABILITY_VERSION_3"}};

// A capability set: "1<<CAP_CHOWN|1<<CAP_KILL", "0".
std::string cap_set(uint64_t v) {
  if (v == 0) return "0";
  std::string out;
  for (int bit = 0; bit < 64; ++bit) {
    if (!(v & (1ULL << bit))) continue;
    const char* n = lookup(table(kCaps), bit);
    if (!n) continue;
    if (!out.empty()) out += "|";
    out += std::string("1<<") + n;
    v &= ~(1ULL << bit);
  }
  if (v) out += (out.empty() ? "" : "|") + hex(v);
  return out;
}

struct CapHeader {
  uint32_t version;
  int pid;
};
struct CapData {
  uint32_t effective, permitted, inheritable;
};

std::string cap_header_at(const Call& c, uint64_t addr, uint32_t* version) {
  CapHeader h;
  *version = 0;
  if (addr == 0) return "NULL";
  if (!c.mem.read_value(addr, &h)) return hex(addr);
  *version = h.version;
  return "{version=" + xlat(h.version, table(kCapVersions), "_LINUX_CAPABILITY_VERSION_???") +
         ", pid=" + std::to_string(h.pid) + "}";
}

std::string cap_data_at(const Call& c, uint64_t addr, uint32_t version) {
  if (addr == 0) return "NULL";
  CapData d[2] = {};
  size_t n = version == 0x19980330 ? 1 : 2;
  if (!c.mem.read_exact(addr, d, n * sizeof(CapData))) return hex(addr);
  auto set = [&](uint32_t CapData::*f) { return cap_set(d[0].*f | (n == 2 ? static_cast<uint64_t>(d[1].*f) << 32 : 0)); };
  return "{effective=" + set(&CapData::effective) + ", permitted=" + set(&CapData::permitted) +
         ", inheritable=" + set(&CapData::inheritable) + "}";
}

void capget(Call& c) {
  uint32_t version;
  c.add(cap_header_at(c, c.u(0), &version));
  c.add(c.ok() ? cap_data_at(c, c.u(1), version) : ptr(c.u(1)));
}

void capset(Call& c) {
  uint32_t version;
  c.add(cap_header_at(c, c.u(0), &version));
  c.add(cap_data_at(c, c.u(1), version));
}

constexpr Named kIoprioWho[] = {{1, "IOPRIO_WHO_PROCESS"}, {2, "IOPRIO_WHO_PGRP"}, {3, "IOPRIO_WHO_USER"}};
constexpr Named kIoprioClasses[] = {{0, "IOPRIO_CLASS_NONE"}, {1, "IOPRIO_CLASS_RT"}, {2, "IOPRIO_CLASS_BE"},
                                    {3, "IOPRIO_CLASS_IDLE"}};

std::string ioprio(uint32_t v) {
  return "IOPRIO_PRIO_VALUE(" + xlat(v >> 13, table(kIoprioClasses), "IOPRIO_CLASS_???") + ", " +
         std::to_string(v & 0x1fff) + ")";
}

void ioprio_get(Call& c) {
  c.add(xlat(c.u32(0), table(kIoprioWho), "IOPRIO_WHO_???"));
  c.add(std::to_string(c.i32(1)));
  if (c.ok()) c.ret = std::to_string(c.rval()) + " (" + ioprio(static_cast<uint32_t>(c.rval())) + ")";
}

void ioprio_set(Call& c) {
  c.add(xlat(c.u32(0), table(kIoprioWho), "IOPRIO_WHO_???"));
  c.add(std::to_string(c.i32(1)));
  c.add(ioprio(c.u32(2)));
}

constexpr Named kSchedAttrFlags[] = {{1, "SCHED_FLAG_RESET_ON_FORK"}, {2, "SCHED_FLAG_RECLAIM"},
                                     {4, "SCHED_FLAG_DL_OVERRUN"},    {8, "SCHED_FLAG_KEEP_POLICY"},
                                     {0x10, "SCHED_FLAG_KEEP_PARAMS"}, {0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"},
                                     {0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"}};

struct SchedAttr {
  uint32_t size, policy;
  uint64_t flags;
  int32_t nice;
  uint32_t priority;
  uint64_t runtime, deadline, period;
  uint32_t util_min, util_max;
};

std::string sched_attr_at(const Call& c, uint64_t addr) {
  SchedAttr a;
  if (addr == 0) return "NULL";
  if (!c.mem.read_value(addr, &a)) return hex(addr);
  return "{size=" + std::to_string(a.size) + ", sched_policy=" + sched_policy(a.policy) +
         ", sched_flags=" + flags(a.flags, table(kSchedAttrFlags), "SCHED_FLAG_???") +
         ", sched_nice=" + std::to_string(a.nice) + ", sched_priority=" + std::to_string(a.priority) +
         ", sched_runtime=" + std::to_string(a.runtime) + ", sched_deadline=" + std::to_string(a.deadline) +
         ", sched_period=" + std::to_string(a.period) + ", sched_util_min=" + std::to_string(a.util_min) +
         ", sched_util_max=" + std::to_string(a.util_max) + "}";
}

void sched_getattr(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(c.ok() ? sched_attr_at(c, c.u(1)) : ptr(c.u(1)));
  c.add(std::to_string(c.u32(2)));
  c.add(std::to_string(c.u32(3)));
}

void sched_setattr(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(sched_attr_at(c, c.u(1)));
  c.add(std::to_string(c.u32(2)));
}

void sched_rr_get_interval(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(c.ok() ? timespec_at(c, c.u(1)) : ptr(c.u(1)));
}

constexpr Named kKcmpTypes[] = {{0, "KCMP_FILE"}, {1, "KCMP_VM"},      {2, "KCMP_FILES"},  {3, "KCMP_FS"},
                                {4, "KCMP_SIGHAND"}, {5, "KCMP_IO"}, {6, "KCMP_SYSVSEM"}, {7, "KCMP_EPOLL_TFD"}};

void kcmp(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(std::to_string(c.i32(1)));
  c.add(xlat(c.u32(2), table(kKcmpTypes), "KCMP_???"));
  if (c.u32(2) == 0 || c.u32(2) == 7) {
    c.add(std::to_string(c.u(3)));
    c.add(c.u32(2) == 7 ? ptr(c.u(4)) : std::to_string(c.u(4)));
  }
}

constexpr Named kSyslogActions[] = {
    {0, "SYSLOG_ACTION_CLOSE"}, {1, "SYSLOG_ACTION_OPEN"}, {2, "SYSLOG_ACTION_READ"},
    {3, "SYSLOG_ACTION_READ_ALL"}, {4, "SYSLOG_ACTION_READ_CLEAR"}, {5, "SYSLOG_ACTION_CLEAR"},
    {6, "SYSLOG_ACTION_CONSOLE_OFF"}, {7, "SYSLOG_ACTION_CONSOLE_ON"}, {8, "SYSLOG_ACTION_CONSOLE_LEVEL"},
    {9, "SYSLOG_ACTION_SIZE_UNREAD"}, {10, "SYSLOG_ACTION_SIZE_BUFFER"}};

// syslog: the action number with its name in a comment; only the reading
// actions and CONSOLE_LEVEL take the other arguments.
void syslog(Call& c) {
  int type = c.i32(0);
  const char* n = lookup(table(kSyslogActions), static_cast<uint32_t>(type));
  c.add(std::to_string(type) + " /* " + (n ? n : "SYSLOG_ACTION_???") + " */");
  if (type >= 2 && type <= 4) {
    c.add(c.ok() ? buffer(c, c.u(1), static_cast<uint64_t>(c.rval())) : ptr(c.u(1)));
    c.add(std::to_string(c.i32(2)));
  } else if (type == 8) {
    c.add(ptr(c.u(1)));
    c.add(std::to_string(c.i32(2)));
  }
}

constexpr Named kPkeyAccess[] = {{1, "PKEY_DISABLE_ACCESS"}, {2, "PKEY_DISABLE_WRITE"}};

void pkey_alloc(Call& c) {
  c.add(hex(c.u32(0)));
  c.add(flags(c.u32(1), table(kPkeyAccess), "PKEY_???"));
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

void sethostname(Call& c) {
  c.add(buffer(c, c.u(0), c.u(1)));
  c.add(udec(c.u(1)));
}

constexpr Decoder kDecoders[] = {
    with_entry("execve", execve_entry, nullptr),
    with_entry("execveat", execveat_entry, nullptr),
    with_exit("clone", clone_),
    with_entry("clone3", clone3_entry, clone3_exit),
    with_signature("fork", ""),
    with_signature("vfork", ""),
    with_exit("wait4", wait4),
    with_exit("waitid", waitid),
    with_signature("exit", "d"),
    with_signature("exit_group", "d"),
    with_exit("prlimit64", prlimit64),
    with_exit("getrlimit", getrlimit),
    with_exit("setrlimit", setrlimit),
    with_exit("arch_prctl", arch_prctl),
    with_signature("set_tid_address", "p"),
    with_signature("set_robust_list", "pU"),
    with_exit("get_robust_list", get_robust_list),
    with_exit("rseq", rseq),
    with_exit("prctl", prctl),
    with_exit("uname", uname),
    with_exit("sysinfo", sysinfo),
    with_exit("getrandom", getrandom),
    with_exit("sched_getaffinity", sched_getaffinity),
    with_exit("sched_setaffinity", sched_setaffinity),
    with_signature("sched_yield", ""),
    with_exit("sched_getscheduler", sched_getscheduler),
    with_exit("sched_setscheduler", sched_setscheduler),
    with_exit("sched_getparam", sched_getparam),
    with_exit("sched_setparam", sched_setparam),
    with_exit("sched_get_priority_max", sched_priority),
    with_exit("sched_get_priority_min", sched_priority),
    with_exit("getpriority", getpriority),
    with_exit("setpriority", setpriority),
    with_exit("getrusage", getrusage),
    with_signature("getpid", ""),
    with_signature("getppid", ""),
    with_signature("gettid", ""),
    with_signature("getpgrp", ""),
    with_signature("setsid", ""),
    with_signature("getpgid", "d"),
    with_signature("getsid", "d"),
    with_signature("setpgid", "dd"),
    with_signature("getuid", ""),
    with_signature("geteuid", ""),
    with_signature("getgid", ""),
    with_signature("getegid", ""),
    with_signature("setuid", "i"),
    with_signature("setgid", "i"),
    with_signature("setfsuid", "i"),
    with_signature("setfsgid", "i"),
    with_signature("setreuid", "ii"),
    with_signature("setregid", "ii"),
    with_signature("setresuid", "iii"),
    with_signature("setresgid", "iii"),
    with_exit("getresuid", getresid),
    with_exit("getresgid", getresid),
    with_exit("getgroups", getgroups),
    with_exit("setgroups", setgroups),
    with_exit("futex", futex),
    with_exit("getcpu", getcpu),
    with_exit("unshare", unshare),
    with_exit("setns", setns),
    with_exit("personality", personality),
    with_exit("capget", capget),
    with_exit("capset", capset),
    with_exit("ioprio_get", ioprio_get),
    with_exit("ioprio_set", ioprio_set),
    with_exit("sched_getattr", sched_getattr),
    with_exit("sched_setattr", sched_setattr),
    with_exit("sched_rr_get_interval", sched_rr_get_interval),
    with_exit("kcmp", kcmp),
    with_exit("syslog", syslog),
    with_exit("pkey_alloc", pkey_alloc),
    with_signature("pkey_free", "d"),
    with_exit("process_vm_readv", process_vm_readv),
    with_exit("process_vm_writev", process_vm_writev),
    with_exit("sethostname", sethostname),
    with_exit("seccomp", seccomp),
    with_exit("setdomainname", sethostname),
};

}  // namespace

DecoderList process_decoders() { return decoder_list(kDecoders); }

}  // namespace dec
}  // namespace renacer
