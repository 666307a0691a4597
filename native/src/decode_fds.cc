// strace -y / --decode-fds=SET: what a file descriptor refers to, printed
// after it in angle brackets as strace 6.1 prints it (printfd_pid in its
// util.c, getfdpath_pid in pathtrace.c, the sock_diag lookups of
// socketutils.c):
//   path    "3</etc/hostname>", "3<pipe:[123]>", "3</tmp/x>(deleted)", "AT_FDCWD</home>"
//   socket  "3<TCP:[127.0.0.1:40000->127.0.0.1:80]>", "3<UNIX-STREAM:[10->11]>",
//           "3<UDPv6:[[::1]:5353]>", "3<NETLINK:[ROUTE:1234]>"
//   dev     "1</dev/null<char 1:3>>"
//   pidfd   "3<pid:1234>"
// Each is looked up in /proc/TID when the decoder runs.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "decode_common.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

// strace's print_quoted_string_ex(s, QUOTE_OMIT_LEADING_TRAILING_QUOTES, "<>").
std::string angle_quoted(const char* p, size_t n) { return escape(p, n, "<>"); }

std::string proc_fd(int tid, int fd) { return "/proc/" + std::to_string(tid) + "/fd/" + std::to_string(fd); }

// strace's getfdpath_pid: the fd's link; a " (deleted)" the kernel added is
// taken off (and *deleted set) when the path no longer names that file.
bool fd_path(int tid, int fd, std::string* out, bool* deleted) {
  *deleted = false;
  if (fd < 0) return false;
  std::string link = proc_fd(tid, fd);
  char buf[PATH_MAX + 1];
  ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
  if (n < 0) return false;
  buf[n] = '\0';
  static const char kDeleted[] = " (deleted)";
  if (static_cast<size_t>(n) > sizeof kDeleted && memcmp(buf + n + 1 - sizeof kDeleted, kDeleted, sizeof kDeleted) == 0) {
    // (A file whose name ends in " (deleted)" keeps it: strace compares
    // the link's file with the whole name's.)
    struct stat st_link, st_path;
    if (stat(link.c_str(), &st_link) == 0 &&
        (lstat(buf, &st_path) != 0 || st_link.st_ino != st_path.st_ino || st_link.st_dev != st_path.st_dev)) {
      n -= sizeof kDeleted - 1;
      *deleted = true;
    }
  }
  out->assign(buf, static_cast<size_t>(n));
  return true;
}

// -- sockets ------------------------------------------------------------------------

enum class Kind { kUnix, kInet, kNetlink };

struct Proto {
  const char* name;  // as the kernel names it in system.sockprotoname
  Kind kind;
  int family;
  int protocol;
};

// strace's protocols[], in the order of its enum sock_proto.
constexpr Proto kProtos[] = {
    {"UNIX", Kind::kUnix, AF_UNIX, 0},
    {"UNIX-STREAM", Kind::kUnix, AF_UNIX, 0},
    {"TCP", Kind::kInet, AF_INET, IPPROTO_TCP},
    {"UDP", Kind::kInet, AF_INET, IPPROTO_UDP},
    {"UDPLITE", Kind::kInet, AF_INET, IPPROTO_UDPLITE},
    {"DCCP", Kind::kInet, AF_INET, IPPROTO_DCCP},
    {"SCTP", Kind::kInet, AF_INET, IPPROTO_SCTP},
    {"L2TP/IP", Kind::kInet, AF_INET, 115 /* IPPROTO_L2TP */},
    {"PING", Kind::kInet, AF_INET, IPPROTO_ICMP},
    {"RAW", Kind::kInet, AF_INET, IPPROTO_RAW},
    {"TCPv6", Kind::kInet, AF_INET6, IPPROTO_TCP},
    {"UDPv6", Kind::kInet, AF_INET6, IPPROTO_UDP},
    {"UDPLITEv6", Kind::kInet, AF_INET6, IPPROTO_UDPLITE},
    {"DCCPv6", Kind::kInet, AF_INET6, IPPROTO_DCCP},
    {"L2TP/IPv6", Kind::kInet, AF_INET6, 115},
    {"SCTPv6", Kind::kInet, AF_INET6, IPPROTO_SCTP},
    // (strace asks for ICMP, not ICMPV6, here too)
    {"PINGv6", Kind::kInet, AF_INET6, IPPROTO_ICMP},
    {"RAWv6", Kind::kInet, AF_INET6, IPPROTO_RAW},
    {"NETLINK", Kind::kNetlink, AF_NETLINK, 0},
};
constexpr int kProtoCount = static_cast<int>(sizeof kProtos / sizeof kProtos[0]);

