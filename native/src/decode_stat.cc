// stat, statx and statfs: the structs in strace's abbreviated form
// ({st_mode=S_IFREG|0644, st_size=1234, ...}).
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/stat.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <cstring>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

// stx_mask / the statx request mask, as strace 6.1 knows them: STATX_ALL and
// STATX_BASIC_STATS first so that they win over their parts.
constexpr Named kStatxMask[] = {
    {0x00000fffU, "STATX_ALL"},    {0x000007ffU, "STATX_BASIC_STATS"},
    {0x00000001U, "STATX_TYPE"},   {0x00000002U, "STATX_MODE"},
    {0x00000004U, "STATX_NLINK"},  {0x00000008U, "STATX_UID"},
    {0x00000010U, "STATX_GID"},    {0x00000020U, "STATX_ATIME"},
    {0x00000040U, "STATX_MTIME"},  {0x00000080U, "STATX_CTIME"},
    {0x00000100U, "STATX_INO"},    {0x00000200U, "STATX_SIZE"},
    {0x00000400U, "STATX_BLOCKS"}, {0x00000800U, "STATX_BTIME"},
    {0x00001000U, "STATX_MNT_ID"}, {0x00002000U, "STATX_DIOALIGN"},
};

constexpr Named kStatxAttrs[] = {
    {0x00000004, "STATX_ATTR_COMPRESSED"}, {0x00000010, "STATX_ATTR_IMMUTABLE"},
    {0x00000020, "STATX_ATTR_APPEND"},     {0x00000040, "STATX_ATTR_NODUMP"},
    {0x00000800, "STATX_ATTR_ENCRYPTED"},  {0x00001000, "STATX_ATTR_AUTOMOUNT"},
    {0x00002000, "STATX_ATTR_MOUNT_ROOT"}, {0x00100000, "STATX_ATTR_VERITY"},
    {0x00200000, "STATX_ATTR_DAX"},
};

