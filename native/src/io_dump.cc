#include "io_dump.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "syscall_table.h"

namespace renacer {

namespace {

// Enough for any dump a person reads; strace reads in chunks of this too.
constexpr uint64_t kMaxDump = 1 << 16;
constexpr uint64_t kMaxIov = 1024;

bool in_set(const std::vector<bool>& fds, bool all, uint64_t arg) {
  int fd = static_cast<int>(arg);
  if (all) return true;
  return fd >= 0 && static_cast<size_t>(fd) < fds.size() && fds[fd];
}

void dump_bytes(const TraceeMemory& mem, uint64_t addr, uint64_t len, std::vector<std::string>* out) {
  len = std::min(len, kMaxDump);
  std::string buf(len, '\0');
  if (len == 0 || !mem.read_exact(addr, buf.data(), len)) return;
  static const char kHex[] = "0123456789abcdef";
  for (uint64_t at = 0; at < len; at += 16) {
    char offset[32];
    snprintf(offset, sizeof offset, " | %05llx  ", static_cast<unsigned long long>(at));
    std::string line = offset;
    std::string text;
    for (uint64_t i = at; i < at + 16; ++i) {
      if (i < len) {
        unsigned char c = static_cast<unsigned char>(buf[i]);
        line += kHex[c >> 4];
        line += kHex[c & 15];
        text += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
      } else {
        line += "  ";
        text += ' ';
      }
      line += ' ';
      if ((i & 7) == 7) line += ' ';
    }
    out->push_back(line + text + " |");
  }
}

// Each buffer of an iovec array up to `size` bytes in all (a write's: all of them).
void dump_iov(const TraceeMemory& mem, uint64_t addr, uint64_t count, uint64_t size, std::vector<std::string>* out) {
  count = std::min(count, kMaxIov);
  std::vector<struct iovec> iov(count);
  if (count == 0 || !mem.read_exact(addr, iov.data(), count * sizeof(struct iovec))) return;
  for (uint64_t i = 0; i < count && size > 0; ++i) {
    uint64_t len = std::min<uint64_t>(iov[i].iov_len, size);
    if (len == 0) break;
    size -= len;
    out->push_back(" * " + std::to_string(len) + " bytes in buffer " + std::to_string(i));
    dump_bytes(mem, reinterpret_cast<uint64_t>(iov[i].iov_base), len, out);
  }
}

void dump_msghdr(const TraceeMemory& mem, uint64_t addr, uint64_t size, std::vector<std::string>* out) {
  struct msghdr m;
  if (mem.read_value(addr, &m)) dump_iov(mem, reinterpret_cast<uint64_t>(m.msg_iov), m.msg_iovlen, size, out);
}

// recvmmsg/sendmmsg: each of the messages the call handled, up to its msg_len.
void dump_mmsghdr(const TraceeMemory& mem, uint64_t addr, uint64_t count, std::vector<std::string>* out) {
  for (uint64_t i = 0; i < std::min(count, kMaxIov); ++i) {
    struct mmsghdr m;
    if (!mem.read_value(addr + i * sizeof m, &m)) return;
    out->push_back(" = " + std::to_string(m.msg_hdr.msg_iovlen) + " buffers in vector " + std::to_string(i));
    dump_iov(mem, reinterpret_cast<uint64_t>(m.msg_hdr.msg_iov), m.msg_hdr.msg_iovlen, m.msg_len, out);
  }
}

}  // namespace

std::vector<std::string> io_dump(const SyscallContext& call, const TraceeMemory& mem, const IoDumpSets& sets) {
  std::vector<std::string> out;
  const SyscallInfo* info = syscall_info(call.nr);
  if (!info || !call.exited) return out;
  std::string_view name = info->name;
  const uint64_t* a = call.args;
  // What a call read is there only when it succeeded; what a call was given to write is there either way.
  bool ok = !call.is_error && call.rval >= 0;
  uint64_t done = ok ? static_cast<uint64_t>(call.rval) : 0;
  if (ok && in_set(sets.read_fds, sets.read_all, a[0])) {
    if (name == "read" || name == "pread64" || name == "recvfrom" || name == "mq_timedreceive") dump_bytes(mem, a[1], done, &out);
    else if (name == "readv" || name == "preadv" || name == "preadv2") dump_iov(mem, a[1], a[2], done, &out);
    else if (name == "recvmsg") dump_msghdr(mem, a[1], done, &out);
    else if (name == "recvmmsg") dump_mmsghdr(mem, a[1], done, &out);
  }
  if (in_set(sets.write_fds, sets.write_all, a[0])) {
    if (name == "write" || name == "pwrite64" || name == "sendto" || name == "mq_timedsend") dump_bytes(mem, a[1], a[2], &out);
    else if (name == "writev" || name == "pwritev" || name == "pwritev2") dump_iov(mem, a[1], a[2], UINT64_MAX, &out);
    else if (name == "sendmsg") dump_msghdr(mem, a[1], UINT64_MAX, &out);
    else if (name == "sendmmsg" && ok) dump_mmsghdr(mem, a[1], done, &out);
  }
  return out;
}

}  // namespace renacer
