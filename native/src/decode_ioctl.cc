// ioctl: request names and the arguments of the requests a program makes
// on a terminal or a plain file descriptor.
//
// Only the kernel's termios (asm/termbits.h) is used here, not glibc's,
// whose struct termios has a different layout; hence the separate file.
#include <asm/termios.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/sockios.h>

#include <cstring>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

// Request names. Where two subsystems share a number strace prints both
// (the OSS sequencer timer requests reuse the terminal ones).
constexpr Named kRequests[] = {
    {TCGETS, "TCGETS"},
    {0xc0045401, "SNDCTL_TMR_TIMEBASE"},
    {0xc0045405, "SNDCTL_TMR_TEMPO"},
    {0xc0045406, "SNDCTL_TMR_SOURCE"},
    {0x40045407, "SNDCTL_TMR_METRONOME"},
    {0x40045408, "SNDCTL_TMR_SELECT"},
    {TCSETS, "SNDCTL_TMR_START or TCSETS"},
    {TCSETSW, "SNDCTL_TMR_STOP or TCSETSW"},
    {TCSETSF, "SNDCTL_TMR_CONTINUE or TCSETSF"},
    {TCGETA, "TCGETA"},
    {TCSETA, "TCSETA"},
    {TCSETAW, "TCSETAW"},
    {TCSETAF, "TCSETAF"},
    {TCSBRK, "TCSBRK"},
    {TCXONC, "TCXONC"},
    {TCFLSH, "TCFLSH"},
    {TIOCEXCL, "TIOCEXCL"},
    {TIOCNXCL, "TIOCNXCL"},
    {TIOCSCTTY, "TIOCSCTTY"},
    {TIOCGPGRP, "TIOCGPGRP"},
    {TIOCSPGRP, "TIOCSPGRP"},
    {TIOCOUTQ, "TIOCOUTQ"},
    {TIOCSTI, "TIOCSTI"},
    {TIOCGWINSZ, "TIOCGWINSZ"},
    {TIOCSWINSZ, "TIOCSWINSZ"},
    {TIOCMGET, "TIOCMGET"},
    {TIOCMBIS, "TIOCMBIS"},
    {TIOCMBIC, "TIOCMBIC"},
    {TIOCMSET, "TIOCMSET"},
    {TIOCGSOFTCAR, "TIOCGSOFTCAR"},
    {TIOCSSOFTCAR, "TIOCSSOFTCAR"},
    {FIONREAD, "FIONREAD"},
    {TIOCLINUX, "TIOCLINUX"},
    {TIOCCONS, "TIOCCONS"},
    {TIOCGSERIAL, "TIOCGSERIAL"},
    {TIOCSSERIAL, "TIOCSSERIAL"},
    {TIOCPKT, "TIOCPKT"},
    {FIONBIO, "FIONBIO"},
    {TIOCNOTTY, "TIOCNOTTY"},
    {TIOCSETD, "TIOCSETD"},
    {TIOCGETD, "TIOCGETD"},
    {TCSBRKP, "TCSBRKP"},
    {TIOCSBRK, "TIOCSBRK"},
    {TIOCCBRK, "TIOCCBRK"},
    {TIOCGSID, "TIOCGSID"},
    {TCGETS2, "TCGETS2"},
    {TCSETS2, "TCSETS2"},
    {TCSETSW2, "TCSETSW2"},
    {TCSETSF2, "TCSETSF2"},
    {TIOCGPTN, "TIOCGPTN"},
    {TIOCSPTLCK, "TIOCSPTLCK"},
    {TIOCGDEV, "TIOCGDEV"},
    {TIOCSIG, "TIOCSIG"},
    {TIOCVHANGUP, "TIOCVHANGUP"},
    {TIOCGPKT, "TIOCGPKT"},
    {TIOCGPTLCK, "TIOCGPTLCK"},
    {TIOCGEXCL, "TIOCGEXCL"},
    {TIOCGPTPEER, "TIOCGPTPEER"},
    {FIONCLEX, "FIONCLEX"},
    {FIOCLEX, "FIOCLEX"},
    {FIOASYNC, "FIOASYNC"},
    {TIOCSERCONFIG, "TIOCSERCONFIG"},
    {TIOCSERGWILD, "TIOCSERGWILD"},
    {TIOCSERSWILD, "TIOCSERSWILD"},
    {TIOCGLCKTRMIOS, "TIOCGLCKTRMIOS"},
    {TIOCSLCKTRMIOS, "TIOCSLCKTRMIOS"},
    {TIOCSERGSTRUCT, "TIOCSERGSTRUCT"},
    {TIOCSERGETLSR, "TIOCSERGETLSR"},
    {TIOCSERGETMULTI, "TIOCSERGETMULTI"},
    {TIOCSERSETMULTI, "TIOCSERSETMULTI"},
    {TIOCMIWAIT, "TIOCMIWAIT"},
    {TIOCGICOUNT, "TIOCGICOUNT"},
    {FIOQSIZE, "FIOQSIZE"},
    // Files and block devices.
    {FIBMAP, "FIBMAP"},
    {FIGETBSZ, "FIGETBSZ"},
    {FICLONE, "BTRFS_IOC_CLONE or FICLONE"},
    {FICLONERANGE, "BTRFS_IOC_CLONE_RANGE or FICLONERANGE"},
    {FIDEDUPERANGE, "BTRFS_IOC_FILE_EXTENT_SAME or FIDEDUPERANGE"},
    {FS_IOC_GETFLAGS, "FS_IOC_GETFLAGS"},
    {FS_IOC_SETFLAGS, "FS_IOC_SETFLAGS"},
    {FS_IOC_GETVERSION, "FS_IOC_GETVERSION"},
    {FS_IOC_SETVERSION, "FS_IOC_SETVERSION"},
    {FS_IOC_FIEMAP, "FS_IOC_FIEMAP"},
    {FS_IOC_FSGETXATTR, "FS_IOC_FSGETXATTR"},
    {FS_IOC_FSSETXATTR, "FS_IOC_FSSETXATTR"},
    {FIFREEZE, "FIFREEZE"},
    {FITHAW, "FITHAW"},
    {FITRIM, "FITRIM"},
    {BLKROSET, "BLKROSET"},
    {BLKROGET, "BLKROGET"},
    {BLKRRPART, "BLKRRPART"},
    {BLKGETSIZE, "BLKGETSIZE"},
    {BLKFLSBUF, "BLKFLSBUF"},
    {BLKSSZGET, "BLKSSZGET"},
    {BLKBSZGET, "BLKBSZGET"},
    {BLKBSZSET, "BLKBSZSET"},
    {BLKGETSIZE64, "BLKGETSIZE64"},
    {BLKDISCARD, "BLKDISCARD"},
    {BLKIOMIN, "BLKIOMIN"},
    {BLKIOOPT, "BLKIOOPT"},
    {BLKPBSZGET, "BLKPBSZGET"},
    // Sockets.
    {FIOSETOWN, "FIOSETOWN"},
    {SIOCSPGRP, "SIOCSPGRP"},
    {FIOGETOWN, "FIOGETOWN"},
    {SIOCGPGRP, "SIOCGPGRP"},
    {SIOCATMARK, "SIOCATMARK"},
    {SIOCGIFNAME, "SIOCGIFNAME"},
    {SIOCGIFCONF, "SIOCGIFCONF"},
    {SIOCGIFFLAGS, "SIOCGIFFLAGS"},
    {SIOCSIFFLAGS, "SIOCSIFFLAGS"},
    {SIOCGIFADDR, "SIOCGIFADDR"},
    {SIOCGIFMTU, "SIOCGIFMTU"},
    {SIOCGIFHWADDR, "SIOCGIFHWADDR"},
    {SIOCGIFINDEX, "SIOCGIFINDEX"},
};

