#include "unwind.h"

#include <dwarf.h>
#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace renacer {

namespace {

char* g_debuginfo_path = nullptr;

// The vDSO is the same code in every process on this kernel: read ours once
// instead of each tracee's through /proc/PID/mem.
struct VdsoImage {
  std::vector<char> bytes;
};

const VdsoImage& our_vdso() {
  static VdsoImage img;
  static std::once_flag once;
  std::call_once(once, [] {
    unsigned long base = getauxval(AT_SYSINFO_EHDR);
    if (!base) return;
    FILE* f = fopen("/proc/self/maps", "re");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
      if (!strstr(line, "[vdso]")) continue;
      unsigned long lo = 0, hi = 0;
      if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo == base && hi > lo)
        img.bytes.assign(reinterpret_cast<const char*>(lo), reinterpret_cast<const char*>(hi));
      break;
    }
    fclose(f);
  });
  return img;
}

int find_elf(Dwfl_Module* mod, void** userdata, const char* module_name, Dwarf_Addr base, char** file_name,
             Elf** elfp) {
  if (module_name && strncmp(module_name, "[vdso", 5) == 0) {
    const VdsoImage& v = our_vdso();
    if (!v.bytes.empty()) {
      *elfp = elf_memory(const_cast<char*>(v.bytes.data()), v.bytes.size());
      if (*elfp) return -1;
    }
  }
  return dwfl_linux_proc_find_elf(mod, userdata, module_name, base, file_name, elfp);
}

const Dwfl_Callbacks kProcCallbacks = {
    find_elf,
    dwfl_standard_find_debuginfo,
    nullptr,
    &g_debuginfo_path,
};

// x86_64 DWARF register numbers 0..16: rax rdx rcx rbx rsi rdi rbp rsp r8..r15, rip (return address column).
void dwarf_regs(const user_regs_struct& r, Dwarf_Word out[17]) {
  out[0] = r.rax;
  out[1] = r.rdx;
  out[2] = r.rcx;
  out[3] = r.rbx;
  out[4] = r.rsi;
  out[5] = r.rdi;
  out[6] = r.rbp;
  out[7] = r.rsp;
  out[8] = r.r8;
  out[9] = r.r9;
  out[10] = r.r10;
  out[11] = r.r11;
  out[12] = r.r12;
  out[13] = r.r13;
  out[14] = r.r14;
  out[15] = r.r15;
  out[16] = r.rip;
}

}  // namespace

struct Callbacks {
  static pid_t next_thread(Dwfl*, void*, void**) { return 0; }

  static bool get_thread(Dwfl*, pid_t, void* dwfl_arg, void** thread_argp) {
    *thread_argp = dwfl_arg;
    return true;
  }

  static bool memory_read(Dwfl*, Dwarf_Addr addr, Dwarf_Word* result, void* dwfl_arg) {
    uint64_t w = 0;
    if (!static_cast<AddressSpace*>(dwfl_arg)->read_word(addr, &w)) return false;
    *result = w;
    return true;
  }

  static bool set_initial_registers(Dwfl_Thread* thread, void* thread_arg) {
    auto* as = static_cast<AddressSpace*>(thread_arg);
    if (!as->regs_) return false;
    Dwarf_Word regs[17];
    dwarf_regs(*as->regs_, regs);
    return dwfl_thread_state_registers(thread, 0, 17, regs);
  }
};

namespace {

const Dwfl_Thread_Callbacks kThreadCallbacks = {
    Callbacks::next_thread, Callbacks::get_thread, Callbacks::memory_read,
    Callbacks::set_initial_registers, nullptr, nullptr,
};

}  // namespace

std::string AddressSpace::read_signature(pid_t pid, bool* ok) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/maps", pid);
  std::string sig;
  FILE* f = fopen(path, "re");
  *ok = f != nullptr;
  if (!f) return sig;
  char* line = nullptr;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) > 0) {
    // "start-end perms offset dev inode   path"
    char perms[8] = {0};
    unsigned long lo = 0, hi = 0;
    int used = 0;
    if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &lo, &hi, perms, &used) < 3) continue;
    if (perms[2] != 'x') continue;
    sig.append(line, static_cast<size_t>(n));
  }
  free(line);
  fclose(f);
  return sig;
}

