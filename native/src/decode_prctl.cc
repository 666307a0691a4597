// Per-task controls: prctl, arch_prctl, seccomp, and the thread setup the C
// library does at start (set_tid_address, the robust futex list, rseq).
#include <linux/prctl.h>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

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
    case 0x1004:
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
      if (c.ok()) c.ret_explained(xlat(c.rval(), table(kDumpable), nullptr));
      return;
    case PR_SET_DUMPABLE:
      c.add(xlat(c.u(1), table(kDumpable), "SUID_DUMP_???"));
      return;
    case PR_CAPBSET_READ:
    case PR_CAPBSET_DROP:
      c.add(capability(c.u(1)));
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
      if (c.ok()) c.ret_explained(xlat(c.rval(), table(kMceKillPolicies), nullptr));
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
        c.add(capability(c.u(2)));
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

constexpr Decoder kDecoders[] = {
    with_exit("arch_prctl", arch_prctl),
    with_signature("set_tid_address", "p"),
    with_signature("set_robust_list", "pU"),
    with_exit("get_robust_list", get_robust_list),
    with_exit("rseq", rseq),
    with_exit("seccomp", seccomp),
    with_exit("prctl", prctl),
};

}  // namespace

DecoderList prctl_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
