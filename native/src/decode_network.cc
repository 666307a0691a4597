// Sockets: socket addresses (AF_INET, AF_INET6, AF_UNIX, AF_NETLINK) and
// the socket syscalls.
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <vector>

#include "decode_call.h"
#include "hex_bytes.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

constexpr Named kFamilies[] = {
    {AF_UNSPEC, "AF_UNSPEC"},   {AF_UNIX, "AF_UNIX"},         {AF_INET, "AF_INET"},
    {AF_AX25, "AF_AX25"},       {AF_IPX, "AF_IPX"},           {AF_APPLETALK, "AF_APPLETALK"},
    {AF_NETROM, "AF_NETROM"},   {AF_BRIDGE, "AF_BRIDGE"},     {AF_ATMPVC, "AF_ATMPVC"},
    {AF_X25, "AF_X25"},         {AF_INET6, "AF_INET6"},       {AF_ROSE, "AF_ROSE"},
    {AF_DECnet, "AF_DECnet"},   {AF_NETBEUI, "AF_NETBEUI"},   {AF_SECURITY, "AF_SECURITY"},
    {AF_KEY, "AF_KEY"},         {AF_NETLINK, "AF_NETLINK"},   {AF_PACKET, "AF_PACKET"},
    {AF_ASH, "AF_ASH"},         {AF_ECONET, "AF_ECONET"},     {AF_ATMSVC, "AF_ATMSVC"},
    {AF_RDS, "AF_RDS"},         {AF_SNA, "AF_SNA"},           {AF_IRDA, "AF_IRDA"},
    {AF_PPPOX, "AF_PPPOX"},     {AF_WANPIPE, "AF_WANPIPE"},   {AF_LLC, "AF_LLC"},
    {AF_IB, "AF_IB"},           {AF_MPLS, "AF_MPLS"},         {AF_CAN, "AF_CAN"},
    {AF_TIPC, "AF_TIPC"},       {AF_BLUETOOTH, "AF_BLUETOOTH"}, {AF_IUCV, "AF_IUCV"},
    {AF_RXRPC, "AF_RXRPC"},     {AF_ISDN, "AF_ISDN"},         {AF_PHONET, "AF_PHONET"},
    {AF_IEEE802154, "AF_IEEE802154"}, {AF_CAIF, "AF_CAIF"},   {AF_ALG, "AF_ALG"},
    {AF_NFC, "AF_NFC"},         {AF_VSOCK, "AF_VSOCK"},       {AF_KCM, "AF_KCM"},
    {AF_QIPCRTR, "AF_QIPCRTR"}, {AF_SMC, "AF_SMC"},           {44, "AF_XDP"},
    {45, "AF_MCTP"},
};

constexpr Named kSockTypes[] = {
    {SOCK_STREAM, "SOCK_STREAM"}, {SOCK_DGRAM, "SOCK_DGRAM"},         {SOCK_RAW, "SOCK_RAW"},
    {SOCK_RDM, "SOCK_RDM"},       {SOCK_SEQPACKET, "SOCK_SEQPACKET"}, {SOCK_DCCP, "SOCK_DCCP"},
    {SOCK_PACKET, "SOCK_PACKET"},
};
constexpr Named kSockFlags[] = {{SOCK_CLOEXEC, "SOCK_CLOEXEC"}, {SOCK_NONBLOCK, "SOCK_NONBLOCK"}};

