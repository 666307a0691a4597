// Signals: names, sigsets, siginfo, and the signal syscalls.
#include <linux/audit.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstddef>

#include <cinttypes>
#include <cstdio>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"
#include "syscall_table.h"

namespace renacer {

namespace dec {

namespace {

// The kernel's sigset_t on this architecture: 64 signals.
constexpr size_t kSigsetBytes = 8;
// The kernel's first real-time signal (glibc reserves 32 and 33 and moves
// its SIGRTMIN above them; strace names by the kernel's numbering).
constexpr int kRtMin = 32;
constexpr int kRtMax = 64;

// The x86_64 signal numbers (asm/signal.h), with the names strace uses
// where there are aliases (IO rather than POLL, ABRT rather than IOT).
constexpr const char* kSignalNames[kRtMin] = {
    nullptr, "HUP",  "INT",    "QUIT", "ILL",  "TRAP", "ABRT", "BUS",  "FPE",  "KILL",   "USR1",
    "SEGV",  "USR2", "PIPE",   "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
    "TTOU",  "URG",  "XCPU",   "XFSZ", "VTALRM", "PROF", "WINCH", "IO",  "PWR",  "SYS",
};

// Signal name without the "SIG" prefix, or nullptr.
const char* short_name(int sig, char* buf, size_t len) {
  if (sig >= 1 && sig < kRtMin) return kSignalNames[sig];
  if (sig == kRtMin) return "RTMIN";
  if (sig > kRtMin && sig <= kRtMax) {
    snprintf(buf, len, "RT_%d", sig - kRtMin);
    return buf;
  }
  return nullptr;
}

std::string sigset_str(uint64_t bits, size_t nbits) {
  int set = __builtin_popcountll(bits);
  // strace prints the complement when it is the shorter list.
  bool invert = static_cast<size_t>(set) * 2 > nbits;
  if (invert) bits = ~bits;
  if (nbits < 64) bits &= (1ULL << nbits) - 1;
  std::string out = invert ? "~[" : "[";
  bool first = true;
  for (size_t i = 0; i < nbits; ++i) {
    if (!(bits & (1ULL << i))) continue;
    char buf[16];
    const char* n = short_name(static_cast<int>(i + 1), buf, sizeof buf);
    if (!first) out += ' ';
    first = false;
    out += n ? n : std::to_string(i + 1);
  }
  return out + "]";
}

constexpr Named kSaFlags[] = {
    {0x04000000, "SA_RESTORER"}, {0x08000000, "SA_ONSTACK"}, {0x10000000, "SA_RESTART"},
    {0x20000000, "SA_INTERRUPT"}, {0x40000000, "SA_NODEFER"}, {0x80000000, "SA_RESETHAND"},
    {0x00000004, "SA_SIGINFO"},  {0x00000001, "SA_NOCLDSTOP"}, {0x00000002, "SA_NOCLDWAIT"},
};

constexpr Named kSigprocmaskHow[] = {
    {SIG_BLOCK, "SIG_BLOCK"}, {SIG_UNBLOCK, "SIG_UNBLOCK"}, {SIG_SETMASK, "SIG_SETMASK"}};

constexpr Named kSsFlags[] = {{SS_ONSTACK, "SS_ONSTACK"}, {SS_DISABLE, "SS_DISABLE"}, {1u << 31, "SS_AUTODISARM"}};

// si_code values (asm-generic/siginfo.h).
constexpr Named kSiCodes[] = {
    {0, "SI_USER"},           {0x80, "SI_KERNEL"},      {static_cast<uint64_t>(-1), "SI_QUEUE"},
    {static_cast<uint64_t>(-2), "SI_TIMER"},    {static_cast<uint64_t>(-3), "SI_MESGQ"},
    {static_cast<uint64_t>(-4), "SI_ASYNCIO"},  {static_cast<uint64_t>(-5), "SI_SIGIO"},
    {static_cast<uint64_t>(-6), "SI_TKILL"},    {static_cast<uint64_t>(-7), "SI_DETHREAD"},
    {static_cast<uint64_t>(-60), "SI_ASYNCNL"},
};
constexpr Named kChldCodes[] = {{1, "CLD_EXITED"}, {2, "CLD_KILLED"}, {3, "CLD_DUMPED"},
                                {4, "CLD_TRAPPED"}, {5, "CLD_STOPPED"}, {6, "CLD_CONTINUED"}};
constexpr Named kSegvCodes[] = {{1, "SEGV_MAPERR"}, {2, "SEGV_ACCERR"}, {3, "SEGV_BNDERR"},
                                {4, "SEGV_PKUERR"}, {5, "SEGV_ACCADI"}, {6, "SEGV_ADIDERR"},
                                {7, "SEGV_ADIPERR"}, {8, "SEGV_MTEAERR"}, {9, "SEGV_MTESERR"},
                                {10, "SEGV_CPERR"}};
constexpr Named kBusCodes[] = {{1, "BUS_ADRALN"}, {2, "BUS_ADRERR"}, {3, "BUS_OBJERR"},
                               {4, "BUS_MCEERR_AR"}, {5, "BUS_MCEERR_AO"}};
constexpr Named kIllCodes[] = {{1, "ILL_ILLOPC"}, {2, "ILL_ILLOPN"}, {3, "ILL_ILLADR"},
                               {4, "ILL_ILLTRP"}, {5, "ILL_PRVOPC"}, {6, "ILL_PRVREG"},
                               {7, "ILL_COPROC"}, {8, "ILL_BADSTK"}, {9, "ILL_BADIADDR"}};
constexpr Named kFpeCodes[] = {{1, "FPE_INTDIV"}, {2, "FPE_INTOVF"}, {3, "FPE_FLTDIV"},
                               {4, "FPE_FLTOVF"}, {5, "FPE_FLTUND"}, {6, "FPE_FLTRES"},
                               {7, "FPE_FLTINV"}, {8, "FPE_FLTSUB"}, {14, "FPE_FLTUNK"},
                               {15, "FPE_CONDTRAP"}};
constexpr Named kTrapCodes[] = {{1, "TRAP_BRKPT"}, {2, "TRAP_TRACE"}, {3, "TRAP_BRANCH"},
                                {4, "TRAP_HWBKPT"}, {5, "TRAP_UNK"}, {6, "TRAP_PERF"}};
constexpr Named kPollCodes[] = {{1, "POLL_IN"},  {2, "POLL_OUT"}, {3, "POLL_MSG"},
                                {4, "POLL_ERR"}, {5, "POLL_PRI"}, {6, "POLL_HUP"}};
constexpr Named kSysCodes[] = {{1, "SYS_SECCOMP"}, {2, "SYS_USER_DISPATCH"}};
constexpr Named kAuditArches[] = {{AUDIT_ARCH_X86_64, "AUDIT_ARCH_X86_64"}, {AUDIT_ARCH_I386, "AUDIT_ARCH_I386"},
                                  {AUDIT_ARCH_AARCH64, "AUDIT_ARCH_AARCH64"}, {AUDIT_ARCH_ARM, "AUDIT_ARCH_ARM"}};

std::string si_code_name(int signo, int code) {
  if (const char* n = lookup(table(kSiCodes), static_cast<uint64_t>(static_cast<int64_t>(code))))
    return styled(code < 0 ? std::to_string(code) : hex(static_cast<uint32_t>(code)), n);
  Table t{nullptr, 0};
  switch (signo) {
    case SIGCHLD: t = table(kChldCodes); break;
    case SIGSEGV: t = table(kSegvCodes); break;
    case SIGBUS: t = table(kBusCodes); break;
    case SIGILL: t = table(kIllCodes); break;
    case SIGFPE: t = table(kFpeCodes); break;
    case SIGTRAP: t = table(kTrapCodes); break;
    case SIGPOLL: t = table(kPollCodes); break;
    case SIGSYS: t = table(kSysCodes); break;
    default: break;
  }
  if (const char* n = lookup(t, static_cast<uint32_t>(code))) return styled(hex(static_cast<uint32_t>(code)), n);
  return hex(static_cast<uint32_t>(code));
}

// Clock ticks, with strace's comment in seconds when non-zero.
std::string ticks(long v) {
  std::string out = std::to_string(v);
  if (v != 0) {
    static const long hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
    char buf[64];
    snprintf(buf, sizeof buf, " /* %ld.%02ld s */", v / hz, (v % hz) * 100 / hz);
    out += buf;
  }
  return out;
}

std::string siginfo_str(const siginfo_t& si) {
  std::string out = "{si_signo=" + signame(si.si_signo);
  out += ", si_code=" + si_code_name(si.si_signo, si.si_code);
  if (si.si_errno) out += ", si_errno=" + errno_name(si.si_errno);
  if (si.si_code <= 0) {
    // Sent by a process (kill, sigqueue, tgkill…).
    if (si.si_code == SI_TIMER) {
      out += ", si_timerid=" + hex(static_cast<uint32_t>(si.si_timerid));
      out += ", si_overrun=" + std::to_string(si.si_overrun);
    } else {
      out += ", si_pid=" + std::to_string(si.si_pid);
      out += ", si_uid=" + std::to_string(si.si_uid);
    }
    if (si.si_code == SI_QUEUE || si.si_code == SI_TIMER || si.si_code == SI_MESGQ) {
      out += ", si_int=" + std::to_string(si.si_value.sival_int);
      out += ", si_ptr=" + ptr(reinterpret_cast<uintptr_t>(si.si_value.sival_ptr));
    }
    return out + "}";
  }
  if (si.si_code == SI_KERNEL && si.si_signo != SIGSEGV && si.si_signo != SIGBUS &&
      si.si_signo != SIGILL && si.si_signo != SIGFPE)
    return out + "}";
  switch (si.si_signo) {
    case SIGCHLD: {
      out += ", si_pid=" + std::to_string(si.si_pid);
      out += ", si_uid=" + std::to_string(si.si_uid);
      bool exited = si.si_code == CLD_EXITED;
      out += ", si_status=" + (exited ? std::to_string(si.si_status) : signame(si.si_status));
      out += ", si_utime=" + ticks(si.si_utime);
      out += ", si_stime=" + ticks(si.si_stime);
      break;
    }
    case SIGSEGV:
    case SIGBUS:
    case SIGILL:
    case SIGFPE:
      out += ", si_addr=" + ptr(reinterpret_cast<uintptr_t>(si.si_addr));
      break;
    case SIGPOLL:
      out += ", si_band=" + std::to_string(si.si_band);
      out += ", si_fd=" + std::to_string(si.si_fd);
      break;
    case SIGSYS: {
      out += ", si_call_addr=" + ptr(reinterpret_cast<uintptr_t>(si.si_call_addr));
      const SyscallInfo* info = si.si_arch == syscall_audit_arch() ? syscall_info(si.si_syscall) : nullptr;
      out += ", si_syscall=" + (info ? std::string("__NR_") + info->name : std::to_string(si.si_syscall));
      out += ", si_arch=" + xlat(si.si_arch, table(kAuditArches), "AUDIT_ARCH_???");
      break;
    }
    default:
      break;
  }
  return out + "}";
}

// The kernel's struct sigaction on x86_64 (not glibc's).
struct KernelSigaction {
  uint64_t handler;
  uint64_t flags;
  uint64_t restorer;
  uint64_t mask;
};

std::string sigaction_at(const Call& c, uint64_t addr) {
  KernelSigaction sa;
  if (addr == 0) return "NULL";
  if (!c.mem.read_value(addr, &sa)) return hex(addr);
  std::string out = "{sa_handler=";
  if (sa.handler == 0) out += "SIG_DFL";
  else if (sa.handler == 1) out += "SIG_IGN";
  else if (sa.handler == UINT64_MAX) out += "SIG_ERR";
  else out += hex(sa.handler);
  out += ", sa_mask=" + sigset_str(sa.mask, 64);
  out += ", sa_flags=" + flags(sa.flags, table(kSaFlags), "SA_???");
  if (sa.flags & 0x04000000) out += ", sa_restorer=" + ptr(sa.restorer);
  return out + "}";
}

std::string stack_t_at(const Call& c, uint64_t addr) {
  stack_t ss;
  if (addr == 0) return "NULL";
  if (!c.mem.read_value(addr, &ss)) return hex(addr);
  return "{ss_sp=" + ptr(reinterpret_cast<uintptr_t>(ss.ss_sp)) +
         ", ss_flags=" + flags(static_cast<uint32_t>(ss.ss_flags), table(kSsFlags), "SS_???") +
         ", ss_size=" + std::to_string(ss.ss_size) + "}";
}

// -- the syscalls -------------------------------------------------------------

void rt_sigaction(Call& c) {
  c.add(signame(c.i32(0)));
  c.add(sigaction_at(c, c.u(1)));
  c.add(c.ok() ? sigaction_at(c, c.u(2)) : ptr(c.u(2)));
  c.add(udec(c.u(3)));
}

// The new set is read at entry: a caller may pass the same buffer as the
// old set, which the kernel overwrites.
void rt_sigprocmask_entry(Call& c) {
  c.add(xlat(c.u32(0), table(kSigprocmaskHow), "SIG_???"));
  c.add(sigset_at(c, c.u(1), c.u(3)));
}
void rt_sigprocmask_exit(Call& c) {
  c.add(c.ok() ? sigset_at(c, c.u(2), c.u(3)) : ptr(c.u(2)));
  c.add(udec(c.u(3)));
}

// The mask rt_sigreturn restores is in the signal frame at the stack
// pointer; only the entry stop has the handler's stack pointer.
void rt_sigreturn_entry(Call& c) {
  std::string mask = "{mask=?}";
#if defined(__x86_64__)
  uint64_t bits;
  // At entry the stack pointer points at the frame's ucontext: the
  // handler's return popped the return address above it (x86_64 rt_sigframe).
  if (c.ctx.sp && c.mem.read_value(c.ctx.sp + offsetof(ucontext_t, uc_sigmask), &bits))
    mask = "{mask=" + sigset_str(bits, 64) + "}";
#endif
  c.add(mask);
}

void rt_sigsuspend(Call& c) {
  c.add(sigset_at(c, c.u(0), c.u(1)));
  c.add(udec(c.u(1)));
}

void rt_sigpending(Call& c) {
  c.add(c.ok() ? sigset_at(c, c.u(0), c.u(1)) : ptr(c.u(0)));
  c.add(udec(c.u(1)));
}

void rt_sigtimedwait(Call& c) {
  c.add(sigset_at(c, c.u(0), c.u(3)));
  c.add(c.ok() ? siginfo_at(c, c.u(1)) : ptr(c.u(1)));
  c.add(timespec_at(c, c.u(2)));
  c.add(udec(c.u(3)));
  if (c.ok()) c.ret_explained(signame(static_cast<int>(c.rval())));
}

void rt_sigqueueinfo(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(signame(c.i32(1)));
  c.add(siginfo_at(c, c.u(2)));
}

void rt_tgsigqueueinfo(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(std::to_string(c.i32(1)));
  c.add(signame(c.i32(2)));
  c.add(siginfo_at(c, c.u(3)));
}

void sigaltstack(Call& c) {
  c.add(stack_t_at(c, c.u(0)));
  c.add(c.ok() ? stack_t_at(c, c.u(1)) : ptr(c.u(1)));
}

constexpr Named kSfdFlags[] = {{02000000, "SFD_CLOEXEC"}, {04000, "SFD_NONBLOCK"}};

void signalfd(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(sigset_at(c, c.u(1), c.u(2)));
  c.add(udec(c.u(2)));
}
void signalfd4(Call& c) {
  signalfd(c);
  c.add(flags(c.u32(3), table(kSfdFlags), "SFD_???"));
}

void pidfd_send_signal(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(signame(c.i32(1)));
  c.add(siginfo_at(c, c.u(2)));
  c.add(hex(c.u32(3)));
}

constexpr Decoder kDecoders[] = {
    with_exit("rt_sigaction", rt_sigaction),
    with_entry("rt_sigprocmask", rt_sigprocmask_entry, rt_sigprocmask_exit),
    with_entry("rt_sigreturn", rt_sigreturn_entry, nullptr),
    with_exit("rt_sigsuspend", rt_sigsuspend),
    with_exit("rt_sigpending", rt_sigpending),
    with_exit("rt_sigtimedwait", rt_sigtimedwait),
    with_exit("rt_sigqueueinfo", rt_sigqueueinfo),
    with_exit("rt_tgsigqueueinfo", rt_tgsigqueueinfo),
    with_exit("sigaltstack", sigaltstack),
    fd_result(with_exit("signalfd", signalfd)),
    fd_result(with_exit("signalfd4", signalfd4)),
    with_exit("pidfd_send_signal", pidfd_send_signal),
    with_signature("kill", "dS"),
    with_signature("tkill", "dS"),
    with_signature("tgkill", "ddS"),
    with_signature("pause", ""),
};

}  // namespace

std::string signame_plain(int sig) {
  char buf[16];
  const char* n = short_name(sig, buf, sizeof buf);
  if (!n) return std::to_string(sig);
  return std::string("SIG") + n;
}

std::string signame(int sig) {
  std::string n = signame_plain(sig);
  return n[0] == 'S' ? styled(std::to_string(sig), n) : n;
}

std::string sigset_at(const Call& c, uint64_t addr, uint64_t size) {
  if (addr == 0) return "NULL";
  if (size != kSigsetBytes) return hex(addr);
  uint64_t bits;
  if (!c.mem.read_value(addr, &bits)) return hex(addr);
  return sigset_str(bits, kSigsetBytes * 8);
}

std::string siginfo_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  siginfo_t si;
  if (!c.mem.read_value(addr, &si)) return hex(addr);
  return siginfo_str(si);
}

DecoderList signal_decoders() { return table(kDecoders); }

}  // namespace dec

std::string signal_name(int sig) {
  std::string n = dec::signame_plain(sig);
  return n[0] == 'S' ? n : "SIG" + n;
}

std::string decode_siginfo(const siginfo_t& si) { return dec::siginfo_str(si); }

}  // namespace renacer
