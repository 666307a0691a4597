// A task's scheduler accounting (/proc/TID/schedstat): how long it ran, how
// long it waited for a CPU, and how many times it was put on one. After a
// long stop of ours the CPU the tracee wakes on may have gone idle, and waking
// it costs more than the call itself (tens of microseconds on a VM); a call
// that ran in one slice is timed by what the tracee spent, not by that wake.
#pragma once
#include <sys/types.h>

#include <cstdint>

namespace renacer {

struct SchedStat {
  uint64_t run_ns = 0;    // on a CPU
  uint64_t wait_ns = 0;   // runnable, waiting for one
  uint64_t slices = 0;    // times it was put on a CPU
};

// False when the file is unreadable (the task is gone, or no CONFIG_SCHED_INFO).
bool read_schedstat(pid_t tid, SchedStat* out);

}  // namespace renacer
