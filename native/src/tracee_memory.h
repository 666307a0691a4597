// Reads a stopped tracee's memory with process_vm_readv (one syscall per
// read, never a PTRACE_PEEKDATA per word).
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>

namespace renacer {

class TraceeMemory {
 public:
  explicit TraceeMemory(pid_t tid) : tid_(tid) {}

  // Reads up to len bytes at addr; stops early at an unreadable page.
  // Returns the number of bytes read (0 when nothing is readable).
  size_t read(uint64_t addr, void* out, size_t len) const;

  // True when all len bytes were read.
  bool read_exact(uint64_t addr, void* out, size_t len) const {
    return read(addr, out, len) == len;
  }

  template <typename T>
  bool read_value(uint64_t addr, T* out) const {
    return read_exact(addr, out, sizeof(T));
  }

  // Reads a NUL-terminated string of at most max_len bytes (without the NUL).
  // Returns false when nothing at addr is readable. *terminated says whether
  // the NUL was found within max_len bytes.
  bool read_string(uint64_t addr, size_t max_len, std::string* out, bool* terminated) const;

  pid_t tid() const { return tid_; }

 private:
  pid_t tid_;
};

}  // namespace renacer
