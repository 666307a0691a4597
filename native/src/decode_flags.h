// Symbolic constants: the printer for flag sets and enumerations, and the
// tables more than one family uses (open flags, AT_*, file modes, clocks).
//
// Tables are written from the kernel UAPI headers in /usr/include; their
// order is the order strace prints the names in, which is not always the
// numeric order (e.g. O_DIRECTORY after O_CLOEXEC).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace renacer {
namespace dec {

// A constant array and its length: a name table, a family's decoders
// (decode_call.h's DecoderList).
template <class T>
struct Span {
  const T* items;
  size_t count;
};

template <class T, size_t N>
constexpr Span<T> table(const T (&a)[N]) {
  return {a, N};
}

struct Named {
  uint64_t value;
  const char* name;
};

using Table = Span<Named>;

// strace -X: named constants as their names (abbrev, the default), as the
// numbers (raw), or both (verbose: "0x3 /* PROT_READ|PROT_WRITE */").
enum class ConstStyle : uint8_t { kAbbrev, kRaw, kVerbose };
// The style of the calls decoded from now on (decode.cc sets it per call).
void set_const_style(ConstStyle s);
ConstStyle const_style();
// A named constant written in the current style: `symbolic` (abbrev),
// `number` (raw), or "number /* symbolic */" (verbose).
std::string styled(const std::string& number, const std::string& symbolic);

// The name of an exact match, or nullptr.
const char* lookup(Table t, uint64_t v);

// "A|B|0x40": names of the set bits in table order, then any unnamed bits
// in hex. A zero value prints the table's zero entry if it has one, else
// "0". When no bit has a name: "0x40 /* HINT */" (hint like "O_???"), or
// just the hex when hint is null.
std::string flags(uint64_t v, Table t, const char* hint);

// Like flags() but appends to `out` with a leading '|' when `out` is not
// empty; returns the bits no name covered. For composite fields
// (O_ACCMODE first, then the flags).
uint64_t append_flags(std::string* out, uint64_t v, Table t);
// append_flags(), then the bits no name covered in hex: "…|0x40".
void append_flags_hex(std::string* out, uint64_t v, Table t);
// One more part of a composite field ("…|2<<MAP_HUGE_SHIFT"), after a '|'
// when `out` is not empty.
void append_part(std::string* out, const std::string& part);

// The name of an exact match, else the number with a comment:
// "0x5 /* SEEK_??? */" (hex) or "5 /* SEEK_??? */" (decimal).
std::string xlat(uint64_t v, Table t, const char* hint);
std::string xlat_dec(int64_t v, Table t, const char* hint);

// -- Shared tables and printers ---------------------------------------------

// open(2)/openat(2) flags, including the access mode: "O_RDONLY|O_CLOEXEC".
std::string open_flags(uint64_t v);
// The same flags without an access mode (pipe2, dup3): "O_CLOEXEC", "0".
std::string open_flag_bits(uint64_t v);
// True when the flags make open(2) take a mode argument.
bool open_takes_mode(uint64_t flags);

// AT_* flags (newfstatat, unlinkat, linkat, fchownat, utimensat, …).
std::string at_flags(uint64_t v);

// A mode_t with its file type: "S_IFREG|0644", "S_IFDIR|S_ISVTX|0777".
std::string mode_with_type(uint32_t mode);
// Permission bits only, as chmod/mkdir take them: "0644", "04755".
std::string mode_perm(uint32_t mode);
// makedev(): "makedev(0x1, 0x3)".
std::string makedev_str(uint64_t dev);

// Clock ids: "CLOCK_MONOTONIC".
std::string clock_id(int v);

}  // namespace dec
}  // namespace renacer