AddressSpace::AddressSpace(pid_t pid, const UserCodeRules* rules) : rules_(rules) {
  bool ok = false;
  signature_ = read_signature(pid, &ok);
  if (!ok) {
    error_ = "cannot read /proc/" + std::to_string(pid) + "/maps";
    return;
  }
  dwfl_ = dwfl_begin(&kProcCallbacks);
  if (!dwfl_) {
    error_ = dwfl_errmsg(-1);
    return;
  }
  if (!refresh(pid)) return;
  if (!dwfl_attach_state(dwfl_, nullptr, pid, &kThreadCallbacks, this)) {
    error_ = std::string("dwfl_attach_state: ") + dwfl_errmsg(-1);
    return;
  }
  attached_ = true;
}

AddressSpace::~AddressSpace() {
  if (dwfl_) dwfl_end(dwfl_);
}

bool AddressSpace::refresh(pid_t pid) {
  dwfl_report_begin(dwfl_);
  int r = dwfl_linux_proc_report(dwfl_, pid);
  dwfl_report_end(dwfl_, nullptr, nullptr);
  if (r != 0) {
    error_ = "reading the modules of process " + std::to_string(pid) + " failed";
    return false;
  }
  bool ok = false;
  std::string sig = read_signature(pid, &ok);
  if (ok && sig != signature_) {
    signature_ = std::move(sig);
    cfi_known_.clear();
    step_rules_.clear();
    answers_.clear();
    backtrace_lines_.clear();
    junk_.clear();
    tail_frames_.clear();
  }
  return true;
}