constexpr Named kIpProtocols[] = {
    {IPPROTO_IP, "IPPROTO_IP"},       {IPPROTO_ICMP, "IPPROTO_ICMP"},   {IPPROTO_IGMP, "IPPROTO_IGMP"},
    {IPPROTO_IPIP, "IPPROTO_IPIP"},   {IPPROTO_TCP, "IPPROTO_TCP"},     {IPPROTO_EGP, "IPPROTO_EGP"},
    {IPPROTO_PUP, "IPPROTO_PUP"},     {IPPROTO_UDP, "IPPROTO_UDP"},     {IPPROTO_IDP, "IPPROTO_IDP"},
    {IPPROTO_TP, "IPPROTO_TP"},       {IPPROTO_DCCP, "IPPROTO_DCCP"},   {IPPROTO_IPV6, "IPPROTO_IPV6"},
    {IPPROTO_RSVP, "IPPROTO_RSVP"},   {IPPROTO_GRE, "IPPROTO_GRE"},     {IPPROTO_ESP, "IPPROTO_ESP"},
    {IPPROTO_AH, "IPPROTO_AH"},       {IPPROTO_ICMPV6, "IPPROTO_ICMPV6"}, {IPPROTO_MTP, "IPPROTO_MTP"},
    {IPPROTO_BEETPH, "IPPROTO_BEETPH"}, {IPPROTO_ENCAP, "IPPROTO_ENCAP"}, {IPPROTO_PIM, "IPPROTO_PIM"},
    {IPPROTO_COMP, "IPPROTO_COMP"},   {115, "IPPROTO_L2TP"},            {IPPROTO_SCTP, "IPPROTO_SCTP"},
    {IPPROTO_UDPLITE, "IPPROTO_UDPLITE"}, {IPPROTO_MPLS, "IPPROTO_MPLS"}, {143, "IPPROTO_ETHERNET"},
    {IPPROTO_RAW, "IPPROTO_RAW"},     {262, "IPPROTO_MPTCP"},
};
constexpr Named kNetlinkProtocols[] = {
    {0, "NETLINK_ROUTE"},       {1, "NETLINK_UNUSED"},        {2, "NETLINK_USERSOCK"},
    {3, "NETLINK_FIREWALL"},    {4, "NETLINK_SOCK_DIAG"},     {5, "NETLINK_NFLOG"},
    {6, "NETLINK_XFRM"},        {7, "NETLINK_SELINUX"},       {8, "NETLINK_ISCSI"},
    {9, "NETLINK_AUDIT"},       {10, "NETLINK_FIB_LOOKUP"},   {11, "NETLINK_CONNECTOR"},
    {12, "NETLINK_NETFILTER"},  {13, "NETLINK_IP6_FW"},       {14, "NETLINK_DNRTMSG"},
    {15, "NETLINK_KOBJECT_UEVENT"}, {16, "NETLINK_GENERIC"},  {18, "NETLINK_SCSITRANSPORT"},
    {19, "NETLINK_ECRYPTFS"},   {20, "NETLINK_RDMA"},         {21, "NETLINK_CRYPTO"},
    {22, "NETLINK_SMC"},
};

