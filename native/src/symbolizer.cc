#include "symbolizer.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "demangle.h"
#include "hex_bytes.h"
#include "source_json.h"

namespace renacer {

namespace {

char* g_debuginfo_path = nullptr;  // libdwfl's default: ":.debug:/usr/lib/debug"

const Dwfl_Callbacks kOfflineCallbacks = {
    dwfl_build_id_find_elf,
    dwfl_standard_find_debuginfo,
    dwfl_offline_section_address,
    &g_debuginfo_path,
};

bool is_function_tag(int tag) {
  return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine || tag == DW_TAG_entry_point;
}

// The DIEs that contain `pc` by physical nesting (the concrete tree):
// subprogram, the inlined subroutines and lexical blocks inside it,
// outermost first. Namespaces and modules are looked into (C++ and Rust put
// function definitions there); types are not.
bool find_pc_chain(Dwarf_Die* parent, Dwarf_Addr pc, std::vector<Dwarf_Die>* out, int depth) {
  if (depth > 64) return false;
  Dwarf_Die child;
  if (dwarf_child(parent, &child) != 0) return false;
  do {
    int tag = dwarf_tag(&child);
    switch (tag) {
      case DW_TAG_subprogram:
      case DW_TAG_inlined_subroutine:
      case DW_TAG_lexical_block:
      case DW_TAG_entry_point:
        if (dwarf_haspc(&child, pc) == 1) {
          out->push_back(child);
          find_pc_chain(&child, pc, out, depth + 1);
          return true;
        }
        break;
      case DW_TAG_namespace:
      case DW_TAG_module:
        if (find_pc_chain(&child, pc, out, depth + 1)) return true;
        break;
      default:
        break;
    }
  } while (dwarf_siblingof(&child, &child) == 0);
  return false;
}

// The subprograms of a unit (looking into namespaces and modules, not into
// function bodies).
void collect_functions(Dwarf_Die* parent, std::vector<Dwarf_Die>* out, int depth) {
  if (depth > 64) return;
  Dwarf_Die child;
  if (dwarf_child(parent, &child) != 0) return;
  do {
    int tag = dwarf_tag(&child);
    if (tag == DW_TAG_subprogram) out->push_back(child);
    else if (tag == DW_TAG_namespace || tag == DW_TAG_module) collect_functions(&child, out, depth + 1);
  } while (dwarf_siblingof(&child, &child) == 0);
}

// The line-table row for `pc` as a debugger picks it: the last row at or
// before pc in its sequence; among rows at the same address an is_stmt one;
// a row of line 0 ("no line") gives way to the nearest row before it with a
// line, within the same sequence.
Dwarf_Line* row_for_pc(Dwarf_Die* cu, Dwarf_Addr pc) {
  Dwarf_Lines* lines = nullptr;
  size_t n = 0;
  if (dwarf_getsrclines(cu, &lines, &n) != 0 || n == 0) return nullptr;
  // Last index with addr <= pc.
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    Dwarf_Addr a = 0;
    dwarf_lineaddr(dwarf_onesrcline(lines, mid), &a);
    if (a <= pc) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return nullptr;
  size_t idx = lo - 1;
  Dwarf_Line* row = dwarf_onesrcline(lines, idx);
  bool end = false;
  dwarf_lineendsequence(row, &end);
  if (end) return nullptr;
  Dwarf_Addr at = 0;
  dwarf_lineaddr(row, &at);
  bool stmt = true;
  dwarf_linebeginstatement(row, &stmt);
  if (!stmt) {
    for (size_t j = idx; j-- > 0;) {
      Dwarf_Line* r = dwarf_onesrcline(lines, j);
      Dwarf_Addr a = 0;
      dwarf_lineaddr(r, &a);
      bool e = false;
      dwarf_lineendsequence(r, &e);
      int ln = 0;
      dwarf_lineno(r, &ln);
      if (a != at || e || ln == 0) break;
      bool s = false;
      dwarf_linebeginstatement(r, &s);
      if (s) {
        row = r;
        idx = j;
        break;
      }
    }
  }
  int line = 0;
  dwarf_lineno(row, &line);
  if (line == 0) {
    for (size_t j = idx; j-- > 0;) {
      Dwarf_Line* r = dwarf_onesrcline(lines, j);
      bool e = false;
      dwarf_lineendsequence(r, &e);
      if (e) break;
      int ln = 0;
      dwarf_lineno(r, &ln);
      if (ln != 0) return r;
    }
  }
  return row;
}

bool is_call_site_tag(int tag) { return tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site; }

int udata_attr(Dwarf_Die* die, int name) {
  Dwarf_Attribute mem;
  Dwarf_Word v = 0;
  if (dwarf_formudata(dwarf_attr(die, name, &mem), &v) != 0) return 0;
  return static_cast<int>(v);
}

}  // namespace

ModuleSymbols::ModuleSymbols(const std::string& path, const std::string& expected_build_id,
                             const UserCodeRules* rules)
    : rules_(rules) {
  dwfl_ = dwfl_begin(&kOfflineCallbacks);
  if (!dwfl_) {
    problem_ = "libdwfl: " + std::string(dwfl_errmsg(-1));
    return;
  }
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    problem_ = "cannot open " + path + ": " + strerror(errno);
    return;
  }
  dwfl_report_begin(dwfl_);
  mod_ = dwfl_report_elf(dwfl_, path.c_str(), path.c_str(), fd, 0, true);
  dwfl_report_end(dwfl_, nullptr, nullptr);
  if (!mod_) {
    close(fd);
    problem_ = "not an ELF file the debugger libraries can read (" + std::string(dwfl_errmsg(-1)) + ")";
    return;
  }
  if (!expected_build_id.empty()) {
    const unsigned char* bits = nullptr;
    GElf_Addr vaddr = 0;
    int n = dwfl_module_build_id(mod_, &bits, &vaddr);
    if (n > 0 && hex_bytes(bits, static_cast<size_t>(n)) != expected_build_id) {
      problem_ = "the file on disk is not the one the process runs (rebuilt while traced?)";
      mod_ = nullptr;
      return;
    }
  }
  Elf* elf = dwfl_module_getelf(mod_, &bias_);
  Dwarf_Addr dbias = 0;
  dwarf_ = dwfl_module_getdwarf(mod_, &dbias);
  dbias_ = dbias;
  if (!dwarf_) {
    GElf_Word crc = 0;
    const char* link = elf ? dwelf_elf_gnu_debuglink(elf, &crc) : nullptr;
    if (link)
      problem_ = std::string("its separate debug file '") + link +
                 "' (.gnu_debuglink) was not found next to it, in .debug/ or under /usr/lib/debug";
    else
      problem_ = "it has no DWARF debug info";
  }
}

