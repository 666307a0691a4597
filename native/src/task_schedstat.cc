#include "task_schedstat.h"

#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>

namespace renacer {

bool read_schedstat(pid_t tid, SchedStat* out) {
  char path[48];
  snprintf(path, sizeof path, "/proc/%d/schedstat", static_cast<int>(tid));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[96];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return false;
  buf[n] = 0;
  return sscanf(buf, "%" SCNu64 " %" SCNu64 " %" SCNu64, &out->run_ns, &out->wait_ns, &out->slices) == 3;
}

}  // namespace renacer
