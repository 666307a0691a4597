// strace -e read=SET / -e write=SET: the bytes a call read from or wrote to
// one of the descriptors, as strace's hex dump lines
// (" | 00000  68 69 0a ...  hi.              |"), with " * N bytes in
// buffer I" before each buffer of a vector call. Taken at the call's exit,
// from the tracee's memory; a failed read dumps nothing, a failed write what
// it was given (as strace does).
#pragma once
#include <string>
#include <vector>

#include "decode.h"
#include "tracee_memory.h"

namespace renacer {

struct IoDumpSets {
  std::vector<bool> read_fds, write_fds;  // by descriptor number
  bool read_all = false, write_all = false;
  bool empty() const { return !read_all && !write_all && read_fds.empty() && write_fds.empty(); }
};

// The dump lines of a returned call, or none.
std::vector<std::string> io_dump(const SyscallContext& call, const TraceeMemory& mem, const IoDumpSets& sets);

}  // namespace renacer
