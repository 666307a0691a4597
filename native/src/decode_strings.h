// Numbers, pointers, and strings read from the tracee, formatted as strace
// formats them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "decode_call.h"

namespace renacer {
namespace dec {

std::string hex(uint64_t v);     // "0x1f", "0"
std::string ptr(uint64_t v);     // "NULL", "0x7ffc..."
std::string udec(uint64_t v);    // unsigned decimal
std::string sdec(int64_t v);     // signed decimal
std::string octal(uint64_t v);   // "0644", "000" (strace's %#03o)
// An id (uid_t, gid_t) where all bits set means "unchanged": "-1".
std::string id32(uint32_t v);

// A quoted, escaped byte string: printable ASCII as is; newline, tab, CR,
// VT, FF, quote and backslash as C escapes; everything else in octal
// (three digits only when an octal digit follows, so that the escape
// stays unambiguous). With `all_hex`, every
// byte is \xNN (strace does that for random data: getrandom).
std::string quote(const void* data, size_t n, bool all_hex = false);
// quote()'s escaping without the quotes; the bytes in `octal_too` go in
// octal as well (strace's "<>" after a descriptor, so its brackets stay unambiguous).
std::string escape(const void* data, size_t n, const char* octal_too = "");

// A NUL-terminated path (not cut at -s: strace prints paths whole).
// NULL -> "NULL"; unreadable -> the pointer.
std::string path(const Call& c, uint64_t addr);

// A NUL-terminated string cut at `limit` bytes with `...` after the quote
// when longer. NULL -> "NULL"; unreadable -> the pointer.
std::string cstring(const Call& c, uint64_t addr, size_t limit);
inline std::string cstring(const Call& c, uint64_t addr) { return cstring(c, addr, c.limit()); }

// A buffer of `len` bytes, shown up to the -s limit, `...` when cut.
std::string buffer(const Call& c, uint64_t addr, uint64_t len, bool all_hex = false);

// A fixed-size char array already copied from the tracee, printed up to its
// first NUL (cut at `limit`, `...` when cut or when there is no NUL).
std::string fixed_string(const char* data, size_t size, size_t limit);

// "[N]": an int the tracee passes by pointer (ioctl args, socket options…);
// the pointer when unreadable.
std::string int_at(const Call& c, uint64_t addr);
std::string uint_at(const Call& c, uint64_t addr);
std::string u64_at(const Call& c, uint64_t addr);

// Joins with ", " (struct members, array items).
std::string join(const std::string* items, size_t n);

// An array as strace prints it: at most -s items, then "..." when there
// are more (`total` is how many the array has).
std::string array(const Call& c, const std::vector<std::string>& items, size_t total);

}  // namespace dec
}  // namespace renacer
