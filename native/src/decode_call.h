// The rendering context the per-family decoders (decode_<family>.cc) share,
// and the registry through which decode.cc dispatches to them.
//
// A decoder renders a syscall's arguments in order into Call::out, each one
// exactly as strace prints it, and may set Call::ret when strace shows the
// return value specially. Arguments the kernel reads are rendered from the
// tracee's memory; arguments it writes are rendered only when the call
// succeeded (Call::ok), otherwise as the pointer, as strace does.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "decode.h"
#include "decode_flags.h"

namespace renacer {
namespace dec {

struct Call {
  Call(const SyscallContext& c, const TraceeMemory& m, const DecodeOptions& o, bool at_entry)
      : ctx(c), mem(m), opts(o), entry(at_entry) {}

  const SyscallContext& ctx;
  const TraceeMemory& mem;
  const DecodeOptions& opts;
  // True while rendering at syscall entry (Decoder::entry).
  const bool entry;

  // Rendered arguments; at exit it already holds what the entry phase rendered.
  std::vector<std::string> out;
  // strace's rendering of a successful return value when it is not the plain number.
  std::string ret;
  // Values the entry phase keeps for the exit phase (e.g. a value-result
  // length before the kernel overwrites it).
  std::vector<std::string> saved;
  // With -y: the descriptor arguments as fd_arg rendered them at entry, by
  // argument ("" where none), shown at exit (decode_common.h).
  mutable std::string entry_fds[6];

  uint64_t u(int i) const { return ctx.args[i]; }
  int64_t s(int i) const { return static_cast<int64_t>(ctx.args[i]); }
  // C `int` and `unsigned int` arguments: the kernel ignores the upper half.
  int i32(int i) const { return static_cast<int>(static_cast<uint32_t>(ctx.args[i])); }
  uint32_t u32(int i) const { return static_cast<uint32_t>(ctx.args[i]); }

  // The call returned successfully, so its output arguments are valid.
  bool ok() const { return ctx.exited && !ctx.is_error; }
  int64_t rval() const { return ctx.rval; }
  size_t limit() const { return opts.string_limit < 0 ? 0 : static_cast<size_t>(opts.string_limit); }
  // strace's abbrev(): structures and arrays shortened (not under -v or -e abbrev=).
  bool abbrev() const {
    long nr = ctx.nr;
    return !(opts.whole_all || (nr >= 0 && static_cast<size_t>(nr) < opts.whole.size() && opts.whole[nr]));
  }

  void add(std::string s) { out.push_back(std::move(s)); }
  // A return value strace explains after it: "1 (SCHED_FIFO)".
  void ret_explained(const std::string& meaning) { ret = std::to_string(rval()) + " (" + meaning + ")"; }
  std::string saved_at(size_t i) const { return i < saved.size() ? saved[i] : std::string(); }
};

using DecodeFn = void (*)(Call&);

// How one syscall is rendered. `entry` (optional) runs at syscall entry and
// renders the leading arguments that must be read before the kernel runs;
// `exit` runs at exit (or when the task died inside the call) and renders
// the rest. A decoder with only `exit` renders everything at exit.
//
// Syscalls whose arguments are all plain scalars or paths use a signature
// instead, one letter per argument:
//   d int            u unsigned int     l long          U unsigned long
//   x hex            p pointer/NULL     f dirfd         s path
//   o mode (octal)   i uid/gid          S signal        c clock id
//   F file descriptor (strace -y decorates it: "3</etc/hostname>")
// With -y every decoder runs at entry too (decode.cc's decode_entry), as
// strace prints a call's arguments: a signature is shown as rendered there
// (close's descriptor is gone by its exit), an exit decoder's descriptor
// arguments too (fd_arg), and all of it for a call that never returns.
struct Decoder {
  const char* name;  // the syscall table's name
  DecodeFn entry;
  DecodeFn exit;
  const char* signature;
  // A successful return is a new descriptor (strace's RVAL_FD): with -y,
  // "= 3</etc/hostname>".
  bool returns_fd = false;
};

constexpr Decoder with_exit(const char* name, DecodeFn exit) { return {name, nullptr, exit, nullptr}; }
constexpr Decoder with_entry(const char* name, DecodeFn entry, DecodeFn exit) {
  return {name, entry, exit, nullptr};
}
constexpr Decoder with_signature(const char* name, const char* signature) {
  return {name, nullptr, nullptr, signature};
}
// The decoder of a call that returns a descriptor: fd_result(with_exit("open", open_)).
constexpr Decoder fd_result(Decoder d) {
  d.returns_fd = true;
  return d;
}

// A call whose arguments are another's and more: chain<read_, offset>
// renders read's, then the offset (pread64).
template <DecodeFn first, DecodeFn then>
void chain(Call& c) {
  first(c);
  then(c);
}

// Renders argument i by signature letter (see Decoder).
std::string render_scalar(const Call& c, char kind, int i);

// table(kDecoders): the family's decoders.
using DecoderList = Span<Decoder>;

// One list per family; decode.cc merges them into its dispatch table.
DecoderList file_decoders();
DecoderList stat_decoders();
DecoderList desc_decoders();
DecoderList ioctl_decoders();
DecoderList memory_decoders();
DecoderList process_decoders();
DecoderList prctl_decoders();
DecoderList futex_decoders();
DecoderList sched_decoders();
DecoderList cred_decoders();
DecoderList sysinfo_decoders();
DecoderList time_decoders();
DecoderList signal_decoders();
DecoderList network_decoders();
DecoderList ipc_decoders();

}  // namespace dec
}  // namespace renacer