// -- termios ----------------------------------------------------------------------

constexpr Named kIflags[] = {
    {IGNBRK, "IGNBRK"}, {BRKINT, "BRKINT"}, {IGNPAR, "IGNPAR"}, {PARMRK, "PARMRK"},   {INPCK, "INPCK"},
    {ISTRIP, "ISTRIP"}, {INLCR, "INLCR"},   {IGNCR, "IGNCR"},   {ICRNL, "ICRNL"},     {IUCLC, "IUCLC"},
    {IXON, "IXON"},     {IXANY, "IXANY"},   {IXOFF, "IXOFF"},   {IMAXBEL, "IMAXBEL"}, {IUTF8, "IUTF8"},
};
constexpr Named kOflags[] = {
    {OPOST, "OPOST"}, {OLCUC, "OLCUC"}, {ONLCR, "ONLCR"}, {OCRNL, "OCRNL"},
    {ONOCR, "ONOCR"}, {ONLRET, "ONLRET"}, {OFILL, "OFILL"}, {OFDEL, "OFDEL"},
};
constexpr Named kNlDelay[] = {{NL0, "NL0"}, {NL1, "NL1"}};
constexpr Named kCrDelay[] = {{CR0, "CR0"}, {CR1, "CR1"}, {CR2, "CR2"}, {CR3, "CR3"}};
constexpr Named kTabDelay[] = {{TAB0, "TAB0"}, {TAB1, "TAB1"}, {TAB2, "TAB2"}, {XTABS, "XTABS"}};
constexpr Named kBsDelay[] = {{BS0, "BS0"}, {BS1, "BS1"}};
constexpr Named kVtDelay[] = {{VT0, "VT0"}, {VT1, "VT1"}};
constexpr Named kFfDelay[] = {{FF0, "FF0"}, {FF1, "FF1"}};
constexpr Named kBauds[] = {
    {B0, "B0"},           {B50, "B50"},           {B75, "B75"},           {B110, "B110"},
    {B134, "B134"},       {B150, "B150"},         {B200, "B200"},         {B300, "B300"},
    {B600, "B600"},       {B1200, "B1200"},       {B1800, "B1800"},       {B2400, "B2400"},
    {B4800, "B4800"},     {B9600, "B9600"},       {B19200, "B19200"},     {B38400, "B38400"},
    {BOTHER, "BOTHER"},   {B57600, "B57600"},     {B115200, "B115200"},   {B230400, "B230400"},
    {B460800, "B460800"}, {B500000, "B500000"},   {B576000, "B576000"},   {B921600, "B921600"},
    {B1000000, "B1000000"}, {B1152000, "B1152000"}, {B1500000, "B1500000"}, {B2000000, "B2000000"},
    {B2500000, "B2500000"}, {B3000000, "B3000000"}, {B3500000, "B3500000"}, {B4000000, "B4000000"},
};
constexpr Named kCsize[] = {{CS5, "CS5"}, {CS6, "CS6"}, {CS7, "CS7"}, {CS8, "CS8"}};
constexpr Named kCflags[] = {
    {CSTOPB, "CSTOPB"}, {CREAD, "CREAD"},   {PARENB, "PARENB"}, {PARODD, "PARODD"},
    {HUPCL, "HUPCL"},   {CLOCAL, "CLOCAL"}, {CMSPAR, "CMSPAR"}, {CRTSCTS, "CRTSCTS"},
};
constexpr Named kLflags[] = {
    {ISIG, "ISIG"},       {ICANON, "ICANON"},   {XCASE, "XCASE"},     {ECHO, "ECHO"},
    {ECHOE, "ECHOE"},     {ECHOK, "ECHOK"},     {ECHONL, "ECHONL"},   {NOFLSH, "NOFLSH"},
    {IEXTEN, "IEXTEN"},   {ECHOCTL, "ECHOCTL"}, {ECHOPRT, "ECHOPRT"}, {ECHOKE, "ECHOKE"},
    {FLUSHO, "FLUSHO"},   {PENDIN, "PENDIN"},   {TOSTOP, "TOSTOP"},   {EXTPROC, "EXTPROC"},
};
// Inode flags (FS_IOC_GETFLAGS/SETFLAGS).
constexpr Named kInodeFlags[] = {
    {0x00000001, "FS_SECRM_FL"},        {0x00000002, "FS_UNRM_FL"},         {0x00000004, "FS_COMPR_FL"},
    {0x00000008, "FS_SYNC_FL"},         {0x00000010, "FS_IMMUTABLE_FL"},    {0x00000020, "FS_APPEND_FL"},
    {0x00000040, "FS_NODUMP_FL"},       {0x00000080, "FS_NOATIME_FL"},      {0x00000100, "FS_DIRTY_FL"},
    {0x00000200, "FS_COMPRBLK_FL"},     {0x00000400, "FS_NOCOMP_FL"},       {0x00000800, "FS_ENCRYPT_FL"},
    {0x00001000, "FS_INDEX_FL"},        {0x00002000, "FS_IMAGIC_FL"},       {0x00004000, "FS_JOURNAL_DATA_FL"},
    {0x00008000, "FS_NOTAIL_FL"},       {0x00010000, "FS_DIRSYNC_FL"},      {0x00020000, "FS_TOPDIR_FL"},
    {0x00040000, "FS_HUGE_FILE_FL"},    {0x00080000, "FS_EXTENT_FL"},       {0x00100000, "FS_VERITY_FL"},
    {0x00200000, "FS_EA_INODE_FL"},     {0x00400000, "FS_EOFBLOCKS_FL"},    {0x00800000, "FS_NOCOW_FL"},
    {0x02000000, "FS_DAX_FL"},          {0x10000000, "FS_INLINE_DATA_FL"},  {0x20000000, "FS_PROJINHERIT_FL"},
    {0x40000000, "FS_CASEFOLD_FL"},     {0x80000000, "FS_RESERVED_FL"},
};

