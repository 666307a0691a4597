// Bytes as lowercase hex digits ("a1b2…"): build ids, as the ELF notes and
// the debug-file paths under .build-id/ spell them.
#pragma once
#include <cstddef>
#include <string>

namespace renacer {

inline std::string hex_bytes(const unsigned char* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  s.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}

}  // namespace renacer
