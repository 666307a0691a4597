// Dispatch and the generic rendering. Per-syscall decoders live in
// decode_<family>.cc and register through decode_call.h; a syscall without
// a decoder is printed as strace prints the ones it does not know: every
// argument in hex.
#include "decode.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include <mutex>
#include <unordered_map>
#include <vector>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"
#include "syscall_table.h"

namespace renacer {

namespace {

using dec::Call;
using dec::hex;
using dec::Decoder;
using dec::DecoderList;

// restart_syscall resumes the call a task had going when a stop (SIGSTOP,
// a ptrace stop) interrupted it with ERESTART_RESTARTBLOCK; strace names
// that call. A task is decoded only by the thread tracing it, hence one
// map per thread.
constexpr int64_t kErestartRestartblock = 516;
thread_local std::unordered_map<pid_t, long> g_interrupted;

void restart_syscall(Call& c) {
  auto it = g_interrupted.find(c.ctx.tid);
  const SyscallInfo* info = it != g_interrupted.end() ? syscall_info(it->second) : nullptr;
  // (-y renders it at entry too: only its exit takes the entry away)
  if (it != g_interrupted.end() && !c.entry) g_interrupted.erase(it);
  c.add(info ? std::string("<... resuming interrupted ") + info->name + " ...>"
             : std::string("<... resuming interrupted system call ...>"));
}

constexpr Decoder kGenericDecoders[] = {
    dec::with_exit("restart_syscall", restart_syscall),
};

// Decoders indexed by syscall number, built once from the family lists by
// name, so that the lists stay architecture-neutral.
const std::vector<const Decoder*>& dispatch_table() {
  static std::vector<const Decoder*> by_nr;
  static std::once_flag once;
  std::call_once(once, [] {
    by_nr.assign(static_cast<size_t>(syscall_table_size()), nullptr);
    const DecoderList lists[] = {
        dec::file_decoders(),    dec::stat_decoders(),    dec::desc_decoders(),
        dec::ioctl_decoders(),   dec::memory_decoders(),  dec::process_decoders(),
        dec::prctl_decoders(),   dec::futex_decoders(),   dec::sched_decoders(),
        dec::cred_decoders(),    dec::sysinfo_decoders(), dec::time_decoders(),
        dec::signal_decoders(),  dec::network_decoders(), dec::ipc_decoders(),
        dec::table(kGenericDecoders),
    };
    for (const DecoderList& list : lists) {
      for (size_t i = 0; i < list.count; ++i) {
        long nr = syscall_number(list.items[i].name);
        if (nr >= 0 && static_cast<size_t>(nr) < by_nr.size()) by_nr[nr] = &list.items[i];
      }
    }
  });
  return by_nr;
}

const Decoder* decoder_for(long nr) {
  const auto& t = dispatch_table();
  if (nr < 0 || static_cast<size_t>(nr) >= t.size()) return nullptr;
  return t[nr];
}

// The entry state is the entry phase's rendered arguments, saved values and
// (-y) descriptor arguments, NUL-separated (rendered text never holds a NUL:
// strings are escaped): "OUT,SAVED" counts, then each.
std::string pack_state(const Call& c) {
  std::string s = std::to_string(c.out.size()) + "," + std::to_string(c.saved.size());
  for (const auto& a : c.out) s += '\0' + a;
  for (const auto& v : c.saved) s += '\0' + v;
  if (c.opts.decode_fds)
    for (const auto& f : c.entry_fds) s += '\0' + f;
  return s;
}

// `what`: the rendered arguments and saved values, else only the descriptors.
enum class Unpack { kAll, kFds };

void unpack_state(const std::string& s, Call* c, Unpack what = Unpack::kAll) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = s.find('\0', start);
    parts.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  char* comma;
  size_t n = static_cast<size_t>(strtoul(parts[0].c_str(), &comma, 10));
  size_t m = *comma == ',' ? static_cast<size_t>(strtoul(comma + 1, nullptr, 10)) : 0;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (i <= n) {
      if (what == Unpack::kAll) c->out.push_back(parts[i]);
    } else if (i <= n + m) {
      if (what == Unpack::kAll) c->saved.push_back(parts[i]);
    } else if (i - n - m - 1 < 6) {
      c->entry_fds[i - n - m - 1] = parts[i];
    }
  }
}

std::string join_args(const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out.push_back('\0');
    out += args[i];
  }
  return out;
}

// Kernel-internal errnos that reach a tracer but have no libc name.
struct InternalErrno {
  int no;
  const char* name;
  const char* msg;
};
constexpr InternalErrno kInternal[] = {
    {512, "ERESTARTSYS", "To be restarted if SA_RESTART is set"},
    {513, "ERESTARTNOINTR", "To be restarted"},
    {514, "ERESTARTNOHAND", "To be restarted if no handler"},
    {515, "ENOIOCTLCMD", "No ioctl command"},
    {516, "ERESTART_RESTARTBLOCK", "Interrupted by signal"},
    {517, "EPROBE_DEFER", "Driver requests probe retry"},
    {518, "EOPENSTALE", "Open found a stale dentry"},
    {519, "ENOPARAM", "Parameter not supported"},
    {521, "EBADHANDLE", "Illegal NFS file handle"},
    {522, "ENOTSYNC", "Update synchronization mismatch"},
    {523, "EBADCOOKIE", "Cookie is stale"},
    {524, "ENOTSUPP", "Operation is not supported"},
    {525, "ETOOSMALL", "Buffer or request is too small"},
    {526, "ESERVERFAULT", "An untranslatable error occurred"},
    {527, "EBADTYPE", "Type not supported by server"},
    {528, "EJUKEBOX", "Request initiated, but will not complete before timeout"},
    {529, "EIOCBQUEUED", "iocb queued, will get completion event"},
    {530, "ERECALLCONFLICT", "Conflict with recalled state"},
};