constexpr Named kFlushQueues[] = {{TCIFLUSH, "TCIFLUSH"}, {TCOFLUSH, "TCOFLUSH"}, {TCIOFLUSH, "TCIOFLUSH"}};
constexpr Named kFlowActions[] = {{TCOOFF, "TCOOFF"}, {TCOON, "TCOON"}, {TCIOFF, "TCIOFF"}, {TCION, "TCION"}};
constexpr Named kModemBits[] = {
    {TIOCM_LE, "TIOCM_LE"},   {TIOCM_DTR, "TIOCM_DTR"}, {TIOCM_RTS, "TIOCM_RTS"}, {TIOCM_ST, "TIOCM_ST"},
    {TIOCM_SR, "TIOCM_SR"},   {TIOCM_CTS, "TIOCM_CTS"}, {TIOCM_CAR, "TIOCM_CAR"}, {TIOCM_RNG, "TIOCM_RNG"},
    {TIOCM_DSR, "TIOCM_DSR"}, {TIOCM_OUT1, "TIOCM_OUT1"}, {TIOCM_OUT2, "TIOCM_OUT2"}, {TIOCM_LOOP, "TIOCM_LOOP"},
};

// strace prints a flag word by appending "NAME|" per set flag and trimming
// the last bar only when unnamed bits follow; a termios field with no
// named flag is therefore empty ("c_iflag=") and a field that had only
// its delay/size names keeps their trailing bar ("CS8|"). Reproduced as is.
std::string termios_flags(std::string prefix, uint32_t v, Table t) {
  std::string names;
  append_flags_hex(&names, v, t);
  return prefix + names;
}