ModuleInfo* AddressSpace::info(Dwfl_Module* mod) {
  void** slot = nullptr;
  const char* name = dwfl_module_info(mod, &slot, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
  if (slot && *slot) return static_cast<ModuleInfo*>(*slot);
  auto mi = std::make_unique<ModuleInfo>();
  mi->module = mod;
  mi->path = name ? name : "";
  mi->system = rules_->module_is_system(mi->path);
  ModuleInfo* raw = mi.get();
  infos_.push_back(std::move(mi));
  if (slot) *slot = raw;
  return raw;
}

bool AddressSpace::overlaps_module(uint64_t start, uint64_t len) {
  struct Q {
    uint64_t lo, hi;
    bool hit;
  } q{start, start + len, false};
  dwfl_getmodules(
      dwfl_,
      [](Dwfl_Module* m, void**, const char*, Dwarf_Addr, void* arg) -> int {
        auto* q = static_cast<Q*>(arg);
        Dwarf_Addr lo = 0, hi = 0;
        dwfl_module_info(m, nullptr, &lo, &hi, nullptr, nullptr, nullptr, nullptr);
        if (lo < q->hi && q->lo < hi) {
          q->hit = true;
          return DWARF_CB_ABORT;
        }
        return DWARF_CB_OK;
      },
      &q, 0);
  return q.hit;
}

const AddressSpace::Chunk* AddressSpace::chunk_for(uint64_t base) {
  for (Chunk& c : chunks_)
    if (c.valid && c.base == base) return &c;
  Chunk& c = chunks_[next_chunk_];
  next_chunk_ = (next_chunk_ + 1) % kChunks;
  struct iovec local = {c.bytes, sizeof c.bytes};
  struct iovec remote = {reinterpret_cast<void*>(base), sizeof c.bytes};
  ssize_t n = process_vm_readv(mem_pid_, &local, 1, &remote, 1, 0);
  c.valid = n == static_cast<ssize_t>(sizeof c.bytes);
  c.base = base;
  return c.valid ? &c : nullptr;
}

bool AddressSpace::read_word(uint64_t addr, uint64_t* out) {
  constexpr uint64_t kSize = sizeof(Chunk::bytes);
  uint64_t base = addr & ~(kSize - 1);
  uint64_t off = addr - base;
  const Chunk* c = chunk_for(base);
  if (!c) return false;
  if (off + 8 <= kSize) {
    memcpy(out, c->bytes + off, 8);
    return true;
  }
  unsigned char buf[8];
  size_t first = kSize - off;
  memcpy(buf, c->bytes + off, first);
  const Chunk* d = chunk_for(base + kSize);
  if (!d) return false;
  memcpy(buf + first, d->bytes, 8 - first);
  memcpy(out, buf, 8);
  return true;
}

Dwarf_Frame* AddressSpace::cfi_row(Dwarf_Addr addr) {
  Dwfl_Module* mod = dwfl_addrmodule(dwfl_, addr);
  if (!mod) return nullptr;
  Dwarf_Addr bias = 0;
  Dwarf_Frame* frame = nullptr;
  Dwarf_CFI* eh = dwfl_module_eh_cfi(mod, &bias);
  if (eh && dwarf_cfi_addrframe(eh, addr - bias, &frame) == 0) return frame;
  free(frame);
  frame = nullptr;
  if (info(mod)->system) return nullptr;
  // .debug_frame only: code built without unwind tables (the debug info of
  // a system library is not worth loading for this).
  Dwarf_CFI* dw = dwfl_module_dwarf_cfi(mod, &bias);
  if (dw && dwarf_cfi_addrframe(dw, addr - bias, &frame) == 0) return frame;
  free(frame);
  return nullptr;
}

bool AddressSpace::has_cfi(Dwarf_Addr addr) {
  auto it = cfi_known_.find(addr);
  if (it != cfi_known_.end()) return it->second;
  Dwarf_Frame* frame = cfi_row(addr);
  bool found = frame != nullptr;
  free(frame);
  if (cfi_known_.size() > 65536) cfi_known_.clear();
  cfi_known_.emplace(addr, found);
  return found;
}

namespace {
constexpr int kRegSp = 7;   // DWARF register numbers, x86-64
constexpr int kRegRa = 16;

// The offset N of "at CFA + N" in the location libdw gives for a register's
// rule ([DW_OP_call_frame_cfa] then nothing, plus_uconst N, or consts N,
// plus). False for any other rule (a value, an expression, another register).
bool cfa_relative(const Dwarf_Op* ops, size_t nops, int32_t* offset) {
  if (nops == 0 || ops[0].atom != DW_OP_call_frame_cfa) return false;
  if (nops == 1) {
    *offset = 0;
    return true;
  }
  if (nops == 2 && ops[1].atom == DW_OP_plus_uconst) {
    // A negative offset comes as its two's complement.
    *offset = static_cast<int32_t>(static_cast<Dwarf_Sword>(ops[1].number));
    return true;
  }
  if (nops == 3 && ops[1].atom == DW_OP_consts && ops[2].atom == DW_OP_plus) {
    *offset = static_cast<int32_t>(static_cast<Dwarf_Sword>(ops[1].number));
    return true;
  }
  return false;
}
}  // namespace

const AddressSpace::StepRule& AddressSpace::step_rule(Dwarf_Addr addr) {
  auto it = step_rules_.find(addr);
  if (it != step_rules_.end()) return it->second;
  StepRule r;
  if (Dwarf_Frame* frame = cfi_row(addr)) {
    Dwarf_Addr start = 0, end = 0;
    bool signal = false;
    Dwarf_Op* ops = nullptr;
    size_t nops = 0;
    Dwarf_Op ra_mem[3];
    Dwarf_Op* ra_ops = nullptr;
    size_t ra_nops = 0;
    if (dwarf_frame_info(frame, &start, &end, &signal) >= 0 && !signal && dwarf_frame_cfa(frame, &ops, &nops) == 0 &&
        nops == 1 && ((ops[0].atom == DW_OP_bregx && ops[0].number == kRegSp) || ops[0].atom == DW_OP_breg0 + kRegSp) &&
        dwarf_frame_register(frame, kRegRa, ra_mem, &ra_ops, &ra_nops) == 0) {
      Dwarf_Word off = ops[0].atom == DW_OP_bregx ? ops[0].number2 : ops[0].number;
      r.cfa_offset = static_cast<int32_t>(static_cast<Dwarf_Sword>(off));
      // libdw: no ops in ops_mem for "undefined" (the outermost frame), a null ops for "same value".
      if (ra_nops == 0 && ra_ops == ra_mem) r.kind = StepRule::kOutermost;
      else if (cfa_relative(ra_ops, ra_nops, &r.ra_offset)) r.kind = StepRule::kStep;
    }
    free(frame);
  }
  if (step_rules_.size() > 65536) step_rules_.clear();
  return step_rules_.emplace(addr, r).first->second;
}

void AddressSpace::begin_reads(pid_t tgid) {
  mem_pid_ = tgid;
  for (Chunk& c : chunks_) c.valid = false;
}

bool AddressSpace::first_return_address(uint64_t pc, uint64_t sp, uint64_t* ra) {
  if (!has_cfi(pc - 1)) return false;
  const StepRule& rule = step_rule(pc - 1);
  return rule.kind == StepRule::kStep &&
         read_word(sp + static_cast<int64_t>(rule.cfa_offset) + static_cast<int64_t>(rule.ra_offset), ra);
}

AddressSpace::Walk AddressSpace::quick_walk(pid_t tgid, uint64_t pc, uint64_t sp, int max_depth, Visitor visit,
                                            void* arg, Dwarf_Addr* missing) {
  if (mem_pid_ != tgid) begin_reads(tgid);
  // As walk(): the first frame is looked up at the syscall instruction.
  Frame f;
  f.pc = pc - 1;
  f.lookup = f.pc;
  if (!has_cfi(f.lookup)) return Walk::kUnsupported;
  for (f.depth = 0;; ++f.depth) {
    f.module = dwfl_addrmodule(dwfl_, f.lookup);
    if (!f.module) {
      *missing = f.lookup;
      return Walk::kMissingModule;
    }
    ModuleInfo* mi = info(f.module);
    // Go code may switch stacks (a cgo call): walk() knows how.
    if (!mi->system && mi->go != 0 && go_module(mi)) return Walk::kUnsupported;
    // Without CFI walk() visits a caller and stops there; so do we.
    const StepRule* rule = has_cfi(f.lookup) ? &step_rule(f.lookup) : nullptr;
    if (rule && rule->kind == StepRule::kUnsupported) return Walk::kUnsupported;
    if (!visit(f, arg)) return Walk::kStopped;
    if (f.depth + 1 >= max_depth || !rule || rule->kind == StepRule::kOutermost) return Walk::kDone;
    uint64_t cfa = sp + static_cast<int64_t>(rule->cfa_offset);
    uint64_t ra = 0;
    if (!read_word(cfa + static_cast<int64_t>(rule->ra_offset), &ra)) return Walk::kUnsupported;
    if (ra == 0) return Walk::kDone;  // the end of the stack
    f.pc = ra;
    f.lookup = ra - 1;
    sp = cfa;
  }
}

Dwarf_Addr AddressSpace::function_entry(Dwarf_Addr addr) {
  Dwfl_Module* mod = dwfl_addrmodule(dwfl_, addr);
  if (!mod) return 0;
  Dwarf_Addr bias = 0;
  Dwarf_CFI* cfi = dwfl_module_eh_cfi(mod, &bias);
  Dwarf_Frame* frame = nullptr;
  if (!cfi || dwarf_cfi_addrframe(cfi, addr - bias, &frame) != 0) {
    if (info(mod)->system) return 0;
    cfi = dwfl_module_dwarf_cfi(mod, &bias);
    if (!cfi || dwarf_cfi_addrframe(cfi, addr - bias, &frame) != 0) return 0;
  }
  Dwarf_Addr start = 0, end = 0;
  bool signal = false;
  int r = dwarf_frame_info(frame, &start, &end, &signal);
  free(frame);
  return r < 0 ? 0 : start + bias;
}

namespace {

// The ELF sections an exported-symbol lookup needs.
struct DynamicSymbols {
  Elf* elf = nullptr;
  Dwarf_Addr bias = 0;
  Elf_Data* dynsym = nullptr;
  size_t strtab = 0;  // section index of .dynstr
  size_t count = 0;
  Elf_Data* versym = nullptr;
  Elf_Data* gnu_hash = nullptr;
};

bool find_dynamic_symbols(Dwfl_Module* mod, DynamicSymbols* d) {
  d->elf = dwfl_module_getelf(mod, &d->bias);
  if (!d->elf) return false;
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(d->elf, scn))) {
    GElf_Shdr hdr;
    if (!gelf_getshdr(scn, &hdr)) continue;
    if (hdr.sh_type == SHT_DYNSYM) {
      d->dynsym = elf_getdata(scn, nullptr);
      d->strtab = hdr.sh_link;
      d->count = hdr.sh_entsize ? hdr.sh_size / hdr.sh_entsize : 0;
    } else if (hdr.sh_type == SHT_GNU_versym) {
      d->versym = elf_getdata(scn, nullptr);
    } else if (hdr.sh_type == SHT_GNU_HASH) {
      d->gnu_hash = elf_getdata(scn, nullptr);
    }
  }
  return d->dynsym != nullptr;
}

