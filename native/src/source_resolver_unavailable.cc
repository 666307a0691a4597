// The resolver of a build without elfutils' libdw (binding.gyp's have_libdw
// is 0): every syscall is still traced; the first one traced with --source
// carries a notice saying why there are no source lines and how to get them.
#include "source_resolver.h"

namespace renacer {

struct SourceResolver::Impl {
  bool told = false;
};

SourceResolver::SourceResolver(const SourceOptions&) : impl_(new Impl) {}
SourceResolver::~SourceResolver() = default;

std::string SourceResolver::resolve(pid_t, pid_t, const EntryState&) {
  if (impl_->told) return "";
  impl_->told = true;
  return R"({"notices":["no source lines: this renacer was built without elfutils' libdw. Install it (Debian/Ubuntu: apt-get install libdw-dev) and rebuild (npm rebuild renacer, or npm install)."]})";
}

bool SourceResolver::stack(pid_t, pid_t, std::vector<StackFrame>*) { return false; }
std::string SourceResolver::backtrace(pid_t, pid_t, bool, const EntryState*) { return ""; }
void SourceResolver::invalidate(pid_t) {}
void SourceResolver::forget(pid_t) {}
std::vector<std::string> SourceResolver::take_notices() { return {}; }

std::vector<int> code_lines_of(const std::string&, const std::string&, std::string*, std::string* problem) {
  *problem = "this renacer was built without elfutils' libdw: line breakpoints cannot be checked";
  return {};
}

}  // namespace renacer
