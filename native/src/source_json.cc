#include "source_json.h"

#include <cstdio>

namespace renacer {

namespace {

void append_frame(std::string* out, const InlineFrame& f) {
  *out += "{\"file\":";
  append_json_string(out, f.file);
  *out += ",\"line\":" + std::to_string(f.line);
  if (f.column > 0) *out += ",\"column\":" + std::to_string(f.column);
  if (!f.function.empty()) {
    *out += ",\"function\":";
    append_json_string(out, f.function);
  }
  if (f.function_line > 0) *out += ",\"function_line\":" + std::to_string(f.function_line);
}

}  // namespace

std::string location_json(const std::vector<InlineFrame>& chain, int from) {
  std::string out;
  append_frame(&out, chain[from]);
  if (static_cast<size_t>(from) + 1 < chain.size()) {
    out += ",\"inlined\":[";
    for (size_t i = from + 1; i < chain.size(); ++i) {
      if (i > static_cast<size_t>(from) + 1) out += ',';
      append_frame(&out, chain[i]);
      out += '}';
    }
    out += ']';
  }
  out += '}';
  return out;
}

}  // namespace renacer