// A defined function named `name` at dynsym index i: its address (the
// default version's), or 0.
Dwarf_Addr symbol_if(const DynamicSymbols& d, size_t i, const char* name, bool* hidden) {
  GElf_Sym sym;
  if (!gelf_getsym(d.dynsym, static_cast<int>(i), &sym) || sym.st_shndx == SHN_UNDEF) return 0;
  int type = GELF_ST_TYPE(sym.st_info);
  if (type != STT_FUNC && type != STT_GNU_IFUNC) return 0;
  const char* nm = elf_strptr(d.elf, d.strtab, sym.st_name);
  if (!nm || strcmp(nm, name) != 0) return 0;
  GElf_Versym v = 0;
  *hidden = d.versym && gelf_getversym(d.versym, static_cast<int>(i), &v) && (v & 0x8000);
  return sym.st_value + d.bias;
}

// The GNU hash table lookup the dynamic linker does (DT_GNU_HASH).
Dwarf_Addr gnu_hash_lookup(const DynamicSymbols& d, const char* name) {
  const Elf_Data* h = d.gnu_hash;
  if (!h || h->d_size < 16) return 0;
  const auto* words = static_cast<const uint32_t*>(h->d_buf);
  uint32_t nbuckets = words[0], symoffset = words[1], bloom_size = words[2];
  size_t header = 16 + static_cast<size_t>(bloom_size) * 8;  // ELF64 bloom words
  if (nbuckets == 0 || header + nbuckets * 4 > h->d_size) return 0;
  const auto* buckets = reinterpret_cast<const uint32_t*>(static_cast<const char*>(h->d_buf) + header);
  const uint32_t* chain = buckets + nbuckets;
  size_t chain_len = (h->d_size - header - nbuckets * 4) / 4;
  uint32_t hash = 5381;
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(name); *p; ++p) hash = hash * 33 + *p;
  uint32_t i = buckets[hash % nbuckets];
  if (i < symoffset) return 0;
  Dwarf_Addr fallback = 0;
  for (; i - symoffset < chain_len && i < d.count; ++i) {
    uint32_t c = chain[i - symoffset];
    if ((c | 1) == (hash | 1)) {
      bool hidden = false;
      if (Dwarf_Addr a = symbol_if(d, i, name, &hidden)) {
        if (!hidden) return a;
        if (!fallback) fallback = a;
      }
    }
    if (c & 1) break;
  }
  return fallback;
}

}  // namespace

