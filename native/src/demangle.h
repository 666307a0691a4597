// Function names for people: demangled C++ (libstdc++'s abi::__cxa_demangle)
// and Rust (legacy "_ZN…17h<hash>E" symbols), without parameter lists,
// return types or hashes: "ns::Config::load", "app::cfg::read_config".
#pragma once
#include <string>

namespace renacer {

// "" when `mangled` is not a mangling this understands (the caller then uses
// the plain DWARF name).
std::string demangle_function(const char* mangled);

// "void ns::f<int>(int) const [clone .isra.0]" -> "ns::f<int>".
std::string strip_cxx_signature(const std::string& demangled);

}  // namespace renacer
