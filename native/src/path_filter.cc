#include "path_filter.h"

#include <limits.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "syscall_table.h"

namespace renacer {

namespace {

// Which arguments name a file: 'f' a descriptor, 'p' a path, '.' neither.
// Calls not listed: a file call's first argument is its path, a descriptor
// or network call's its descriptor. An empty pattern: the call has no file
// argument (it makes a new descriptor).
const std::unordered_map<std::string_view, std::string_view>& arg_kinds() {
  static const std::unordered_map<std::string_view, std::string_view> kinds = {
      {"dup2", "ff"}, {"dup3", "ff"}, {"sendfile", "ff"}, {"tee", "ff"}, {"kexec_file_load", "ff"},
      {"execveat", "fp"}, {"faccessat", "fp"}, {"faccessat2", "fp"}, {"fchmodat", "fp"},
      {"fchmodat2", "fp"}, {"fchownat", "fp"}, {"fspick", "fp"}, {"newfstatat", "fp"},
      {"futimesat", "fp"}, {"inotify_add_watch", "fp"}, {"mkdirat", "fp"}, {"mknodat", "fp"},
      {"mount_setattr", "fp"}, {"name_to_handle_at", "fp"}, {"open_tree", "fp"}, {"openat", "fp"},
      {"openat2", "fp"}, {"readlinkat", "fp"}, {"statx", "fp"}, {"unlinkat", "fp"},
      {"utimensat", "fp"}, {"getxattrat", "fp"}, {"setxattrat", "fp"},
      {"link", "pp"}, {"mount", "pp"}, {"pivot_root", "pp"},
      {"symlink", ".p"}, {"quotactl", ".p"},
      {"linkat", "fpfp"}, {"renameat", "fpfp"}, {"renameat2", "fpfp"}, {"move_mount", "fpfp"},
      {"mmap", "....f"}, {"symlinkat", ".fp"}, {"copy_file_range", "f.f"}, {"splice", "f.f"},
      {"epoll_ctl", "..f"}, {"fanotify_mark", "...fp"},
      {"bpf", ""}, {"epoll_create", ""}, {"epoll_create1", ""}, {"eventfd", ""}, {"eventfd2", ""},
      {"fanotify_init", ""}, {"fsopen", ""}, {"inotify_init", ""}, {"inotify_init1", ""},
      {"io_uring_setup", ""}, {"landlock_create_ruleset", ""}, {"memfd_create", ""},
      {"memfd_secret", ""}, {"mq_open", ""}, {"perf_event_open", ""}, {"pidfd_open", ""},
      {"pipe", ""}, {"pipe2", ""}, {"socket", ""}, {"socketpair", ""}, {"timerfd_create", ""},
      {"userfaultfd", ""},
  };
  return kinds;
}

bool listed(const std::string& path, const std::vector<std::string>& paths) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

bool path_matches(uint64_t addr, const TraceeMemory& mem, const std::vector<std::string>& paths) {
  std::string s;
  bool terminated = false;
  return mem.read_string(addr, PATH_MAX, &s, &terminated) && terminated && listed(s, paths);
}

bool fd_matches(int64_t fd, pid_t tid, const std::vector<std::string>& paths) {
  if (fd < 0 || fd > INT_MAX) return false;
  char link[64];
  snprintf(link, sizeof link, "/proc/%d/fd/%d", tid, static_cast<int>(fd));
  char buf[PATH_MAX + 1];
  ssize_t n = readlink(link, buf, PATH_MAX);
  if (n <= 0) return false;
  std::string target(buf, static_cast<size_t>(n));
  if (listed(target, paths)) return true;
  // An unlinked file's link reads "PATH (deleted)".
  static constexpr std::string_view kDeleted = " (deleted)";
  return target.size() > kDeleted.size() && target.compare(target.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0 &&
         listed(target.substr(0, target.size() - kDeleted.size()), paths);
}

// poll/ppoll: any descriptor of the array.
bool pollfds_match(const SyscallContext& call, const TraceeMemory& mem, const std::vector<std::string>& paths) {
  uint64_t nfds = std::min<uint64_t>(call.args[1], 1024 * 1024);
  for (uint64_t i = 0; i < nfds; ++i) {
    struct pollfd p;
    if (!mem.read_value(call.args[0] + i * sizeof p, &p)) break;
    if (fd_matches(p.fd, call.tid, paths)) return true;
  }
  return false;
}

// select/pselect6: any descriptor of the three sets.
bool fdsets_match(const SyscallContext& call, const TraceeMemory& mem, const std::vector<std::string>& paths) {
  int nfds = static_cast<int>(call.args[0]);
  if (nfds <= 0) return false;
  nfds = std::min(nfds, 1024 * 1024);
  std::vector<uint64_t> words((static_cast<size_t>(nfds) + 63) / 64);
  for (int set = 1; set <= 3; ++set) {
    if (!call.args[set] || !mem.read_exact(call.args[set], words.data(), words.size() * 8)) continue;
    for (int fd = 0; fd < nfds; ++fd)
      if ((words[fd / 64] >> (fd % 64) & 1) && fd_matches(fd, call.tid, paths)) return true;
  }
  return false;
}

}  // namespace

bool call_touches_path(const SyscallContext& call, const TraceeMemory& mem,
                       const std::vector<std::string>& paths) {
  const SyscallInfo* info = syscall_info(call.nr);
  if (!info || !(info->classes & (SC_FILE | SC_DESC | SC_NETWORK))) return false;
  std::string_view name = info->name;
  if (name == "poll" || name == "ppoll") return pollfds_match(call, mem, paths);
  if (name == "select" || name == "pselect6") return fdsets_match(call, mem, paths);
  auto it = arg_kinds().find(name);
  std::string_view kinds = it != arg_kinds().end() ? it->second : (info->classes & SC_FILE) ? "p" : "f";
  for (size_t i = 0; i < kinds.size() && i < 6; ++i) {
    if (kinds[i] == 'p' && path_matches(call.args[i], mem, paths)) return true;
    if (kinds[i] == 'f' && fd_matches(static_cast<int64_t>(static_cast<int32_t>(call.args[i])), call.tid, paths)) return true;
  }
  return false;
}

}  // namespace renacer
