// CFI unwinding of a stopped tracee with elfutils libdwfl.
//
// One AddressSpace per distinct process image: a Dwfl whose modules come from
// /proc/PID/maps, kept across syscalls and refreshed only when a PC falls
// outside every known module (dlopen) or a module is unmapped. Forked
// children whose executable mappings are the same share their parent's. The
// tracee's stack is read with process_vm_readv, a few chunks per unwind,
// never a PTRACE_PEEKDATA per word. Registers come from PTRACE_GETREGS.
#pragma once
#include <elfutils/libdwfl.h>
#include <sys/types.h>
#include <sys/user.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "source_paths.h"

namespace renacer {

class ModuleSymbols;

// What the resolver keeps per loaded module of an address space.
struct SymbolizedAddress;

struct ModuleInfo {
  Dwfl_Module* module = nullptr;
  std::string path;        // as in /proc/PID/maps ("[vdso: N]" for the vDSO)
  bool system = false;     // a system library: its frames are skipped unsymbolised
  bool resolved = false;   // `symbols` and `bias` looked up
  Dwarf_Addr bias = 0;     // process address = ELF vaddr + bias
  ModuleSymbols* symbols = nullptr;  // owned by the resolver's per-file cache
  // Function symbols by name (process addresses): `exported` caches
  // .dynsym lookups (0: none), `functions` indexes the whole symbol table.
  std::unique_ptr<std::unordered_map<std::string, Dwarf_Addr>> exported;
  std::unique_ptr<std::unordered_map<std::string, Dwarf_Addr>> functions;
  // A Go executable (or shared object): where its runtime.asmcgocall is, the
  // assembly that moves a goroutine's C call onto the thread's own stack,
  // which CFI cannot unwind across (process addresses; empty when none).
  signed char go = -1;  // -1 not looked at yet, 0 not Go, 1 Go
  Dwarf_Addr cgocall_lo = 0, cgocall_hi = 0;
};

struct AddressPairHash {
  size_t operator()(const std::pair<Dwarf_Addr, Dwarf_Addr>& p) const {
    return std::hash<Dwarf_Addr>()(p.first * 0x9E3779B97F4A7C15ull ^ p.second);
  }
};
// (caller frame's lookup address, callee frame's lookup address) -> the
// frames of the tail calls between them, innermost first.
using TailFrameCache = std::unordered_map<std::pair<Dwarf_Addr, Dwarf_Addr>,
                                          std::vector<const SymbolizedAddress*>, AddressPairHash>;

struct Frame {
  Dwarf_Addr pc = 0;      // the frame's PC (a return address above the first frame)
  Dwarf_Addr lookup = 0;  // where to look its source and CFI up: the call instruction (pc − 1) or the PC itself
  Dwfl_Module* module = nullptr;
  int depth = 0;
};

class AddressSpace {
 public:
  // Reads /proc/PID/maps; ok() tells whether a Dwfl could be set up.
  // `rules` decides which modules are system ones (outlives this object).
  AddressSpace(pid_t pid, const UserCodeRules* rules);
  ~AddressSpace();
  AddressSpace(const AddressSpace&) = delete;
  AddressSpace& operator=(const AddressSpace&) = delete;

  bool ok() const { return dwfl_ != nullptr && attached_; }
  const std::string& error() const { return error_; }
  // The executable file mappings, "start-end path\n" each: equal signatures
  // mean the same image at the same addresses (a forked child).
  const std::string& signature() const { return signature_; }

  static std::string read_signature(pid_t pid, bool* ok);

  // Re-reads the modules of `pid` (which must have this address space).
  bool refresh(pid_t pid);

  enum class Walk { kDone, kStopped, kMissingModule, kError, kUnsupported };
  // Unwinds task `tid` (of process `tgid`) from `regs`, calling visit for
  // each frame, innermost first, while it returns true. A frame whose PC is
  // in no known module ends the walk with kMissingModule (refresh, retry).
  using Visitor = bool (*)(const Frame& f, void* arg);
  // On kMissingModule, *missing is the address that fell outside.
  Walk walk(pid_t tgid, const user_regs_struct& regs, int max_depth, Visitor visit, void* arg,
            Dwarf_Addr* missing);

