// File descriptors: read/write and their vector forms, dup, lseek, fcntl,
// pipes, poll/select/epoll, getdents, eventfd, fd-to-fd copies.
// (ioctl is in decode_ioctl.cc.)
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/uio.h>
#include <linux/falloc.h>

#include <climits>
#include <cstring>
#include <vector>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

// -- read/write -----------------------------------------------------------------

// What a read filled: as many bytes as it returned.
std::string read_buffer(const Call& c, uint64_t addr) {
  return c.ok() ? buffer(c, addr, static_cast<uint64_t>(c.rval())) : ptr(addr);
}

void read_(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(read_buffer(c, c.u(1)));
  c.add(udec(c.u(2)));
}

void write_(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(buffer(c, c.u(1), c.u(2)));
  c.add(udec(c.u(2)));
}

void readv(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(c.ok() ? iovec_at(c, c.u(1), c.u(2), static_cast<uint64_t>(c.rval())) : ptr(c.u(1)));
  c.add(udec(c.u(2)));
}

void writev(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(iovec_at(c, c.u(1), c.u(2), UINT64_MAX));
  c.add(udec(c.u(2)));
}

constexpr Named kRwfFlags[] = {{0x1, "RWF_HIPRI"}, {0x2, "RWF_DSYNC"}, {0x4, "RWF_SYNC"},
                               {0x8, "RWF_NOWAIT"}, {0x10, "RWF_APPEND"}};

// pread64's and pwrite64's offset; preadv's and pwritev's, which they take
// split in two longs: on 64-bit the first holds all of it.
void offset_arg(Call& c) { c.add(sdec(c.s(3))); }

// preadv2's and pwritev2's offset and flags.
void offset_flags_args(Call& c) {
  offset_arg(c);
  c.add(flags(c.u32(5), table(kRwfFlags), "RWF_???"));
}

// -- dup, lseek, pipe -------------------------------------------------------------

constexpr Named kSeekWhence[] = {
    {SEEK_SET, "SEEK_SET"}, {SEEK_CUR, "SEEK_CUR"}, {SEEK_END, "SEEK_END"}, {SEEK_DATA, "SEEK_DATA"}, {SEEK_HOLE, "SEEK_HOLE"}};

void lseek(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(sdec(c.s(1)));
  c.add(xlat(c.u32(2), table(kSeekWhence), "SEEK_???"));
}

// (newfd as it was before the call replaced it, see fd_arg)
void dup3(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(fd_arg(c, 1));
  c.add(open_flag_bits(c.u32(2)));
}

void pipe(Call& c) { c.add(fd_pair_at(c, c.u(0))); }

void pipe2(Call& c) {
  c.add(fd_pair_at(c, c.u(0)));
  c.add(open_flag_bits(c.u32(1)));
}

// -- fcntl ------------------------------------------------------------------------

