#include "demangle.h"

#include <cxxabi.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace renacer {

namespace {

bool ends_with(const std::string& s, const char* suffix) {
  size_t n = strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// Rust's legacy escapes inside identifiers: $LT$ < , $u7b$ { , .. -> ::
std::string rust_unescape(const std::string& id) {
  static const struct { const char* from; const char* to; } kEsc[] = {
      {"$SP$", "@"}, {"$BP$", "*"}, {"$RF$", "&"}, {"$LT$", "<"}, {"$GT$", ">"},
      {"$LP$", "("}, {"$RP$", ")"}, {"$C$", ","},
  };
  std::string out;
  size_t i = 0;
  if (id.size() > 1 && id[0] == '_' && id[1] == '$') i = 1;  // a leading '_' escapes '$'
  while (i < id.size()) {
    if (id[i] == '$') {
      bool done = false;
      for (const auto& e : kEsc) {
        size_t n = strlen(e.from);
        if (id.compare(i, n, e.from) == 0) {
          out += e.to;
          i += n;
          done = true;
          break;
        }
      }
      if (done) continue;
      if (i + 1 < id.size() && id[i + 1] == 'u') {
        size_t end = id.find('$', i + 2);
        if (end != std::string::npos) {
          char* stop = nullptr;
          std::string hex = id.substr(i + 2, end - i - 2);
          long c = strtol(hex.c_str(), &stop, 16);
          if (!hex.empty() && stop && *stop == '\0' && c > 0 && c < 0x80) {
            out += static_cast<char>(c);
            i = end + 1;
            continue;
          }
        }
      }
      out += id[i++];
    } else if (id[i] == '.' && i + 1 < id.size() && id[i + 1] == '.') {
      out += "::";
      i += 2;
    } else {
      out += id[i++];
    }
  }
  return out;
}

// "_ZN4core3fmt5write17h0123456789abcdefE" -> "core::fmt::write"; "" if not that shape.
std::string rust_legacy(const char* s) {
  if (strncmp(s, "_ZN", 3) != 0) return "";
  std::vector<std::string> parts;
  const char* p = s + 3;
  while (*p && *p != 'E') {
    if (!isdigit(static_cast<unsigned char>(*p))) return "";
    size_t n = 0;
    while (isdigit(static_cast<unsigned char>(*p))) n = n * 10 + static_cast<size_t>(*p++ - '0');
    if (strlen(p) < n) return "";
    parts.emplace_back(p, n);
    p += n;
  }
  if (*p != 'E' || parts.size() < 2) return "";
  const std::string& hash = parts.back();
  if (hash.size() != 17 || hash[0] != 'h') return "";
  for (size_t i = 1; i < hash.size(); ++i)
    if (!isxdigit(static_cast<unsigned char>(hash[i]))) return "";
  parts.pop_back();
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += "::";
    out += rust_unescape(parts[i]);
  }
  return out;
}

}  // namespace

std::string strip_cxx_signature(const std::string& in) {
  std::string s = in;
  // Trailing " [clone .isra.0]" and cv/ref/noexcept qualifiers of methods.
  for (bool again = true; again;) {
    again = false;
    if (ends_with(s, "]")) {
      size_t b = s.rfind(" [clone ");
      if (b != std::string::npos) {
        s.resize(b);
        again = true;
        continue;
      }
    }
    static const char* const kQuals[] = {" const", " volatile", " &&", " &", " noexcept"};
    for (const char* q : kQuals) {
      if (ends_with(s, q)) {
        s.resize(s.size() - strlen(q));
        again = true;
        break;
      }
    }
  }
  // The parameter list: the '(' matching the final ')'.
  if (ends_with(s, ")")) {
    int depth = 0;
    for (size_t i = s.size(); i-- > 0;) {
      if (s[i] == ')') ++depth;
      else if (s[i] == '(' && --depth == 0) {
        if (i > 0) s.resize(i);
        break;
      }
    }
  }
  // A return type (templates carry one): the last top-level space before the
  // name, ignoring what an operator's own name contains.
  size_t limit = s.size();
  size_t op = s.rfind("operator");
  if (op != std::string::npos && (op == 0 || s[op - 1] == ':' || s[op - 1] == ' ')) limit = op;
  int depth = 0;
  size_t cut = std::string::npos;
  for (size_t i = 0; i < limit; ++i) {
    char c = s[i];
    if (c == '<' || c == '(' || c == '[' || c == '{') ++depth;
    else if (c == '>' || c == ')' || c == ']' || c == '}') --depth;
    else if (c == ' ' && depth == 0) cut = i;
  }
  if (cut != std::string::npos) s = s.substr(cut + 1);
  return s;
}

std::string demangle_function(const char* mangled) {
  if (!mangled || mangled[0] != '_') return "";
  std::string rust = rust_legacy(mangled);
  if (!rust.empty()) return rust;
  if (strncmp(mangled, "_Z", 2) != 0) return "";
  int status = 0;
  char* d = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  if (status != 0 || !d) {
    free(d);
    return "";
  }
  std::string out = strip_cxx_signature(d);
  free(d);
  return out;
}

}  // namespace renacer