  // The same walk from the PC and stack pointer alone (what
  // PTRACE_GET_SYSCALL_INFO gives at a syscall stop, without a
  // PTRACE_GETREGS), for the usual stack at a syscall: every frame's CFA is
  // the stack pointer plus a constant and its return address is saved at a
  // constant offset from the CFA. Each address's rule is read from the CFI
  // once. kUnsupported as soon as a frame needs more (a frame-pointer CFA, a
  // signal frame, Go's stack switch, no CFI at the syscall): walk() then,
  // from all the registers. `pc` is the address after the syscall instruction.
  // Reads of the tracee's memory start afresh (quick_walk does not: the
  // first return address read for answers() stays read).
  void begin_reads(pid_t tgid);
  Walk quick_walk(pid_t tgid, uint64_t pc, uint64_t sp, int max_depth, Visitor visit, void* arg,
                  Dwarf_Addr* missing);
  // quick_walk's first step: the return address of the frame at the
  // syscall (`pc` after the instruction). False when its rule is not simple
  // or the stack is unreadable.
  bool first_return_address(uint64_t pc, uint64_t sp, uint64_t* ra);
  // What the resolver made of a stack that it read no further than the
  // caller of the syscall's frame, by (syscall instruction, return address):
  // the same call site gives the same answer while the modules stay.
  std::unordered_map<std::pair<Dwarf_Addr, Dwarf_Addr>, std::string, AddressPairHash>& answers() {
    return answers_;
  }
  // strace -k's line of a frame, by (printed PC, lookup address): libdwfl
  // finds an address's symbol by scanning the whole symbol table.
  std::unordered_map<std::pair<Dwarf_Addr, Dwarf_Addr>, std::string, AddressPairHash>& backtrace_lines() {
    return backtrace_lines_;
  }

  // Addresses known to be outside every module even after a refresh (a
  // corrupt stack): not worth another refresh until the maps change.
  std::unordered_set<Dwarf_Addr>& junk() { return junk_; }
  TailFrameCache& tail_frames() { return tail_frames_; }

  // The module's ModuleInfo, created on first use.
  ModuleInfo* info(Dwfl_Module* mod);

  // Whether [start, start+len) overlaps a known module (an munmap there
  // makes the module list stale).
  bool overlaps_module(uint64_t start, uint64_t len);

  Dwfl* dwfl() const { return dwfl_; }

  // The entry of the function containing `addr`, from its CFI (the FDE's
  // start): no symbol table needed. 0 when unknown.
  Dwarf_Addr function_entry(Dwarf_Addr addr);
  // The address of the function `name` exported by `mod` (its .dynsym,
  // default version). 0 when it has none.
  Dwarf_Addr exported_function(Dwfl_Module* mod, const std::string& name);

 private:
  struct Walker;
  bool has_cfi(Dwarf_Addr addr);
  // Whether `mi` is Go code with a runtime.asmcgocall (looked up once).
  bool go_module(ModuleInfo* mi);
  // At a frame returning into runtime.asmcgocall, whose stack pointer is
  // `sp`: the goroutine's stack pointer when it called asmcgocall, read
  // from what asmcgocall saved on the system stack. 0 when unknown.
  uint64_t goroutine_sp(uint64_t sp);

  // How quick_walk steps from a frame at an address to its caller.
  struct StepRule {
    enum Kind : uint8_t { kStep, kOutermost, kUnsupported } kind = kUnsupported;
    int32_t cfa_offset = 0;  // CFA = stack pointer + cfa_offset
    int32_t ra_offset = 0;   // return address at CFA + ra_offset
  };
  const StepRule& step_rule(Dwarf_Addr addr);
  // The CFI row covering `addr` (.eh_frame, else .debug_frame outside system
  // libraries), to be freed; null when none.
  Dwarf_Frame* cfi_row(Dwarf_Addr addr);

  const UserCodeRules* rules_;
  Dwfl* dwfl_ = nullptr;
  bool attached_ = false;
  std::string error_;
  std::string signature_;
  std::vector<std::unique_ptr<ModuleInfo>> infos_;
  std::unordered_map<Dwarf_Addr, bool> cfi_known_;  // address -> has a CFI row
  std::unordered_map<Dwarf_Addr, StepRule> step_rules_;
  std::unordered_map<std::pair<Dwarf_Addr, Dwarf_Addr>, std::string, AddressPairHash> answers_;
  std::unordered_map<std::pair<Dwarf_Addr, Dwarf_Addr>, std::string, AddressPairHash> backtrace_lines_;
  std::unordered_set<Dwarf_Addr> junk_;
  TailFrameCache tail_frames_;

  // The unwind in progress (callbacks reach it through the Dwfl's arg).
  pid_t mem_pid_ = 0;
  const user_regs_struct* regs_ = nullptr;
  struct Chunk {
    uint64_t base = 0;
    bool valid = false;
    unsigned char bytes[4096];  // a page: one read covers most stacks at a syscall
  };
  static constexpr int kChunks = 4;
  Chunk chunks_[kChunks];
  int next_chunk_ = 0;
  bool read_word(uint64_t addr, uint64_t* out);
  const Chunk* chunk_for(uint64_t base);

  friend struct Callbacks;
};

}  // namespace renacer
