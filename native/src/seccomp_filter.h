// The seccomp-BPF program that makes only the traced syscalls stop.
#pragma once
#include <linux/filter.h>

#include <cstdint>
#include <vector>

namespace renacer {

// Builds a filter returning SECCOMP_RET_TRACE for the syscalls in `traced`
// (indexed by number; empty means every syscall) and SECCOMP_RET_ALLOW for
// the rest. Calls from another ABI (i386 via int 0x80, x32) are always traced
// so nothing the table cannot name slips through.
std::vector<sock_filter> build_seccomp_filter(const std::vector<bool>& traced, uint32_t audit_arch);

// Installs the filter in the calling process. Async-signal-safe (used between
// fork and exec). Returns 0 or an errno value.
int install_seccomp_filter(const sock_fprog* prog);

}  // namespace renacer
