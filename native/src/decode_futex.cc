// Futexes: the operation decides which of the other arguments the kernel
// uses, so each command prints only those.
#include <linux/futex.h>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

constexpr Named kFutexCmds[] = {
    {FUTEX_WAIT, "FUTEX_WAIT"},           {FUTEX_WAKE, "FUTEX_WAKE"},
    {FUTEX_FD, "FUTEX_FD"},               {FUTEX_REQUEUE, "FUTEX_REQUEUE"},
    {FUTEX_CMP_REQUEUE, "FUTEX_CMP_REQUEUE"}, {FUTEX_WAKE_OP, "FUTEX_WAKE_OP"},
    {FUTEX_LOCK_PI, "FUTEX_LOCK_PI"},     {FUTEX_UNLOCK_PI, "FUTEX_UNLOCK_PI"},
    {FUTEX_TRYLOCK_PI, "FUTEX_TRYLOCK_PI"}, {FUTEX_WAIT_BITSET, "FUTEX_WAIT_BITSET"},
    {FUTEX_WAKE_BITSET, "FUTEX_WAKE_BITSET"}, {FUTEX_WAIT_REQUEUE_PI, "FUTEX_WAIT_REQUEUE_PI"},
    {FUTEX_CMP_REQUEUE_PI, "FUTEX_CMP_REQUEUE_PI"}, {13, "FUTEX_LOCK_PI2"},
};
constexpr Named kFutexOps[] = {{0, "FUTEX_OP_SET"}, {1, "FUTEX_OP_ADD"}, {2, "FUTEX_OP_OR"},
                               {3, "FUTEX_OP_ANDN"}, {4, "FUTEX_OP_XOR"}};
constexpr Named kFutexCmps[] = {{0, "FUTEX_OP_CMP_EQ"}, {1, "FUTEX_OP_CMP_NE"}, {2, "FUTEX_OP_CMP_LT"},
                                {3, "FUTEX_OP_CMP_LE"}, {4, "FUTEX_OP_CMP_GT"}, {5, "FUTEX_OP_CMP_GE"}};

// FUTEX_WAIT_PRIVATE, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME…; the clock
// flag is valid only on the waiting commands.
std::string futex_op(uint32_t op) {
  uint32_t cmd = op & FUTEX_CMD_MASK;
  bool priv = op & FUTEX_PRIVATE_FLAG;
  bool rt = op & FUTEX_CLOCK_REALTIME;
  const char* name = lookup(table(kFutexCmds), cmd);
  bool rt_ok = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAIT_REQUEUE_PI;
  if (!name || (rt && !rt_ok) || (op & ~(FUTEX_CMD_MASK | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)))
    return hex(op) + " /* FUTEX_??? */";
  std::string out = name;
  if (priv) out += cmd == FUTEX_FD ? "|FUTEX_PRIVATE_FLAG" : "_PRIVATE";
  if (rt) out += "|FUTEX_CLOCK_REALTIME";
  return styled(hex(op), out);
}

std::string futex_wake_op(uint32_t v) {
  uint32_t op = (v >> 28) & 0xf, cmp = (v >> 24) & 0xf, oparg = (v >> 12) & 0xfff, cmparg = v & 0xfff;
  std::string out;
  if (op & FUTEX_OP_OPARG_SHIFT) out = "FUTEX_OP_OPARG_SHIFT|";
  out += xlat(op & 7, table(kFutexOps), "FUTEX_OP_???") + "<<28|" + std::to_string(oparg) + "<<12|";
  out += xlat(cmp, table(kFutexCmps), "FUTEX_OP_CMP_???") + "<<24|" + std::to_string(cmparg);
  return out;
}

std::string bitset(uint32_t v) { return v == FUTEX_BITSET_MATCH_ANY ? "FUTEX_BITSET_MATCH_ANY" : hex(v); }

// What futex shows of its arguments 2 on (val, timeout or val2, uaddr2,
// val3) for a command, a letter an argument: v a count, t a timeout, p a
// pointer, o FUTEX_WAKE_OP's operation, b a bitset, x hex, - not shown.
const char* futex_args(uint32_t cmd) {
  switch (cmd) {
    case FUTEX_WAIT: return "vt";
    case FUTEX_WAKE:
    case FUTEX_FD: return "v";
    case FUTEX_REQUEUE: return "vvp";
    case FUTEX_CMP_REQUEUE:
    case FUTEX_CMP_REQUEUE_PI: return "vvpv";
    case FUTEX_WAKE_OP: return "vvpo";
    case FUTEX_LOCK_PI:
    case 13: return "-t";  // FUTEX_LOCK_PI2
    case FUTEX_UNLOCK_PI:
    case FUTEX_TRYLOCK_PI: return "";
    case FUTEX_WAIT_BITSET: return "vt-b";
    case FUTEX_WAKE_BITSET: return "v--b";
    case FUTEX_WAIT_REQUEUE_PI: return "vtp";
    default: return "xxxx";
  }
}

void futex(Call& c) {
  uint32_t op = c.u32(1);
  c.add(ptr(c.u(0)));
  c.add(futex_op(op));
  const char* kinds = futex_args(op & FUTEX_CMD_MASK);
  for (int i = 2; kinds[i - 2]; ++i) {
    switch (kinds[i - 2]) {
      case 'v': c.add(std::to_string(c.u32(i))); break;
      case 't': c.add(timespec_at(c, c.u(i))); break;
      case 'p': c.add(ptr(c.u(i))); break;
      case 'o': c.add(futex_wake_op(c.u32(i))); break;
      case 'b': c.add(bitset(c.u32(i))); break;
      case 'x': c.add(hex(c.u(i))); break;
    }
  }
}

constexpr Decoder kDecoders[] = {
    with_exit("futex", futex),
};

}  // namespace

DecoderList futex_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
