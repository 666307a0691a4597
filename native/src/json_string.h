// A JSON string literal, for the texts the native side hands JavaScript as JSON.
#pragma once
#include <string>

namespace renacer {

void append_json_string(std::string* out, const std::string& s);

}  // namespace renacer