// NETLINK_ROUTE..NETLINK_SMC by number, as strace names them (without the prefix).
constexpr const char* kNetlinkNames[] = {
    "ROUTE",   "UNUSED",    "USERSOCK",  "FIREWALL", "SOCK_DIAG",      "NFLOG",   "XFRM",          "SELINUX",
    "ISCSI",   "AUDIT",     "FIB_LOOKUP", "CONNECTOR", "NETFILTER",    "IP6_FW",  "DNRTMSG",       "KOBJECT_UEVENT",
    "GENERIC", nullptr,     "SCSITRANSPORT", "ECRYPTFS", "RDMA",        "CRYPTO",  "SMC",
};

// "socket:[123]" -> 123; 0 when the link is not a socket's.
unsigned long socket_inode(const std::string& path) {
  static const char kPrefix[] = "socket:[";
  if (path.compare(0, sizeof kPrefix - 1, kPrefix) != 0) return 0;
  const char* str = path.c_str() + sizeof kPrefix - 1;
  size_t len = strlen(str);
  if (len == 0 || str[len - 1] != ']') return 0;
  char* end;
  unsigned long r = strtoul(str, &end, 10);
  return r && end == &str[len - 1] ? r : 0;
}

// The socket's protocol by the name the kernel gives it; -1 when unknown.
int socket_proto(int tid, int fd) {
  char buf[256];
  ssize_t r = getxattr(proc_fd(tid, fd).c_str(), "system.sockprotoname", buf, sizeof buf - 1);
  if (r <= 0) return -1;
  buf[r] = '\0';
  for (int i = 0; i < kProtoCount; ++i)
    if (strcmp(buf, kProtos[i].name) == 0) return i;
  return -1;
}

// strace keeps what it found per inode (1024 slots, the inode's low bits);
// a socket found once keeps that rendering.
struct CacheEntry {
  unsigned long inode = 0;
  std::string details;
};
std::mutex g_cache_mutex;
CacheEntry g_cache[1024];

bool cached(unsigned long inode, std::string* details) {
  std::lock_guard<std::mutex> lock(g_cache_mutex);
  const CacheEntry& e = g_cache[inode & 1023];
  if (e.inode != inode) return false;
  *details = e.details;
  return true;
}

void cache(unsigned long inode, const std::string& details) {
  std::lock_guard<std::mutex> lock(g_cache_mutex);
  CacheEntry& e = g_cache[inode & 1023];
  e.inode = inode;
  e.details = details;
}

// A message of one buffer to or from the kernel's netlink address.
struct NetlinkMsg {
  NetlinkMsg(void* buf, size_t size) : iov{buf, size} {
    addr.nl_family = AF_NETLINK;
    msg.msg_name = &addr;
    msg.msg_namelen = sizeof addr;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
  }
  NetlinkMsg(const NetlinkMsg&) = delete;
  NetlinkMsg& operator=(const NetlinkMsg&) = delete;

  struct sockaddr_nl addr = {};
  struct iovec iov;
  struct msghdr msg = {};
};

bool send_query(int nl, void* req, size_t size) {
  NetlinkMsg m(req, size);
  for (;;) {
    if (sendmsg(nl, &m.msg, 0) >= 0) return true;
    if (errno != EINTR) return false;
  }
}

bool nlmsg_ok(const struct nlmsghdr* h, ssize_t len) {
  return len >= static_cast<ssize_t>(sizeof *h) && h->nlmsg_len >= sizeof *h && static_cast<size_t>(len) >= h->nlmsg_len;
}

// A parser's answer for one message: 1 found (details set), 0 not this
// socket, -1 give up.
using Parser = int (*)(const void* data, int len, unsigned long inode, const char* name, std::string* details);