Dwarf_Addr AddressSpace::exported_function(Dwfl_Module* mod, const std::string& name) {
  ModuleInfo* mi = info(mod);
  if (!mi->exported) mi->exported = std::make_unique<std::unordered_map<std::string, Dwarf_Addr>>();
  auto it = mi->exported->find(name);
  if (it != mi->exported->end()) return it->second;
  Dwarf_Addr found = 0;
  DynamicSymbols d;
  if (find_dynamic_symbols(mod, &d)) {
    if (d.gnu_hash) {
      found = gnu_hash_lookup(d, name.c_str());
    } else {
      // No GNU hash table (old or unusual linkers): scan .dynsym.
      Dwarf_Addr fallback = 0;
      for (size_t i = 1; i < d.count && !found; ++i) {
        bool hidden = false;
        if (Dwarf_Addr a = symbol_if(d, i, name.c_str(), &hidden)) {
          if (!hidden) found = a;
          else if (!fallback) fallback = a;
        }
      }
      if (!found) found = fallback;
    }
  }
  mi->exported->emplace(name, found);
  return found;
}

bool AddressSpace::go_module(ModuleInfo* mi) {
  if (mi->go >= 0) return mi->go == 1;
  mi->go = 0;
  Dwarf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(mi->module, &bias);
  size_t shstrndx = 0;
  if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0) return false;
  bool go = false;
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn)) && !go;) {
    GElf_Shdr hdr;
    if (!gelf_getshdr(scn, &hdr)) continue;
    const char* name = elf_strptr(elf, shstrndx, hdr.sh_name);
    go = name && (strcmp(name, ".go.buildinfo") == 0 || strcmp(name, ".gopclntab") == 0 ||
                  strcmp(name, ".note.go.buildid") == 0);
  }
  if (!go) return false;
  int n = dwfl_module_getsymtab(mi->module);
  for (int i = 1; i < n; ++i) {
    GElf_Sym sym;
    GElf_Addr addr = 0;
    const char* name = dwfl_module_getsym_info(mi->module, i, &sym, &addr, nullptr, nullptr, nullptr);
    if (!name || GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_size == 0) continue;
    if (strcmp(name, "runtime.asmcgocall") == 0 || strcmp(name, "runtime.asmcgocall.abi0") == 0) {
      mi->cgocall_lo = addr;
      mi->cgocall_hi = addr + sym.st_size;
      break;
    }
  }
  mi->go = 1;
  return mi->cgocall_hi > mi->cgocall_lo;
}