// The AT_* flags statx takes, after its sync-type field.
constexpr Named kStatxSync[] = {{0x2000, "AT_STATX_FORCE_SYNC"}, {0x4000, "AT_STATX_DONT_SYNC"}};
constexpr Named kStatxAtFlags[] = {
    {AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"}, {AT_REMOVEDIR, "AT_REMOVEDIR"},
    {AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW"},     {AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT"},
    {AT_EMPTY_PATH, "AT_EMPTY_PATH"},             {0x8000, "AT_RECURSIVE"},
};

// Filesystem magics (linux/magic.h); where several names share a value,
// the first is the one strace prints (EXT2_SUPER_MAGIC for ext2/3/4).
constexpr Named kFsMagic[] = {
    {ADFS_SUPER_MAGIC, "ADFS_SUPER_MAGIC"},       {AFFS_SUPER_MAGIC, "AFFS_SUPER_MAGIC"},
    {AFS_SUPER_MAGIC, "AFS_SUPER_MAGIC"},         {AUTOFS_SUPER_MAGIC, "AUTOFS_SUPER_MAGIC"},
    {CEPH_SUPER_MAGIC, "CEPH_SUPER_MAGIC"},       {CODA_SUPER_MAGIC, "CODA_SUPER_MAGIC"},
    {CRAMFS_MAGIC, "CRAMFS_MAGIC"},               {DEBUGFS_MAGIC, "DEBUGFS_MAGIC"},
    {SECURITYFS_MAGIC, "SECURITYFS_MAGIC"},       {SELINUX_MAGIC, "SELINUX_MAGIC"},
    {SMACK_MAGIC, "SMACK_MAGIC"},                 {RAMFS_MAGIC, "RAMFS_MAGIC"},
    {TMPFS_MAGIC, "TMPFS_MAGIC"},                 {HUGETLBFS_MAGIC, "HUGETLBFS_MAGIC"},
    {SQUASHFS_MAGIC, "SQUASHFS_MAGIC"},           {ECRYPTFS_SUPER_MAGIC, "ECRYPTFS_SUPER_MAGIC"},
    {EFS_SUPER_MAGIC, "EFS_SUPER_MAGIC"},         {0xE0F5E1E2, "EROFS_SUPER_MAGIC_V1"},
    {EXT2_SUPER_MAGIC, "EXT2_SUPER_MAGIC"},       {XENFS_SUPER_MAGIC, "XENFS_SUPER_MAGIC"},
    {BTRFS_SUPER_MAGIC, "BTRFS_SUPER_MAGIC"},     {NILFS_SUPER_MAGIC, "NILFS_SUPER_MAGIC"},
    {F2FS_SUPER_MAGIC, "F2FS_SUPER_MAGIC"},       {HPFS_SUPER_MAGIC, "HPFS_SUPER_MAGIC"},
    {ISOFS_SUPER_MAGIC, "ISOFS_SUPER_MAGIC"},     {JFFS2_SUPER_MAGIC, "JFFS2_SUPER_MAGIC"},
    {XFS_SUPER_MAGIC, "XFS_SUPER_MAGIC"},         {PSTOREFS_MAGIC, "PSTOREFS_MAGIC"},
    {EFIVARFS_MAGIC, "EFIVARFS_MAGIC"},           {HOSTFS_SUPER_MAGIC, "HOSTFS_SUPER_MAGIC"},
    {OVERLAYFS_SUPER_MAGIC, "OVERLAYFS_SUPER_MAGIC"}, {0x65735546, "FUSE_SUPER_MAGIC"},
    {MINIX_SUPER_MAGIC, "MINIX_SUPER_MAGIC"},     {MINIX_SUPER_MAGIC2, "MINIX_SUPER_MAGIC2"},
    {MINIX2_SUPER_MAGIC, "MINIX2_SUPER_MAGIC"},   {MINIX2_SUPER_MAGIC2, "MINIX2_SUPER_MAGIC2"},
    {MINIX3_SUPER_MAGIC, "MINIX3_SUPER_MAGIC"},   {MSDOS_SUPER_MAGIC, "MSDOS_SUPER_MAGIC"},
    {0x2011BAB0, "EXFAT_SUPER_MAGIC"},            {NCP_SUPER_MAGIC, "NCP_SUPER_MAGIC"},
    {NFS_SUPER_MAGIC, "NFS_SUPER_MAGIC"},         {OCFS2_SUPER_MAGIC, "OCFS2_SUPER_MAGIC"},
    {OPENPROM_SUPER_MAGIC, "OPENPROM_SUPER_MAGIC"}, {QNX4_SUPER_MAGIC, "QNX4_SUPER_MAGIC"},
    {QNX6_SUPER_MAGIC, "QNX6_SUPER_MAGIC"},       {AFS_FS_MAGIC, "AFS_FS_MAGIC"},
    {REISERFS_SUPER_MAGIC, "REISERFS_SUPER_MAGIC"}, {SMB_SUPER_MAGIC, "SMB_SUPER_MAGIC"},
    {0xFF534D42, "CIFS_SUPER_MAGIC"},             {0xFE534D42, "SMB2_SUPER_MAGIC"},
    {CGROUP_SUPER_MAGIC, "CGROUP_SUPER_MAGIC"},   {CGROUP2_SUPER_MAGIC, "CGROUP2_SUPER_MAGIC"},
    {RDTGROUP_SUPER_MAGIC, "RDTGROUP_SUPER_MAGIC"}, {TRACEFS_MAGIC, "TRACEFS_MAGIC"},
    {V9FS_MAGIC, "V9FS_MAGIC"},                   {BDEVFS_MAGIC, "BDEVFS_MAGIC"},
    {DAXFS_MAGIC, "DAXFS_MAGIC"},                 {BINFMTFS_MAGIC, "BINFMTFS_MAGIC"},
    {DEVPTS_SUPER_MAGIC, "DEVPTS_SUPER_MAGIC"},   {BINDERFS_SUPER_MAGIC, "BINDERFS_SUPER_MAGIC"},
    {FUTEXFS_SUPER_MAGIC, "FUTEXFS_SUPER_MAGIC"}, {PIPEFS_MAGIC, "PIPEFS_MAGIC"},
    {PROC_SUPER_MAGIC, "PROC_SUPER_MAGIC"},       {SOCKFS_MAGIC, "SOCKFS_MAGIC"},
    {SYSFS_MAGIC, "SYSFS_MAGIC"},                 {USBDEVICE_SUPER_MAGIC, "USBDEVICE_SUPER_MAGIC"},
    {MTD_INODE_FS_MAGIC, "MTD_INODE_FS_MAGIC"},   {ANON_INODE_FS_MAGIC, "ANON_INODE_FS_MAGIC"},
    {BTRFS_TEST_MAGIC, "BTRFS_TEST_MAGIC"},       {NSFS_MAGIC, "NSFS_MAGIC"},
    {BPF_FS_MAGIC, "BPF_FS_MAGIC"},               {AAFS_MAGIC, "AAFS_MAGIC"},
    {ZONEFS_MAGIC, "ZONEFS_MAGIC"},               {UDF_SUPER_MAGIC, "UDF_SUPER_MAGIC"},
    {DMA_BUF_MAGIC, "DMA_BUF_MAGIC"},             {SECRETMEM_MAGIC, "SECRETMEM_MAGIC"},
};

// statfs f_flags (the ST_* mount flags); strace lists ST_VALID first.
constexpr Named kStFlags[] = {
    {0x0020, "ST_VALID"},      {0x0001, "ST_RDONLY"},      {0x0002, "ST_NOSUID"},
    {0x0004, "ST_NODEV"},      {0x0008, "ST_NOEXEC"},      {0x0010, "ST_SYNCHRONOUS"},
    {0x0040, "ST_MANDLOCK"},   {0x0080, "ST_WRITE"},       {0x0100, "ST_APPEND"},
    {0x0200, "ST_IMMUTABLE"},  {0x0400, "ST_NOATIME"},     {0x0800, "ST_NODIRATIME"},
    {0x1000, "ST_RELATIME"},   {0x2000, "ST_NOSYMFOLLOW"},
};

// ", st_atime=1796417042 /* 2026-12-04T20:44:02.995528811+0000 */, st_atime_nsec=995528811"
std::string stat_time(const char* name, int64_t sec, int64_t nsec) {
  return std::string(", ") + name + "=" + std::to_string(sec) + time_comment(sec, nsec, true) + ", " + name +
         "_nsec=" + std::to_string(nsec);
}

std::string stat_at(const Call& c, uint64_t addr) {
  if (!c.ok()) return ptr(addr);
  struct stat st;
  if (!c.mem.read_value(addr, &st)) return hex(addr);
  bool whole = !c.abbrev();
  std::string out = "{";
  if (whole)
    out += "st_dev=" + makedev_str(st.st_dev) + ", st_ino=" + std::to_string(st.st_ino) + ", ";
  out += "st_mode=" + mode_with_type(st.st_mode);
  if (whole)
    out += ", st_nlink=" + std::to_string(st.st_nlink) + ", st_uid=" + std::to_string(st.st_uid) +
           ", st_gid=" + std::to_string(st.st_gid) + ", st_blksize=" + std::to_string(st.st_blksize) +
           ", st_blocks=" + std::to_string(st.st_blocks);
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) out += ", st_rdev=" + makedev_str(st.st_rdev);
  else out += ", st_size=" + std::to_string(st.st_size);
  if (!whole) return out + ", ...}";
  return out + stat_time("st_atime", st.st_atim.tv_sec, st.st_atim.tv_nsec) +
         stat_time("st_mtime", st.st_mtim.tv_sec, st.st_mtim.tv_nsec) +
         stat_time("st_ctime", st.st_ctim.tv_sec, st.st_ctim.tv_nsec) + "}";
}