bool receive(int nl, unsigned long inode, Parser parse, const char* name, std::string* details) {
  alignas(struct nlmsghdr) char buf[8192];
  int flags = 0;
  for (;;) {
    NetlinkMsg m(buf, sizeof buf);
    ssize_t ret = recvmsg(nl, &m.msg, flags);
    if (ret < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    struct nlmsghdr* h = reinterpret_cast<struct nlmsghdr*>(buf);
    if (!nlmsg_ok(h, ret)) return false;
    for (; nlmsg_ok(h, ret); h = NLMSG_NEXT(h, ret)) {
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) return false;
      int rc = parse(NLMSG_DATA(h), static_cast<int>(h->nlmsg_len), inode, name, details);
      if (rc > 0) return true;
      if (rc < 0) return false;
    }
    flags = MSG_DONTWAIT;
  }
}

int inet_parse(const void* data, int len, unsigned long inode, const char* name, std::string* details) {
  const struct inet_diag_msg* m = static_cast<const struct inet_diag_msg*>(data);
  if (len < static_cast<int>(NLMSG_LENGTH(sizeof *m))) return -1;
  if (m->idiag_inode != inode) return 0;
  size_t addr_size;
  if (m->idiag_family == AF_INET) addr_size = sizeof(struct in_addr);
  else if (m->idiag_family == AF_INET6) addr_size = sizeof(struct in6_addr);
  else return -1;
  bool v6 = m->idiag_family == AF_INET6;
  char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
  if (!inet_ntop(m->idiag_family, m->id.idiag_src, src, sizeof src)) return -1;
  static const char kZero[sizeof(struct in6_addr)] = {};
  std::string out = std::string(name) + ":[" + (v6 ? "[" : "") + src + (v6 ? "]" : "") + ":" +
                    std::to_string(ntohs(m->id.idiag_sport));
  if (m->id.idiag_dport || memcmp(kZero, m->id.idiag_dst, addr_size) != 0) {
    if (!inet_ntop(m->idiag_family, m->id.idiag_dst, dst, sizeof dst)) return -1;
    out += std::string("->") + (v6 ? "[" : "") + dst + (v6 ? "]" : "") + ":" + std::to_string(ntohs(m->id.idiag_dport));
  }
  *details = out + "]";
  cache(inode, *details);
  return 1;
}

int unix_parse(const void* data, int len, unsigned long inode, const char* name, std::string* details) {
  const struct unix_diag_msg* m = static_cast<const struct unix_diag_msg*>(data);
  int rta_len = len - static_cast<int>(NLMSG_LENGTH(sizeof *m));
  if (rta_len < 0) return -1;
  if (m->udiag_ino != inode) return 0;
  if (m->udiag_family != AF_UNIX) return -1;
  constexpr size_t kPathMax = sizeof(((struct sockaddr_un*)nullptr)->sun_path);
  char path[kPathMax + 1];
  size_t path_len = 0;
  uint32_t peer = 0;
  for (struct rtattr* a = reinterpret_cast<struct rtattr*>(const_cast<struct unix_diag_msg*>(m) + 1); RTA_OK(a, rta_len);
       a = RTA_NEXT(a, rta_len)) {
    if (a->rta_type == UNIX_DIAG_NAME && !path_len) {
      path_len = RTA_PAYLOAD(a);
      if (path_len > kPathMax) path_len = kPathMax;
      memcpy(path, RTA_DATA(a), path_len);
      path[path_len] = '\0';
    } else if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= 4) {
      memcpy(&peer, RTA_DATA(a), sizeof peer);
    }
  }
  // "UNIX:[" SELF_INODE [ "->" PEER_INODE ][ "," SOCKET_FILE ] "]"
  if (!peer && !path_len) return -1;
  std::string out = std::string(name) + ":[" + std::to_string(inode);
  if (peer) out += "->" + std::to_string(peer);
  if (path_len) {
    // Up to the first NUL (strace's QUOTE_0_TERMINATED); abstract names after an '@'.
    if (path[0] == '\0') out += ",@" + quote(path + 1, strnlen(path + 1, path_len - 1));
    else out += "," + quote(path, strnlen(path, path_len));
  }
  *details = out + "]";
  cache(inode, *details);
  return 1;
}