ModuleSymbols::~ModuleSymbols() {
  if (dwfl_) dwfl_end(dwfl_);
}

const SymbolizedAddress& ModuleSymbols::lookup(uint64_t vaddr) {
  auto it = cache_.find(vaddr);
  if (it != cache_.end()) return *it->second;
  auto entry = std::make_unique<SymbolizedAddress>();
  if (dwarf_) symbolize(vaddr, entry.get());
  for (size_t i = 0; i < entry->chain.size(); ++i) {
    CodeKind k = entry->chain[i].kind;
    if (k == CodeKind::kUser && entry->first_user < 0) entry->first_user = static_cast<int>(i);
    if (k == CodeKind::kOther && entry->first_other < 0) entry->first_other = static_cast<int>(i);
  }
  if (entry->first_user >= 0) entry->json_user = location_json(entry->chain, entry->first_user);
  if (entry->first_other >= 0) entry->json_other = location_json(entry->chain, entry->first_other);
  const SymbolizedAddress& ref = *entry;
  cache_.emplace(vaddr, std::move(entry));
  return ref;
}

std::string ModuleSymbols::die_function_name(Dwarf_Die* die) {
  Dwarf_Attribute mem;
  const char* linkage = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &mem));
  if (!linkage) linkage = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &mem));
  if (linkage) {
    std::string d = demangle_function(linkage);
    if (!d.empty()) return d;
  }
  const char* name = dwarf_diename(die);
  if (name) return name;
  return linkage ? linkage : "";
}