constexpr Named kFcntlCmds[] = {
    {F_DUPFD, "F_DUPFD"},         {F_GETFD, "F_GETFD"},         {F_SETFD, "F_SETFD"},
    {F_GETFL, "F_GETFL"},         {F_SETFL, "F_SETFL"},         {F_GETLK, "F_GETLK"},
    {F_SETLK, "F_SETLK"},         {F_SETLKW, "F_SETLKW"},       {F_SETOWN, "F_SETOWN"},
    {F_GETOWN, "F_GETOWN"},       {F_SETSIG, "F_SETSIG"},       {F_GETSIG, "F_GETSIG"},
    {F_SETOWN_EX, "F_SETOWN_EX"}, {F_GETOWN_EX, "F_GETOWN_EX"}, {17, "F_GETOWNER_UIDS"},
    {36, "F_OFD_GETLK"},          {37, "F_OFD_SETLK"},          {38, "F_OFD_SETLKW"},
    {1024, "F_SETLEASE"},         {1025, "F_GETLEASE"},         {1026, "F_NOTIFY"},
    {1030, "F_DUPFD_CLOEXEC"},    {1031, "F_SETPIPE_SZ"},       {1032, "F_GETPIPE_SZ"},
    {1033, "F_ADD_SEALS"},        {1034, "F_GET_SEALS"},        {1035, "F_GET_RW_HINT"},
    {1036, "F_SET_RW_HINT"},      {1037, "F_GET_FILE_RW_HINT"}, {1038, "F_SET_FILE_RW_HINT"},
};
constexpr Named kFdFlags[] = {{FD_CLOEXEC, "FD_CLOEXEC"}};
constexpr Named kLockTypes[] = {{F_RDLCK, "F_RDLCK"}, {F_WRLCK, "F_WRLCK"}, {F_UNLCK, "F_UNLCK"}};
constexpr Named kOwnerTypes[] = {{F_OWNER_TID, "F_OWNER_TID"}, {F_OWNER_PID, "F_OWNER_PID"}, {F_OWNER_PGRP, "F_OWNER_PGRP"}};
constexpr Named kSeals[] = {{1, "F_SEAL_SEAL"}, {2, "F_SEAL_SHRINK"}, {4, "F_SEAL_GROW"},
                            {8, "F_SEAL_WRITE"}, {0x10, "F_SEAL_FUTURE_WRITE"}};
constexpr Named kDnotify[] = {{DN_ACCESS, "DN_ACCESS"}, {DN_MODIFY, "DN_MODIFY"}, {DN_CREATE, "DN_CREATE"},
                              {DN_DELETE, "DN_DELETE"}, {DN_RENAME, "DN_RENAME"}, {DN_ATTRIB, "DN_ATTRIB"},
                              {DN_MULTISHOT, "DN_MULTISHOT"}};

std::string flock_at(const Call& c, uint64_t addr, bool with_pid) {
  struct flock fl;
  if (!c.mem.read_value(addr, &fl)) return ptr(addr);
  std::string out = "{l_type=" + xlat(static_cast<uint16_t>(fl.l_type), table(kLockTypes), "F_???") +
                    ", l_whence=" + xlat(static_cast<uint16_t>(fl.l_whence), table(kSeekWhence), "SEEK_???") +
                    ", l_start=" + std::to_string(fl.l_start) + ", l_len=" + std::to_string(fl.l_len);
  if (with_pid) out += ", l_pid=" + std::to_string(fl.l_pid);
  return out + "}";
}

std::string owner_at(const Call& c, uint64_t addr) {
  struct f_owner_ex o;
  if (!c.mem.read_value(addr, &o)) return ptr(addr);
  return "{type=" + xlat(static_cast<uint32_t>(o.type), table(kOwnerTypes), "F_OWNER_???") +
         ", pid=" + std::to_string(o.pid) + "}";
}

