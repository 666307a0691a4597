#include "source_paths.h"

#include <cstring>

namespace renacer {

namespace {

bool starts_with(const std::string& s, const char* prefix) {
  return s.compare(0, strlen(prefix), prefix) == 0;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// Directory prefixes (with their trailing '/') of system and toolchain files.
const char* const kSystemPrefixes[] = {
    "/usr/include/", "/usr/lib/",   "/usr/lib32/", "/usr/lib64/", "/usr/libexec/",
    "/usr/src/",     "/usr/share/", "/lib/",       "/lib32/",     "/lib64/",
    "/rustc/",       "/usr/local/go/", "/usr/local/include/c++/", "/opt/rh/",
    "/_/runtime/",   // Go's runtime/cgo C files, as cmd/go's -fdebug-prefix-map names them
};

// Path fragments of toolchain files wherever they live.
const char* const kSystemFragments[] = {
    "/.cargo/registry/", "/.cargo/git/", "/.rustup/toolchains/", "/go/pkg/mod/",
    "/libstdc++-v3/", "/libgcc/", "/glibc-", "/gcc/config/",
};

}  // namespace

std::string normalize_path(const std::string& path, const std::string& base) {
  std::string full;
  if (!path.empty() && path[0] != '/' && !base.empty()) {
    full = base;
    full += '/';
    full += path;
  } else {
    full = path;
  }
  bool absolute = !full.empty() && full[0] == '/';
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= full.size()) {
    size_t j = full.find('/', i);
    if (j == std::string::npos) j = full.size();
    std::string part = full.substr(i, j - i);
    if (part.empty() || part == ".") {
      // skip
    } else if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!absolute) parts.push_back(part);
    } else {
      parts.push_back(std::move(part));
    }
    i = j + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  if (out.empty()) out = absolute ? "/" : ".";
  return out;
}

bool is_system_path(const std::string& path) {
  if (path.empty() || path[0] == '<') return true;  // <built-in>, <artificial>
  for (const char* p : kSystemPrefixes)
    if (starts_with(path, p)) return true;
  for (const char* f : kSystemFragments)
    if (contains(path, f)) return true;
  return false;
}

bool is_system_module(const std::string& path) {
  if (path.empty() || path[0] == '[') return true;  // [vdso], [vsyscall]
  static const char* const kDirs[] = {"/lib/", "/lib32/", "/lib64/", "/usr/lib/", "/usr/lib32/",
                                      "/usr/lib64/", "/usr/libexec/"};
  for (const char* d : kDirs)
    if (starts_with(path, d)) return true;
  // The dynamic loader and the language runtimes wherever they are installed.
  size_t slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  static const char* const kNames[] = {"ld-linux", "libc.so", "libpthread", "libstdc++",
                                       "libgcc_s", "libm.so", "libdl.so", "librt.so", "ld-musl"};
  for (const char* n : kNames)
    if (starts_with(base, n)) return true;
  return false;
}

UserCodeRules::UserCodeRules(const std::vector<std::string>& roots) {
  for (const std::string& r : roots) {
    if (r.empty()) continue;
    Root root;
    root.dir = normalize_path(r);
    if (root.dir == "/") root.dir.clear();  // "/" is the prefix "" + '/'
    root.system = is_system_path(root.dir + "/");
    roots_.push_back(std::move(root));
  }
}

bool UserCodeRules::under_root(const std::string& path) const {
  for (const Root& r : roots_) {
    if (path.size() > r.dir.size() && path.compare(0, r.dir.size(), r.dir) == 0 && path[r.dir.size()] == '/') {
      if (r.system || !is_system_path(path)) return true;
    }
  }
  return false;
}

CodeKind UserCodeRules::classify(const std::string& file) const {
  if (file.empty()) return CodeKind::kNone;
  if (!roots_.empty() && under_root(file)) return CodeKind::kUser;
  if (is_system_path(file)) return CodeKind::kSystem;
  return roots_.empty() ? CodeKind::kUser : CodeKind::kOther;
}

bool UserCodeRules::module_is_system(const std::string& module_path) const {
  if (!is_system_module(module_path)) return false;
  // A library the user put under one of the roots is theirs, wherever they named it.
  for (const Root& r : roots_) {
    if (!r.dir.empty() && module_path.size() > r.dir.size() &&
        module_path.compare(0, r.dir.size(), r.dir) == 0 && module_path[r.dir.size()] == '/')
      return false;
  }
  return true;
}

}  // namespace renacer
