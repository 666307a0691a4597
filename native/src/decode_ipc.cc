// System V shared memory (shmat returns an address, printed like mmap's).
#include <sys/ipc.h>
#include <sys/shm.h>

#include "decode_call.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

constexpr Named kIpcGetFlags[] = {{IPC_CREAT, "IPC_CREAT"}, {IPC_EXCL, "IPC_EXCL"}, {04000, "SHM_HUGETLB"},
                                  {010000, "SHM_NORESERVE"}};
constexpr Named kShmatFlags[] = {{SHM_RDONLY, "SHM_RDONLY"}, {SHM_RND, "SHM_RND"}, {SHM_REMAP, "SHM_REMAP"},
                                 {SHM_EXEC, "SHM_EXEC"}};
constexpr Named kShmctlCmds[] = {{IPC_RMID, "IPC_RMID"}, {IPC_SET, "IPC_SET"},   {IPC_STAT, "IPC_STAT"},
                                 {IPC_INFO, "IPC_INFO"}, {11, "SHM_LOCK"},       {12, "SHM_UNLOCK"},
                                 {13, "SHM_STAT"},       {14, "SHM_INFO"},       {15, "SHM_STAT_ANY"}};
constexpr uint32_t kIpc64 = 0x100;  // the "new" layout flag glibc adds to the command

std::string ipc_key(int32_t key) { return key == IPC_PRIVATE ? "IPC_PRIVATE" : hex(static_cast<uint32_t>(key)); }

// shmget's flags: the IPC_* bits, then the permissions in octal.
std::string ipc_get_flags(uint32_t v) {
  std::string out;
  append_flags_hex(&out, v & ~0777u, table(kIpcGetFlags));
  append_part(&out, octal(v & 0777));
  return out;
}

void shmget(Call& c) {
  c.add(ipc_key(c.i32(0)));
  c.add(udec(c.u(1)));
  c.add(ipc_get_flags(c.u32(2)));
}

void shmat(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(ptr(c.u(1)));
  c.add(flags(c.u32(2), table(kShmatFlags), "SHM_???"));
  if (c.ok()) c.ret = hex(static_cast<uint64_t>(c.rval()));
}

std::string shmid_ds_at(const Call& c, uint64_t addr) {
  struct shmid_ds d;
  if (!c.mem.read_value(addr, &d)) return ptr(addr);
  return "{shm_perm={uid=" + std::to_string(d.shm_perm.uid) + ", gid=" + std::to_string(d.shm_perm.gid) +
         ", mode=" + octal(d.shm_perm.mode) + ", key=" + std::to_string(d.shm_perm.__key) +
         ", cuid=" + std::to_string(d.shm_perm.cuid) + ", cgid=" + std::to_string(d.shm_perm.cgid) +
         "}, shm_segsz=" + std::to_string(d.shm_segsz) + ", shm_cpid=" + std::to_string(d.shm_cpid) +
         ", shm_lpid=" + std::to_string(d.shm_lpid) + ", shm_nattch=" + std::to_string(d.shm_nattch) +
         ", shm_atime=" + std::to_string(d.shm_atime) + ", shm_dtime=" + std::to_string(d.shm_dtime) +
         ", shm_ctime=" + std::to_string(d.shm_ctime) + "}";
}

void shmctl(Call& c) {
  uint32_t cmd = c.u32(1);
  uint32_t base = cmd & ~kIpc64;
  c.add(std::to_string(c.i32(0)));
  std::string name = xlat(base, table(kShmctlCmds), "SHM_???");
  if (cmd & kIpc64) name = "IPC_64|" + name;
  c.add(name);
  if (c.u(2) == 0) c.add("NULL");
  else if (base == IPC_STAT || base == 13 || base == 15) c.add(c.ok() ? shmid_ds_at(c, c.u(2)) : ptr(c.u(2)));
  else if (base == IPC_SET) c.add(shmid_ds_at(c, c.u(2)));
  else c.add(ptr(c.u(2)));
}

constexpr Decoder kDecoders[] = {
    with_exit("shmget", shmget),
    with_exit("shmat", shmat),
    with_signature("shmdt", "p"),
    with_exit("shmctl", shmctl),
};

}  // namespace

DecoderList ipc_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
