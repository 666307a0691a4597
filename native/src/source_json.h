// Serialises resolved locations for the JavaScript side, in the shape of
// extension/core/session/events.ts SourceLocation:
//   {"file":"/abs/main.c","line":42,"column":5,"function":"load_config",
//    "inlined":[{"file":…,"line":…,"column":…,"function":…}]}
#pragma once
#include <string>
#include <vector>

#include "json_string.h"
#include "symbolizer.h"

namespace renacer {

// chain[from] as the location, chain[from+1…] as the functions it was inlined into.
std::string location_json(const std::vector<InlineFrame>& chain, int from);

}  // namespace renacer
