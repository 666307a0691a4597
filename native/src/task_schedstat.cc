#include "task_schedstat.h"

#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>

namespace renacer {

TaskSchedStat& TaskSchedStat::operator=(TaskSchedStat&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

TaskSchedStat::~TaskSchedStat() {
  if (fd_ >= 0) close(fd_);
}

bool TaskSchedStat::read(pid_t tid, SchedStat* out) {
  if (fd_ < 0) {
    char path[48];
    snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", static_cast<int>(tid), static_cast<int>(tid));
    fd_ = open(path, O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return false;
  }
  char buf[96];
  ssize_t n = pread(fd_, buf, sizeof buf - 1, 0);
  if (n <= 0) return false;
  buf[n] = 0;
  return sscanf(buf, "%" SCNu64 " %" SCNu64 " %" SCNu64, &out->run_ns, &out->wait_ns, &out->slices) == 3;
}

}  // namespace renacer
