// Syscall metadata for the tracer: name, arity and strace trace classes per
// syscall number.  The interface is architecture-neutral; each architecture
// supplies its table in syscalls_<arch>.cc, generated from data under
// native/tools/ (see gen-syscall-table.mjs).
#pragma once
#include <cstdint>
namespace renacer {
// strace's trace classes, as bits.
enum SyscallClass : uint32_t {
  SC_FILE = 1u << 0, SC_NETWORK = 1u << 1, SC_PROCESS = 1u << 2, SC_MEMORY = 1u << 3,
  SC_SIGNAL = 1u << 4, SC_IPC = 1u << 5, SC_DESC = 1u << 6, SC_CREDS = 1u << 7,
  SC_CLOCK = 1u << 8, SC_STAT = 1u << 9, SC_LSTAT = 1u << 10, SC_FSTAT = 1u << 11,
  SC_STAT_LIKE = 1u << 12, SC_STATFS = 1u << 13, SC_FSTATFS = 1u << 14,
  SC_STATFS_LIKE = 1u << 15, SC_PURE = 1u << 16,
};
struct SyscallInfo { const char* name; uint8_t nargs; uint32_t classes; };
// Size of the table: one more than the highest syscall number of this architecture.
int syscall_table_size();
// Info for a number, or nullptr when the number is not a syscall of this architecture.
const SyscallInfo* syscall_info(long nr);
// Number for a name, or -1.
long syscall_number(const char* name);
// The seccomp/audit architecture constant of this table (AUDIT_ARCH_X86_64).
uint32_t syscall_audit_arch();
}
