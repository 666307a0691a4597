#include "decode_strings.h"

#include <limits.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <vector>

namespace renacer {
namespace dec {

std::string hex(uint64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "%#" PRIx64, v);
  return buf;
}

std::string ptr(uint64_t v) { return v == 0 ? "NULL" : hex(v); }

std::string udec(uint64_t v) { return std::to_string(v); }

std::string sdec(int64_t v) { return std::to_string(v); }

std::string octal(uint64_t v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%#03" PRIo64, v);
  return buf;
}

std::string id32(uint32_t v) { return v == UINT32_MAX ? "-1" : std::to_string(v); }

namespace {

void append_escaped(std::string& out, const unsigned char* p, size_t n, const char* octal_too) {
  for (size_t i = 0; i < n; ++i) {
    unsigned char ch = p[i];
    switch (ch) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\v': out += "\\v"; continue;
      default: break;
    }
    if (ch >= ' ' && ch < 0x7f && !strchr(octal_too, ch)) {
      out.push_back(static_cast<char>(ch));
      continue;
    }
    // "\0" followed by '1' would read back as "\01": use all three digits
    // when an octal digit follows.
    bool digit_follows = i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '7';
    char buf[8];
    snprintf(buf, sizeof buf, digit_follows ? "\\%03o" : "\\%o", ch);
    out += buf;
  }
}

}  // namespace

std::string escape(const void* data, size_t n, const char* octal_too) {
  std::string out;
  out.reserve(n);
  append_escaped(out, static_cast<const unsigned char*>(data), n, octal_too);
  return out;
}

std::string quote(const void* data, size_t n, bool all_hex) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve(all_hex ? 4 * n + 2 : n + 2);
  out.push_back('"');
  if (!all_hex) {
    append_escaped(out, p, n, "");
    out.push_back('"');
    return out;
  }
  for (size_t i = 0; i < n; ++i) {
    char buf[8];
    snprintf(buf, sizeof buf, "\\x%02x", p[i]);
    out += buf;
  }
  out.push_back('"');
  return out;
}

std::string path(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  std::string s;
  bool terminated = false;
  if (!c.mem.read_string(addr, PATH_MAX - 1, &s, &terminated)) return hex(addr);
  if (!terminated && s.size() < PATH_MAX - 1) return hex(addr);  // ran into an unmapped page
  std::string out = quote(s.data(), s.size());
  if (!terminated) out += "...";
  return out;
}

std::string cstring(const Call& c, uint64_t addr, size_t limit) {
  if (addr == 0) return "NULL";
  std::string s;
  bool terminated = false;
  if (!c.mem.read_string(addr, limit, &s, &terminated)) {
    // An empty limit reads nothing; the address may still be valid.
    if (limit == 0) return "\"\"...";
    return hex(addr);
  }
  if (!terminated && s.size() < limit) return hex(addr);
  std::string out = quote(s.data(), s.size());
  if (!terminated) out += "...";
  return out;
}

std::string buffer(const Call& c, uint64_t addr, uint64_t len, bool all_hex) {
  if (addr == 0) return "NULL";
  size_t n = len < c.limit() ? static_cast<size_t>(len) : c.limit();
  std::vector<char> buf(n);
  if (n > 0 && !c.mem.read_exact(addr, buf.data(), n)) return hex(addr);
  std::string out = quote(buf.data(), n, all_hex);
  if (len > n) out += "...";
  return out;
}

std::string fixed_string(const char* data, size_t size, size_t limit) {
  const void* nul = memchr(data, 0, size);
  size_t len = nul ? static_cast<size_t>(static_cast<const char*>(nul) - data) : size;
  bool cut = len > limit;
  if (cut) len = limit;
  std::string out = quote(data, len);
  if (cut || !nul) out += "...";
  return out;
}

std::string int_at(const Call& c, uint64_t addr) {
  int v;
  if (!c.mem.read_value(addr, &v)) return ptr(addr);
  return "[" + std::to_string(v) + "]";
}

std::string uint_at(const Call& c, uint64_t addr) {
  unsigned v;
  if (!c.mem.read_value(addr, &v)) return ptr(addr);
  return "[" + std::to_string(v) + "]";
}

std::string u64_at(const Call& c, uint64_t addr) {
  uint64_t v;
  if (!c.mem.read_value(addr, &v)) return ptr(addr);
  return "[" + std::to_string(v) + "]";
}

std::string array(const Call& c, const std::vector<std::string>& items, size_t total) {
  size_t n = items.size() < c.limit() ? items.size() : c.limit();
  std::string out = "[" + join(items.data(), n);
  if (total > n) out += n ? ", ..." : "...";
  return out + "]";
}

std::string join(const std::string* items, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  return out;
}

}  // namespace dec
}  // namespace renacer
