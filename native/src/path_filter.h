// strace -P PATH: whether a call touches one of the given paths, through a
// path argument or a descriptor that refers to it (/proc/TID/fd). Decided
// at the call's entry, as strace does: a close() of the file is shown, and
// an openat() of it whatever descriptor it returns.
#pragma once
#include <string>
#include <vector>

#include "decode.h"
#include "tracee_memory.h"

namespace renacer {

bool call_touches_path(const SyscallContext& call, const TraceeMemory& mem,
                       const std::vector<std::string>& paths);

}  // namespace renacer