void fcntl(Call& c) {
  int cmd = c.i32(1);
  c.add(fd_arg(c, 0));
  c.add(xlat(static_cast<uint32_t>(cmd), table(kFcntlCmds), "F_???"));
  int64_t r = c.rval();
  switch (cmd) {
    case F_GETFD:
      if (c.ok() && r != 0) c.ret = hex(r) + " (flags " + flags(r, table(kFdFlags), nullptr) + ")";
      return;
    case F_GETFL:
      if (c.ok()) c.ret = hex(r) + " (flags " + open_flags(r) + ")";
      return;
    case F_GETLEASE:
      if (c.ok()) c.ret = hex(r) + " (" + xlat(r, table(kLockTypes), "F_???") + ")";
      return;
    case F_GET_SEALS:
      if (c.ok()) c.ret = hex(r) + " (seals " + flags(r, table(kSeals), nullptr) + ")";
      return;
    case F_GETSIG:
      if (c.ok() && r != 0) c.ret_explained(signame(static_cast<int>(r)));
      return;
    case F_GETOWN:
    case F_GETPIPE_SZ:
    case 1035:
    case 1037:
      return;
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      c.add(std::to_string(c.i32(2)));
      if (c.ok() && c.opts.decode_fds && r >= 0 && r <= INT_MAX) c.ret = fd_str(c, static_cast<int>(r));
      return;
    case F_SETOWN:
    case F_SETPIPE_SZ:
      c.add(std::to_string(c.i32(2)));
      return;
    case F_SETFD:
      c.add(flags(c.u32(2), table(kFdFlags), "FD_???"));
      return;
    case F_SETFL:
      c.add(open_flags(c.u32(2)));
      return;
    case F_SETSIG:
      c.add(signame(c.i32(2)));
      return;
    case F_SETLEASE:
      c.add(xlat(c.u32(2), table(kLockTypes), "F_???"));
      return;
    case F_NOTIFY:
      c.add(flags(c.u32(2), table(kDnotify), "DN_???"));
      return;
    case F_ADD_SEALS:
      c.add(flags(c.u32(2), table(kSeals), "F_SEAL_???"));
      return;
    case F_SETLK:
    case F_SETLKW:
    case 37:
    case 38:
      c.add(flock_at(c, c.u(2), false));
      return;
    case F_GETLK:
    case 36:
      c.add(c.ok() ? flock_at(c, c.u(2), true) : ptr(c.u(2)));
      return;
    case F_SETOWN_EX:
      c.add(owner_at(c, c.u(2)));
      return;
    case F_GETOWN_EX:
      c.add(c.ok() ? owner_at(c, c.u(2)) : ptr(c.u(2)));
      return;
    default:
      c.add(hex(c.u(2)));
      return;
  }
}

// -- poll, select ---------------------------------------------------------------

constexpr Named kPollEvents[] = {
    {POLLIN, "POLLIN"},         {POLLPRI, "POLLPRI"},       {POLLOUT, "POLLOUT"},     {POLLERR, "POLLERR"},
    {POLLHUP, "POLLHUP"},       {POLLNVAL, "POLLNVAL"},     {POLLRDNORM, "POLLRDNORM"}, {POLLRDBAND, "POLLRDBAND"},
    {POLLWRNORM, "POLLWRNORM"}, {POLLWRBAND, "POLLWRBAND"}, {POLLMSG, "POLLMSG"},     {0x1000, "POLLREMOVE"},
    {POLLRDHUP, "POLLRDHUP"},   {0x8000, "POLL_BUSY_LOOP"},
};

bool read_pollfds(const Call& c, uint64_t addr, uint64_t n, std::vector<struct pollfd>* out) {
  if (n > 4096) n = 4096;
  out->resize(n);
  return n == 0 || c.mem.read_exact(addr, out->data(), n * sizeof(struct pollfd));
}

// The pollfd array's inputs: "[{fd=3, events=POLLIN}, {fd=-1}]".
std::string pollfds_in(const Call& c, uint64_t addr, uint64_t n) {
  if (addr == 0) return "NULL";
  std::vector<struct pollfd> fds;
  if (!read_pollfds(c, addr, n, &fds)) return hex(addr);
  std::vector<std::string> items;
  for (size_t i = 0; i < fds.size() && i < c.limit(); ++i) {
    std::string s = "{fd=" + fd_str(c, fds[i].fd);
    if (fds[i].fd >= 0) s += ", events=" + flags(static_cast<uint16_t>(fds[i].events), table(kPollEvents), "POLL???");
    items.push_back(s + "}");
  }
  return array(c, items, fds.size());
}

// The fds that have events: "[{fd=3, revents=POLLIN}]".
std::string pollfds_out(const Call& c, uint64_t addr, uint64_t n) {
  std::vector<struct pollfd> fds;
  if (!read_pollfds(c, addr, n, &fds)) return hex(addr);
  std::vector<std::string> items;
  for (const auto& p : fds) {
    if (p.revents == 0) continue;
    items.push_back("{fd=" + std::to_string(p.fd) + ", revents=" +
                    flags(static_cast<uint16_t>(p.revents), table(kPollEvents), "POLL???") + "}");
  }
  return array(c, items, items.size());
}