// The four flag words of a termios (or of the older termio).
std::string termios_str(uint32_t iflag, uint32_t oflag, uint32_t cflag, uint32_t lflag) {
  std::string o = std::string(lookup(table(kNlDelay), oflag & NLDLY)) + "|" + lookup(table(kCrDelay), oflag & CRDLY) +
                  "|" + lookup(table(kTabDelay), oflag & TABDLY) + "|" + lookup(table(kBsDelay), oflag & BSDLY) + "|" +
                  lookup(table(kVtDelay), oflag & VTDLY) + "|" + lookup(table(kFfDelay), oflag & FFDLY) + "|";
  uint32_t oflags = oflag & ~static_cast<uint32_t>(NLDLY | CRDLY | TABDLY | BSDLY | VTDLY | FFDLY);

  const char* baud = lookup(table(kBauds), cflag & CBAUD);
  std::string cf = baud ? baud : hex(cflag & CBAUD);
  cf += "|";
  uint32_t ibaud = (cflag & CIBAUD) >> IBSHIFT;
  if (ibaud) {
    const char* ib = lookup(table(kBauds), ibaud);
    cf += std::string(ib ? ib : hex(ibaud)) + "<<IBSHIFT|";
  }
  cf += std::string(lookup(table(kCsize), cflag & CSIZE)) + "|";
  uint32_t cflags = cflag & ~static_cast<uint32_t>(CBAUD | CIBAUD | CSIZE);

  return "{c_iflag=" + termios_flags("", iflag, table(kIflags)) +
         ", c_oflag=" + termios_flags(o, oflags, table(kOflags)) +
         ", c_cflag=" + termios_flags(cf, cflags, table(kCflags)) +
         ", c_lflag=" + termios_flags("", lflag, table(kLflags)) + ", ...}";
}

