// The x86_64 implementation of syscall_table.h.  The data lives in the
// generated syscalls_x86_64.inc; this file only looks things up in it.
// Other architectures add a sibling syscalls_<arch>.cc guarded the same way,
// so exactly one of them defines the functions in any build.
#if defined(__x86_64__)

#include <linux/audit.h>

#include <cstring>

#include "syscall_table.h"

namespace renacer {
namespace {

#include "syscalls_x86_64.inc"

static_assert(sizeof(kSyscallTable) / sizeof(kSyscallTable[0]) == kSyscallTableSize,
              "generated table size mismatch");

}  // namespace

int syscall_table_size() { return kSyscallTableSize; }

const SyscallInfo* syscall_info(long nr) {
  // Negative and out-of-range numbers do reach here: a tracee can pass any
  // value in orig_rax (e.g. -1 after a seccomp skip, or x32 numbers with
  // bit 30 set, which this 64-bit table deliberately does not describe).
  if (nr < 0 || nr >= kSyscallTableSize) return nullptr;
  const SyscallInfo* info = &kSyscallTable[nr];
  return info->name != nullptr ? info : nullptr;
}

long syscall_number(const char* name) {
  if (name == nullptr) return -1;
  // Binary search over the generated name-sorted index.
  size_t lo = 0, hi = sizeof(kSyscallsByName) / sizeof(kSyscallsByName[0]);
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uint16_t nr = kSyscallsByName[mid];
    int cmp = std::strcmp(name, kSyscallTable[nr].name);
    if (cmp == 0) return nr;
    if (cmp < 0) hi = mid;
    else lo = mid + 1;
  }
  return -1;
}

uint32_t syscall_audit_arch() { return AUDIT_ARCH_X86_64; }

}  // namespace renacer

#endif  // defined(__x86_64__)