// poll's inputs are read at entry, before the kernel writes revents.
void poll_entry(Call& c) {
  c.add(pollfds_in(c, c.u(0), c.u32(1)));
  c.add(std::to_string(c.u32(1)));
  c.add(std::to_string(c.i32(2)));
}

void poll_exit(Call& c) {
  if (!c.ok()) return;
  if (c.rval() == 0) c.ret = "0 (Timeout)";
  else c.ret_explained(pollfds_out(c, c.u(0), c.u32(1)));
}

// ppoll's timeout is overwritten with the time left: read it at entry.
void ppoll_entry(Call& c) {
  c.add(pollfds_in(c, c.u(0), c.u32(1)));
  c.add(std::to_string(c.u32(1)));
  c.add(timespec_at(c, c.u(2)));
  c.add(sigset_at(c, c.u(3), c.u(4)));
  c.add(udec(c.u(4)));
}

void ppoll_exit(Call& c) {
  if (!c.ok()) return;
  if (c.rval() == 0) {
    c.ret = "0 (Timeout)";
    return;
  }
  c.ret = std::to_string(c.rval()) + " (" + pollfds_out(c, c.u(0), c.u32(1));
  if (c.u(2)) c.ret += ", left " + timespec_at(c, c.u(2));
  c.ret += ")";
}

// An fd_set of nfds bits: "[0 4]"; `decorated`: each fd as strace -y shows it
// (the sets select is given; the ready ones are plain numbers).
std::string fdset_at(const Call& c, uint64_t addr, int nfds, bool decorated) {
  if (addr == 0) return "NULL";
  if (nfds < 0) return hex(addr);
  if (nfds > 65536) nfds = 65536;
  std::vector<uint64_t> words((static_cast<size_t>(nfds) + 63) / 64);
  if (!words.empty() && !c.mem.read_exact(addr, words.data(), words.size() * 8)) return hex(addr);
  std::string out = "[";
  bool first = true;
  for (int fd = 0; fd < nfds; ++fd) {
    if (!(words[fd / 64] & (1ULL << (fd % 64)))) continue;
    if (!first) out += ' ';
    first = false;
    out += decorated ? fd_str(c, fd) : std::to_string(fd);
  }
  return out + "]";
}

void select_entry_common(Call& c) {
  int nfds = c.i32(0);
  c.add(std::to_string(nfds));
  for (int i = 1; i <= 3; ++i) c.add(fdset_at(c, c.u(i), nfds, true));
}

void select_entry(Call& c) {
  select_entry_common(c);
  c.add(timeval_at(c, c.u(4)));
}

std::string pselect_sigmask_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  struct {
    uint64_t ss;
    uint64_t len;
  } d;
  if (!c.mem.read_value(addr, &d)) return hex(addr);
  return "{sigmask=" + sigset_at(c, d.ss, d.len) + ", sigsetsize=" + std::to_string(d.len) + "}";
}

void pselect6_entry(Call& c) {
  select_entry_common(c);
  c.add(timespec_at(c, c.u(4)));
  c.add(pselect_sigmask_at(c, c.u(5)));
}

// "2 (in [0], out [5], left {…})": the sets that have ready fds.
void select_result(Call& c, bool timespec) {
  if (!c.ok()) return;
  if (c.rval() == 0) {
    c.ret = "0 (Timeout)";
    return;
  }
  int nfds = c.i32(0);
  static const char* const kNames[] = {"in", "out", "except"};
  std::string parts;
  for (int i = 1; i <= 3; ++i) {
    if (c.u(i) == 0) continue;
    std::string s = fdset_at(c, c.u(i), nfds, false);
    if (s == "[]") continue;
    if (!parts.empty()) parts += ", ";
    parts += std::string(kNames[i - 1]) + " " + s;
  }
  if (c.u(4)) {
    if (!parts.empty()) parts += ", ";
    parts += "left " + (timespec ? timespec_at(c, c.u(4)) : timeval_at(c, c.u(4)));
  }
  c.ret_explained(parts);
}

