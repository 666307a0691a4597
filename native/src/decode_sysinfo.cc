// System information and settings: uname, sysinfo, host and domain names,
// the kernel log, personality, and the odd ones out (getrandom, pkeys).
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include <vector>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

// -- system information -----------------------------------------------------------------

void uname(Call& c) {
  struct utsname u;
  if (!c.ok() || !c.mem.read_value(c.u(0), &u)) {
    c.add(ptr(c.u(0)));
    return;
  }
  // The fields are fixed-size arrays, which strace prints whole.
  c.add("{sysname=" + fixed_string(u.sysname, sizeof u.sysname, sizeof u.sysname) +
        ", nodename=" + fixed_string(u.nodename, sizeof u.nodename, sizeof u.nodename) + ", ...}");
}

void sysinfo(Call& c) {
  struct sysinfo s;
  if (!c.ok() || !c.mem.read_value(c.u(0), &s)) {
    c.add(ptr(c.u(0)));
    return;
  }
  std::vector<std::string> loads;
  for (unsigned long l : s.loads) loads.push_back(std::to_string(l));
  c.add("{uptime=" + std::to_string(s.uptime) + ", loads=" + array(c, loads, 3) + ", totalram=" + std::to_string(s.totalram) +
        ", freeram=" + std::to_string(s.freeram) + ", sharedram=" + std::to_string(s.sharedram) +
        ", bufferram=" + std::to_string(s.bufferram) + ", totalswap=" + std::to_string(s.totalswap) +
        ", freeswap=" + std::to_string(s.freeswap) + ", procs=" + std::to_string(s.procs) +
        ", totalhigh=" + std::to_string(s.totalhigh) + ", freehigh=" + std::to_string(s.freehigh) +
        ", mem_unit=" + std::to_string(s.mem_unit) + "}");
}

void sethostname(Call& c) {
  c.add(buffer(c, c.u(0), c.u(1)));
  c.add(udec(c.u(1)));
}

// -- kernel log, personality ---------------------------------------------------------

constexpr Named kSyslogActions[] = {
    {0, "SYSLOG_ACTION_CLOSE"}, {1, "SYSLOG_ACTION_OPEN"}, {2, "SYSLOG_ACTION_READ"},
    {3, "SYSLOG_ACTION_READ_ALL"}, {4, "SYSLOG_ACTION_READ_CLEAR"}, {5, "SYSLOG_ACTION_CLEAR"},
    {6, "SYSLOG_ACTION_CONSOLE_OFF"}, {7, "SYSLOG_ACTION_CONSOLE_ON"}, {8, "SYSLOG_ACTION_CONSOLE_LEVEL"},
    {9, "SYSLOG_ACTION_SIZE_UNREAD"}, {10, "SYSLOG_ACTION_SIZE_BUFFER"}};

// syslog: the action number with its name in a comment; only the reading
// actions and CONSOLE_LEVEL take the other arguments.
void syslog(Call& c) {
  int type = c.i32(0);
  const char* n = lookup(table(kSyslogActions), static_cast<uint32_t>(type));
  c.add(std::to_string(type) + " /* " + (n ? n : "SYSLOG_ACTION_???") + " */");
  if (type >= 2 && type <= 4) {
    c.add(c.ok() ? buffer(c, c.u(1), static_cast<uint64_t>(c.rval())) : ptr(c.u(1)));
    c.add(std::to_string(c.i32(2)));
  } else if (type == 8) {
    c.add(ptr(c.u(1)));
    c.add(std::to_string(c.i32(2)));
  }
}

constexpr Named kPersonalityTypes[] = {{0x0000, "PER_LINUX"}, {0x0008, "PER_LINUX32"}};
constexpr Named kPersonalityFlags[] = {
    {0x0040000, "ADDR_NO_RANDOMIZE"}, {0x0200000, "FDPIC_FUNCPTRS"}, {0x1000000, "MMAP_PAGE_ZERO"},
    {0x0800000, "ADDR_COMPAT_LAYOUT"}, {0x0400000, "READ_IMPLIES_EXEC"}, {0x8000000, "ADDR_LIMIT_32BIT"},
    {0x4000000, "SHORT_INODE"},        {0x2000000, "WHOLE_SECONDS"},     {0x0100000, "STICKY_TIMEOUTS"},
    {0x0020000, "UNAME26"},
};

std::string personality_str(uint32_t v) {
  std::string out = xlat(v & 0xff, table(kPersonalityTypes), nullptr);
  append_flags_hex(&out, v & ~0xffu, table(kPersonalityFlags));
  return out;
}

void personality(Call& c) {
  uint32_t v = c.u32(0);
  c.add(v == 0xffffffff ? hex(v) : personality_str(v));
  if (c.ok()) c.ret = hex(static_cast<uint32_t>(c.rval())) + " (" + personality_str(static_cast<uint32_t>(c.rval())) + ")";
}

// -- misc -----------------------------------------------------------------------------

constexpr Named kGrndFlags[] = {{1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}};

void getrandom(Call& c) {
  c.add(c.ok() ? buffer(c, c.u(0), static_cast<uint64_t>(c.rval()), true) : ptr(c.u(0)));
  c.add(udec(c.u(1)));
  c.add(flags(c.u32(2), table(kGrndFlags), "GRND_???"));
}

constexpr Named kPkeyAccess[] = {{1, "PKEY_DISABLE_ACCESS"}, {2, "PKEY_DISABLE_WRITE"}};

void pkey_alloc(Call& c) {
  c.add(hex(c.u32(0)));
  c.add(flags(c.u32(1), table(kPkeyAccess), "PKEY_???"));
}

constexpr Decoder kDecoders[] = {
    with_exit("uname", uname),
    with_exit("sysinfo", sysinfo),
    with_exit("sethostname", sethostname),
    with_exit("setdomainname", sethostname),
    with_exit("syslog", syslog),
    with_exit("personality", personality),
    with_exit("getrandom", getrandom),
    with_exit("pkey_alloc", pkey_alloc),
    with_signature("pkey_free", "d"),
};

}  // namespace

DecoderList sysinfo_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