uint64_t AddressSpace::goroutine_sp(uint64_t sp) {
  // runtime/asm_amd64.s asmcgocall, after `CALL AX` (as of Go 1.19): 48(SP) is
  // the goroutine's g (0 when it ran on the system stack already, with the
  // old SP itself at 40(SP)), 40(SP) the depth of the old SP below
  // g.stack.hi (g's first field is stack{lo, hi}).
  uint64_t g = 0, saved = 0;
  if (!read_word(sp + 48, &g) || !read_word(sp + 40, &saved)) return 0;
  if (g == 0) return saved;
  uint64_t hi = 0;
  if (!read_word(g + 8, &hi) || saved > hi) return 0;
  return hi - saved;
}

struct AddressSpace::Walker {
  AddressSpace* as;
  Visitor visit;
  void* arg;
  int max_depth;
  int depth = 0;
  Walk result = Walk::kDone;
  Dwarf_Addr missing = 0;
  // Set to go on from another register state: the goroutine stack of a
  // cgo call (see walk()). The first frame then is a caller's (exact: its
  // PC was set to the call instruction).
  bool resume = false;
  uint64_t resume_pc = 0, resume_sp = 0;
  bool exact_first = false;
  int first_depth = 0;

  static int on_frame(Dwfl_Frame* state, void* p) {
    auto* w = static_cast<Walker*>(p);
    Dwarf_Addr pc = 0;
    if (!dwfl_frame_pc(state, &pc, nullptr)) {
      w->result = Walk::kError;
      return DWARF_CB_ABORT;
    }
    if (pc == 0) return DWARF_CB_ABORT;  // end of the stack
    Frame f;
    f.pc = pc;
    f.depth = w->depth;
    // The first frame's PC was set to the syscall instruction itself (see
    // walk()). Callers are looked up at their call instruction (return
    // address − 1), except above a signal frame, whose PC is exact.
    f.lookup = w->depth == 0 ? pc : pc - 1;
    if (w->exact_first && w->depth == w->first_depth) {
      f.lookup = pc;
      f.pc = pc + 1;  // the return address
    }
    f.module = dwfl_addrmodule(w->as->dwfl_, f.lookup);
    if (!f.module) {
      w->result = Walk::kMissingModule;
      w->missing = f.lookup;
      return DWARF_CB_ABORT;
    }
    ModuleInfo* mi = w->depth > 0 ? w->as->info(f.module) : nullptr;
    if (w->depth > 0 && !mi->system && !(w->exact_first && w->depth == w->first_depth)) {
      bool activation = false;
      dwfl_frame_pc(state, &pc, &activation);
      if (activation) {
        f.lookup = pc;
        f.module = dwfl_addrmodule(w->as->dwfl_, pc);
        if (!f.module) {
          w->result = Walk::kMissingModule;
          w->missing = pc;
          return DWARF_CB_ABORT;
        }
      }
    }
    if (!w->visit(f, w->arg)) {
      w->result = Walk::kStopped;
      return DWARF_CB_ABORT;
    }
    if (++w->depth >= w->max_depth) return DWARF_CB_ABORT;
    // A C call from Go returns into runtime.asmcgocall on the thread's
    // stack; the goroutine's frames are on another stack, which CFI does
    // not know about. Go on from there (only Go modules get this look).
    if (mi && mi->module != f.module) mi = w->as->info(f.module);
    if (mi && !mi->system && mi->go != 0 && w->as->go_module(mi) &&
        f.lookup >= mi->cgocall_lo && f.lookup < mi->cgocall_hi) {
      Dwarf_Word sp = 0;
      uint64_t gsp = 0, ra = 0;
      if (dwfl_frame_reg(state, 7, &sp) == 0 && (gsp = w->as->goroutine_sp(sp)) != 0 &&
          w->as->read_word(gsp, &ra) && ra > 1) {
        w->resume = true;
        w->resume_pc = ra - 1;
        w->resume_sp = gsp + 8;
      }
      return DWARF_CB_ABORT;
    }
    // Without CFI for this frame libdwfl would guess the caller from %rbp,
    // which in code without frame pointers is any value: stop here instead.
    if (!w->as->has_cfi(f.lookup)) return DWARF_CB_ABORT;
    return DWARF_CB_OK;
  }
};