void select_exit(Call& c) { select_result(c, false); }
void pselect6_exit(Call& c) { select_result(c, true); }

// -- epoll --------------------------------------------------------------------------

constexpr Named kEpollEvents[] = {
    {EPOLLIN, "EPOLLIN"},         {EPOLLPRI, "EPOLLPRI"},       {EPOLLOUT, "EPOLLOUT"},
    {EPOLLERR, "EPOLLERR"},       {EPOLLHUP, "EPOLLHUP"},       {0x20, "EPOLLNVAL"},
    {EPOLLRDNORM, "EPOLLRDNORM"}, {EPOLLRDBAND, "EPOLLRDBAND"}, {EPOLLWRNORM, "EPOLLWRNORM"},
    {EPOLLWRBAND, "EPOLLWRBAND"}, {EPOLLMSG, "EPOLLMSG"},       {EPOLLRDHUP, "EPOLLRDHUP"},
    {EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE"}, {EPOLLWAKEUP, "EPOLLWAKEUP"}, {EPOLLONESHOT, "EPOLLONESHOT"},
    {EPOLLET, "EPOLLET"},
};
constexpr Named kEpollOps[] = {{EPOLL_CTL_ADD, "EPOLL_CTL_ADD"}, {EPOLL_CTL_DEL, "EPOLL_CTL_DEL"}, {EPOLL_CTL_MOD, "EPOLL_CTL_MOD"}};
constexpr Named kEpollCreateFlags[] = {{EPOLL_CLOEXEC, "EPOLL_CLOEXEC"}};

std::string epoll_event_str(const struct epoll_event& e) {
  return "{events=" + flags(e.events, table(kEpollEvents), "EPOLL???") + ", data={u32=" +
         std::to_string(e.data.u32) + ", u64=" + std::to_string(e.data.u64) + "}}";
}

void epoll_ctl(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(xlat(c.u32(1), table(kEpollOps), "EPOLL_CTL_???"));
  c.add(fd_arg(c, 2));
  struct epoll_event e;
  if (c.u32(1) == EPOLL_CTL_DEL || c.u(3) == 0 || !c.mem.read_value(c.u(3), &e)) c.add(ptr(c.u(3)));
  else c.add(epoll_event_str(e));
}

std::string epoll_events_out(const Call& c, uint64_t addr) {
  if (!c.ok()) return ptr(addr);
  size_t n = static_cast<size_t>(c.rval());
  // Only the events that will be shown are read.
  std::vector<struct epoll_event> evs(n < c.limit() ? n : c.limit());
  if (!evs.empty() && !c.mem.read_exact(addr, evs.data(), evs.size() * sizeof(struct epoll_event))) return hex(addr);
  std::vector<std::string> items;
  for (const auto& e : evs) items.push_back(epoll_event_str(e));
  return array(c, items, n);
}

void epoll_wait(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(epoll_events_out(c, c.u(1)));
  c.add(std::to_string(c.i32(2)));
  c.add(std::to_string(c.i32(3)));
}

void epoll_pwait(Call& c) {
  epoll_wait(c);
  c.add(sigset_at(c, c.u(4), c.u(5)));
  c.add(udec(c.u(5)));
}

void epoll_pwait2(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(epoll_events_out(c, c.u(1)));
  c.add(std::to_string(c.i32(2)));
  c.add(timespec_at(c, c.u(3)));
  c.add(sigset_at(c, c.u(4), c.u(5)));
  c.add(udec(c.u(5)));
}

void epoll_create1(Call& c) { c.add(flags(c.u32(0), table(kEpollCreateFlags), "EPOLL_???")); }

// -- getdents -----------------------------------------------------------------------

// strace abbreviates the entries to their count: "0x5… /* 12 entries */".
void getdents(Call& c) {
  c.add(fd_arg(c, 0));
  if (!c.ok()) {
    c.add(ptr(c.u(1)));
  } else {
    size_t len = static_cast<size_t>(c.rval());
    std::vector<unsigned char> buf(len);
    size_t entries = 0;
    if (len && c.mem.read_exact(c.u(1), buf.data(), len)) {
      // d_reclen sits at offset 16 in both linux_dirent and linux_dirent64.
      for (size_t off = 0; off + 18 <= len;) {
        uint16_t reclen;
        memcpy(&reclen, &buf[off + 16], sizeof reclen);
        if (reclen == 0) break;
        ++entries;
        off += reclen;
      }
    }
    c.add(hex(c.u(1)) + " /* " + std::to_string(entries) + (entries == 1 ? " entry */" : " entries */"));
  }
  c.add(std::to_string(c.u32(2)));
}

// -- eventfd, memfd, locks, copies -----------------------------------------------------

constexpr Named kEfdFlags[] = {{1, "EFD_SEMAPHORE"}, {02000000, "EFD_CLOEXEC"}, {04000, "EFD_NONBLOCK"}};
constexpr Named kMfdFlags[] = {{1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"}};
constexpr Named kFlockOps[] = {{LOCK_SH, "LOCK_SH"}, {LOCK_EX, "LOCK_EX"}, {LOCK_NB, "LOCK_NB"},
                               {LOCK_UN, "LOCK_UN"}, {32, "LOCK_MAND"},     {192, "LOCK_RW"},
                               {64, "LOCK_READ"},    {128, "LOCK_WRITE"}};
constexpr Named kFadvise[] = {{0, "POSIX_FADV_NORMAL"}, {1, "POSIX_FADV_RANDOM"}, {2, "POSIX_FADV_SEQUENTIAL"},
                              {3, "POSIX_FADV_WILLNEED"}, {4, "POSIX_FADV_DONTNEED"}, {5, "POSIX_FADV_NOREUSE"}};
constexpr Named kFallocModes[] = {
    {FALLOC_FL_KEEP_SIZE, "FALLOC_FL_KEEP_SIZE"},         {FALLOC_FL_PUNCH_HOLE, "FALLOC_FL_PUNCH_HOLE"},
    {FALLOC_FL_NO_HIDE_STALE, "FALLOC_FL_NO_HIDE_STALE"}, {FALLOC_FL_COLLAPSE_RANGE, "FALLOC_FL_COLLAPSE_RANGE"},
    {FALLOC_FL_ZERO_RANGE, "FALLOC_FL_ZERO_RANGE"},       {FALLOC_FL_INSERT_RANGE, "FALLOC_FL_INSERT_RANGE"},
    {FALLOC_FL_UNSHARE_RANGE, "FALLOC_FL_UNSHARE_RANGE"},
};
constexpr Named kSpliceFlags[] = {{1, "SPLICE_F_MOVE"}, {2, "SPLICE_F_NONBLOCK"}, {4, "SPLICE_F_MORE"}, {8, "SPLICE_F_GIFT"}};
constexpr Named kCloseRangeFlags[] = {{2, "CLOSE_RANGE_UNSHARE"}, {4, "CLOSE_RANGE_CLOEXEC"}};
constexpr Named kSyncFileRange[] = {
    {1, "SYNC_FILE_RANGE_WAIT_BEFORE"}, {2, "SYNC_FILE_RANGE_WRITE"}, {4, "SYNC_FILE_RANGE_WAIT_AFTER"}};
constexpr Named kPidfdFlags[] = {{04000, "PIDFD_NONBLOCK"}};

void eventfd2(Call& c) {
  c.add(std::to_string(c.u32(0)));
  c.add(flags(c.u32(1), table(kEfdFlags), "EFD_???"));
}

void memfd_create(Call& c) {
  c.add(path(c, c.u(0)));
  uint32_t f = c.u32(1);
  uint32_t huge = f >> 26;
  std::string s;
  append_flags_hex(&s, f & ((1u << 26) - 1), table(kMfdFlags));
  if (huge) append_part(&s, std::to_string(huge) + "<<MFD_HUGE_SHIFT");
  if (s.empty()) s = "0";
  c.add(s);
}

void flock(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(flags(c.u32(1), table(kFlockOps), "LOCK_???"));
}

void fadvise64(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(sdec(c.s(1)));
  c.add(sdec(c.s(2)));
  c.add(xlat(c.u32(3), table(kFadvise), "POSIX_FADV_???"));
}

void fallocate(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(flags(c.u32(1), table(kFallocModes), "FALLOC_FL_???"));
  c.add(sdec(c.s(2)));
  c.add(sdec(c.s(3)));
}

// An loff_t the kernel advances: read at entry; sendfile also shows the
// value it ends at.
std::string offset_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  int64_t v;
  if (!c.mem.read_value(addr, &v)) return hex(addr);
  return "[" + std::to_string(v) + "]";
}

void sendfile_entry(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(fd_arg(c, 1));
  c.add(offset_at(c, c.u(2)));
}

void sendfile_exit(Call& c) {
  if (c.ok() && c.u(2) && c.out.size() == 3 && c.out[2][0] == '[') c.out[2] += " => " + offset_at(c, c.u(2));
  c.add(udec(c.u(3)));
}

void copy_file_range_entry(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(offset_at(c, c.u(1)));
  c.add(fd_arg(c, 2));
  c.add(offset_at(c, c.u(3)));
}

void copy_file_range_exit(Call& c) {
  c.add(udec(c.u(4)));
  c.add(std::to_string(c.u32(5)));
}

void splice_exit(Call& c) {
  c.add(udec(c.u(4)));
  c.add(flags(c.u32(5), table(kSpliceFlags), "SPLICE_F_???"));
}

void tee(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(fd_arg(c, 1));
  c.add(udec(c.u(2)));
  c.add(flags(c.u32(3), table(kSpliceFlags), "SPLICE_F_???"));
}

void vmsplice(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(iovec_at(c, c.u(1), c.u(2), UINT64_MAX));
  c.add(udec(c.u(2)));
  c.add(flags(c.u32(3), table(kSpliceFlags), "SPLICE_F_???"));
}

void userfaultfd(Call& c) { c.add(open_flag_bits(c.u32(0))); }

void close_range(Call& c) {
  c.add(std::to_string(c.u32(0)));
  c.add(std::to_string(c.u32(1)));
  c.add(flags(c.u32(2), table(kCloseRangeFlags), "CLOSE_RANGE_???"));
}

void sync_file_range(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(sdec(c.s(1)));
  c.add(sdec(c.s(2)));
  c.add(flags(c.u32(3), table(kSyncFileRange), "SYNC_FILE_RANGE_???"));
}

void pidfd_open(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(flags(c.u32(1), table(kPidfdFlags), "PIDFD_???"));
}

// The target descriptor is the pidfd's process's; flags in hex, as strace 6.1 prints them.
void pidfd_getfd(Call& c) {
  c.add(fd_arg(c, 0));
  int pid = c.opts.decode_fds ? pidfd_pid(c.ctx.tid, c.i32(0)) : -1;
  c.add(pid > 0 ? fd_of_task(c, pid, c.i32(1)) : std::to_string(c.i32(1)));
  c.add(hex(c.u32(2)));
}

constexpr Decoder kDecoders[] = {
    with_exit("read", read_),
    with_exit("write", write_),
    with_exit("pread64", chain<read_, offset_arg>),
    with_exit("pwrite64", chain<write_, offset_arg>),
    with_exit("readv", readv),
    with_exit("writev", writev),
    with_exit("preadv", chain<readv, offset_arg>),
    with_exit("pwritev", chain<writev, offset_arg>),
    with_exit("preadv2", chain<readv, offset_flags_args>),
    with_exit("pwritev2", chain<writev, offset_flags_args>),
    with_signature("close", "F"),
    fd_result(with_signature("dup", "F")),
    fd_result(with_signature("dup2", "FF")),
    fd_result(with_exit("dup3", dup3)),
    with_exit("lseek", lseek),
    with_exit("pipe", pipe),
    with_exit("pipe2", pipe2),
    with_exit("fcntl", fcntl),
    with_entry("poll", poll_entry, poll_exit),
    with_entry("ppoll", ppoll_entry, ppoll_exit),
    with_entry("select", select_entry, select_exit),
    with_entry("pselect6", pselect6_entry, pselect6_exit),
    fd_result(with_signature("epoll_create", "d")),
    fd_result(with_exit("epoll_create1", epoll_create1)),
    with_exit("epoll_ctl", epoll_ctl),
    with_exit("epoll_wait", epoll_wait),
    with_exit("epoll_pwait", epoll_pwait),
    with_exit("epoll_pwait2", epoll_pwait2),
    with_exit("getdents", getdents),
    with_exit("getdents64", getdents),
    fd_result(with_signature("eventfd", "u")),
    fd_result(with_exit("eventfd2", eventfd2)),
    fd_result(with_exit("memfd_create", memfd_create)),
    with_exit("flock", flock),
    with_exit("fadvise64", fadvise64),
    with_exit("fallocate", fallocate),
    with_signature("readahead", "FlU"),
    with_entry("sendfile", sendfile_entry, sendfile_exit),
    with_entry("copy_file_range", copy_file_range_entry, copy_file_range_exit),
    with_entry("splice", copy_file_range_entry, splice_exit),
    with_exit("tee", tee),
    with_exit("vmsplice", vmsplice),
    fd_result(with_exit("userfaultfd", userfaultfd)),
    with_exit("close_range", close_range),
    with_exit("sync_file_range", sync_file_range),
    fd_result(with_exit("pidfd_open", pidfd_open)),
    fd_result(with_exit("pidfd_getfd", pidfd_getfd)),
};

}  // namespace

std::string iovec_at(const Call& c, uint64_t addr, uint64_t count, uint64_t data_limit) {
  if (addr == 0) return "NULL";
  size_t n = count > 1024 ? 1024 : static_cast<size_t>(count);
  std::vector<struct iovec> iov(n);
  if (n && !c.mem.read_exact(addr, iov.data(), n * sizeof(struct iovec))) return hex(addr);
  std::vector<std::string> items;
  uint64_t left = data_limit;
  for (size_t i = 0; i < n && i < c.limit(); ++i) {
    uint64_t len = iov[i].iov_len;
    uint64_t shown = len < left ? len : left;
    left -= shown;
    items.push_back("{iov_base=" + buffer(c, reinterpret_cast<uintptr_t>(iov[i].iov_base), shown) +
                    ", iov_len=" + std::to_string(len) + "}");
  }
  return array(c, items, static_cast<size_t>(count));
}

std::string iovec_addrs_at(const Call& c, uint64_t addr, uint64_t count) {
  if (addr == 0) return "NULL";
  size_t n = count > 1024 ? 1024 : static_cast<size_t>(count);
  std::vector<struct iovec> iov(n);
  if (n && !c.mem.read_exact(addr, iov.data(), n * sizeof(struct iovec))) return hex(addr);
  std::vector<std::string> items;
  for (size_t i = 0; i < n && i < c.limit(); ++i)
    items.push_back("{iov_base=" + ptr(reinterpret_cast<uintptr_t>(iov[i].iov_base)) +
                    ", iov_len=" + std::to_string(iov[i].iov_len) + "}");
  return array(c, items, static_cast<size_t>(count));
}

DecoderList desc_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
