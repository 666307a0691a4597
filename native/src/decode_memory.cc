// Memory mappings: mmap, mprotect, brk, mremap, madvise, mlock, msync…
#include <sys/mman.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <vector>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

constexpr Named kProt[] = {
    {PROT_READ, "PROT_READ"}, {PROT_WRITE, "PROT_WRITE"},         {PROT_EXEC, "PROT_EXEC"},
    {0x8, "PROT_SEM"},   {PROT_GROWSDOWN, "PROT_GROWSDOWN"}, {PROT_GROWSUP, "PROT_GROWSUP"},
};

// The mapping type lives in the low four bits; the rest are flags, with the
// huge page size encoded from MAP_HUGE_SHIFT up.
constexpr uint32_t kMapTypeMask = 0xf;
constexpr int kMapHugeShift = 26;
constexpr Named kMapTypes[] = {{MAP_SHARED, "MAP_SHARED"}, {MAP_PRIVATE, "MAP_PRIVATE"}, {MAP_SHARED_VALIDATE, "MAP_SHARED_VALIDATE"}};
constexpr Named kMapFlags[] = {
    {MAP_FIXED, "MAP_FIXED"},         {MAP_ANONYMOUS, "MAP_ANONYMOUS"}, {MAP_32BIT, "MAP_32BIT"},
    {MAP_NORESERVE, "MAP_NORESERVE"}, {MAP_POPULATE, "MAP_POPULATE"},   {MAP_NONBLOCK, "MAP_NONBLOCK"},
    {MAP_GROWSDOWN, "MAP_GROWSDOWN"}, {MAP_DENYWRITE, "MAP_DENYWRITE"}, {MAP_EXECUTABLE, "MAP_EXECUTABLE"},
    {MAP_LOCKED, "MAP_LOCKED"},       {MAP_STACK, "MAP_STACK"},         {MAP_HUGETLB, "MAP_HUGETLB"},
    {MAP_SYNC, "MAP_SYNC"},           {MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
};

constexpr Named kMremapFlags[] = {{MREMAP_MAYMOVE, "MREMAP_MAYMOVE"}, {MREMAP_FIXED, "MREMAP_FIXED"}, {4, "MREMAP_DONTUNMAP"}};
constexpr Named kMsyncFlags[] = {{MS_SYNC, "MS_SYNC"}, {MS_ASYNC, "MS_ASYNC"}, {MS_INVALIDATE, "MS_INVALIDATE"}};
constexpr Named kMlockallFlags[] = {{MCL_CURRENT, "MCL_CURRENT"}, {MCL_FUTURE, "MCL_FUTURE"}, {4, "MCL_ONFAULT"}};
constexpr Named kMlock2Flags[] = {{1, "MLOCK_ONFAULT"}};
constexpr Named kMadvise[] = {
    {0, "MADV_NORMAL"},        {1, "MADV_RANDOM"},         {2, "MADV_SEQUENTIAL"},     {3, "MADV_WILLNEED"},
    {4, "MADV_DONTNEED"},      {8, "MADV_FREE"},           {9, "MADV_REMOVE"},         {10, "MADV_DONTFORK"},
    {11, "MADV_DOFORK"},       {12, "MADV_MERGEABLE"},     {13, "MADV_UNMERGEABLE"},   {14, "MADV_HUGEPAGE"},
    {15, "MADV_NOHUGEPAGE"},   {16, "MADV_DONTDUMP"},      {17, "MADV_DODUMP"},        {18, "MADV_WIPEONFORK"},
    {19, "MADV_KEEPONFORK"},   {20, "MADV_COLD"},          {21, "MADV_PAGEOUT"},       {22, "MADV_POPULATE_READ"},
    {23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"}, {25, "MADV_COLLAPSE"}, {100, "MADV_HWPOISON"},
    {101, "MADV_SOFT_OFFLINE"},
};
constexpr Named kMembarrierCmds[] = {
    {0, "MEMBARRIER_CMD_QUERY"},
    {1, "MEMBARRIER_CMD_GLOBAL"},
    {2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"},
    {4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"},
    {8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"},
    {16, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"},
    {32, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"},
    {64, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"},
    {128, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"},
    {256, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"},
};
constexpr Named kMembarrierFlags[] = {{1, "MEMBARRIER_CMD_FLAG_CPU"}};

std::string prot(uint32_t v) {
  if (v == 0) return "PROT_NONE";
  return flags(v, table(kProt), "PROT_???");
}

std::string map_flags(uint32_t v) {
  if (v == 0) return styled("0", "MAP_FILE");
  uint32_t type = v & kMapTypeMask;
  std::string out;
  if (type) {
    const char* t = lookup(table(kMapTypes), type);
    if (!t) return hex(v) + " /* MAP_??? */";
    out = t;
  }
  uint32_t huge = v >> kMapHugeShift;
  append_flags_hex(&out, v & ~kMapTypeMask & ((1u << kMapHugeShift) - 1), table(kMapFlags));
  if (huge) append_part(&out, std::to_string(huge) + "<<MAP_HUGE_SHIFT");
  return styled(hex(v), out);
}

// Calls that return an address print it in hex.
void hex_return(Call& c) {
  if (c.ok()) c.ret = hex(static_cast<uint64_t>(c.rval()));
}

void mmap(Call& c) {
  c.add(ptr(c.u(0)));
  c.add(udec(c.u(1)));
  c.add(prot(c.u32(2)));
  c.add(map_flags(c.u32(3)));
  c.add(fd_arg(c, 4));
  c.add(hex(c.u(5)));
  hex_return(c);
}

void mprotect(Call& c) {
  c.add(ptr(c.u(0)));
  c.add(udec(c.u(1)));
  c.add(prot(c.u32(2)));
}

void pkey_mprotect(Call& c) {
  mprotect(c);
  c.add(std::to_string(c.i32(3)));
}

void brk(Call& c) {
  c.add(ptr(c.u(0)));
  hex_return(c);
}

void mremap(Call& c) {
  c.add(ptr(c.u(0)));
  c.add(udec(c.u(1)));
  c.add(udec(c.u(2)));
  c.add(flags(c.u32(3), table(kMremapFlags), "MREMAP_???"));
  // The new address is an argument only with MREMAP_FIXED.
  if (c.u32(3) & MREMAP_FIXED) c.add(ptr(c.u(4)));
  hex_return(c);
}

void madvise(Call& c) {
  c.add(ptr(c.u(0)));
  c.add(udec(c.u(1)));
  c.add(xlat(c.u32(2), table(kMadvise), "MADV_???"));
}

void msync(Call& c) {
  c.add(ptr(c.u(0)));
  c.add(udec(c.u(1)));
  c.add(flags(c.u32(2), table(kMsyncFlags), "MS_???"));
}

void mlock2(Call& c) {
  c.add(ptr(c.u(0)));
  c.add(udec(c.u(1)));
  c.add(flags(c.u32(2), table(kMlock2Flags), "MLOCK_???"));
}

void mlockall(Call& c) { c.add(flags(c.u32(0), table(kMlockallFlags), "MCL_???")); }

// The residency vector: one byte per page, shown once filled.
void mincore(Call& c) {
  c.add(ptr(c.u(0)));
  c.add(udec(c.u(1)));
  static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  uint64_t pages = (c.u(1) + page - 1) / page;
  std::vector<unsigned char> vec(static_cast<size_t>(pages < c.limit() ? pages : c.limit()));
  if (!c.ok() || (!vec.empty() && !c.mem.read_exact(c.u(2), vec.data(), vec.size()))) {
    c.add(ptr(c.u(2)));
    return;
  }
  std::vector<std::string> items;
  for (unsigned char b : vec) items.push_back(std::to_string(b));
  c.add(array(c, items, static_cast<size_t>(pages)));
}

void membarrier(Call& c) {
  c.add(xlat(c.u32(0), table(kMembarrierCmds), "MEMBARRIER_CMD_???"));
  c.add(flags(c.u32(1), table(kMembarrierFlags), "MEMBARRIER_CMD_FLAG_???"));
  c.add(std::to_string(c.i32(2)));
}

// -- NUMA policy --------------------------------------------------------------

constexpr Named kMpolModes[] = {{0, "MPOL_DEFAULT"}, {1, "MPOL_PREFERRED"}, {2, "MPOL_BIND"},
                                {3, "MPOL_INTERLEAVE"}, {4, "MPOL_LOCAL"}, {5, "MPOL_PREFERRED_MANY"}};
constexpr Named kMpolModeFlags[] = {{1u << 15, "MPOL_F_STATIC_NODES"}, {1u << 14, "MPOL_F_RELATIVE_NODES"},
                                    {1u << 13, "MPOL_F_NUMA_BALANCING"}};
constexpr Named kGetMempolicyFlags[] = {{1, "MPOL_F_NODE"}, {2, "MPOL_F_ADDR"}, {4, "MPOL_F_MEMS_ALLOWED"}};
constexpr Named kMbindFlags[] = {{1, "MPOL_MF_STRICT"}, {2, "MPOL_MF_MOVE"}, {4, "MPOL_MF_MOVE_ALL"}};

std::string mpol_mode(uint32_t v) {
  std::string out = xlat(v & 0xff, table(kMpolModes), "MPOL_???");
  append_flags_hex(&out, v & ~0xffu, table(kMpolModeFlags));
  return out;
}

// A nodemask of maxnode - 1 bits, as 64-bit words in fixed-width hex.
std::string nodemask_at(const Call& c, uint64_t addr, uint64_t maxnode) {
  if (addr == 0) return "NULL";
  uint64_t words = maxnode ? (maxnode - 1 + 63) / 64 : 0;
  size_t n = static_cast<size_t>(words < c.limit() ? words : c.limit());
  std::vector<uint64_t> mask(n);
  if (n && !c.mem.read_exact(addr, mask.data(), n * 8)) return hex(addr);
  std::vector<std::string> items;
  for (uint64_t w : mask) {
    char buf[24];
    snprintf(buf, sizeof buf, "%#016" PRIx64, w);
    items.push_back(buf);
  }
  return array(c, items, static_cast<size_t>(words));
}

void get_mempolicy(Call& c) {
  int mode;
  c.add(c.ok() && c.u(0) && c.mem.read_value(c.u(0), &mode) ? "[" + mpol_mode(static_cast<uint32_t>(mode)) + "]"
                                                             : ptr(c.u(0)));
  c.add(c.ok() ? nodemask_at(c, c.u(1), c.u(2)) : ptr(c.u(1)));
  c.add(udec(c.u(2)));
  c.add(ptr(c.u(3)));
  c.add(flags(c.u32(4), table(kGetMempolicyFlags), "MPOL_F_???"));
}

void set_mempolicy(Call& c) {
  c.add(mpol_mode(c.u32(0)));
  c.add(nodemask_at(c, c.u(1), c.u(2)));
  c.add(udec(c.u(2)));
}

void mbind(Call& c) {
  c.add(ptr(c.u(0)));
  c.add(udec(c.u(1)));
  c.add(mpol_mode(c.u32(2)));
  c.add(nodemask_at(c, c.u(3), c.u(4)));
  c.add(udec(c.u(4)));
  c.add(flags(c.u32(5), table(kMbindFlags), "MPOL_MF_???"));
}

constexpr Decoder kDecoders[] = {
    with_exit("mmap", mmap),
    with_exit("mprotect", mprotect),
    with_exit("pkey_mprotect", pkey_mprotect),
    with_signature("munmap", "pU"),
    with_exit("brk", brk),
    with_exit("mremap", mremap),
    with_exit("madvise", madvise),
    with_exit("msync", msync),
    with_signature("mlock", "pU"),
    with_exit("mlock2", mlock2),
    with_signature("munlock", "pU"),
    with_exit("mlockall", mlockall),
    with_signature("munlockall", ""),
    with_exit("mincore", mincore),
    with_exit("membarrier", membarrier),
    with_exit("get_mempolicy", get_mempolicy),
    with_exit("set_mempolicy", set_mempolicy),
    with_exit("mbind", mbind),
};

}  // namespace

DecoderList memory_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