AddressSpace::Walk AddressSpace::walk(pid_t tgid, const user_regs_struct& regs, int max_depth, Visitor visit,
                                      void* arg, Dwarf_Addr* missing) {
  mem_pid_ = tgid;
  for (Chunk& c : chunks_) c.valid = false;
  // The task stopped after its syscall instruction: unwind from the
  // instruction itself (its CFI row describes the state now; the address
  // after it can lie past the function's end, as in glibc's __restore_rt).
  user_regs_struct r = regs;
  r.rip = regs.rip - 1;
  if (!has_cfi(r.rip)) {
    if (!dwfl_addrmodule(dwfl_, r.rip)) {
      *missing = r.rip;
      return Walk::kMissingModule;
    }
    // Assembly that ends its CFI before the syscall (glibc's clone and
    // clone3 do, for the child's sake) and has pushed nothing: the return
    // address is on top of the stack. Start from the caller.
    uint64_t ra = 0;
    if (!read_word(regs.rsp, &ra) || ra == 0) return Walk::kError;
    r.rip = ra - 1;
    r.rsp = regs.rsp + 8;
  }
  regs_ = &r;
  Walker w{this, visit, arg, max_depth};
  dwfl_getthread_frames(dwfl_, tgid, Walker::on_frame, &w);
  for (int hops = 0; w.resume && hops < 4 && w.depth < max_depth; ++hops) {
    // Below a cgo call: the goroutine's stack, from the return address
    // asmcgocall's caller left (Go's CFI needs only the stack pointer).
    w.resume = false;
    w.exact_first = true;
    w.first_depth = w.depth;
    r.rip = w.resume_pc;
    r.rsp = w.resume_sp;
    dwfl_getthread_frames(dwfl_, tgid, Walker::on_frame, &w);
  }
  regs_ = nullptr;
  *missing = w.missing;
  // An unwind that ends in an error past the first frames is the end of
  // what CFI can tell (e.g. the outermost frame without CFI): not a failure.
  return w.result;
}

}  // namespace renacer
