// File names and the filesystem namespace: open, access, mkdir, rename,
// links, permissions, times, extended attributes, mount, inotify.
// (stat and statfs are in decode_stat.cc.)
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

constexpr Named kAccessModes[] = {{R_OK, "R_OK"}, {W_OK, "W_OK"}, {X_OK, "X_OK"}, {F_OK, "F_OK"}};
constexpr Named kFaccessatFlags[] = {
    {AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"}, {AT_EACCESS, "AT_EACCESS"}, {AT_EMPTY_PATH, "AT_EMPTY_PATH"}};
constexpr Named kRenameFlags[] = {{1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"}, {4, "RENAME_WHITEOUT"}};
constexpr Named kXattrFlags[] = {{1, "XATTR_CREATE"}, {2, "XATTR_REPLACE"}};
constexpr Named kResolveFlags[] = {
    {0x01, "RESOLVE_NO_XDEV"}, {0x02, "RESOLVE_NO_MAGICLINKS"}, {0x04, "RESOLVE_NO_SYMLINKS"},
    {0x08, "RESOLVE_BENEATH"}, {0x10, "RESOLVE_IN_ROOT"},       {0x20, "RESOLVE_CACHED"}};
constexpr Named kInotifyInitFlags[] = {{IN_NONBLOCK, "IN_NONBLOCK"}, {IN_CLOEXEC, "IN_CLOEXEC"}};
constexpr Named kInotifyMask[] = {
    {IN_ACCESS, "IN_ACCESS"},         {IN_MODIFY, "IN_MODIFY"},
    {IN_ATTRIB, "IN_ATTRIB"},         {IN_CLOSE_WRITE, "IN_CLOSE_WRITE"},
    {IN_CLOSE_NOWRITE, "IN_CLOSE_NOWRITE"}, {IN_OPEN, "IN_OPEN"},
    {IN_MOVED_FROM, "IN_MOVED_FROM"}, {IN_MOVED_TO, "IN_MOVED_TO"},
    {IN_CREATE, "IN_CREATE"},         {IN_DELETE, "IN_DELETE"},
    {IN_DELETE_SELF, "IN_DELETE_SELF"}, {IN_MOVE_SELF, "IN_MOVE_SELF"},
    {IN_UNMOUNT, "IN_UNMOUNT"},       {IN_Q_OVERFLOW, "IN_Q_OVERFLOW"},
    {IN_IGNORED, "IN_IGNORED"},       {IN_ONLYDIR, "IN_ONLYDIR"},
    {IN_DONT_FOLLOW, "IN_DONT_FOLLOW"}, {IN_EXCL_UNLINK, "IN_EXCL_UNLINK"},
    {0x10000000, "IN_MASK_CREATE"},   {IN_MASK_ADD, "IN_MASK_ADD"},
    {IN_ISDIR, "IN_ISDIR"},           {IN_ONESHOT, "IN_ONESHOT"},
};
constexpr Named kMountFlags[] = {
    {MS_RDONLY, "MS_RDONLY"},       {MS_NOSUID, "MS_NOSUID"},       {MS_NODEV, "MS_NODEV"},
    {MS_NOEXEC, "MS_NOEXEC"},       {MS_SYNCHRONOUS, "MS_SYNCHRONOUS"}, {MS_REMOUNT, "MS_REMOUNT"},
    {MS_MANDLOCK, "MS_MANDLOCK"},   {MS_DIRSYNC, "MS_DIRSYNC"},     {256, "MS_NOSYMFOLLOW"},
    {MS_NOATIME, "MS_NOATIME"},     {MS_NODIRATIME, "MS_NODIRATIME"}, {MS_BIND, "MS_BIND"},
    {MS_MOVE, "MS_MOVE"},           {MS_REC, "MS_REC"},             {MS_SILENT, "MS_SILENT"},
    {MS_POSIXACL, "MS_POSIXACL"},   {MS_UNBINDABLE, "MS_UNBINDABLE"}, {MS_PRIVATE, "MS_PRIVATE"},
    {MS_SLAVE, "MS_SLAVE"},         {MS_SHARED, "MS_SHARED"},       {MS_RELATIME, "MS_RELATIME"},
    {MS_KERNMOUNT, "MS_KERNMOUNT"}, {MS_I_VERSION, "MS_I_VERSION"}, {MS_STRICTATIME, "MS_STRICTATIME"},
    {MS_LAZYTIME, "MS_LAZYTIME"},   {1 << 26, "MS_SUBMOUNT"},       {1 << 27, "MS_NOREMOTELOCK"},
    {1 << 28, "MS_NOSEC"},          {1 << 29, "MS_BORN"},           {MS_ACTIVE, "MS_ACTIVE"},
    {1u << 31, "MS_NOUSER"},
};
constexpr Named kUmountFlags[] = {
    {MNT_FORCE, "MNT_FORCE"}, {MNT_DETACH, "MNT_DETACH"}, {MNT_EXPIRE, "MNT_EXPIRE"}, {UMOUNT_NOFOLLOW, "UMOUNT_NOFOLLOW"}};

std::string access_mode(uint32_t v) { return flags(v, table(kAccessModes), "?_OK"); }

void open_rest(Call& c, int i) {
  c.add(open_flags(c.u32(i)));
  if (open_takes_mode(c.u32(i))) c.add(mode_perm(c.u32(i + 1)));
}

void openat2(Call& c) {
  add_dirfd_path(c, 0);
  struct open_how how;
  if (c.u(2) == 0) {
    c.add("NULL");
  } else if (c.u(3) < sizeof how || !c.mem.read_value(c.u(2), &how)) {
    c.add(hex(c.u(2)));
  } else {
    std::string s = "{flags=" + open_flags(how.flags);
    if (how.mode || open_takes_mode(how.flags)) s += ", mode=" + mode_perm(static_cast<uint32_t>(how.mode));
    s += ", resolve=" + flags(how.resolve, table(kResolveFlags), "RESOLVE_???") + "}";
    c.add(s);
  }
  c.add(udec(c.u(3)));
}

void access_rest(Call& c, int i) { c.add(access_mode(c.u32(i))); }

void faccessat2_rest(Call& c, int i) {
  access_rest(c, i);
  c.add(flags(c.u32(i + 1), table(kFaccessatFlags), "AT_???"));
}

void unlinkat(Call& c) {
  add_dirfd_path(c, 0);
  c.add(at_flags(c.u32(2)));
}

void renameat2(Call& c) {
  add_dirfd_path(c, 0);
  add_dirfd_path(c, 2);
  c.add(flags(c.u32(4), table(kRenameFlags), "RENAME_???"));
}

void linkat(Call& c) {
  add_dirfd_path(c, 0);
  add_dirfd_path(c, 2);
  c.add(at_flags(c.u32(4)));
}

void fchownat(Call& c) {
  add_dirfd_path(c, 0);
  c.add(id32(c.u32(2)));
  c.add(id32(c.u32(3)));
  c.add(at_flags(c.u32(4)));
}

// The link target, as many bytes as the call returned (no NUL), and the size.
void readlink_rest(Call& c, int i) {
  c.add(c.ok() ? buffer(c, c.u(i), static_cast<uint64_t>(c.rval())) : ptr(c.u(i)));
  c.add(udec(c.u(i + 1)));
}

void getcwd(Call& c) {
  c.add(c.ok() ? path(c, c.u(0)) : ptr(c.u(0)));
  c.add(udec(c.u(1)));
}

void mknod_rest(Call& c, int i) {
  uint32_t mode = c.u32(i);
  c.add(mode_with_type(mode));
  if (S_ISCHR(mode) || S_ISBLK(mode)) c.add(makedev_str(c.u(i + 1)));
}

void umask(Call& c) {
  c.add(mode_perm(c.u32(0)));
  if (c.ok()) c.ret = octal(static_cast<uint64_t>(c.rval()));
}

// utimensat's and utimes' two times (access, modification), each as
// `item` shows its seconds and fraction.
std::string two_times_at(const Call& c, uint64_t addr, std::string (*item)(int64_t, int64_t)) {
  if (addr == 0) return "NULL";
  int64_t t[2][2];
  if (!c.mem.read_value(addr, &t)) return hex(addr);
  return array(c, {item(t[0][0], t[0][1]), item(t[1][0], t[1][1])}, 2);
}

// A timespec with its date, or UTIME_NOW/UTIME_OMIT.
std::string utimens_item(int64_t sec, int64_t nsec) {
  if (nsec == UTIME_NOW) return "UTIME_NOW";
  if (nsec == UTIME_OMIT) return "UTIME_OMIT";
  return timespec_str(sec, nsec) + time_comment(sec, nsec, true);
}

std::string utimes_item(int64_t sec, int64_t usec) {
  return timeval_str(sec, usec) + time_comment(sec, usec * 1000, true);
}

void utimes_rest(Call& c, int i) { c.add(two_times_at(c, c.u(i), utimes_item)); }

void utime(Call& c) {
  c.add(path(c, c.u(0)));
  struct {
    int64_t actime, modtime;
  } t;
  if (c.u(1) == 0) c.add("NULL");
  else if (!c.mem.read_value(c.u(1), &t)) c.add(hex(c.u(1)));
  else
    c.add("{actime=" + std::to_string(t.actime) + time_comment(t.actime, 0, false) +
          ", modtime=" + std::to_string(t.modtime) + time_comment(t.modtime, 0, false) + "}");
}

void utimensat(Call& c) {
  add_dirfd_path(c, 0);
  c.add(two_times_at(c, c.u(2), utimens_item));
  c.add(at_flags(c.u32(3)));
}

// -- extended attributes ------------------------------------------------------

// The value a get/list call returned: as many bytes as it returned.
std::string xattr_out(const Call& c, uint64_t addr, uint64_t size) {
  if (addr == 0 || size == 0 || !c.ok()) return ptr(addr);
  return buffer(c, addr, static_cast<uint64_t>(c.rval()));
}

void getxattr_rest(Call& c, int i) {
  c.add(cstring(c, c.u(i)));
  c.add(xattr_out(c, c.u(i + 1), c.u(i + 2)));
  c.add(udec(c.u(i + 2)));
}

void setxattr_rest(Call& c, int i) {
  c.add(cstring(c, c.u(i)));
  c.add(buffer(c, c.u(i + 1), c.u(i + 2)));
  c.add(udec(c.u(i + 2)));
  c.add(flags(c.u32(i + 3), table(kXattrFlags), "XATTR_???"));
}

void listxattr_rest(Call& c, int i) {
  c.add(xattr_out(c, c.u(i), c.u(i + 1)));
  c.add(udec(c.u(i + 1)));
}

void removexattr_rest(Call& c, int i) { c.add(cstring(c, c.u(i))); }

// -- mount, inotify -----------------------------------------------------------

void mount(Call& c) {
  uint64_t f = c.u(3);
  c.add(path(c, c.u(0)));
  c.add(path(c, c.u(1)));
  // The filesystem type is ignored when remounting, binding, moving or
  // changing propagation: shown as the pointer.
  constexpr uint64_t kNoType = MS_REMOUNT | MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;
  uint64_t without_magic = (f & MS_MGC_MSK) == MS_MGC_VAL ? f & ~static_cast<uint64_t>(MS_MGC_MSK) : f;
  c.add(without_magic & kNoType ? ptr(c.u(2)) : cstring(c, c.u(2)));
  std::string fs;
  if ((f & MS_MGC_MSK) == MS_MGC_VAL) {
    fs = "MS_MGC_VAL";
    f &= ~static_cast<uint64_t>(MS_MGC_MSK);
    if (f) append_part(&fs, flags(f, table(kMountFlags), nullptr));
  } else {
    fs = flags(f, table(kMountFlags), "MS_???");
  }
  c.add(fs);
  c.add(c.u(4) ? cstring(c, c.u(4)) : "NULL");
}

void umount2(Call& c) {
  c.add(path(c, c.u(0)));
  c.add(flags(c.u32(1), table(kUmountFlags), "MNT_???"));
}

void inotify_init1(Call& c) { c.add(flags(c.u32(0), table(kInotifyInitFlags), "IN_???")); }

void inotify_add_watch(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(path(c, c.u(1)));
  c.add(flags(c.u32(2), table(kInotifyMask), "IN_???"));
}

constexpr Decoder kDecoders[] = {
    fd_result(with_exit("open", by_path<open_rest>)),
    fd_result(with_exit("openat", by_dirfd_path<open_rest>)),
    fd_result(with_exit("openat2", openat2)),
    fd_result(with_signature("creat", "so")),
    with_exit("access", by_path<access_rest>),
    with_exit("faccessat", by_dirfd_path<access_rest>),
    with_exit("faccessat2", by_dirfd_path<faccessat2_rest>),
    with_signature("chdir", "s"),
    with_signature("fchdir", "F"),
    with_signature("chroot", "s"),
    with_signature("pivot_root", "ss"),
    with_signature("mkdir", "so"),
    with_signature("mkdirat", "fso"),
    with_signature("rmdir", "s"),
    with_signature("unlink", "s"),
    with_exit("unlinkat", unlinkat),
    with_signature("rename", "ss"),
    with_signature("renameat", "fsfs"),
    with_exit("renameat2", renameat2),
    with_signature("link", "ss"),
    with_exit("linkat", linkat),
    with_signature("symlink", "ss"),
    with_signature("symlinkat", "sfs"),
    with_exit("readlink", by_path<readlink_rest>),
    with_exit("readlinkat", by_dirfd_path<readlink_rest>),
    with_exit("getcwd", getcwd),
    with_signature("chmod", "so"),
    with_signature("fchmod", "Fo"),
    with_signature("fchmodat", "fso"),
    with_signature("chown", "sii"),
    with_signature("lchown", "sii"),
    with_signature("fchown", "Fii"),
    with_exit("fchownat", fchownat),
    with_signature("truncate", "sl"),
    with_signature("ftruncate", "Fl"),
    with_exit("mknod", by_path<mknod_rest>),
    with_exit("mknodat", by_dirfd_path<mknod_rest>),
    with_exit("umask", umask),
    with_exit("utimensat", utimensat),
    with_exit("utimes", by_path<utimes_rest>),
    with_exit("utime", utime),
    with_exit("futimesat", by_dirfd_path<utimes_rest>),
    with_exit("getxattr", by_path<getxattr_rest>),
    with_exit("lgetxattr", by_path<getxattr_rest>),
    with_exit("fgetxattr", by_fd<getxattr_rest>),
    with_exit("setxattr", by_path<setxattr_rest>),
    with_exit("lsetxattr", by_path<setxattr_rest>),
    with_exit("fsetxattr", by_fd<setxattr_rest>),
    with_exit("listxattr", by_path<listxattr_rest>),
    with_exit("llistxattr", by_path<listxattr_rest>),
    with_exit("flistxattr", by_fd<listxattr_rest>),
    with_exit("removexattr", by_path<removexattr_rest>),
    with_exit("lremovexattr", by_path<removexattr_rest>),
    with_exit("fremovexattr", by_fd<removexattr_rest>),
    with_exit("mount", mount),
    with_exit("umount2", umount2),
    with_signature("acct", "s"),
    with_signature("swapoff", "s"),
    fd_result(with_exit("inotify_init1", inotify_init1)),
    fd_result(with_signature("inotify_init", "")),
    with_exit("inotify_add_watch", inotify_add_watch),
    with_signature("inotify_rm_watch", "Fd"),
    with_signature("sync", ""),
    with_signature("syncfs", "F"),
    with_signature("fsync", "F"),
    with_signature("fdatasync", "F"),
};

}  // namespace

DecoderList file_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
