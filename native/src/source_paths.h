// Which source files are "user code": decided per (inline-expanded) frame by
// the frame's source file, never per module, because libstdc++ templates,
// Rust's std and Go's runtime are compiled into the user's executable.
#pragma once
#include <string>
#include <vector>

namespace renacer {

// Lexically normalised absolute path: "a/./b/../c" -> "a/c", no trailing '/'.
// A relative path is joined to `base` first when base is not empty.
std::string normalize_path(const std::string& path, const std::string& base = "");

// A path of the system or of a toolchain: /usr/include, /usr/lib, /usr/src,
// glibc/libstdc++ sources, /rustc/<hash>/…, Go's GOROOT, cargo's registry…
bool is_system_path(const std::string& path);

// A loaded module (by its file name in /proc/PID/maps) that is part of the
// system: libc, ld.so, libstdc++, libpthread… and the vDSO. Frames in such a
// module are skipped without being symbolised.
bool is_system_module(const std::string& path);

enum class CodeKind : unsigned char {
  kNone = 0,    // no source file known
  kSystem = 1,  // a system or toolchain file
  kOther = 2,   // not a system file, but outside the user roots
  kUser = 3,    // under a user root (or, without roots, any non-system file)
};

class UserCodeRules {
 public:
  explicit UserCodeRules(const std::vector<std::string>& roots);
  CodeKind classify(const std::string& normalized_file) const;
  bool has_roots() const { return !roots_.empty(); }
  bool module_is_system(const std::string& module_path) const;

 private:
  bool under_root(const std::string& path) const;
  struct Root {
    std::string dir;     // normalised, no trailing '/'
    bool system = false; // the root itself is a system path: its files count as user code
  };
  std::vector<Root> roots_;
};

}  // namespace renacer