std::string termios_at(const Call& c, uint64_t addr) {
  struct termios t;
  if (!c.mem.read_value(addr, &t)) return ptr(addr);
  return termios_str(t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag);
}

std::string termio_at(const Call& c, uint64_t addr) {
  struct termio t;
  if (!c.mem.read_value(addr, &t)) return ptr(addr);
  return termios_str(t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag);
}

// struct ifreq: the interface name and the union after it.
struct Ifreq {
  char name[16];
  int ifindex;
  char rest[20];
};

std::string ifreq_at(const Call& c, uint64_t addr, uint32_t req, bool with_result) {
  Ifreq r;
  if (!c.mem.read_value(addr, &r)) return ptr(addr);
  std::string name = "ifr_name=" + fixed_string(r.name, sizeof r.name, c.limit());
  std::string index = "ifr_ifindex=" + std::to_string(r.ifindex);
  if (req == SIOCGIFNAME) return "{" + index + (with_result ? ", " + name : "") + "}";
  return "{" + name + (with_result ? ", " + index : "") + "}";
}

std::string winsize_at(const Call& c, uint64_t addr) {
  struct winsize w;
  if (!c.mem.read_value(addr, &w)) return ptr(addr);
  return "{ws_row=" + std::to_string(w.ws_row) + ", ws_col=" + std::to_string(w.ws_col) +
         ", ws_xpixel=" + std::to_string(w.ws_xpixel) + ", ws_ypixel=" + std::to_string(w.ws_ypixel) + "}";
}

std::string inode_flags_at(const Call& c, uint64_t addr) {
  uint32_t v;
  if (!c.mem.read_value(addr, &v)) return ptr(addr);
  return "[" + flags(v, table(kInodeFlags), "FS_???") + "]";
}

std::string modem_bits_at(const Call& c, uint64_t addr) {
  int v;
  if (!c.mem.read_value(addr, &v)) return ptr(addr);
  return "[" + flags(static_cast<uint32_t>(v), table(kModemBits), "TIOCM_???") + "]";
}

