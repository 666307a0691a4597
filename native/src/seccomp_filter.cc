#include "seccomp_filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace renacer {

namespace {
constexpr uint32_t kX32Bit = 0x40000000;

sock_filter stmt(uint16_t code, uint32_t k) { return sock_filter{code, 0, 0, k}; }
sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) {
  return sock_filter{code, jt, jf, k};
}
}  // namespace

std::vector<sock_filter> build_seccomp_filter(const std::vector<bool>& traced,
                                              uint32_t audit_arch) {
  std::vector<sock_filter> f;
  // Another ABI: trace it all.
  f.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)));
  f.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, audit_arch, 1, 0));
  f.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
  f.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
  f.push_back(jump(BPF_JMP | BPF_JGE | BPF_K, kX32Bit, 0, 1));
  f.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
  if (traced.empty()) {
    f.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
    return f;
  }
  // List whichever set is shorter: the traced numbers, or the untraced ones.
  size_t n_traced = 0;
  for (bool t : traced) n_traced += t;
  bool list_traced = n_traced <= traced.size() - n_traced;
  uint32_t hit = list_traced ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW;
  uint32_t miss = list_traced ? SECCOMP_RET_ALLOW : SECCOMP_RET_TRACE;
  for (size_t nr = 0; nr < traced.size(); ++nr) {
    if (traced[nr] != list_traced) continue;
    // Pairs of (jeq nr ? next : skip-one; ret hit) keep every jump offset tiny.
    f.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(nr), 0, 1));
    f.push_back(stmt(BPF_RET | BPF_K, hit));
  }
  // Numbers past the table take the `miss` branch: untraced when the filter
  // names what it traces, traced when it names what it excludes (`!`).
  f.push_back(stmt(BPF_RET | BPF_K, miss));
  return f;
}

int install_seccomp_filter(const sock_fprog* prog) {
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) == 0) return 0;
  if (errno != EACCES) return errno;
  // Without CAP_SYS_ADMIN the kernel wants no_new_privs first.
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) == 0) return 0;
  return errno;
}

}  // namespace renacer