constexpr Named kMsgFlags[] = {
    {MSG_OOB, "MSG_OOB"},           {MSG_PEEK, "MSG_PEEK"},         {MSG_DONTROUTE, "MSG_DONTROUTE"},
    {MSG_CTRUNC, "MSG_CTRUNC"},     {0x10, "MSG_PROBE"},       {MSG_TRUNC, "MSG_TRUNC"},
    {MSG_DONTWAIT, "MSG_DONTWAIT"}, {MSG_EOR, "MSG_EOR"},           {MSG_WAITALL, "MSG_WAITALL"},
    {MSG_FIN, "MSG_FIN"},           {MSG_SYN, "MSG_SYN"},           {MSG_CONFIRM, "MSG_CONFIRM"},
    {MSG_RST, "MSG_RST"},           {MSG_ERRQUEUE, "MSG_ERRQUEUE"}, {MSG_NOSIGNAL, "MSG_NOSIGNAL"},
    {MSG_MORE, "MSG_MORE"},         {MSG_WAITFORONE, "MSG_WAITFORONE"}, {0x20000, "MSG_SENDPAGE_NOTLAST"},
    {MSG_BATCH, "MSG_BATCH"},       {0x80000, "MSG_NO_SHARED_FRAGS"}, {MSG_ZEROCOPY, "MSG_ZEROCOPY"},
    {MSG_FASTOPEN, "MSG_FASTOPEN"}, {MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC"}, {0x80000000, "MSG_CMSG_COMPAT"},
};

constexpr Named kShutdownHow[] = {{SHUT_RD, "SHUT_RD"}, {SHUT_WR, "SHUT_WR"}, {SHUT_RDWR, "SHUT_RDWR"}};

// Socket option levels as strace names them (SOL_TCP for IPPROTO_TCP…).
constexpr Named kLevels[] = {
    {SOL_SOCKET, "SOL_SOCKET"}, {IPPROTO_IP, "SOL_IP"},     {IPPROTO_TCP, "SOL_TCP"},
    {IPPROTO_UDP, "SOL_UDP"},   {IPPROTO_IPV6, "SOL_IPV6"}, {IPPROTO_ICMPV6, "SOL_ICMPV6"},
    {IPPROTO_RAW, "SOL_RAW"},   {SOL_PACKET, "SOL_PACKET"}, {SOL_NETLINK, "SOL_NETLINK"},
};
constexpr Named kSolSocket[] = {
    {1, "SO_DEBUG"},           {2, "SO_REUSEADDR"},         {3, "SO_TYPE"},
    {4, "SO_ERROR"},           {5, "SO_DONTROUTE"},         {6, "SO_BROADCAST"},
    {7, "SO_SNDBUF"},          {8, "SO_RCVBUF"},            {9, "SO_KEEPALIVE"},
    {10, "SO_OOBINLINE"},      {11, "SO_NO_CHECK"},         {12, "SO_PRIORITY"},
    {13, "SO_LINGER"},         {14, "SO_BSDCOMPAT"},        {15, "SO_REUSEPORT"},
    {16, "SO_PASSCRED"},       {17, "SO_PEERCRED"},         {18, "SO_RCVLOWAT"},
    {19, "SO_SNDLOWAT"},       {20, "SO_RCVTIMEO_OLD"},     {21, "SO_SNDTIMEO_OLD"},
    {22, "SO_SECURITY_AUTHENTICATION"}, {23, "SO_SECURITY_ENCRYPTION_TRANSPORT"},
    {24, "SO_SECURITY_ENCRYPTION_NETWORK"}, {25, "SO_BINDTODEVICE"}, {26, "SO_ATTACH_FILTER"},
    {27, "SO_DETACH_FILTER"},  {28, "SO_PEERNAME"},         {29, "SO_TIMESTAMP_OLD"},
    {30, "SO_ACCEPTCONN"},     {31, "SO_PEERSEC"},          {32, "SO_SNDBUFFORCE"},
    {33, "SO_RCVBUFFORCE"},    {34, "SO_PASSSEC"},          {35, "SO_TIMESTAMPNS_OLD"},
    {36, "SO_MARK"},           {37, "SO_TIMESTAMPING_OLD"}, {38, "SO_PROTOCOL"},
    {39, "SO_DOMAIN"},         {40, "SO_RXQ_OVFL"},         {41, "SO_WIFI_STATUS"},
    {42, "SO_PEEK_OFF"},       {43, "SO_NOFCS"},            {44, "SO_LOCK_FILTER"},
    {45, "SO_SELECT_ERR_QUEUE"}, {46, "SO_BUSY_POLL"},      {47, "SO_MAX_PACING_RATE"},
    {48, "SO_BPF_EXTENSIONS"}, {49, "SO_INCOMING_CPU"},     {50, "SO_ATTACH_BPF"},
    {51, "SO_ATTACH_REUSEPORT_CBPF"}, {52, "SO_ATTACH_REUSEPORT_EBPF"}, {53, "SO_CNX_ADVICE"},
    {55, "SO_MEMINFO"},        {56, "SO_INCOMING_NAPI_ID"}, {57, "SO_COOKIE"},
    {59, "SO_PEERGROUPS"},     {60, "SO_ZEROCOPY"},         {61, "SO_TXTIME"},
    {62, "SO_BINDTOIFINDEX"},  {63, "SO_TIMESTAMP_NEW"},    {64, "SO_TIMESTAMPNS_NEW"},
    {65, "SO_TIMESTAMPING_NEW"}, {66, "SO_RCVTIMEO_NEW"},   {67, "SO_SNDTIMEO_NEW"},
    {68, "SO_DETACH_REUSEPORT_BPF"}, {69, "SO_PREFER_BUSY_POLL"}, {70, "SO_BUSY_POLL_BUDGET"},
    {71, "SO_NETNS_COOKIE"},   {72, "SO_BUF_LOCK"},         {73, "SO_RESERVE_MEM"},
    {74, "SO_TXREHASH"},       {75, "SO_RCVMARK"},
};
constexpr Named kSolTcp[] = {
    {1, "TCP_NODELAY"},        {2, "TCP_MAXSEG"},           {3, "TCP_CORK"},
    {4, "TCP_KEEPIDLE"},       {5, "TCP_KEEPINTVL"},        {6, "TCP_KEEPCNT"},
    {7, "TCP_SYNCNT"},         {8, "TCP_LINGER2"},          {9, "TCP_DEFER_ACCEPT"},
    {10, "TCP_WINDOW_CLAMP"},  {11, "TCP_INFO"},            {12, "TCP_QUICKACK"},
    {13, "TCP_CONGESTION"},    {14, "TCP_MD5SIG"},          {15, "TCP_COOKIE_TRANSACTIONS"},
    {16, "TCP_THIN_LINEAR_TIMEOUTS"}, {17, "TCP_THIN_DUPACK"}, {18, "TCP_USER_TIMEOUT"},
    {19, "TCP_REPAIR"},        {20, "TCP_REPAIR_QUEUE"},    {21, "TCP_QUEUE_SEQ"},
    {22, "TCP_REPAIR_OPTIONS"}, {23, "TCP_FASTOPEN"},       {24, "TCP_TIMESTAMP"},
    {25, "TCP_NOTSENT_LOWAT"}, {26, "TCP_CC_INFO"},         {27, "TCP_SAVE_SYN"},
    {28, "TCP_SAVED_SYN"},     {29, "TCP_REPAIR_WINDOW"},   {30, "TCP_FASTOPEN_CONNECT"},
    {31, "TCP_ULP"},           {32, "TCP_MD5SIG_EXT"},      {33, "TCP_FASTOPEN_KEY"},
    {34, "TCP_FASTOPEN_NO_COOKIE"}, {35, "TCP_ZEROCOPY_RECEIVE"}, {36, "TCP_INQ"},
    {37, "TCP_TX_DELAY"},
};
constexpr Named kSolIp[] = {
    {1, "IP_TOS"},             {2, "IP_TTL"},               {3, "IP_HDRINCL"},
    {4, "IP_OPTIONS"},         {5, "IP_ROUTER_ALERT"},      {6, "IP_RECVOPTS"},
    {7, "IP_RETOPTS"},         {8, "IP_PKTINFO"},           {9, "IP_PKTOPTIONS"},
    {10, "IP_MTU_DISCOVER"},   {11, "IP_RECVERR"},          {12, "IP_RECVTTL"},
    {13, "IP_RECVTOS"},        {14, "IP_MTU"},              {15, "IP_FREEBIND"},
    {16, "IP_IPSEC_POLICY"},   {17, "IP_XFRM_POLICY"},      {18, "IP_PASSSEC"},
    {19, "IP_TRANSPARENT"},    {20, "IP_ORIGDSTADDR"},      {21, "IP_MINTTL"},
    {22, "IP_NODEFRAG"},       {23, "IP_CHECKSUM"},         {24, "IP_BIND_ADDRESS_NO_PORT"},
    {25, "IP_RECVFRAGSIZE"},   {26, "IP_RECVERR_RFC4884"},  {32, "IP_MULTICAST_IF"},
    {33, "IP_MULTICAST_TTL"},  {34, "IP_MULTICAST_LOOP"},   {35, "IP_ADD_MEMBERSHIP"},
    {36, "IP_DROP_MEMBERSHIP"}, {37, "IP_UNBLOCK_SOURCE"},  {38, "IP_BLOCK_SOURCE"},
    {39, "IP_ADD_SOURCE_MEMBERSHIP"}, {40, "IP_DROP_SOURCE_MEMBERSHIP"}, {41, "IP_MSFILTER"},
    {42, "MCAST_JOIN_GROUP"},  {43, "MCAST_BLOCK_SOURCE"},  {44, "MCAST_UNBLOCK_SOURCE"},
    {45, "MCAST_LEAVE_GROUP"}, {46, "MCAST_JOIN_SOURCE_GROUP"}, {47, "MCAST_LEAVE_SOURCE_GROUP"},
    {48, "MCAST_MSFILTER"},    {49, "IP_MULTICAST_ALL"},    {50, "IP_UNICAST_IF"},
};
constexpr Named kSolIpv6[] = {
    {1, "IPV6_ADDRFORM"},      {2, "IPV6_2292PKTINFO"},     {3, "IPV6_2292HOPOPTS"},
    {4, "IPV6_2292DSTOPTS"},   {5, "IPV6_2292RTHDR"},       {6, "IPV6_2292PKTOPTIONS"},
    {7, "IPV6_CHECKSUM"},      {8, "IPV6_2292HOPLIMIT"},    {9, "IPV6_NEXTHOP"},
    {10, "IPV6_AUTHHDR"},      {11, "IPV6_FLOWINFO"},       {16, "IPV6_UNICAST_HOPS"},
    {17, "IPV6_MULTICAST_IF"}, {18, "IPV6_MULTICAST_HOPS"}, {19, "IPV6_MULTICAST_LOOP"},
    {20, "IPV6_ADD_MEMBERSHIP"}, {21, "IPV6_DROP_MEMBERSHIP"}, {22, "IPV6_ROUTER_ALERT"},
    {23, "IPV6_MTU_DISCOVER"}, {24, "IPV6_MTU"},            {25, "IPV6_RECVERR"},
    {26, "IPV6_V6ONLY"},       {27, "IPV6_JOIN_ANYCAST"},   {28, "IPV6_LEAVE_ANYCAST"},
    {49, "IPV6_RECVPKTINFO"},  {50, "IPV6_PKTINFO"},        {51, "IPV6_RECVHOPLIMIT"},
    {52, "IPV6_HOPLIMIT"},     {66, "IPV6_RECVTCLASS"},     {67, "IPV6_TCLASS"},
};
// Options whose value is a struct: shown as the pointer unless strace
// decodes it (SO_LINGER) and the length fits.
bool struct_option(int level, int name) {
  if (level == SOL_SOCKET)
    return name == SO_LINGER || name == SO_ATTACH_FILTER || name == 51 /* SO_ATTACH_REUSEPORT_CBPF */;
  if (level == IPPROTO_IP)
    return name == IP_ADD_MEMBERSHIP || name == IP_DROP_MEMBERSHIP || name == 42 || name == 45 /* MCAST_*_GROUP */;
  return false;
}
constexpr Named kScmTypes[] = {{SCM_RIGHTS, "SCM_RIGHTS"}, {SCM_CREDENTIALS, "SCM_CREDENTIALS"}};

// -- socket addresses ----------------------------------------------------------------

std::string family(int f) { return xlat(static_cast<uint32_t>(f), table(kFamilies), "AF_???"); }

std::string sockaddr_str(const unsigned char* p, size_t len) {
  sa_family_t fam;
  memcpy(&fam, p, sizeof fam);
  std::string out = "{sa_family=" + family(fam);
  const unsigned char* data = p + sizeof fam;
  size_t dlen = len - sizeof fam;
  switch (fam) {
    case AF_UNIX: {
      if (dlen == 0) return out + "}";
      size_t n = dlen > sizeof(((struct sockaddr_un*)nullptr)->sun_path) ? 108 : dlen;
      if (data[0] == 0) {
        // Abstract: every byte after the leading NUL is part of the name.
        return out + ", sun_path=@" + quote(data + 1, n - 1) + "}";
      }
      const void* nul = memchr(data, 0, n);
      size_t plen = nul ? static_cast<const unsigned char*>(nul) - data : n;
      return out + ", sun_path=" + quote(data, plen) + "}";
    }
    case AF_INET: {
      if (len < sizeof(struct sockaddr_in)) break;
      struct sockaddr_in in;
      memcpy(&in, p, sizeof in);
      char buf[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, &in.sin_addr, buf, sizeof buf);
      // -X raw shows the network-order bytes themselves, as strace does.
      auto bytes = [](const void* v, size_t n) {
        std::string hexed = hex_bytes(static_cast<const unsigned char*>(v), n), s = "\"";
        for (size_t i = 0; i < hexed.size(); i += 2) s += "\\x" + hexed.substr(i, 2);
        return s + "\"";
      };
      return out + ", sin_port=" + styled(bytes(&in.sin_port, 2), "htons(" + std::to_string(ntohs(in.sin_port)) + ")") +
             ", sin_addr=" + styled(bytes(&in.sin_addr, 4), std::string("inet_addr(\"") + buf + "\")") + "}";
    }
    case AF_INET6: {
      if (len < sizeof(struct sockaddr_in6)) break;
      struct sockaddr_in6 in6;
      memcpy(&in6, p, sizeof in6);
      char buf[INET6_ADDRSTRLEN];
      inet_ntop(AF_INET6, &in6.sin6_addr, buf, sizeof buf);
      out += ", sin6_port=htons(" + std::to_string(ntohs(in6.sin6_port)) + "), sin6_flowinfo=htonl(" +
             std::to_string(ntohl(in6.sin6_flowinfo)) + "), inet_pton(AF_INET6, \"" + buf + "\", &sin6_addr)";
      char ifname[IF_NAMESIZE];
      if (in6.sin6_scope_id && if_indextoname(in6.sin6_scope_id, ifname))
        out += ", sin6_scope_id=if_nametoindex(\"" + std::string(ifname) + "\")";
      else
        out += ", sin6_scope_id=" + std::to_string(in6.sin6_scope_id);
      return out + "}";
    }
    case AF_NETLINK: {
      if (len < sizeof(struct sockaddr_nl)) break;
      struct sockaddr_nl nl;
      memcpy(&nl, p, sizeof nl);
      char groups[16];
      snprintf(groups, sizeof groups, "%08x", nl.nl_groups);
      return out + ", nl_pid=" + std::to_string(nl.nl_pid) + ", nl_groups=" + groups + "}";
    }
    default:
      break;
  }
  return out + ", sa_data=" + quote(data, dlen) + "}";
}

// -- value-result lengths ---------------------------------------------------------------

// The entry value of a socklen_t the kernel overwrites, kept for the exit
// rendering ("[128 => 16]").
void save_len(Call& c, uint64_t addr) {
  uint32_t v;
  c.saved.push_back(addr && c.mem.read_value(addr, &v) ? std::to_string(v) : "");
}

std::string len_result(const Call& c, uint64_t addr, size_t saved_index, uint32_t* out_len) {
  std::string in = c.saved_at(saved_index);
  *out_len = 0;
  if (addr == 0) return "NULL";
  if (in.empty()) return hex(addr);
  uint32_t inv = static_cast<uint32_t>(strtoul(in.c_str(), nullptr, 10));
  uint32_t v;
  if (!c.ok() || !c.mem.read_value(addr, &v)) {
    *out_len = inv;
    return "[" + in + "]";
  }
  *out_len = v < inv ? v : inv;
  if (v == inv) return "[" + in + "]";
  return "[" + in + " => " + std::to_string(v) + "]";
}

// An address the kernel fills: shown after success, `len` bytes of it.
std::string sockaddr_out(const Call& c, uint64_t addr, uint32_t len) {
  if (!c.ok() || addr == 0) return ptr(addr);
  return sockaddr_at(c, addr, len);
}

// -- the syscalls -------------------------------------------------------------------------

std::string sock_type(uint32_t v) {
  const char* base = lookup(table(kSockTypes), v & 0xf);
  if (!base) return flags(v, table(kSockFlags), "SOCK_???");
  // -X styles the type and the flags each on its own, as strace does.
  std::string out = styled(hex(v & 0xf), base);
  if (uint32_t f = v & ~0xfu) {
    std::string names;
    append_flags_hex(&names, f, table(kSockFlags));
    out += "|" + styled(hex(f), names);
  }
  return out;
}

std::string protocol(int fam, int proto) {
  switch (fam) {
    case AF_INET:
    case AF_INET6:
      return xlat_dec(proto, table(kIpProtocols), "IPPROTO_???");
    case AF_NETLINK:
      return xlat_dec(proto, table(kNetlinkProtocols), "NETLINK_???");
    default:
      return std::to_string(proto);
  }
}

void socket(Call& c) {
  c.add(family(c.i32(0)));
  c.add(sock_type(c.u32(1)));
  c.add(protocol(c.i32(0), c.i32(2)));
}

void socketpair(Call& c) {
  socket(c);
  c.add(fd_pair_at(c, c.u(3)));
}

// (The socket as it was before the call, see fd_arg: bind, connect,
// listen and a send that binds a socket change what -yy shows of it.)
void bind(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(sockaddr_at(c, c.u(1), c.u32(2)));
  c.add(std::to_string(c.u32(2)));
}

void listen(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(std::to_string(c.i32(1)));
}

// accept, getsockname, getpeername: (fd, addr, addrlen) with addrlen
// value-result.
void addr_len_entry(Call& c) {
  c.add(fd_arg(c, 0));
  save_len(c, c.u(2));
}

void addr_len_exit(Call& c) {
  uint32_t len;
  std::string l = len_result(c, c.u(2), 0, &len);
  c.add(sockaddr_out(c, c.u(1), len));
  c.add(l);
}

void accept4_exit(Call& c) {
  addr_len_exit(c);
  c.add(flags(c.u32(3), table(kSockFlags), "SOCK_???"));
}

void sendto(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(buffer(c, c.u(1), c.u(2)));
  c.add(udec(c.u(2)));
  c.add(flags(c.u32(3), table(kMsgFlags), "MSG_???"));
  c.add(c.u(4) ? sockaddr_at(c, c.u(4), c.u32(5)) : "NULL");
  c.add(std::to_string(c.u32(5)));
}

void recvfrom_entry(Call& c) {
  c.add(fd_arg(c, 0));
  save_len(c, c.u(5));
}

void recvfrom_exit(Call& c) {
  c.add(c.ok() ? buffer(c, c.u(1), static_cast<uint64_t>(c.rval())) : ptr(c.u(1)));
  c.add(udec(c.u(2)));
  c.add(flags(c.u32(3), table(kMsgFlags), "MSG_???"));
  uint32_t len;
  std::string l = len_result(c, c.u(5), 0, &len);
  c.add(sockaddr_out(c, c.u(4), len));
  c.add(l);
}

std::string cmsgs_str(const Call& c, uint64_t addr, uint64_t len) {
  if (addr == 0) return "NULL";
  if (len > 65536) return hex(addr);
  std::vector<unsigned char> buf(static_cast<size_t>(len));
  if (len && !c.mem.read_exact(addr, buf.data(), buf.size())) return hex(addr);
  std::string out = "[";
  size_t off = 0;
  bool first = true;
  while (off + sizeof(struct cmsghdr) <= buf.size()) {
    struct cmsghdr h;
    memcpy(&h, &buf[off], sizeof h);
    if (h.cmsg_len < sizeof h || off + h.cmsg_len > buf.size()) break;
    if (!first) out += ", ";
    first = false;
    out += "{cmsg_len=" + std::to_string(h.cmsg_len) + ", cmsg_level=" +
           xlat(static_cast<uint32_t>(h.cmsg_level), table(kLevels), "SOL_???") + ", cmsg_type=";
    const unsigned char* data = &buf[off + CMSG_LEN(0)];
    size_t dlen = h.cmsg_len - CMSG_LEN(0);
    if (h.cmsg_level == SOL_SOCKET && h.cmsg_type == SCM_RIGHTS) {
      std::vector<std::string> fds;
      for (size_t i = 0; i + 4 <= dlen; i += 4) {
        int fd;
        memcpy(&fd, data + i, 4);
        fds.push_back(fd_str(c, fd));
      }
      out += "SCM_RIGHTS, cmsg_data=" + array(c, fds, fds.size()) + "}";
    } else if (h.cmsg_level == SOL_SOCKET && h.cmsg_type == SCM_CREDENTIALS && dlen >= sizeof(struct ucred)) {
      struct ucred cr;
      memcpy(&cr, data, sizeof cr);
      out += "SCM_CREDENTIALS, cmsg_data={pid=" + std::to_string(cr.pid) + ", uid=" + std::to_string(cr.uid) +
             ", gid=" + std::to_string(cr.gid) + "}}";
    } else {
      out += (h.cmsg_level == SOL_SOCKET ? xlat(static_cast<uint32_t>(h.cmsg_type), table(kScmTypes), "SCM_???")
                                          : hex(static_cast<uint32_t>(h.cmsg_type))) +
             ", cmsg_data=" + quote(data, dlen) + "}";
    }
    off += CMSG_ALIGN(h.cmsg_len);
  }
  return out + "]";
}

// A msghdr; `data_limit` bounds the iovec data shown (what recvmsg got).
std::string msghdr_str(const Call& c, const struct msghdr& m, uint64_t data_limit, const std::string& namelen) {
  uint64_t name = reinterpret_cast<uintptr_t>(m.msg_name);
  std::string out = "{msg_name=" + (name && m.msg_namelen ? sockaddr_at(c, name, m.msg_namelen) : ptr(name));
  out += ", msg_namelen=" + namelen;
  out += ", msg_iov=" + iovec_at(c, reinterpret_cast<uintptr_t>(m.msg_iov), m.msg_iovlen, data_limit);
  out += ", msg_iovlen=" + std::to_string(m.msg_iovlen);
  if (m.msg_controllen)
    out += ", msg_control=" + cmsgs_str(c, reinterpret_cast<uintptr_t>(m.msg_control), m.msg_controllen);
  out += ", msg_controllen=" + std::to_string(m.msg_controllen);
  out += ", msg_flags=" + flags(static_cast<uint32_t>(m.msg_flags), table(kMsgFlags), "MSG_???") + "}";
  return out;
}

void sendmsg(Call& c) {
  c.add(fd_arg(c, 0));
  struct msghdr m;
  if (c.u(1) == 0 || !c.mem.read_value(c.u(1), &m)) c.add(ptr(c.u(1)));
  else c.add(msghdr_str(c, m, UINT64_MAX, std::to_string(m.msg_namelen)));
  c.add(flags(c.u32(2), table(kMsgFlags), "MSG_???"));
}

// recvmsg: msg_namelen is value-result; keep its entry value.
void recvmsg_entry(Call& c) {
  c.add(fd_arg(c, 0));
  struct msghdr m;
  c.saved.push_back(c.u(1) && c.mem.read_value(c.u(1), &m) ? std::to_string(m.msg_namelen) : "");
}

void recvmsg_exit(Call& c) {
  struct msghdr m;
  if (!c.ok() || c.u(1) == 0 || !c.mem.read_value(c.u(1), &m)) {
    c.add(ptr(c.u(1)));
  } else {
    std::string in = c.saved_at(0);
    std::string namelen = std::to_string(m.msg_namelen);
    if (!in.empty() && in != namelen) namelen = in + " => " + namelen;
    c.add(msghdr_str(c, m, static_cast<uint64_t>(c.rval()), namelen));
  }
  c.add(flags(c.u32(2), table(kMsgFlags), "MSG_???"));
}

Table option_names(int level) {
  switch (level) {
    case SOL_SOCKET: return table(kSolSocket);
    case IPPROTO_TCP: return table(kSolTcp);
    case IPPROTO_IP: return table(kSolIp);
    case IPPROTO_IPV6: return table(kSolIpv6);
    default: return {nullptr, 0};
  }
}

const char* option_hint(int level) {
  switch (level) {
    case SOL_SOCKET: return "SO_???";
    case IPPROTO_TCP: return "TCP_???";
    case IPPROTO_IP: return "IP_???";
    case IPPROTO_IPV6: return "IPV6_???";
    default: return nullptr;
  }
}

std::string option_level(int level) { return xlat(static_cast<uint32_t>(level), table(kLevels), "SOL_??"); }

// An option name: known levels name it (or mark it unknown); other levels
// show the number.
std::string option_name(int level, int name) {
  const char* hint = option_hint(level);
  if (!hint) return std::to_string(name);
  return xlat(static_cast<uint32_t>(name), option_names(level), hint);
}

std::string optval_str(const Call& c, int level, int name, uint64_t addr, uint32_t len) {
  if (addr == 0) return "NULL";
  if (level == SOL_SOCKET && name == SO_LINGER && len >= sizeof(struct linger)) {
    struct linger l;
    if (!c.mem.read_value(addr, &l)) return hex(addr);
    return "{l_onoff=" + std::to_string(l.l_onoff) + ", l_linger=" + std::to_string(l.l_linger) + "}";
  }
  if (struct_option(level, name)) return hex(addr);
  if (len == sizeof(int)) return int_at(c, addr);
  if ((level == IPPROTO_TCP && (name == TCP_CONGESTION || name == TCP_ULP)) ||
      (level == SOL_SOCKET && name == SO_BINDTODEVICE))
    return buffer(c, addr, len);
  return hex(addr);
}

void setsockopt(Call& c) {
  int level = c.i32(1), name = c.i32(2);
  c.add(fd_arg(c, 0));
  c.add(option_level(level));
  c.add(option_name(level, name));
  c.add(optval_str(c, level, name, c.u(3), c.u32(4)));
  c.add(std::to_string(c.u32(4)));
}

void getsockopt_entry(Call& c) {
  int level = c.i32(1);
  c.add(fd_arg(c, 0));
  c.add(option_level(level));
  c.add(option_name(level, c.i32(2)));
  save_len(c, c.u(4));
}

void getsockopt_exit(Call& c) {
  uint32_t len;
  std::string l = len_result(c, c.u(4), 0, &len);
  if (!c.ok()) c.add(ptr(c.u(3)));
  else if (c.i32(1) == SOL_SOCKET && c.i32(2) == SO_PEERCRED && len >= sizeof(struct ucred)) {
    struct ucred cr;
    c.add(c.mem.read_value(c.u(3), &cr) ? "{pid=" + std::to_string(cr.pid) + ", uid=" + std::to_string(cr.uid) +
                                              ", gid=" + std::to_string(cr.gid) + "}"
                                        : hex(c.u(3)));
  } else {
    c.add(optval_str(c, c.i32(1), c.i32(2), c.u(3), len));
  }
  c.add(l);
}

void shutdown(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(xlat(c.u32(1), table(kShutdownHow), "SHUT_???"));
}

// An mmsghdr array: each message header, with msg_len once the call
// succeeded for it. `data_limited` bounds each entry's iovec data by its
// msg_len (what recvmmsg received).
std::string mmsghdrs_str(const Call& c, uint64_t addr, uint32_t n, bool with_len, bool data_limited) {
  if (addr == 0) return "NULL";
  std::vector<std::string> items;
  for (uint32_t i = 0; i < n && i < c.limit(); ++i) {
    struct mmsghdr m;
    if (!c.mem.read_value(addr + i * sizeof m, &m)) return hex(addr);
    std::string s = "{msg_hdr=" + msghdr_str(c, m.msg_hdr, data_limited ? m.msg_len : UINT64_MAX,
                                             std::to_string(m.msg_hdr.msg_namelen));
    if (with_len) s += ", msg_len=" + std::to_string(m.msg_len);
    items.push_back(s + "}");
  }
  return array(c, items, n);
}

void sendmmsg(Call& c) {
  c.add(fd_arg(c, 0));
  // msg_len is written for the messages that were sent.
  uint32_t n = c.u32(2);
  if (c.ok()) c.add(mmsghdrs_str(c, c.u(1), static_cast<uint32_t>(c.rval()) < n ? static_cast<uint32_t>(c.rval()) : n, true, false));
  else c.add(mmsghdrs_str(c, c.u(1), n, false, false));
  c.add(std::to_string(n));
  c.add(flags(c.u32(3), table(kMsgFlags), "MSG_???"));
}

void recvmmsg(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(c.ok() ? mmsghdrs_str(c, c.u(1), static_cast<uint32_t>(c.rval()), true, true) : ptr(c.u(1)));
  c.add(std::to_string(c.u32(2)));
  c.add(flags(c.u32(3), table(kMsgFlags), "MSG_???"));
  c.add(timespec_at(c, c.u(4)));
}

constexpr Decoder kDecoders[] = {
    fd_result(with_exit("socket", socket)),
    with_exit("socketpair", socketpair),
    with_exit("bind", bind),
    with_exit("connect", bind),
    with_exit("listen", listen),
    fd_result(with_entry("accept", addr_len_entry, addr_len_exit)),
    fd_result(with_entry("accept4", addr_len_entry, accept4_exit)),
    with_entry("getsockname", addr_len_entry, addr_len_exit),
    with_entry("getpeername", addr_len_entry, addr_len_exit),
    with_exit("sendto", sendto),
    with_entry("recvfrom", recvfrom_entry, recvfrom_exit),
    with_exit("sendmsg", sendmsg),
    with_entry("recvmsg", recvmsg_entry, recvmsg_exit),
    with_exit("sendmmsg", sendmmsg),
    with_exit("recvmmsg", recvmmsg),
    with_exit("setsockopt", setsockopt),
    with_entry("getsockopt", getsockopt_entry, getsockopt_exit),
    with_exit("shutdown", shutdown),
};

}  // namespace

std::string sockaddr_at(const Call& c, uint64_t addr, uint64_t len) {
  if (addr == 0) return "NULL";
  if (len < sizeof(sa_family_t)) return hex(addr);
  if (len > sizeof(struct sockaddr_storage)) len = sizeof(struct sockaddr_storage);
  unsigned char buf[sizeof(struct sockaddr_storage)];
  if (!c.mem.read_exact(addr, buf, static_cast<size_t>(len))) return hex(addr);
  return sockaddr_str(buf, static_cast<size_t>(len));
}

DecoderList network_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
