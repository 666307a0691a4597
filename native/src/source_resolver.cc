// Source correlation: at a syscall-entry stop, unwind the calling thread with
// CFI (unwind.h) to the first frame in user code and report its source line
// with the inline chain (symbolizer.h).
//
// Costs are paid once: a process's Dwfl lives across syscalls (shared by
// forked children with the same image), each ELF file's debug info is opened
// once per session, and each address is symbolised once. A steady-state
// resolve is PTRACE_GETREGS, a few process_vm_readv of the stack, a CFI step
// per frame and hash-map hits.
//
// What resolve() returns (parsed by traceSession.ts decodeBatch and
// Object.assign-ed onto the syscall event):
//   {"source":{file,line,column?,function?,inlined?},
//    "stack":[…same shape…]            only with SourceOptions.full_stack
//    "notices":["…"]}                  user-facing notices raised by this call
// `notices` rides on the event of the syscall whose unwind found the problem
// (each notice once per session); the JavaScript side takes it off the event
// and prints it (extension/core/source/sourceNotices.ts). take_notices() returns
// notices raised outside resolve(), which today is none.
#include "source_resolver.h"

#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>

#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <algorithm>
#include <ctime>
#include <unordered_map>
#include <unordered_set>

#include "source_json.h"
#include "source_paths.h"
#include "symbolizer.h"
#include "hex_bytes.h"
#include "unwind.h"