// strace's spelling of a request it has no name for.
std::string ioc_str(uint32_t req) {
  static const char* const kDirs[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE"};
  return std::string("_IOC(") + kDirs[(req >> 30) & 3] + ", " + hex((req >> 8) & 0xff) + ", " +
         hex(req & 0xff) + ", " + hex((req >> 16) & 0x3fff) + ")";
}

void ioctl(Call& c) {
  uint32_t req = c.u32(1);
  uint64_t arg = c.u(2);
  c.add(fd_arg(c, 0));
  const char* name = lookup(table(kRequests), req);
  c.add(name ? styled(hex(req), name) : ioc_str(req));
  bool ok = c.ok();
  switch (req) {
    // No argument.
    case TIOCEXCL: case TIOCNXCL: case TIOCNOTTY: case TIOCCONS: case TIOCSBRK: case TIOCCBRK:
    case TIOCVHANGUP: case FIOCLEX: case FIONCLEX: case TIOCSERCONFIG:
      return;
    // Output structs and ints: shown when the call succeeded.
    case TCGETS: case TIOCGLCKTRMIOS:
      c.add(ok ? termios_at(c, arg) : ptr(arg));
      return;
    case TCGETA:
      c.add(ok ? termio_at(c, arg) : ptr(arg));
      return;
    case TCSETA: case TCSETAW: case TCSETAF:
      c.add(termio_at(c, arg));
      return;
    case SIOCGIFINDEX: case SIOCGIFNAME:
      c.add(ifreq_at(c, arg, req, ok));
      return;
    case TIOCGWINSZ:
      c.add(ok ? winsize_at(c, arg) : ptr(arg));
      return;
    case TIOCMGET:
      c.add(ok ? modem_bits_at(c, arg) : ptr(arg));
      return;
    case FS_IOC_GETFLAGS:
      c.add(ok ? inode_flags_at(c, arg) : ptr(arg));
      return;
    case FS_IOC_SETFLAGS:
      c.add(inode_flags_at(c, arg));
      return;
    case TIOCGPGRP: case TIOCGSID: case FIONREAD: case TIOCOUTQ: case TIOCGETD: case TIOCGPTN:
    case TIOCGSOFTCAR: case TIOCGPKT: case TIOCGPTLCK: case TIOCGEXCL: case TIOCGDEV: case FIOGETOWN:
    case SIOCGPGRP: case SIOCATMARK:
      c.add(ok ? int_at(c, arg) : ptr(arg));
      return;
    // Input structs and ints.
    case TCSETS: case TCSETSW: case TCSETSF: case TIOCSLCKTRMIOS:
      c.add(termios_at(c, arg));
      return;
    case TIOCSWINSZ:
      c.add(winsize_at(c, arg));
      return;
    case TIOCMSET: case TIOCMBIS: case TIOCMBIC:
      c.add(modem_bits_at(c, arg));
      return;
    case TIOCSPGRP: case FIONBIO: case FIOASYNC: case TIOCSETD: case TIOCSPTLCK: case TIOCPKT:
    case TIOCSSOFTCAR: case FIOSETOWN: case SIOCSPGRP:
      c.add(int_at(c, arg));
      return;
    case TIOCSTI:
      c.add(buffer(c, arg, 1));
      return;
    // Plain integer arguments.
    case TCSBRK: case TCSBRKP: case TIOCSCTTY: case TIOCSIG: case TIOCGPTPEER: case FICLONE:
      c.add(std::to_string(static_cast<int>(arg)));
      return;
    case TCFLSH:
      c.add(xlat(static_cast<uint32_t>(arg), table(kFlushQueues), "TC???"));
      return;
    case TCXONC:
      c.add(xlat(static_cast<uint32_t>(arg), table(kFlowActions), "TC???"));
      return;
    default:
      // A named request whose argument strace would decode further is
      // shown as the pointer; an unknown one as the raw value.
      c.add(name ? ptr(arg) : hex(arg));
      return;
  }
}

constexpr Decoder kDecoders[] = {
    with_exit("ioctl", ioctl),
};

}  // namespace

DecoderList ioctl_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