// ", stx_atime={tv_sec=…, tv_nsec=…} /* … */"
std::string statx_time(const char* name, const struct statx_timestamp& ts) {
  return std::string(", ") + name + "={tv_sec=" + std::to_string(ts.tv_sec) + ", tv_nsec=" + std::to_string(ts.tv_nsec) +
         "}" + time_comment(ts.tv_sec, ts.tv_nsec, true);
}

// strace -v's statx: every field the mask says is there.
std::string statx_whole(const struct statx& sx) {
  std::string out = "{stx_mask=" + flags(sx.stx_mask, table(kStatxMask), "STATX_???") +
                    ", stx_blksize=" + std::to_string(sx.stx_blksize) +
                    ", stx_attributes=" + flags(sx.stx_attributes, table(kStatxAttrs), "STATX_ATTR_???") +
                    ", stx_nlink=" + std::to_string(sx.stx_nlink) + ", stx_uid=" + std::to_string(sx.stx_uid) +
                    ", stx_gid=" + std::to_string(sx.stx_gid) + ", stx_mode=" + mode_with_type(sx.stx_mode) +
                    ", stx_ino=" + std::to_string(sx.stx_ino) + ", stx_size=" + std::to_string(sx.stx_size) +
                    ", stx_blocks=" + std::to_string(sx.stx_blocks) +
                    ", stx_attributes_mask=" + flags(sx.stx_attributes_mask, table(kStatxAttrs), "STATX_ATTR_???");
  out += statx_time("stx_atime", sx.stx_atime);
  if (sx.stx_mask & STATX_BTIME) out += statx_time("stx_btime", sx.stx_btime);
  out += statx_time("stx_ctime", sx.stx_ctime) + statx_time("stx_mtime", sx.stx_mtime);
  out += ", stx_rdev_major=" + std::to_string(sx.stx_rdev_major) + ", stx_rdev_minor=" + std::to_string(sx.stx_rdev_minor) +
         ", stx_dev_major=" + std::to_string(sx.stx_dev_major) + ", stx_dev_minor=" + std::to_string(sx.stx_dev_minor);
#ifdef STATX_MNT_ID
  if (sx.stx_mask & STATX_MNT_ID) out += ", stx_mnt_id=" + hex(sx.stx_mnt_id);
#endif
  return out + "}";
}

