#include "decode_flags.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "decode_strings.h"

namespace renacer {
namespace dec {

const char* lookup(Table t, uint64_t v) {
  for (size_t i = 0; i < t.count; ++i)
    if (t.items[i].value == v) return t.items[i].name;
  return nullptr;
}

uint64_t append_flags(std::string* out, uint64_t v, Table t) {
  // A name is printed when all of its bits are still unclaimed, so that
  // multi-bit names listed first (O_SYNC, O_TMPFILE) win over their parts.
  uint64_t rest = v;
  for (size_t i = 0; i < t.count; ++i) {
    uint64_t bits = t.items[i].value;
    if (bits == 0 || (rest & bits) != bits) continue;
    append_part(out, t.items[i].name);
    rest &= ~bits;
  }
  return rest;
}

void append_flags_hex(std::string* out, uint64_t v, Table t) {
  uint64_t rest = append_flags(out, v, t);
  if (rest) append_part(out, hex(rest));
}

void append_part(std::string* out, const std::string& part) {
  if (!out->empty()) out->push_back('|');
  *out += part;
}

namespace {
thread_local ConstStyle g_style = ConstStyle::kAbbrev;
}  // namespace

void set_const_style(ConstStyle s) { g_style = s; }
ConstStyle const_style() { return g_style; }

std::string styled(const std::string& number, const std::string& symbolic) {
  switch (g_style) {
    case ConstStyle::kRaw: return number;
    case ConstStyle::kVerbose: return number + " /* " + symbolic + " */";
    default: return symbolic;
  }
}

// A value no name covers: "0x40 /* HINT */", or the number alone under -X raw.
std::string unnamed(const std::string& number, const char* hint) {
  if (!hint || g_style == ConstStyle::kRaw) return number;
  return number + " /* " + hint + " */";
}

std::string flags(uint64_t v, Table t, const char* hint) {
  if (v == 0) {
    const char* zero = lookup(t, 0);
    return zero ? styled("0", zero) : "0";
  }
  std::string out;
  uint64_t rest = append_flags(&out, v, t);
  if (out.empty()) return unnamed(hex(v), hint);
  if (rest) append_part(&out, hex(rest));
  return styled(hex(v), out);
}

std::string xlat(uint64_t v, Table t, const char* hint) {
  if (const char* n = lookup(t, v)) return styled(hex(v), n);
  return unnamed(hex(v), hint);
}

std::string xlat_dec(int64_t v, Table t, const char* hint) {
  if (const char* n = lookup(t, static_cast<uint64_t>(v))) return styled(std::to_string(v), n);
  return unnamed(std::to_string(v), hint);
}

// -- open flags ----------------------------------------------------------------

namespace {

// The kernel's values (asm-generic/fcntl.h); glibc defines O_LARGEFILE as 0
// on 64-bit, but the kernel reports the bit (F_GETFL) and strace names it.
constexpr uint64_t kLargeFile = 0100000;
constexpr uint64_t kTmpFile = 020000000 | O_DIRECTORY;

constexpr Named kOpenFlags[] = {
    {O_CREAT, "O_CREAT"},
    {O_EXCL, "O_EXCL"},
    {O_NOCTTY, "O_NOCTTY"},
    {O_TRUNC, "O_TRUNC"},
    {O_APPEND, "O_APPEND"},
    {O_NONBLOCK, "O_NONBLOCK"},
    {O_SYNC, "O_SYNC"},  // O_SYNC includes O_DSYNC's bit
    {O_DSYNC, "O_DSYNC"},
    {O_DIRECT, "O_DIRECT"},
    {kLargeFile, "O_LARGEFILE"},
    {O_NOFOLLOW, "O_NOFOLLOW"},
    {O_NOATIME, "O_NOATIME"},
    {O_CLOEXEC, "O_CLOEXEC"},
    {O_PATH, "O_PATH"},
    {kTmpFile, "O_TMPFILE"},  // O_TMPFILE includes O_DIRECTORY's bit
    {O_DIRECTORY, "O_DIRECTORY"},
    {FASYNC, "FASYNC"},
};

constexpr Named kAccessModes[] = {
    {O_RDONLY, "O_RDONLY"},
    {O_WRONLY, "O_WRONLY"},
    {O_RDWR, "O_RDWR"},
    {O_ACCMODE, "O_ACCMODE"},
};

constexpr Named kAtFlags[] = {
    {AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"},
    {AT_REMOVEDIR, "AT_REMOVEDIR"},
    {AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW"},
    {AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT"},
    {AT_EMPTY_PATH, "AT_EMPTY_PATH"},
    {0x8000, "AT_RECURSIVE"},
};

constexpr Named kFileTypes[] = {
    {S_IFREG, "S_IFREG"}, {S_IFSOCK, "S_IFSOCK"}, {S_IFIFO, "S_IFIFO"}, {S_IFLNK, "S_IFLNK"},
    {S_IFDIR, "S_IFDIR"}, {S_IFBLK, "S_IFBLK"},   {S_IFCHR, "S_IFCHR"},
};

constexpr Named kClocks[] = {
    {CLOCK_REALTIME, "CLOCK_REALTIME"},
    {CLOCK_MONOTONIC, "CLOCK_MONOTONIC"},
    {CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID"},
    {CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID"},
    {CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW"},
    {CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE"},
    {CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE"},
    {CLOCK_BOOTTIME, "CLOCK_BOOTTIME"},
    {CLOCK_REALTIME_ALARM, "CLOCK_REALTIME_ALARM"},
    {CLOCK_BOOTTIME_ALARM, "CLOCK_BOOTTIME_ALARM"},
    {10, "CLOCK_SGI_CYCLE"},
    {CLOCK_TAI, "CLOCK_TAI"},
};

}  // namespace

std::string open_flags(uint64_t v) {
  std::string out = lookup(table(kAccessModes), v & O_ACCMODE);
  append_flags_hex(&out, v & ~static_cast<uint64_t>(O_ACCMODE), table(kOpenFlags));
  return styled(hex(v), out);
}

std::string open_flag_bits(uint64_t v) { return flags(v, table(kOpenFlags), "O_???"); }

bool open_takes_mode(uint64_t flags) {
  return (flags & O_CREAT) || (flags & kTmpFile) == kTmpFile;
}

std::string at_flags(uint64_t v) { return flags(v, table(kAtFlags), "AT_???"); }

std::string mode_perm(uint32_t mode) { return octal(mode & 0xffff); }

std::string mode_with_type(uint32_t mode) {
  mode &= 0xffff;  // umode_t
  const char* type = lookup(table(kFileTypes), mode & S_IFMT);
  if (!type) return octal(mode);
  std::string out = type;
  if (mode & S_ISUID) out += "|S_ISUID";
  if (mode & S_ISGID) out += "|S_ISGID";
  if (mode & S_ISVTX) out += "|S_ISVTX";
  return styled(octal(mode), out + "|" + octal(mode & 0777));
}

std::string makedev_str(uint64_t dev) {
  return styled(hex(dev), "makedev(" + hex(major(dev)) + ", " + hex(minor(dev)) + ")");
}

std::string clock_id(int v) { return xlat(static_cast<uint32_t>(v), table(kClocks), "CLOCK_???"); }

}  // namespace dec
}  // namespace renacer