const InternalErrno* internal_errno(int err) {
  for (const auto& e : kInternal)
    if (e.no == err) return &e;
  return nullptr;
}

}  // namespace

std::string dec::render_scalar(const Call& c, char kind, int i) {
  switch (kind) {
    case 'd': return std::to_string(c.i32(i));
    case 'u': return std::to_string(c.u32(i));
    case 'l': return std::to_string(c.s(i));
    case 'U': return std::to_string(c.u(i));
    case 'x': return hex(c.u(i));
    case 'p': return ptr(c.u(i));
    case 'f': return dirfd_arg(c, i);
    case 'F': return fd_arg(c, i);
    case 's': return path(c, c.u(i));
    case 'o': return mode_perm(c.u32(i));
    case 'i': return id32(c.u32(i));
    case 'S': return signame(c.i32(i));
    case 'c': return clock_id(c.i32(i));
    default: return hex(c.u(i));
  }
}

std::string errno_name(int err) {
  if (const InternalErrno* e = internal_errno(err)) return e->name;
  const char* n = strerrorname_np(err);
  return n ? n : "E" + std::to_string(err);
}

std::string errno_message(int err) {
  if (const InternalErrno* e = internal_errno(err)) return e->msg;
  const char* d = strerrordesc_np(err);
  return d ? d : "Unknown error " + std::to_string(err);
}

namespace {

void render_signature(const Decoder& d, Call& c) {
  for (int i = 0; d.signature[i]; ++i) c.add(dec::render_scalar(c, d.signature[i], i));
}

}  // namespace

std::string decode_entry(const SyscallContext& ctx, const TraceeMemory& mem,
                         const DecodeOptions& opts) {
  dec::set_const_style(static_cast<dec::ConstStyle>(opts.const_style));
  const Decoder* d = decoder_for(ctx.nr);
  if (!d) return "";
  // With -y a call without an entry phase is rendered now too, as strace
  // prints it: its descriptors as they are before the call (close's is gone
  // by its exit) and, should the call never return (a thread ended by
  // another's exit_group), what was shown of it while the task had them.
  if (!d->entry && !opts.decode_fds) return "";
  Call c(ctx, mem, opts, true);
  if (d->entry) d->entry(c);
  else if (d->exit) d->exit(c);
  else if (d->signature) render_signature(*d, c);
  return pack_state(c);
}

DecodedCall decode_raw(const SyscallContext& ctx) {
  DecodedCall result;
  const SyscallInfo* info = syscall_info(ctx.nr);
  int n = info ? info->nargs : 6;
  std::vector<std::string> args;
  for (int i = 0; i < n; ++i) args.push_back(dec::hex(ctx.args[i]));
  result.args = join_args(args);
  if (ctx.exited && !ctx.is_error && ctx.rval != 0) result.retval = dec::hex(static_cast<uint64_t>(ctx.rval));
  return result;
}

DecodedCall decode_exit(const SyscallContext& ctx, const TraceeMemory& mem,
                        const DecodeOptions& opts, const std::string& entry_state) {
  DecodedCall result;
  dec::set_const_style(static_cast<dec::ConstStyle>(opts.const_style));
  if (ctx.exited && ctx.is_error && ctx.rval == -kErestartRestartblock) g_interrupted[ctx.tid] = ctx.nr;
  const Decoder* d = decoder_for(ctx.nr);
  if (!d) {
    // strace's rendering of a syscall it has no decoder for: its arguments raw.
    result.args = decode_raw(ctx).args;
    return result;
  }
  Call c(ctx, mem, opts, false);
  if (d->entry) {
    if (!entry_state.empty()) {
      unpack_state(entry_state, &c);
    } else {
      // No entry stop was seen for this call: render its inputs now, as
      // well as the memory still allows.
      d->entry(c);
    }
    if (d->exit) d->exit(c);
  } else if (!entry_state.empty() && (d->signature || !ctx.exited)) {
    // -y's rendering at entry (see decode_entry): a signature's arguments
    // are all inputs; a call that never returned is shown as it was then.
    unpack_state(entry_state, &c);
  } else if (d->exit) {
    // (with -y, its descriptor arguments as they were at entry)
    if (!entry_state.empty()) unpack_state(entry_state, &c, Unpack::kFds);
    d->exit(c);
  } else if (d->signature) {
    render_signature(*d, c);
  }
  result.args = join_args(c.out);
  if (ctx.exited && !ctx.is_error) {
    // strace's RVAL_FD: a descriptor the call returned, looked up now.
    if (d->returns_fd && opts.decode_fds && c.ret.empty() && ctx.rval >= 0 && ctx.rval <= INT_MAX)
      c.ret = dec::fd_str(c, static_cast<int>(ctx.rval));
    result.retval = std::move(c.ret);
  }
  return result;
}

}  // namespace renacer