std::vector<int> ModuleSymbols::code_lines(const std::string& file, std::string* dwarf_name) {
  std::vector<int> out;
  if (!dwarf_) return out;
  struct stat want;
  bool have_want = stat(file.c_str(), &want) == 0;
  std::string base_name = file.substr(file.rfind('/') + 1);
  std::unordered_map<std::string, bool> verdict;  // per line-table file name
  auto matches = [&](const std::string& f) {
    auto it = verdict.find(f);
    if (it != verdict.end()) return it->second;
    bool same = f == file;
    if (!same && have_want && f.substr(f.rfind('/') + 1) == base_name) {
      struct stat st;
      same = stat(f.c_str(), &st) == 0 && st.st_dev == want.st_dev && st.st_ino == want.st_ino;
    }
    verdict.emplace(f, same);
    return same;
  };
  Dwarf_Off off = 0, next = 0;
  size_t header = 0;
  while (dwarf_nextcu(dwarf_, off, &next, &header, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die cu;
    if (dwarf_offdie(dwarf_, off + header, &cu)) {
      Dwarf_Lines* lines = nullptr;
      size_t n = 0;
      Dwarf_Attribute mem;
      const char* comp_dir = dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &mem));
      std::string base = comp_dir ? comp_dir : "";
      if (dwarf_getsrclines(&cu, &lines, &n) == 0) {
        for (size_t i = 0; i < n; ++i) {
          Dwarf_Line* row = dwarf_onesrcline(lines, i);
          const char* f = row ? dwarf_linesrc(row, nullptr, nullptr) : nullptr;
          int line = 0;
          if (!f || dwarf_lineno(row, &line) != 0 || line <= 0) continue;
          std::string name = normalize_path(f, base);
          if (!matches(name)) continue;
          if (dwarf_name->empty()) *dwarf_name = name;
          out.push_back(line);
        }
      }
    }
    off = next;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Dwarf_Die* ModuleSymbols::unit_at(Dwarf_Addr addr, Dwarf_Addr* dbias) {
  // libdwfl takes the .debug_aranges entries for contiguous: an address in
  // a gap (a Go unit, where only the C objects of a cgo binary have
  // entries) gets the unit below it. Only a unit that has the address is it.
  if (Dwarf_Die* cu = dwfl_module_addrdie(mod_, addr, dbias)) {
    if (dwarf_haspc(cu, addr - *dbias) != 0) return cu;  // has it, or says nothing of its ranges
  }
  if (!dwarf_) return nullptr;
  if (!unit_index_built_) {
    unit_index_built_ = true;
    Dwarf_Off off = 0, next = 0;
    size_t header = 0;
    while (dwarf_nextcu(dwarf_, off, &next, &header, nullptr, nullptr, nullptr) == 0) {
      Dwarf_Die cu;
      if (dwarf_offdie(dwarf_, off + header, &cu) && dwarf_tag(&cu) == DW_TAG_compile_unit) {
        size_t idx = units_.size();
        bool any = false;
        Dwarf_Addr base = 0, lo = 0, hi = 0;
        for (ptrdiff_t o = 0; (o = dwarf_ranges(&cu, o, &base, &lo, &hi)) > 0;) {
          if (hi <= lo) continue;
          unit_ranges_.push_back(UnitRange{lo, hi, idx});
          any = true;
        }
        if (any) units_.push_back(cu);
      }
      off = next;
    }
    std::sort(unit_ranges_.begin(), unit_ranges_.end(),
              [](const UnitRange& a, const UnitRange& b) { return a.lo < b.lo; });
  }
  Dwarf_Addr pc = addr - dbias_;
  auto it = std::upper_bound(unit_ranges_.begin(), unit_ranges_.end(), pc,
                             [](Dwarf_Addr v, const UnitRange& r) { return v < r.lo; });
  if (it == unit_ranges_.begin()) return nullptr;
  --it;
  if (pc >= it->hi) return nullptr;
  *dbias = dbias_;
  return &units_[it->unit];
}

void ModuleSymbols::symbolize(uint64_t vaddr, SymbolizedAddress* out) {
  Dwarf_Addr addr = vaddr + bias_;
  Dwarf_Addr dbias = 0;
  Dwarf_Die* cu = unit_at(addr, &dbias);
  if (!cu) return;
  Dwarf_Addr pc = addr - dbias;
  Dwarf_Attribute mem;
  const char* comp_dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &mem));
  std::string base = comp_dir ? comp_dir : "";

  InlineFrame cur;
  if (Dwarf_Line* row = row_for_pc(cu, pc)) {
    const char* f = dwarf_linesrc(row, nullptr, nullptr);
    if (f) cur.file = normalize_path(f, base);
    dwarf_lineno(row, &cur.line);
    dwarf_linecol(row, &cur.column);
  }

  std::vector<Dwarf_Die> dies;
  scopes_at(cu, pc, &dies);
  std::vector<Dwarf_Die*> funcs;  // outermost first
  for (Dwarf_Die& d : dies)
    if (is_function_tag(dwarf_tag(&d))) funcs.push_back(&d);

  // The call site returning to pc + 1, in the innermost scope that has it.
  for (size_t i = dies.size(); i-- > 0 && !out->has_call;) {
    Dwarf_Die child;
    if (dwarf_child(&dies[i], &child) != 0) continue;
    do {
      if (!is_call_site_tag(dwarf_tag(&child))) continue;
      Dwarf_Addr ret = 0;
      bool tail = false;
      CallTarget target;
      if (read_call_site(&child, dbias, &ret, &tail, &target) && ret == pc + 1) {
        out->has_call = true;
        out->call = std::move(target);
        break;
      }
    } while (dwarf_siblingof(&child, &child) == 0);
  }

  Dwarf_Files* files = nullptr;
  size_t nfiles = 0;
  if (funcs.size() > 1) dwarf_getsrcfiles(cu, &files, &nfiles);

  if (funcs.empty()) {
    // No DIE covers it (assembly, a CU without subprograms): the ELF symbol.
    GElf_Sym sym;
    const char* name = dwfl_module_addrsym(mod_, addr, &sym, nullptr);
    if (name) {
      std::string d = demangle_function(name);
      cur.function = d.empty() ? name : d;
    }
    cur.kind = rules_->classify(cur.file);
    if (!cur.file.empty()) out->chain.push_back(std::move(cur));
    return;
  }
  for (size_t i = funcs.size(); i-- > 0;) {
    Dwarf_Die* f = funcs[i];
    cur.function = die_function_name(f);
    if (dwarf_decl_line(f, &cur.function_line) != 0) cur.function_line = 0;
    cur.kind = rules_->classify(cur.file);
    InlineFrame next;
    bool inlined = dwarf_tag(f) == DW_TAG_inlined_subroutine;
    if (inlined) {
      int file_idx = udata_attr(f, DW_AT_call_file);
      const char* cf = files && static_cast<size_t>(file_idx) < nfiles
                           ? dwarf_filesrc(files, static_cast<size_t>(file_idx), nullptr, nullptr)
                           : nullptr;
      if (cf) next.file = normalize_path(cf, base);
      next.line = udata_attr(f, DW_AT_call_line);
      next.column = udata_attr(f, DW_AT_call_column);
    }
    out->chain.push_back(std::move(cur));
    if (!inlined) break;
    cur = std::move(next);
  }
}

