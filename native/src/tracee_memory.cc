#include "tracee_memory.h"

#include <sys/uio.h>

#include <cstring>

namespace renacer {

namespace {
constexpr uint64_t kPage = 4096;
}

size_t TraceeMemory::read(uint64_t addr, void* out, size_t len) const {
  if (len == 0 || addr == 0) return 0;
  size_t done = 0;
  // process_vm_readv fails whole when the first page is unmapped, and returns
  // a short count at the first unreadable page; read page-bounded chunks so a
  // string ending just before an unmapped page is still read.
  while (done < len) {
    uint64_t cur = addr + done;
    size_t chunk = len - done;
    size_t to_page_end = kPage - (cur % kPage);
    if (done > 0 && chunk > to_page_end) chunk = to_page_end;
    struct iovec local = {static_cast<char*>(out) + done, chunk};
    struct iovec remote = {reinterpret_cast<void*>(cur), chunk};
    ssize_t n = process_vm_readv(tid_, &local, 1, &remote, 1, 0);
    if (n <= 0) {
      if (done == 0 && chunk > to_page_end) {
        // Retry the first page alone: the rest may be what is unmapped.
        chunk = to_page_end;
        local.iov_len = remote.iov_len = chunk;
        n = process_vm_readv(tid_, &local, 1, &remote, 1, 0);
        if (n <= 0) break;
      } else {
        break;
      }
    }
    done += static_cast<size_t>(n);
    if (static_cast<size_t>(n) < chunk) break;
  }
  return done;
}

bool TraceeMemory::read_string(uint64_t addr, size_t max_len, std::string* out,
                               bool* terminated) const {
  out->clear();
  *terminated = false;
  if (addr == 0) return false;
  char buf[kPage];
  bool any = false;
  while (out->size() < max_len) {
    uint64_t cur = addr + out->size();
    size_t want = kPage - (cur % kPage);
    if (want > max_len - out->size() + 1) want = max_len - out->size() + 1;
    size_t n = read(cur, buf, want);
    if (n == 0) break;
    any = true;
    const void* nul = memchr(buf, 0, n);
    if (nul) {
      out->append(buf, static_cast<const char*>(nul) - buf);
      *terminated = true;
      break;
    }
    out->append(buf, n);
    if (n < want) break;
  }
  if (out->size() > max_len) out->resize(max_len);
  return any;
}

}  // namespace renacer