int netlink_parse(const void* data, int len, unsigned long inode, const char* name, std::string* details) {
  const struct netlink_diag_msg* m = static_cast<const struct netlink_diag_msg*>(data);
  if (len < static_cast<int>(NLMSG_LENGTH(sizeof *m))) return -1;
  if (m->ndiag_ino != inode) return 0;
  if (m->ndiag_family != AF_NETLINK) return -1;
  const char* proto = m->ndiag_protocol < sizeof kNetlinkNames / sizeof kNetlinkNames[0] ? kNetlinkNames[m->ndiag_protocol] : nullptr;
  if (proto) *details = std::string(name) + ":[" + proto + ":" + std::to_string(m->ndiag_portid) + "]";
  else *details = std::string(name) + ":[" + std::to_string(static_cast<unsigned>(m->ndiag_protocol)) + "]";
  cache(inode, *details);
  return 1;
}

// One sock_diag query: `body` under its netlink header, then the answers
// until `parse` finds the socket.
template <class Body>
bool ask(int nl, uint16_t flags, const Body& body, unsigned long inode, Parser parse, const char* name,
         std::string* details) {
  struct {
    struct nlmsghdr nlh;
    Body body;
  } req;
  memset(&req, 0, sizeof req);
  req.nlh.nlmsg_len = sizeof req;
  req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  req.nlh.nlmsg_flags = flags;
  req.body = body;
  return send_query(nl, &req, sizeof req) && receive(nl, inode, parse, name, details);
}

bool lookup_one(int nl, const Proto& p, unsigned long inode, std::string* details) {
  switch (p.kind) {
    case Kind::kUnix: {
      struct unix_diag_req udr = {};
      udr.sdiag_family = AF_UNIX;
      udr.udiag_ino = static_cast<uint32_t>(inode);
      udr.udiag_states = ~0u;
      udr.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER;
      udr.udiag_cookie[0] = udr.udiag_cookie[1] = ~0u;
      return ask(nl, NLM_F_REQUEST, udr, inode, unix_parse, p.name, details);
    }
    case Kind::kInet: {
      struct inet_diag_req_v2 idr = {};
      idr.sdiag_family = static_cast<uint8_t>(p.family);
      idr.sdiag_protocol = static_cast<uint8_t>(p.protocol);
      idr.idiag_states = ~0u;
      return ask(nl, NLM_F_DUMP | NLM_F_REQUEST, idr, inode, inet_parse, p.name, details);
    }
    case Kind::kNetlink: {
      struct netlink_diag_req ndr = {};
      ndr.sdiag_family = AF_NETLINK;
      ndr.sdiag_protocol = NDIAG_PROTO_ALL;
      return ask(nl, NLM_F_DUMP | NLM_F_REQUEST, ndr, inode, netlink_parse, p.name, details);
    }
  }
  return false;
}

// strace's get_sockaddr_by_inode: what sock_diag says of the socket, else
// "PROTO:[inode]" when the protocol is known; false: only the path is shown.
bool socket_details(int tid, int fd, unsigned long inode, std::string* details) {
  if (cached(inode, details)) return true;
  int proto = socket_proto(tid, fd);
  int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (nl >= 0) {
    bool found = false;
    if (proto >= 0) {
      found = lookup_one(nl, kProtos[proto], inode, details);
    } else {
      for (int i = 0; i < kProtoCount && !found; ++i) found = lookup_one(nl, kProtos[i], inode, details);
    }
    close(nl);
    if (found) return true;
  }
  if (proto < 0) return false;
  *details = std::string(kProtos[proto].name) + ":[" + std::to_string(inode) + "]";
  return true;
}

// -- the kinds of -y -------------------------------------------------------------------

// `socket`: "<TCP:[…]>", or the link ("<socket:[123]>") when sock_diag knows nothing.
bool socket_suffix(int tracee, int fd, const std::string& path, std::string* out) {
  unsigned long inode = socket_inode(path);
  if (!inode) return false;
  std::string details;
  *out += "<" + (socket_details(tracee, fd, inode, &details) ? details : path) + ">";
  return true;
}

// `dev`: "</dev/null<char 1:3>>" for a block or character device.
bool dev_suffix(const std::string& path, std::string* out) {
  if (path.empty() || path[0] != '/') return false;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode)) return false;
  *out += "<" + angle_quoted(path.data(), path.size()) + "<" + (S_ISBLK(st.st_mode) ? "block " : "char ") +
          std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev)) + ">>";
  return true;
}