const std::vector<ModuleSymbols::FunctionRange>& ModuleSymbols::functions_of(Dwarf_Die* cu) {
  Dwarf_Off key = dwarf_dieoffset(cu);
  auto it = cu_functions_.find(key);
  if (it != cu_functions_.end()) return it->second;
  std::vector<FunctionRange>& out = cu_functions_[key];
  std::vector<Dwarf_Die> subs;
  collect_functions(cu, &subs, 0);
  for (Dwarf_Die& d : subs) {
    Dwarf_Addr base = 0, lo = 0, hi = 0;
    for (ptrdiff_t off = 0; (off = dwarf_ranges(&d, off, &base, &lo, &hi)) > 0;)
      if (hi > lo) out.push_back(FunctionRange{lo, hi, d});
  }
  std::sort(out.begin(), out.end(), [](const FunctionRange& a, const FunctionRange& b) { return a.lo < b.lo; });
  return out;
}

void ModuleSymbols::scopes_at(Dwarf_Die* cu, Dwarf_Addr pc, std::vector<Dwarf_Die>* out) {
  const std::vector<FunctionRange>& fns = functions_of(cu);
  auto it = std::upper_bound(fns.begin(), fns.end(), pc, [](Dwarf_Addr v, const FunctionRange& r) { return v < r.lo; });
  // Ranges may nest or overlap (rarely): look back a little for one that holds pc.
  for (int back = 0; it != fns.begin() && back < 16; ++back) {
    --it;
    if (pc >= it->lo && pc < it->hi) {
      Dwarf_Die sub = it->die;
      out->push_back(sub);
      find_pc_chain(&sub, pc, out, 1);
      return;
    }
  }
  // Not a function the index knows (an entry point…): walk the unit.
  find_pc_chain(cu, pc, out, 0);
}