namespace renacer {

namespace {

constexpr int kMaxDepth = 128;

bool same_file(const char* a, const char* b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace

struct SourceResolver::Impl {
  explicit Impl(const SourceOptions& o)
      : opts(o), rules(o.user_roots), debug(getenv("RENACER_SOURCE_DEBUG") != nullptr) {}

  SourceOptions opts;
  UserCodeRules rules;
  bool debug;  // RENACER_SOURCE_DEBUG=1: each unwind's frames on stderr
  bool stats = getenv("RENACER_SOURCE_STATS") != nullptr;  // timing summary on stderr at the end
  std::vector<double> times;
  void print_stats();
  // ELF files by build id (or path when they have none): symbols for the session.
  std::unordered_map<std::string, std::unique_ptr<ModuleSymbols>> files;
  // Address spaces by process, and by image (forked children share).
  std::unordered_map<pid_t, std::shared_ptr<AddressSpace>> procs;
  std::unordered_map<std::string, std::weak_ptr<AddressSpace>> by_signature;
  // Processes whose module list went stale (a module was unmapped).
  std::unordered_set<pid_t> stale;
  std::unordered_set<std::string> noticed;
  std::vector<std::string> notices;  // raised by the current resolve()
  std::vector<std::string> undelivered;

  // The walk in progress.
  AddressSpace* as = nullptr;
  const std::string* best = nullptr;      // first frame in user code
  const std::string* fallback = nullptr;  // first non-system frame outside the roots
  std::vector<const std::string*> user_stack, other_stack;
  Dwfl_Module* prev_module = nullptr;  // the frame visited before this one
  Dwarf_Addr prev_lookup = 0;
  int deepest = 0;  // the deepest frame visited

  std::shared_ptr<AddressSpace> space_for(pid_t tgid, long nr);
  std::shared_ptr<AddressSpace> fresh_space(pid_t tgid);
  void drop(pid_t tgid);
  bool prepare_module(Dwfl_Module* mod, ModuleInfo* mi);
  bool quick(pid_t tgid, const EntryState& at, std::shared_ptr<AddressSpace>* out);
  // The current walk's answer, as resolve() returns it.
  std::string serialise();
  std::pair<Dwarf_Addr, Dwarf_Addr> answer_key{0, 0};  // this call site, when quick_walk can tell it
  const std::string* answer = nullptr;                  // its answer, known from an earlier call
  std::shared_ptr<AddressSpace> walk(pid_t tgid, pid_t tid, const user_regs_struct& regs, AddressSpace::Visitor visit,
                                     void* arg, void (*reset)(void*));
  static void reset_source(void* arg);
  static bool visit(const Frame& f, void* arg);
  static bool visit_whole(const Frame& f, void* arg);
  static bool visit_backtrace(const Frame& f, void* arg);
  bool visit_frame(const Frame& f, ModuleInfo* mi);
  bool consider(const SymbolizedAddress& sa);

  // Tail calls (gdb's "tailcall frames").
  struct Hop {
    ModuleInfo* mi;
    uint64_t return_vaddr;
  };
  const std::vector<const SymbolizedAddress*>& tail_frames(const Frame& f, ModuleInfo* mi,
                                                           const SymbolizedAddress& sa);
  Dwarf_Addr target_address(ModuleInfo* site, Dwfl_Module* callee_mod, const CallTarget& t);
  void search_tail_calls(ModuleInfo* site, const CallTarget& t, Dwarf_Addr callee, Dwfl_Module* callee_mod,
                         int depth, std::vector<Hop>* path, std::vector<std::vector<Hop>>* chains, int* budget);
};

std::shared_ptr<AddressSpace> SourceResolver::Impl::fresh_space(pid_t tgid) {
  auto as = std::make_shared<AddressSpace>(tgid, &rules);
  if (!as->ok()) return nullptr;
  if (by_signature.size() > 64) {
    for (auto i = by_signature.begin(); i != by_signature.end();)
      if (i->second.expired()) i = by_signature.erase(i); else ++i;
  }
  by_signature[as->signature()] = as;
  return as;
}

void SourceResolver::Impl::drop(pid_t tgid) {
  // by_signature holds weak pointers: the entry expires with the last user.
  procs.erase(tgid);
}

std::shared_ptr<AddressSpace> SourceResolver::Impl::space_for(pid_t tgid, long nr) {
  if (stale.erase(tgid)) drop(tgid);
  auto it = procs.find(tgid);
  if (it != procs.end()) return it->second;
  char exe[64];
  snprintf(exe, sizeof exe, "/proc/%d/exe", tgid);
  // Our own launch: the forked Node process about to exec the program. Its
  // stack is renacer's spawn code, not the program's.
  if ((nr == SYS_execve || nr == SYS_execveat) && same_file(exe, "/proc/self/exe")) return nullptr;
  // A forked child with its parent's image at the same addresses shares the
  // parent's Dwfl (and its parsed CFI).
  bool ok = false;
  std::string sig = AddressSpace::read_signature(tgid, &ok);
  if (!ok) return nullptr;
  auto twin = by_signature.find(sig);
  if (twin != by_signature.end()) {
    if (std::shared_ptr<AddressSpace> shared = twin->second.lock()) {
      procs[tgid] = shared;
      return shared;
    }
    by_signature.erase(twin);
  }
  std::shared_ptr<AddressSpace> as = fresh_space(tgid);
  if (as) procs[tgid] = as;
  return as;
}

bool SourceResolver::Impl::prepare_module(Dwfl_Module* mod, ModuleInfo* mi) {
  if (mi->resolved) return mi->symbols && mi->symbols->has_debug_info();
  mi->resolved = true;
  Dwarf_Addr bias = 0;
  if (!dwfl_module_getelf(mod, &bias)) return false;
  mi->bias = bias;
  const char* mainfile = nullptr;
  dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, &mainfile, nullptr);
  std::string path = mainfile ? mainfile : mi->path;
  const unsigned char* bits = nullptr;
  GElf_Addr vaddr = 0;
  int n = dwfl_module_build_id(mod, &bits, &vaddr);
  std::string build_id = n > 0 ? hex_bytes(bits, static_cast<size_t>(n)) : "";
  std::string key = build_id.empty() ? "path:" + path : build_id;
  auto it = files.find(key);
  if (it == files.end()) {
    auto syms = std::make_unique<ModuleSymbols>(path, build_id, &rules);
    if (!syms->has_debug_info() && noticed.insert(path).second) {
      notices.push_back("no source lines for " + path + ": " + syms->problem() +
                        ". Its syscalls are still traced. Rebuild it with -g, or install its debug "
                        "symbols (the -dbgsym or -dbg package).");
    }
    it = files.emplace(key, std::move(syms)).first;
  }
  mi->symbols = it->second.get();
  return mi->symbols->has_debug_info();
}

bool SourceResolver::Impl::visit(const Frame& f, void* arg) {
  auto* self = static_cast<Impl*>(arg);
  ModuleInfo* mi = self->as->info(f.module);
  if (self->debug)
    fprintf(stderr, "renacer-source:   #%d pc=%#lx lookup=%#lx %s\n", f.depth, static_cast<unsigned long>(f.pc),
            static_cast<unsigned long>(f.lookup), mi->path.c_str());
  bool more = self->visit_frame(f, mi);
  if (f.depth > self->deepest) self->deepest = f.depth;
  self->prev_module = f.module;
  self->prev_lookup = f.lookup;
  return more;
}

bool SourceResolver::Impl::visit_frame(const Frame& f, ModuleInfo* mi) {
  if (mi->system) return true;
  if (!prepare_module(f.module, mi)) return true;
  const SymbolizedAddress& sa = mi->symbols->lookup(f.lookup - mi->bias);
  if (f.depth > 0 && sa.has_call) {
    for (const SymbolizedAddress* t : tail_frames(f, mi, sa))
      if (!consider(*t)) return false;
  }
  return consider(sa);
}

// One (physical or tail-call) frame: is it the user frame we look for?
bool SourceResolver::Impl::consider(const SymbolizedAddress& sa) {
  if (sa.first_user >= 0) {
    if (!best) best = &sa.json_user;
    if (!opts.full_stack) return false;
    user_stack.push_back(&sa.json_user);
  } else if (sa.first_other >= 0) {
    if (!fallback) fallback = &sa.json_other;
    if (opts.full_stack) other_stack.push_back(&sa.json_other);
  }
  return true;
}

// A frame whose call site calls T while the frame below it runs in another
// function C was left by tail calls: T jumped (perhaps through others) to C.
// The DWARF call sites (DW_AT_call_tail_call) name the candidates; when
// they lead from T to C, the jumping functions are frames too, at their
// jump, as gdb shows them. Cached per (caller, callee) address pair.
const std::vector<const SymbolizedAddress*>& SourceResolver::Impl::tail_frames(const Frame& f, ModuleInfo* mi,
                                                                               const SymbolizedAddress& sa) {
  static const std::vector<const SymbolizedAddress*> kNone;
  if (sa.call.kind == CallTarget::kUnknown || !prev_module) return kNone;
  auto key = std::make_pair(f.lookup, prev_lookup);
  TailFrameCache& cache = as->tail_frames();
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::vector<const SymbolizedAddress*>& out = cache[key];
  Dwarf_Addr callee = as->function_entry(prev_lookup);
  if (!callee) return out;
  std::vector<std::vector<Hop>> chains;
  std::vector<Hop> path;
  int budget = 64;
  search_tail_calls(mi, sa.call, callee, prev_module, 0, &path, &chains, &budget);
  if (chains.empty()) return out;
  // Several ways through: keep what they agree on next to the callee.
  std::vector<Hop> chosen = chains[0];
  for (const std::vector<Hop>& c : chains) {
    size_t n = 0;
    while (n < chosen.size() && n < c.size() && chosen[chosen.size() - 1 - n].mi == c[c.size() - 1 - n].mi &&
           chosen[chosen.size() - 1 - n].return_vaddr == c[c.size() - 1 - n].return_vaddr)
      ++n;
    chosen.erase(chosen.begin(), chosen.end() - static_cast<std::ptrdiff_t>(n));
  }
  for (auto h = chosen.rbegin(); h != chosen.rend(); ++h)
    out.push_back(&h->mi->symbols->lookup(h->return_vaddr - 1));
  return out;
}

Dwarf_Addr SourceResolver::Impl::target_address(ModuleInfo* site, Dwfl_Module* callee_mod, const CallTarget& t) {
  if (t.kind == CallTarget::kAddress) return t.vaddr + site->bias;
  if (t.kind != CallTarget::kName) return 0;
  // An exported function of the callee's module (its .dynsym), else a
  // function of the caller's own module (its symbol table).
  if (Dwarf_Addr a = as->exported_function(callee_mod, t.name)) return a;
  if (!site->functions) {
    site->functions = std::make_unique<std::unordered_map<std::string, Dwarf_Addr>>();
    int n = dwfl_module_getsymtab(site->module);
    for (int i = 1; i < n; ++i) {
      GElf_Sym sym;
      GElf_Addr addr = 0;
      GElf_Word shndx = 0;
      const char* name = dwfl_module_getsym_info(site->module, i, &sym, &addr, &shndx, nullptr, nullptr);
      if (!name || sym.st_shndx == SHN_UNDEF) continue;
      int type = GELF_ST_TYPE(sym.st_info);
      if (type == STT_FUNC || type == STT_GNU_IFUNC) site->functions->emplace(name, addr);
    }
  }
  auto f = site->functions->find(t.name);
  return f == site->functions->end() ? 0 : f->second;
}

void SourceResolver::Impl::search_tail_calls(ModuleInfo* site, const CallTarget& t, Dwarf_Addr callee,
                                             Dwfl_Module* callee_mod, int depth, std::vector<Hop>* path,
                                             std::vector<std::vector<Hop>>* chains, int* budget) {
  if (--*budget < 0 || chains->size() >= 8) return;
  Dwarf_Addr a = target_address(site, callee_mod, t);
  if (!a) return;
  if (a == callee) {
    if (depth > 0) chains->push_back(*path);
    return;
  }
  if (depth >= 6) return;
  Dwfl_Module* m = dwfl_addrmodule(as->dwfl(), a);
  if (!m) return;
  ModuleInfo* tm = as->info(m);
  if (tm->system || !prepare_module(m, tm)) return;
  for (const TailSite& s : tm->symbols->tail_sites(a - tm->bias)) {
    path->push_back(Hop{tm, s.return_vaddr});
    search_tail_calls(tm, s.target, callee, callee_mod, depth + 1, path, chains, budget);
    path->pop_back();
  }
}

SourceResolver::SourceResolver(const SourceOptions& opts) : impl_(new Impl(opts)) {}
SourceResolver::~SourceResolver() { impl_->print_stats(); }

void SourceResolver::Impl::print_stats() {
  if (stats && !times.empty()) {
    std::vector<double>& t = times;
    double total = 0;
    for (double x : t) total += x;
    std::sort(t.begin(), t.end());
    fprintf(stderr, "renacer-source: %zu resolves, mean %.1f us, median %.1f us, p99 %.1f us, max %.1f us, total %.1f ms\n",
            t.size(), total / t.size() / 1e3, t[t.size() / 2] / 1e3, t[t.size() * 99 / 100] / 1e3, t.back() / 1e3,
            total / 1e6);
    t.clear();
  }
}

namespace {
double mono_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}
}  // namespace

std::string SourceResolver::resolve(pid_t tgid, pid_t tid, const EntryState& at) {
  if (!impl_->stats) return resolve_impl(tgid, tid, at);
  double t0 = mono_ns();
  std::string out = resolve_impl(tgid, tid, at);
  double dt = mono_ns() - t0;
  impl_->times.push_back(dt);
  if (getenv("RENACER_SOURCE_STATS")[0] == '2') fprintf(stderr, "renacer-source: %ld %.1f us\n", static_cast<long>(impl_->times.size()), dt / 1e3);
  return out;
}

// Unwinds `tid` from `regs`, calling `visit` per frame. A PC outside every
// known module means new code was mapped: refresh the module list and walk
// again (`reset` clears what the visitor gathered). Returns the address
// space the walk used (null when there is none).
std::shared_ptr<AddressSpace> SourceResolver::Impl::walk(pid_t tgid, pid_t tid, const user_regs_struct& regs,
                                                         AddressSpace::Visitor visit, void* arg,
                                                         void (*reset)(void*)) {
  long nr = static_cast<long>(regs.orig_rax);
  std::shared_ptr<AddressSpace> space = space_for(tgid, nr);
  for (int attempt = 0; space && attempt < 3; ++attempt) {
    as = space.get();
    reset(arg);
    prev_module = nullptr;
    Dwarf_Addr missing = 0;
    if (debug) fprintf(stderr, "renacer-source: resolve pid %d tid %d syscall %ld\n", tgid, tid, nr);
    AddressSpace::Walk r = space->walk(tgid, regs, kMaxDepth, visit, arg, &missing);
    if (debug)
      fprintf(stderr, "renacer-source:   walk %d, outside modules: %#lx\n", static_cast<int>(r),
              static_cast<unsigned long>(missing));
    if (r != AddressSpace::Walk::kMissingModule || space->junk().count(missing)) break;
    if (space.use_count() > 2) {
      // Shared with a forked twin: this process gets its own from now on.
      procs.erase(tgid);
      space = fresh_space(tgid);
      if (space) procs[tgid] = space;
      continue;
    }
    std::string old = space->signature();
    if (!space->refresh(tgid)) {
      drop(tgid);
      space = nullptr;
      break;
    }
    if (space->signature() == old) {
      // Nothing new is mapped: the address is garbage (a stack the CFI
      // could not describe). Remember it rather than re-reading the maps.
      space->junk().insert(missing);
      break;
    }
    auto sig = by_signature.find(old);
    if (sig != by_signature.end() && sig->second.lock() == space) by_signature.erase(sig);
    by_signature[space->signature()] = space;
  }
  as = nullptr;
  return space;
}

void SourceResolver::Impl::reset_source(void* arg) {
  auto* m = static_cast<Impl*>(arg);
  m->best = m->fallback = nullptr;
  m->user_stack.clear();
  m->other_stack.clear();
}

// The walk from the entry stop's PC and stack pointer alone
// (AddressSpace::quick_walk). False when it cannot tell: the whole walk then.
bool SourceResolver::Impl::quick(pid_t tgid, const EntryState& at, std::shared_ptr<AddressSpace>* out) {
  std::shared_ptr<AddressSpace> space = space_for(tgid, at.nr);
  *out = space;
  if (!space || !at.ip) return space == nullptr;
  space->begin_reads(tgid);
  answer_key = {0, 0};
  uint64_t ra = 0;
  if (!opts.full_stack && space->first_return_address(at.ip, at.sp, &ra)) {
    answer_key = {at.ip - 1, ra};
    auto hit = space->answers().find(answer_key);
    if (hit != space->answers().end()) {
      answer = &hit->second;
      return true;
    }
  }
  as = space.get();
  deepest = 0;
  prev_module = nullptr;
  Dwarf_Addr missing = 0;
  AddressSpace::Walk r = space->quick_walk(tgid, at.ip, at.sp, kMaxDepth, &Impl::visit, this, &missing);
  as = nullptr;
  if (debug) fprintf(stderr, "renacer-source:   quick walk %d\n", static_cast<int>(r));
  if (r == AddressSpace::Walk::kStopped || r == AddressSpace::Walk::kDone) return true;
  reset_source(this);
  return false;
}

std::string SourceResolver::resolve_impl(pid_t tgid, pid_t tid, const EntryState& at) {
  Impl& m = *impl_;
  m.notices.clear();
  Impl::reset_source(&m);
  m.answer = nullptr;
  std::shared_ptr<AddressSpace> as;
  bool quick = m.quick(tgid, at, &as);
  if (!quick) {
    m.answer_key = {0, 0};
    user_regs_struct regs;
    if (ptrace(PTRACE_GETREGS, tid, nullptr, &regs) != 0) return "";
    as = m.walk(tgid, tid, regs, &Impl::visit, &m, &Impl::reset_source);
  }
  // Unmapping code makes the module list stale for the next syscall.
  if (as && at.nr == SYS_munmap && as->overlaps_module(at.args[0], at.args[1])) m.stale.insert(tgid);
  if (m.answer) return *m.answer;
  std::string out = m.serialise();
  // Read no deeper than the syscall frame's caller: the answer of this call site from now on.
  if (as && quick && m.answer_key.second && m.deepest <= 1 && m.notices.empty() && !m.opts.full_stack)
    as->answers().emplace(m.answer_key, out);
  m.notices.clear();
  return out;
}

std::string SourceResolver::Impl::serialise() {
  Impl& m = *this;

  const std::string* loc = m.best ? m.best : m.fallback;
  const std::vector<const std::string*>& stack = m.best ? m.user_stack : m.other_stack;
  if (!loc && m.notices.empty()) return "";
  std::string out = "{";
  if (loc) {
    out += "\"source\":";
    out += *loc;
    if (m.opts.full_stack && !stack.empty()) {
      out += ",\"stack\":[";
      for (size_t i = 0; i < stack.size(); ++i) {
        if (i) out += ',';
        out += *stack[i];
      }
      out += ']';
    }
  }
  if (!m.notices.empty()) {
    if (loc) out += ',';
    out += "\"notices\":[";
    for (size_t i = 0; i < m.notices.size(); ++i) {
      if (i) out += ',';
      append_json_string(&out, m.notices[i]);
    }
    out += ']';
  }
  out += '}';
  return out;
}

namespace {
struct WholeStack {
  void* resolver;  // SourceResolver::Impl
  std::vector<StackFrame>* out;
};

void append_chain(const SymbolizedAddress& sa, const StackFrame& base, std::vector<StackFrame>* out) {
  for (size_t i = 0; i < sa.chain.size(); ++i) {
    const InlineFrame& f = sa.chain[i];
    StackFrame s = base;
    s.file = f.file;
    s.line = f.line;
    s.column = f.column;
    s.function = f.function;
    s.kind = static_cast<int>(f.kind);
    s.inlined = i + 1 < sa.chain.size();
    out->push_back(std::move(s));
  }
}
}  // namespace

// Every frame, system ones too (named from their symbol table): what a
// debugger's call stack shows.
bool SourceResolver::Impl::visit_whole(const Frame& f, void* arg) {
  auto* w = static_cast<WholeStack*>(arg);
  Impl* self = static_cast<Impl*>(w->resolver);
  ModuleInfo* mi = self->as->info(f.module);
  StackFrame base;
  base.pc = f.pc;
  base.module = mi->path;
  base.system = mi->system;
  size_t before = w->out->size();
  if (!mi->system && self->prepare_module(f.module, mi)) {
    const SymbolizedAddress& sa = mi->symbols->lookup(f.lookup - mi->bias);
    if (f.depth > 0 && sa.has_call)
      for (const SymbolizedAddress* t : self->tail_frames(f, mi, sa)) append_chain(*t, base, w->out);
    append_chain(sa, base, w->out);
  }
  if (w->out->size() == before) {
    GElf_Off off = 0;
    GElf_Sym sym;
    const char* name = dwfl_module_addrinfo(f.module, f.lookup, &off, &sym, nullptr, nullptr, nullptr);
    if (name) {
      base.function = name;
      base.offset = off + (f.pc - f.lookup);
    }
    base.kind = static_cast<int>(mi->system ? CodeKind::kSystem : CodeKind::kNone);
    w->out->push_back(std::move(base));
  }
  self->prev_module = f.module;
  self->prev_lookup = f.lookup;
  return true;
}

bool SourceResolver::Impl::visit_backtrace(const Frame& f, void* arg) {
  auto* w = static_cast<std::pair<Impl*, std::string*>*>(arg);
  AddressSpace* as = w->first->as;
  // strace prints the PC itself for the first frame (after the syscall
  // instruction: the walk starts at the instruction) and return addresses above.
  Dwarf_Addr pc = f.depth == 0 ? f.pc + 1 : f.pc;
  std::string& out = *w->second;
  out += out.size() > 1 ? "," : "";
  auto known = as->backtrace_lines().find({pc, f.lookup});
  if (known != as->backtrace_lines().end()) {
    out += known->second;
    return true;
  }
  ModuleInfo* mi = as->info(f.module);
  Dwarf_Addr low = 0;
  dwfl_module_info(f.module, nullptr, &low, nullptr, nullptr, nullptr, nullptr, nullptr);
  GElf_Off off = 0;
  GElf_Sym sym;
  const char* name = dwfl_module_addrinfo(f.module, f.lookup, &off, &sym, nullptr, nullptr, nullptr);
  std::string line = " > " + mi->path + '(';
  char num[64];
  if (name) {
    snprintf(num, sizeof num, "+0x%lx", static_cast<unsigned long>(off + (pc - f.lookup)));
    // Without a symbol version ("__libc_start_main@@GLIBC_2.34"), as strace prints it.
    line.append(name, strcspn(name, "@"));
    line += num;
  }
  snprintf(num, sizeof num, ") [0x%lx]", static_cast<unsigned long>(pc - low));
  line += num;
  if (name && w->first->opts.backtrace_source) {
    // strace -kk looks the first frame's line up at its PC, a caller's at its call.
    int lineno = 0;
    Dwfl_Line* l = dwfl_module_getsrc(f.module, f.depth == 0 ? pc : f.lookup);
    const char* file = l ? dwfl_lineinfo(l, nullptr, &lineno, nullptr, nullptr, nullptr) : nullptr;
    if (file) line += ' ' + std::string(file) + ':' + std::to_string(lineno);
  }
  std::string json;
  append_json_string(&json, line);
  out += json;
  if (as->backtrace_lines().size() > 65536) as->backtrace_lines().clear();
  as->backtrace_lines().emplace(std::make_pair(pc, f.lookup), std::move(json));
  return true;
}

std::string SourceResolver::backtrace(pid_t tgid, pid_t tid, bool pc_only, const EntryState* at) {
  std::string out = "[";
  std::pair<Impl*, std::string*> w{impl_.get(), &out};
  if (at && at->ip && !pc_only) {
    std::shared_ptr<AddressSpace> space = impl_->space_for(tgid, at->nr);
    if (space) {
      space->begin_reads(tgid);
      impl_->as = space.get();
      Dwarf_Addr missing = 0;
      AddressSpace::Walk r = space->quick_walk(tgid, at->ip, at->sp, kMaxDepth, &Impl::visit_backtrace, &w, &missing);
      impl_->as = nullptr;
      if (r == AddressSpace::Walk::kDone || r == AddressSpace::Walk::kStopped) return out.size() == 1 ? "" : out + ']';
      out = "[";
    }
  }
  user_regs_struct regs;
  if (ptrace(PTRACE_GETREGS, tid, nullptr, &regs) != 0) return "";
  if (pc_only) {
    std::shared_ptr<AddressSpace> space = impl_->space_for(tgid, -1);
    Dwfl_Module* mod = space ? dwfl_addrmodule(space->dwfl(), regs.rip) : nullptr;
    if (!mod) return "";
    Frame f;
    f.pc = regs.rip - 1;  // as a first frame: printed one on
    f.lookup = regs.rip;
    f.module = mod;
    impl_->as = space.get();
    Impl::visit_backtrace(f, &w);
    impl_->as = nullptr;
    return out + ']';
  }
  impl_->walk(tgid, tid, regs, &Impl::visit_backtrace, &w, [](void* arg) {
    *static_cast<std::pair<Impl*, std::string*>*>(arg)->second = "[";
  });
  if (out.size() == 1) return "";
  return out + ']';
}

bool SourceResolver::stack(pid_t tgid, pid_t tid, std::vector<StackFrame>* out) {
  user_regs_struct regs;
  if (ptrace(PTRACE_GETREGS, tid, nullptr, &regs) != 0) return false;
  WholeStack w{impl_.get(), out};
  impl_->walk(tgid, tid, regs, &Impl::visit_whole, &w, [](void* arg) { static_cast<WholeStack*>(arg)->out->clear(); });
  return !out->empty();
}

std::vector<int> code_lines_of(const std::string& elf, const std::string& file, std::string* dwarf_name,
                               std::string* problem) {
  // The program's debug info, opened once per build of it (path and mtime).
  static UserCodeRules rules{std::vector<std::string>()};
  static std::unordered_map<std::string, std::unique_ptr<ModuleSymbols>> opened;
  struct stat st;
  if (stat(elf.c_str(), &st) != 0) {
    *problem = "cannot read " + elf;
    return {};
  }
  std::string key = elf + '\0' + std::to_string(st.st_mtim.tv_sec) + '.' + std::to_string(st.st_mtim.tv_nsec);
  auto it = opened.find(key);
  if (it == opened.end()) it = opened.emplace(key, std::make_unique<ModuleSymbols>(elf, "", &rules)).first;
  if (!it->second->has_debug_info()) {
    *problem = "no debug info in " + elf + ": " + it->second->problem();
    return {};
  }
  return it->second->code_lines(normalize_path(file), dwarf_name);
}

void SourceResolver::invalidate(pid_t tgid) {
  impl_->stale.erase(tgid);
  impl_->drop(tgid);
}

void SourceResolver::forget(pid_t tgid) {
  impl_->stale.erase(tgid);
  impl_->drop(tgid);
  if (impl_->procs.empty()) impl_->print_stats();
}

std::vector<std::string> SourceResolver::take_notices() {
  std::vector<std::string> out;
  out.swap(impl_->undelivered);
  return out;
}

}  // namespace renacer
