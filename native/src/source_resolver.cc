// Placeholder until source correlation lands: resolves nothing.
#include "source_resolver.h"

namespace renacer {

struct SourceResolver::Impl {};

SourceResolver::SourceResolver(const SourceOptions&) : impl_(new Impl) {}
SourceResolver::~SourceResolver() = default;
std::string SourceResolver::resolve(pid_t, pid_t) { return ""; }
void SourceResolver::invalidate(pid_t) {}
void SourceResolver::forget(pid_t) {}
std::vector<std::string> SourceResolver::take_notices() { return {}; }

}  // namespace renacer