// `pidfd`: "<pid:1234>"; the link when the process is gone.
bool pidfd_suffix(int tid, int fd, const std::string& path, std::string* out) {
  if (path != "anon_inode:[pidfd]") return false;
  int pid = pidfd_pid(tid, fd);
  *out += pid > 0 ? "<pid:" + std::to_string(pid) + ">" : "<" + path + ">";
  return true;
}

}  // namespace

int pidfd_pid(int tid, int fd) {
  std::string file = "/proc/" + std::to_string(tid) + "/fdinfo/" + std::to_string(fd);
  FILE* f = fopen(file.c_str(), "re");
  if (!f) return -1;
  char* line = nullptr;
  size_t cap = 0;
  int pid = -1;
  while (getline(&line, &cap, f) > 0) {
    if (strncmp(line, "Pid:\t", 5) != 0) continue;
    // strace's string_to_uint_ex(…, INT_MAX, "\n").
    const char* s = line + 5;
    char* end;
    errno = 0;
    long long v = *s ? strtoll(s, &end, 10) : -1;
    if (*s && end != s && v >= 0 && v <= INT_MAX && errno != ERANGE && (*end == '\0' || *end == '\n'))
      pid = static_cast<int>(v);
    break;
  }
  free(line);
  fclose(f);
  return pid;
}

std::string fd_of_task(const Call& c, int tid, int fd) {
  std::string out = std::to_string(fd);
  const unsigned set = c.opts.decode_fds;
  std::string path;
  bool deleted;
  if (tid <= 0 || set == 0 || !fd_path(tid, fd, &path, &deleted)) return out;
  // (strace asks the traced task, not `tid`, which protocol a socket is.)
  if ((set & kDecodeFdSocket) && socket_suffix(c.ctx.tid, fd, path, &out)) return out;
  if ((set & kDecodeFdDev) && dev_suffix(path, &out)) return out;
  if ((set & kDecodeFdPidfd) && pidfd_suffix(tid, fd, path, &out)) return out;
  if (set & kDecodeFdPath) {
    out += "<" + angle_quoted(path.data(), path.size()) + ">";
    if (deleted) out += "(deleted)";
  }
  return out;
}

std::string fd_str(const Call& c, int fd) { return fd_of_task(c, c.ctx.tid, fd); }

namespace {

// strace's print_dirfd: AT_FDCWD with the task's working directory.
std::string dirfd_str(const Call& c, int fd) {
  if (fd != AT_FDCWD) return fd_str(c, fd);
  std::string out = styled("-100", "AT_FDCWD");
  if (!(c.opts.decode_fds & kDecodeFdPath)) return out;
  std::string link = "/proc/" + std::to_string(c.ctx.tid) + "/cwd";
  char buf[PATH_MAX];
  ssize_t n = readlink(link.c_str(), buf, sizeof buf);
  if (n < 0 || static_cast<size_t>(n) >= sizeof buf) return out;
  return out + "<" + angle_quoted(buf, static_cast<size_t>(n)) + ">";
}

// The rendering at entry of argument i, kept for the exit (see fd_arg).
std::string at_entry(const Call& c, int i, std::string (*render)(const Call&, int)) {
  if (!c.opts.decode_fds || i < 0 || i >= 6) return render(c, c.i32(i));
  std::string& kept = c.entry_fds[i];
  if (!c.entry && !kept.empty()) return kept;
  std::string s = render(c, c.i32(i));
  if (c.entry) kept = s;
  return s;
}

}  // namespace

std::string fd_arg(const Call& c, int i) { return at_entry(c, i, fd_str); }

std::string dirfd_arg(const Call& c, int i) { return at_entry(c, i, dirfd_str); }

void add_dirfd_path(Call& c, int i) {
  c.add(dirfd_arg(c, i));
  c.add(path(c, c.u(i + 1)));
}

std::string fd_pair_at(const Call& c, uint64_t addr) {
  int fds[2];
  if (!c.ok() || !c.mem.read_value(addr, &fds)) return ptr(addr);
  return array(c, {fd_str(c, fds[0]), fd_str(c, fds[1])}, 2);
}

}  // namespace dec
}  // namespace renacer
