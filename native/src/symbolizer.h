// Address -> (file, line, column, function) with the inline chain, for one
// ELF file. Each file is opened once (its own offline Dwfl: separate debug
// info through .gnu_debuglink and /usr/lib/debug/.build-id, compressed debug
// sections, DWARF 4 and 5 all come from libdw) and every address it is asked
// about is symbolised once: later lookups are a hash-map hit.
#pragma once
#include <elfutils/libdwfl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "source_paths.h"

namespace renacer {

struct InlineFrame {
  std::string file;  // normalised absolute path ("" when unknown)
  int line = 0;
  int column = 0;
  std::string function;
  // Where the function is declared (DW_AT_decl_line): a line's place within
  // its function survives code added above it (run-to-run diffs match on it).
  int function_line = 0;
  CodeKind kind = CodeKind::kNone;
};

// What a call site calls (DW_TAG_call_site / DW_TAG_GNU_call_site).
struct CallTarget {
  enum Kind : unsigned char { kUnknown, kAddress, kName } kind = kUnknown;
  uint64_t vaddr = 0;  // kAddress: the callee's entry, in this file's vaddr space
  std::string name;    // kName: the callee's linkage (or plain) name, to find in a symbol table
};

// A tail call made by a function: `jmp target`, its frame gone when the
// target runs. Debuggers rebuild such frames from these (gdb's "tailcall
// frames"), and so does the resolver.
struct TailSite {
  uint64_t return_vaddr = 0;  // the address after the jump
  CallTarget target;
};

// One physical frame's source view: innermost inline expansion first, then
// the functions it was inlined into (each at its call site), ending with the
// out-of-line function.
struct SymbolizedAddress {
  std::vector<InlineFrame> chain;
  int first_user = -1;   // first frame of kind kUser
  int first_other = -1;  // first frame of kind kOther (the fallback without user frames)
  // The serialised location from each of those frames on (source_json.h).
  std::string json_user;
  std::string json_other;
  // The call site that returns to this address + 1 (frames above the first
  // are looked up at their return address − 1), when the DWARF has one.
  bool has_call = false;
  CallTarget call;
};

class ModuleSymbols {
 public:
  // `path`: the file as mapped. `expected_build_id`: the mapped module's
  // build id (hex), checked against the file on disk when both have one.
  ModuleSymbols(const std::string& path, const std::string& expected_build_id, const UserCodeRules* rules);
  ~ModuleSymbols();
  ModuleSymbols(const ModuleSymbols&) = delete;
  ModuleSymbols& operator=(const ModuleSymbols&) = delete;

  // Whether the file (or its separate debug file) has DWARF.
  bool has_debug_info() const { return dwarf_ != nullptr; }
  // Why there is no debug info, for the user's notice.
  const std::string& problem() const { return problem_; }

  // `vaddr` is an address in the ELF file's own terms (p_vaddr space).
  const SymbolizedAddress& lookup(uint64_t vaddr);

  size_t cached() const { return cache_.size(); }

  // The lines of `file` (normalised; a file with the same name and inode
  // matches too) that have code in this file's line tables, sorted, with
  // the file's name as the DWARF spells it; empty when it is not there.
  std::vector<int> code_lines(const std::string& file, std::string* dwarf_name);

  // The tail calls made by the function whose entry is `func_vaddr`.
  const std::vector<TailSite>& tail_sites(uint64_t func_vaddr);

 private:
  void symbolize(uint64_t vaddr, SymbolizedAddress* out);
  std::string die_function_name(Dwarf_Die* die);
  bool read_call_site(Dwarf_Die* site, Dwarf_Addr dbias, Dwarf_Addr* return_pc, bool* tail, CallTarget* target);
  void collect_tail_sites(Dwarf_Die* scope, Dwarf_Addr dbias, std::vector<TailSite>* out, int depth);

  const UserCodeRules* rules_;
  Dwfl* dwfl_ = nullptr;
  Dwfl_Module* mod_ = nullptr;
  Dwarf* dwarf_ = nullptr;
  Dwarf_Addr bias_ = 0;  // Dwfl address = vaddr + bias_
  std::string problem_;
  std::unordered_map<uint64_t, std::unique_ptr<SymbolizedAddress>> cache_;
  std::unordered_map<uint64_t, std::vector<TailSite>> tail_cache_;
  // Per compilation unit (by DIE offset): its functions' address ranges,
  // sorted, so a lookup descends only into the function that has the PC
  // instead of walking the whole unit (a C++ unit holds thousands of DIEs
  // from the headers).
  struct FunctionRange {
    Dwarf_Addr lo, hi;
    Dwarf_Die die;
  };
  std::unordered_map<Dwarf_Off, std::vector<FunctionRange>> cu_functions_;
  const std::vector<FunctionRange>& functions_of(Dwarf_Die* cu);
  // The DIEs containing pc, outermost first (see symbolizer.cc).
  void scopes_at(Dwarf_Die* cu, Dwarf_Addr pc, std::vector<Dwarf_Die>* out);
  // The unit holding Dwfl address `addr` (its DWARF bias in *dbias).
  // libdw finds it through .debug_aranges; files without that section (Go's
  // linker and clang emit none) are looked up in an index of the units'
  // own ranges, built on the first miss.
  Dwarf_Die* unit_at(Dwarf_Addr addr, Dwarf_Addr* dbias);
  struct UnitRange {
    Dwarf_Addr lo, hi;  // DWARF addresses
    size_t unit;        // index into units_
  };
  bool unit_index_built_ = false;
  std::vector<Dwarf_Die> units_;
  std::vector<UnitRange> unit_ranges_;  // sorted by lo
  Dwarf_Addr dbias_ = 0;                // DWARF address = Dwfl address − dbias_
};

}  // namespace renacer
