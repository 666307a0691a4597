// Generic rendering. Per-syscall decoders live in decode_*.cc and are
// dispatched from here.
#include "decode.h"

#include <errno.h>
#include <string.h>

#include <cinttypes>
#include <cstdio>

#include "syscall_table.h"

namespace renacer {

namespace {

std::string hex(uint64_t v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%#" PRIx64, v);
  return buf;
}

// Kernel-internal errnos that reach a tracer but have no libc name.
struct InternalErrno {
  int no;
  const char* name;
  const char* msg;
};
constexpr InternalErrno kInternal[] = {
    {512, "ERESTARTSYS", "To be restarted if SA_RESTART is set"},
    {513, "ERESTARTNOINTR", "To be restarted"},
    {514, "ERESTARTNOHAND", "To be restarted if no handler"},
    {515, "ENOIOCTLCMD", "No ioctl command"},
    {516, "ERESTART_RESTARTBLOCK", "Interrupted by signal"},
    {517, "EPROBE_DEFER", "Driver requests probe retry"},
    {518, "EOPENSTALE", "Open found a stale dentry"},
    {519, "ENOPARAM", "Parameter not supported"},
    {521, "EBADHANDLE", "Illegal NFS file handle"},
    {522, "ENOTSYNC", "Update synchronization mismatch"},
    {523, "EBADCOOKIE", "Cookie is stale"},
    {524, "ENOTSUPP", "Operation is not supported"},
    {525, "ETOOSMALL", "Buffer or request is too small"},
    {526, "ESERVERFAULT", "An untranslatable error occurred"},
    {527, "EBADTYPE", "Type not supported by server"},
    {528, "EJUKEBOX", "Request initiated, but will not complete before timeout"},
    {529, "EIOCBQUEUED", "iocb queued, will get completion event"},
    {530, "ERECALLCONFLICT", "Conflict with recalled state"},
};

}  // namespace

std::string errno_name(int err) {
  for (const auto& e : kInternal)
    if (e.no == err) return e.name;
  const char* n = strerrorname_np(err);
  if (n) return n;
  return "E" + std::to_string(err);
}

std::string errno_message(int err) {
  for (const auto& e : kInternal)
    if (e.no == err) return e.msg;
  const char* d = strerrordesc_np(err);
  if (d) return d;
  return "Unknown error " + std::to_string(err);
}

std::string signal_name(int sig) {
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    if (sig == SIGRTMIN) return "SIGRTMIN";
    return "SIGRT_" + std::to_string(sig - SIGRTMIN);
  }
  // glibc's SIGRTMIN excludes the two it reserves; name those as strace does.
  if (sig == 32) return "SIGRT_0";
  if (sig == 33) return "SIGRT_1";
  const char* abbrev = sigabbrev_np(sig);
  if (abbrev) return std::string("SIG") + abbrev;
  return "SIG" + std::to_string(sig);
}

std::string decode_entry(const SyscallContext&, const TraceeMemory&, const DecodeOptions&) {
  return "";
}

DecodedCall decode_exit(const SyscallContext& ctx, const TraceeMemory&, const DecodeOptions&,
                        const std::string& entry_state) {
  DecodedCall out;
  if (!entry_state.empty()) {
    out.args = entry_state;
    return out;
  }
  const SyscallInfo* info = syscall_info(ctx.nr);
  int n = info ? info->nargs : 6;
  for (int i = 0; i < n; ++i) {
    if (i) out.args.push_back('\0');
    int64_t v = static_cast<int64_t>(ctx.args[i]);
    out.args += (v >= -4096 && v < 65536) ? std::to_string(v) : hex(ctx.args[i]);
  }
  return out;
}

std::string decode_siginfo(const siginfo_t& si) {
  char buf[160];
  snprintf(buf, sizeof buf, "{si_signo=%s, si_code=%d, si_pid=%d, si_uid=%u}",
           signal_name(si.si_signo).c_str(), si.si_code, si.si_pid, si.si_uid);
  return buf;
}

}  // namespace renacer
