// A task's scheduler accounting (/proc/TID/schedstat): how long it ran, how
// long it waited for a CPU, and how many times it was put on one. A call that
// ran in one slice neither slept nor was preempted, so what the task ran is
// the call's whole time, however late the tracer saw its exit stop (a wake
// of ours on an idle CPU, or our work on another task), and whatever it
// waited for a CPU after our resume (the CPU busy with the tracer's process).
#pragma once
#include <sys/types.h>

#include <cstdint>

namespace renacer {

struct SchedStat {
  uint64_t run_ns = 0;    // on a CPU
  uint64_t wait_ns = 0;   // runnable, waiting for one
  uint64_t slices = 0;    // times it was put on a CPU
};

// One task's file, opened at the first read and kept open: each read after
// is one pread instead of an open, a read and a close.
class TaskSchedStat {
 public:
  TaskSchedStat() = default;
  TaskSchedStat(const TaskSchedStat&) = delete;
  TaskSchedStat& operator=(const TaskSchedStat&) = delete;
  TaskSchedStat(TaskSchedStat&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  TaskSchedStat& operator=(TaskSchedStat&& o) noexcept;
  ~TaskSchedStat();

  // False when the file is unreadable (the task is gone, or no CONFIG_SCHED_INFO).
  bool read(pid_t tid, SchedStat* out);

 private:
  int fd_ = -1;
};

}  // namespace renacer