// The sync mode and the AT_* flags, each styled on its own for -X (strace's
// raw form prints a zero sync mode as nothing: "|0x900").
std::string statx_flags(uint32_t v) {
  std::string out;
  uint32_t sync = v & 0x6000;
  if (sync == 0) out = const_style() == ConstStyle::kRaw ? "" : styled("0", "AT_STATX_SYNC_AS_STAT");
  else {
    std::string names;
    append_flags(&names, sync, table(kStatxSync));
    out = styled(hex(sync), names);
  }
  if (uint32_t rest = v & ~0x6000U) {
    std::string names;
    append_flags_hex(&names, rest, table(kStatxAtFlags));
    out += "|" + styled(hex(rest), names);
  }
  return out;
}

std::string statx_at(const Call& c, uint64_t addr) {
  if (!c.ok()) return ptr(addr);
  struct statx sx;
  if (!c.mem.read_value(addr, &sx)) return hex(addr);
  if (!c.abbrev()) return statx_whole(sx);
  return "{stx_mask=" + flags(sx.stx_mask, table(kStatxMask), "STATX_???") +
         ", stx_attributes=" + flags(sx.stx_attributes, table(kStatxAttrs), "STATX_ATTR_???") +
         ", stx_mode=" + mode_with_type(sx.stx_mode) + ", stx_size=" + std::to_string(sx.stx_size) + ", ...}";
}

std::string statfs_at(const Call& c, uint64_t addr) {
  if (!c.ok()) return ptr(addr);
  struct statfs sf;
  if (!c.mem.read_value(addr, &sf)) return hex(addr);
  int fsid[2];
  static_assert(sizeof fsid == sizeof sf.f_fsid, "fsid layout");
  memcpy(fsid, &sf.f_fsid, sizeof fsid);
  return "{f_type=" + xlat(static_cast<uint64_t>(sf.f_type), table(kFsMagic), nullptr) +
         ", f_bsize=" + std::to_string(sf.f_bsize) + ", f_blocks=" + std::to_string(sf.f_blocks) +
         ", f_bfree=" + std::to_string(sf.f_bfree) + ", f_bavail=" + std::to_string(sf.f_bavail) +
         ", f_files=" + std::to_string(sf.f_files) + ", f_ffree=" + std::to_string(sf.f_ffree) +
         ", f_fsid={val=[" + hex(static_cast<uint32_t>(fsid[0])) + ", " + hex(static_cast<uint32_t>(fsid[1])) +
         "]}, f_namelen=" + std::to_string(sf.f_namelen) + ", f_frsize=" + std::to_string(sf.f_frsize) +
         ", f_flags=" + flags(static_cast<uint64_t>(sf.f_flags), table(kStFlags), "ST_???") + "}";
}

void stat_rest(Call& c, int i) { c.add(stat_at(c, c.u(i))); }

void newfstatat(Call& c) {
  add_dirfd_path(c, 0);
  c.add(stat_at(c, c.u(2)));
  c.add(at_flags(c.u32(3)));
}

void statx(Call& c) {
  add_dirfd_path(c, 0);
  c.add(statx_flags(c.u32(2)));
  c.add(flags(c.u32(3), table(kStatxMask), "STATX_???"));
  c.add(statx_at(c, c.u(4)));
}

void statfs_rest(Call& c, int i) { c.add(statfs_at(c, c.u(i))); }

constexpr Decoder kDecoders[] = {
    with_exit("stat", by_path<stat_rest>),
    with_exit("lstat", by_path<stat_rest>),
    with_exit("fstat", by_fd<stat_rest>),
    with_exit("newfstatat", newfstatat),
    with_exit("statx", statx),
    with_exit("statfs", by_path<statfs_rest>),
    with_exit("fstatfs", by_fd<statfs_rest>),
};

}  // namespace

DecoderList stat_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
