// Credentials: user and group ids, supplementary groups, and capabilities.
#include <linux/capability.h>

#include <vector>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

// -- user and group ids ---------------------------------------------------------------

std::string id_list_at(const Call& c, uint64_t addr, size_t n) {
  if (addr == 0) return "NULL";
  std::vector<uint32_t> ids(n > 65536 ? 65536 : n);
  if (!ids.empty() && !c.mem.read_exact(addr, ids.data(), ids.size() * 4)) return hex(addr);
  std::vector<std::string> items;
  for (size_t i = 0; i < ids.size() && i < c.limit(); ++i) items.push_back(id32(ids[i]));
  return array(c, items, ids.size());
}

void getgroups(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(c.ok() && c.u(1) ? id_list_at(c, c.u(1), static_cast<size_t>(c.rval())) : ptr(c.u(1)));
}

void setgroups(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(id_list_at(c, c.u(1), c.u32(0)));
}

void getresid(Call& c) {
  for (int i = 0; i < 3; ++i) {
    uint32_t v;
    c.add(c.ok() && c.mem.read_value(c.u(i), &v) ? "[" + id32(v) + "]" : ptr(c.u(i)));
  }
}

// -- capabilities ---------------------------------------------------------------------

constexpr Named kCaps[] = {
    {CAP_CHOWN, "CAP_CHOWN"},         {CAP_DAC_OVERRIDE, "CAP_DAC_OVERRIDE"}, {CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH"},
    {CAP_FOWNER, "CAP_FOWNER"},       {CAP_FSETID, "CAP_FSETID"},             {CAP_KILL, "CAP_KILL"},
    {CAP_SETGID, "CAP_SETGID"},       {CAP_SETUID, "CAP_SETUID"},             {CAP_SETPCAP, "CAP_SETPCAP"},
    {CAP_LINUX_IMMUTABLE, "CAP_LINUX_IMMUTABLE"}, {CAP_NET_BIND_SERVICE, "CAP_NET_BIND_SERVICE"},
    {CAP_NET_BROADCAST, "CAP_NET_BROADCAST"}, {CAP_NET_ADMIN, "CAP_NET_ADMIN"},   {CAP_NET_RAW, "CAP_NET_RAW"},
    {CAP_IPC_LOCK, "CAP_IPC_LOCK"},   {CAP_IPC_OWNER, "CAP_IPC_OWNER"},       {CAP_SYS_MODULE, "CAP_SYS_MODULE"},
    {CAP_SYS_RAWIO, "CAP_SYS_RAWIO"}, {CAP_SYS_CHROOT, "CAP_SYS_CHROOT"},     {CAP_SYS_PTRACE, "CAP_SYS_PTRACE"},
    {CAP_SYS_PACCT, "CAP_SYS_PACCT"}, {CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},       {CAP_SYS_BOOT, "CAP_SYS_BOOT"},
    {CAP_SYS_NICE, "CAP_SYS_NICE"},   {CAP_SYS_RESOURCE, "CAP_SYS_RESOURCE"}, {CAP_SYS_TIME, "CAP_SYS_TIME"},
    {CAP_SYS_TTY_CONFIG, "CAP_SYS_TTY_CONFIG"}, {CAP_MKNOD, "CAP_MKNOD"},     {CAP_LEASE, "CAP_LEASE"},
    {CAP_AUDIT_WRITE, "CAP_AUDIT_WRITE"}, {CAP_AUDIT_CONTROL, "CAP_AUDIT_CONTROL"}, {CAP_SETFCAP, "CAP_SETFCAP"},
    {CAP_MAC_OVERRIDE, "CAP_MAC_OVERRIDE"}, {CAP_MAC_ADMIN, "CAP_MAC_ADMIN"}, {CAP_SYSLOG, "CAP_SYSLOG"},
    {CAP_WAKE_ALARM, "CAP_WAKE_ALARM"}, {CAP_BLOCK_SUSPEND, "CAP_BLOCK_SUSPEND"}, {CAP_AUDIT_READ, "CAP_AUDIT_READ"},
    {38, "CAP_PERFMON"},              {39, "CAP_BPF"},                        {40, "CAP_CHECKPOINT_RESTORE"},
};
constexpr Named kCapVersions[] = {{0x19980330, "_LINUX_CAPABILITY_VERSION_1"},
                                  {0x20071026, "_LINUX_CAPABILITY_VERSION_2"},
                                  {0x20080522, "_LINUX_CAPABILITY_VERSION_3"}};

// A capability set: "1<<CAP_CHOWN|1<<CAP_KILL", "0".
std::string cap_set(uint64_t v) {
  if (v == 0) return "0";
  std::string out;
  for (int bit = 0; bit < 64; ++bit) {
    if (!(v & (1ULL << bit))) continue;
    const char* n = lookup(table(kCaps), bit);
    if (!n) continue;
    append_part(&out, std::string("1<<") + n);
    v &= ~(1ULL << bit);
  }
  if (v) append_part(&out, hex(v));
  return out;
}

struct CapHeader {
  uint32_t version;
  int pid;
};
struct CapData {
  uint32_t effective, permitted, inheritable;
};

std::string cap_header_at(const Call& c, uint64_t addr, uint32_t* version) {
  CapHeader h;
  *version = 0;
  if (addr == 0) return "NULL";
  if (!c.mem.read_value(addr, &h)) return hex(addr);
  *version = h.version;
  return "{version=" + xlat(h.version, table(kCapVersions), "_LINUX_CAPABILITY_VERSION_???") +
         ", pid=" + std::to_string(h.pid) + "}";
}

std::string cap_data_at(const Call& c, uint64_t addr, uint32_t version) {
  if (addr == 0) return "NULL";
  CapData d[2] = {};
  size_t n = version == 0x19980330 ? 1 : 2;
  if (!c.mem.read_exact(addr, d, n * sizeof(CapData))) return hex(addr);
  auto set = [&](uint32_t CapData::*f) { return cap_set(d[0].*f | (n == 2 ? static_cast<uint64_t>(d[1].*f) << 32 : 0)); };
  return "{effective=" + set(&CapData::effective) + ", permitted=" + set(&CapData::permitted) +
         ", inheritable=" + set(&CapData::inheritable) + "}";
}

void capget(Call& c) {
  uint32_t version;
  c.add(cap_header_at(c, c.u(0), &version));
  c.add(c.ok() ? cap_data_at(c, c.u(1), version) : ptr(c.u(1)));
}

void capset(Call& c) {
  uint32_t version;
  c.add(cap_header_at(c, c.u(0), &version));
  c.add(cap_data_at(c, c.u(1), version));
}

constexpr Decoder kDecoders[] = {
    with_signature("getuid", ""),
    with_signature("geteuid", ""),
    with_signature("getgid", ""),
    with_signature("getegid", ""),
    with_signature("setuid", "i"),
    with_signature("setgid", "i"),
    with_signature("setfsuid", "i"),
    with_signature("setfsgid", "i"),
    with_signature("setreuid", "ii"),
    with_signature("setregid", "ii"),
    with_signature("setresuid", "iii"),
    with_signature("setresgid", "iii"),
    with_exit("getresuid", getresid),
    with_exit("getresgid", getresid),
    with_exit("getgroups", getgroups),
    with_exit("setgroups", setgroups),
    with_exit("capget", capget),
    with_exit("capset", capset),
};

}  // namespace

std::string capability(uint64_t v) { return xlat(v, table(kCaps), "CAP_???"); }

DecoderList cred_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