bool ModuleSymbols::read_call_site(Dwarf_Die* site, Dwarf_Addr dbias, Dwarf_Addr* return_pc, bool* tail,
                                   CallTarget* target) {
  Dwarf_Attribute mem;
  Dwarf_Attribute* ret = dwarf_attr(site, DW_AT_call_return_pc, &mem);
  if (!ret) ret = dwarf_attr(site, DW_AT_low_pc, &mem);  // DW_TAG_GNU_call_site
  if (!ret || dwarf_formaddr(ret, return_pc) != 0) return false;
  *tail = dwarf_hasattr(site, DW_AT_call_tail_call) || dwarf_hasattr(site, DW_AT_GNU_tail_call);
  Dwarf_Attribute* origin = dwarf_attr(site, DW_AT_call_origin, &mem);
  if (!origin) origin = dwarf_attr(site, DW_AT_abstract_origin, &mem);
  Dwarf_Die callee;
  if (!origin || !dwarf_formref_die(origin, &callee)) return true;  // indirect: unknown target
  Dwarf_Addr entry = 0;
  if (dwarf_entrypc(&callee, &entry) == 0) {
    target->kind = CallTarget::kAddress;
    target->vaddr = entry + dbias - bias_;
    return true;
  }
  Dwarf_Addr base = 0, start = 0, end = 0;
  if (dwarf_ranges(&callee, 0, &base, &start, &end) > 0) {
    target->kind = CallTarget::kAddress;
    target->vaddr = start + dbias - bias_;
    return true;
  }
  const char* name = dwarf_formstring(dwarf_attr_integrate(&callee, DW_AT_linkage_name, &mem));
  if (!name) name = dwarf_diename(&callee);
  if (name) {
    target->kind = CallTarget::kName;
    target->name = name;
  }
  return true;
}

void ModuleSymbols::collect_tail_sites(Dwarf_Die* scope, Dwarf_Addr dbias, std::vector<TailSite>* out, int depth) {
  if (depth > 32) return;
  Dwarf_Die child;
  if (dwarf_child(scope, &child) != 0) return;
  do {
    int tag = dwarf_tag(&child);
    if (is_call_site_tag(tag)) {
      TailSite site;
      Dwarf_Addr ret = 0;
      bool tail = false;
      if (read_call_site(&child, dbias, &ret, &tail, &site.target) && tail) {
        site.return_vaddr = ret + dbias - bias_;
        out->push_back(std::move(site));
      }
    } else if (tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block) {
      collect_tail_sites(&child, dbias, out, depth + 1);
    }
  } while (dwarf_siblingof(&child, &child) == 0);
}

const std::vector<TailSite>& ModuleSymbols::tail_sites(uint64_t func_vaddr) {
  auto it = tail_cache_.find(func_vaddr);
  if (it != tail_cache_.end()) return it->second;
  std::vector<TailSite>& out = tail_cache_[func_vaddr];
  if (!dwarf_) return out;
  Dwarf_Addr dbias = 0;
  Dwarf_Die* cu = unit_at(func_vaddr + bias_, &dbias);
  if (!cu) return out;
  std::vector<Dwarf_Die> dies;
  scopes_at(cu, func_vaddr + bias_ - dbias, &dies);
  for (Dwarf_Die& d : dies) {
    if (dwarf_tag(&d) == DW_TAG_subprogram) {
      collect_tail_sites(&d, dbias, &out, 0);
      break;
    }
  }
  return out;
}

}  // namespace renacer
