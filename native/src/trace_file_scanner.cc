#include "trace_file_scanner.h"

#include <libdeflate.h>
#include <math.h>
#include <string.h>

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace renacer {
namespace {

// The line prefix and field separators jsonFormat.ts writes, in order.
constexpr std::string_view kSyscall = "{\"type\":\"syscall\",\"pid\":";
constexpr std::string_view kTid = ",\"tid\":";
constexpr std::string_view kName = ",\"name\":\"";
constexpr std::string_view kNr = ",\"nr\":";
constexpr std::string_view kArgs = ",\"args\":[";
constexpr std::string_view kRet = "],\"ret\":";
constexpr std::string_view kNull = "null";
constexpr std::string_view kErrno = ",\"errno\":\"";
constexpr std::string_view kRetText = ",\"ret_text\":\"";
constexpr std::string_view kStart = ",\"start_ns\":";
constexpr std::string_view kDur = ",\"dur_ns\":";

// Integers longer than this may not be exact as a double: JSON decides those.
constexpr int kMaxExactDigits = 15;

enum MarkKind { kMarkMember = 0, kMarkLine = 1 };
constexpr int kNumbersPerMark = 5;

/**
 * A hash of a text's length and of 16 bytes spread over it: site texts run
 * to hundreds of bytes and differ in several places, and a collision only
 * costs a comparison (the map compares candidates whole).
 */
struct SampledHash {
  size_t operator()(std::string_view s) const {
    uint64_t h = s.size() * 0x9E3779B97F4A7C15ull;
    size_t step = s.size() / 16 + 1;
    for (size_t k = step / 2; k < s.size(); k += step) h = (h ^ static_cast<unsigned char>(s[k])) * 0x100000001B3ull;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

/** Texts seen, each with a small key; keys are handed out in order from `first`. */
class Interner {
 public:
  explicit Interner(uint32_t first) : next_(first) {}
  /** The key of `text`, and whether it is new. */
  uint32_t key(std::string_view text, bool* added) {
    auto it = keys_.find(text);
    if (it != keys_.end()) {
      *added = false;
      return it->second;
    }
    texts_.emplace_back(text);
    keys_.emplace(std::string_view(texts_.back()), next_);
    *added = true;
    return next_++;
  }

 private:
  std::deque<std::string> texts_;  // stable addresses for the map's views
  std::unordered_map<std::string_view, uint32_t, SampledHash> keys_;
  uint32_t next_;
};

bool plain_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80 || c == '\\' || c < 0x20) return false;
  return true;
}

/** One scan's output, moved into JavaScript arrays at the end. */
struct Batch {
  std::vector<int32_t> pid, tid;
  std::vector<double> start, dur, ret;
  std::vector<uint32_t> name, errno_, site, path;
  std::vector<uint8_t> flags;
  std::vector<std::string> new_names, new_errnos, new_sites, new_paths;
  std::vector<double> new_site_lines, new_path_names, new_path_lines;
  std::vector<double> marks;
  std::string slow;
};

class Scanner : public Napi::ObjectWrap<Scanner> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "TraceFileScanner",
                       {InstanceMethod("scan", &Scanner::Scan),
                        InstanceMethod("takeCarry", &Scanner::TakeCarry),
                        InstanceAccessor("lines", &Scanner::Lines, nullptr),
                        InstanceAccessor("headerPending", &Scanner::HeaderPending, nullptr)});
  }

  explicit Scanner(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<Scanner>(info), errnos_(1), sites_(1), paths_(1) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject())
      throw Napi::TypeError::New(env, "TraceFileScanner(options) needs an options object");
    Napi::Object o = info[0].As<Napi::Object>();
    origin_hi_ = o.Get("originHi").ToNumber().DoubleValue();
    origin_lo_ = o.Get("originLo").ToNumber().DoubleValue();
    header_pending_ = o.Get("skipFirstLine").ToBoolean();
    if (o.Get("pathNames").IsArray()) {
      Napi::Array a = o.Get("pathNames").As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); ++i) path_names_.insert(a.Get(i).ToString().Utf8Value());
    }
    decompressor_ = libdeflate_alloc_decompressor();
    if (!decompressor_) throw Napi::Error::New(env, "libdeflate: out of memory");
  }

  ~Scanner() override {
    if (decompressor_) libdeflate_free_decompressor(decompressor_);
  }

 private:
  /**
   * scan(bytes, fileOffset): reads the whole gzip members at the start of
   * `bytes` (which sit at `fileOffset` in the file) and stops at the first
   * one that does not inflate whole — cut short, corrupt, not gzip, or past
   * the end of `bytes` — leaving it to the caller. Returns the batch.
   */
  Napi::Value Scan(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsTypedArray())
      throw Napi::TypeError::New(env, "scan(bytes: Uint8Array, fileOffset: number)");
    Napi::Uint8Array in = info[0].As<Napi::Uint8Array>();
    double file_offset = info[1].ToNumber().DoubleValue();
    const uint8_t* data = in.Data();
    size_t size = in.ByteLength();
    Batch b;
    batch_ = &b;
    size_t pos = 0;
    while (pos < size) {
      size_t used = 0;
      size_t out_len = 0;
      libdeflate_result r;
      for (;;) {
        r = libdeflate_gzip_decompress_ex(decompressor_, data + pos, size - pos, out_.data(), out_.size(), &used, &out_len);
        if (r != LIBDEFLATE_INSUFFICIENT_SPACE) break;
        out_.resize(out_.empty() ? (8u << 20) : out_.size() * 2);
      }
      if (r != LIBDEFLATE_SUCCESS) break;
      b.marks.insert(b.marks.end(), {kMarkMember, static_cast<double>(b.pid.size()), file_offset + static_cast<double>(pos), static_cast<double>(used), 0});
      Lines(out_.data(), out_len);
      pos += used;
    }
    batch_ = nullptr;
    return ToJs(env, b, pos);
  }

  /** The bytes after the last newline read (a line a member left unfinished), handed over and forgotten. */
  Napi::Value TakeCarry(const Napi::CallbackInfo& info) {
    Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::Copy(info.Env(), reinterpret_cast<const uint8_t*>(carry_.data()), carry_.size());
    carry_.clear();
    return out;
  }

  Napi::Value Lines(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(lines_)); }
  Napi::Value HeaderPending(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), header_pending_); }

  /** The lines of one member's text, the carried start of a line first. */
  void Lines(const uint8_t* text, size_t n) {
    const char* s = reinterpret_cast<const char*>(text);
    size_t from = 0;
    if (!carry_.empty()) {
      const void* nl = memchr(s, '\n', n);
      if (!nl) {
        carry_.append(s, n);
        return;
      }
      size_t at = static_cast<const char*>(nl) - s;
      carry_.append(s, at);
      Line(std::string_view(carry_));
      carry_.clear();
      from = at + 1;
    }
    for (;;) {
      const void* nl = memchr(s + from, '\n', n - from);
      if (!nl) break;
      size_t at = static_cast<const char*>(nl) - s;
      Line(std::string_view(s + from, at - from));
      from = at + 1;
    }
    if (from < n) carry_.assign(s + from, n - from);
  }

  void Line(std::string_view line) {
    lines_++;
    if (header_pending_) {
      header_pending_ = false;
      return;
    }
    if (line.empty()) return;
    if (!Syscall(line)) {
      Batch& b = *batch_;
      b.marks.insert(b.marks.end(), {kMarkLine, static_cast<double>(b.pid.size()), static_cast<double>(b.slow.size()), static_cast<double>(b.slow.size() + line.size()), static_cast<double>(lines_)});
      b.slow.append(line);
    }
  }

  // ---- The fast path: a syscall line exactly as jsonFormat.ts writes it ----

  static bool At(std::string_view s, size_t i, std::string_view lit) {
    return i <= s.size() && s.size() - i >= lit.size() && memcmp(s.data() + i, lit.data(), lit.size()) == 0;
  }

  /** A non-negative integer of 1–15 digits at i (its end in *end), or -1. */
  static double Uint(std::string_view s, size_t i, size_t* end) {
    double v = 0;
    size_t k = i;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9') v = v * 10 + (s[k++] - '0');
    *end = k;
    return k == i || k - i > kMaxExactDigits ? -1 : v;
  }

  /** Where the JSON string whose body starts at i ends (after its quote), or npos. */
  static size_t SkipString(std::string_view s, size_t i) {
    for (;;) {
      size_t q = s.find('"', i);
      if (q == std::string_view::npos) return q;
      size_t backslashes = 0;
      for (size_t k = q; k > i && s[k - 1] == '\\'; k--) backslashes++;
      if (backslashes % 2 == 0) return q + 1;
      i = q + 1;
    }
  }

  bool Syscall(std::string_view s) {
    if (!At(s, 0, kSyscall)) return false;
    size_t p;
    double pid = Uint(s, kSyscall.size(), &p);
    if (pid < 0 || pid > INT32_MAX || !At(s, p, kTid)) return false;
    double tid = Uint(s, p + kTid.size(), &p);
    if (tid < 0 || tid > INT32_MAX || !At(s, p, kName)) return false;
    size_t name_start = p + kName.size();
    size_t name_end = s.find('"', name_start);
    if (name_end == std::string_view::npos || !At(s, name_end + 1, kNr)) return false;
    std::string_view name = s.substr(name_start, name_end - name_start);
    if (!plain_ascii(name)) return false;
    if (Uint(s, name_end + 1 + kNr.size(), &p) < 0 || !At(s, p, kArgs)) return false;
    size_t args_open = p + kArgs.size() - 1;
    // A '"' inside a JSON string is escaped, so `],"ret":` cannot occur inside an argument.
    size_t args_close = s.find(kRet, args_open + 1);
    if (args_close == std::string_view::npos) return false;
    size_t i = args_close + kRet.size();
    bool unfinished = false;
    double ret = NAN;
    if (At(s, i, kNull)) {
      unfinished = true;
      i += kNull.size();
    } else {
      bool negative = i < s.size() && s[i] == '-';
      if (negative) i++;
      ret = Uint(s, i, &i);
      if (ret < 0) return false;
      if (negative) ret = -ret;
    }
    std::string_view errno_name;
    bool has_errno = false;
    if (At(s, i, kErrno)) {
      has_errno = true;
      size_t q = s.find('"', i + kErrno.size());
      if (q == std::string_view::npos) return false;
      errno_name = s.substr(i + kErrno.size(), q - i - kErrno.size());
      if (!plain_ascii(errno_name)) return false;
      i = q + 1;
    }
    if (At(s, i, kRetText)) {
      i = SkipString(s, i + kRetText.size());
      if (i == std::string_view::npos) return false;
    }
    if (!At(s, i, kStart)) return false;
    double start;
    if (!RelativeNs(s, i + kStart.size(), &start, &p) || !At(s, p, kDur)) return false;
    double dur = Uint(s, p + kDur.size(), &i);
    if (dur < 0) return false;
    // What follows is `}`, or `,"source":{…}` and friends then `}`.
    bool no_site = i == s.size() - 1;
    if (s.back() != '}' || !(no_site || (i + 1 < s.size() && s[i] == ',' && s[i + 1] == '"'))) return false;

    Batch& b = *batch_;
    bool added;
    uint32_t name_key = names_.key(name, &added);
    if (added) {
      b.new_names.emplace_back(name);
      name_is_path_.push_back(path_names_.count(std::string(name)) > 0);
    }
    uint32_t errno_key = 0;
    if (has_errno) {
      errno_key = errnos_.key(errno_name, &added);
      if (added) b.new_errnos.emplace_back(errno_name);
    }
    uint32_t path_key = 0;
    if (name_is_path_[name_key]) {
      // The same arguments mean a different path for another syscall: the name's key leads.
      path_text_.assign(reinterpret_cast<const char*>(&name_key), sizeof name_key);
      path_text_.append(s.data() + args_open, args_close + 1 - args_open);
      path_key = paths_.key(path_text_, &added);
      if (added) {
        b.new_paths.emplace_back(s.substr(args_open, args_close + 1 - args_open));
        b.new_path_names.push_back(name_key);
        b.new_path_lines.push_back(static_cast<double>(lines_));
      }
    }
    uint32_t site_key = 0;
    if (!no_site) {
      std::string_view text = s.substr(i);
      if (last_site_key_ && text == last_site_) {
        site_key = last_site_key_;
      } else {
        site_key = sites_.key(text, &added);
        if (added) {
          b.new_sites.emplace_back(text);
          b.new_site_lines.push_back(static_cast<double>(lines_));
        }
        last_site_.assign(text);
        last_site_key_ = site_key;
      }
    }
    b.pid.push_back(static_cast<int32_t>(pid));
    b.tid.push_back(static_cast<int32_t>(tid));
    b.start.push_back(start);
    b.dur.push_back(dur);
    b.name.push_back(name_key);
    b.errno_.push_back(errno_key);
    b.site.push_back(site_key);
    b.path.push_back(path_key);
    b.flags.push_back(unfinished ? 1 : 0);
    b.ret.push_back(ret);
    return true;
  }

  /**
   * A wall-clock ns value of 1–21 digits minus the origin, exactly, in
   * doubles: split at 1e9 both halves are exact, and so is their difference
   * (the same arithmetic as traceLineDecoder.ts, so the same result).
   */
  bool RelativeNs(std::string_view s, size_t i, double* out, size_t* end) const {
    size_t begin = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') i++;
    size_t digits = i - begin;
    if (digits == 0 || digits > 21) return false;
    double hi = 0;
    double lo = 0;
    size_t split = digits > 9 ? i - 9 : begin;
    for (size_t k = begin; k < i; k++) {
      int d = s[k] - '0';
      if (k < split) hi = hi * 10 + d;
      else lo = lo * 10 + d;
    }
    *end = i;
    *out = (hi - origin_hi_) * 1e9 + (lo - origin_lo_);
    return true;
  }

  template <typename Array, typename T>
  static Array Typed(Napi::Env env, const std::vector<T>& v) {
    Array a = Array::New(env, v.size());
    if (!v.empty()) memcpy(a.Data(), v.data(), v.size() * sizeof(T));
    return a;
  }

  static Napi::Array Strings(Napi::Env env, const std::vector<std::string>& v) {
    Napi::Array a = Napi::Array::New(env, v.size());
    for (size_t k = 0; k < v.size(); k++) a.Set(static_cast<uint32_t>(k), Napi::String::New(env, v[k]));
    return a;
  }

  static Napi::Object ToJs(Napi::Env env, const Batch& b, size_t consumed) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("consumed", static_cast<double>(consumed));
    o.Set("count", static_cast<double>(b.pid.size()));
    // Copied, not external: Electron's V8 sandbox refuses external buffers.
    o.Set("pid", Typed<Napi::Int32Array>(env, b.pid));
    o.Set("tid", Typed<Napi::Int32Array>(env, b.tid));
    o.Set("start", Typed<Napi::Float64Array>(env, b.start));
    o.Set("dur", Typed<Napi::Float64Array>(env, b.dur));
    o.Set("name", Typed<Napi::Uint32Array>(env, b.name));
    o.Set("errno", Typed<Napi::Uint32Array>(env, b.errno_));
    o.Set("site", Typed<Napi::Uint32Array>(env, b.site));
    o.Set("path", Typed<Napi::Uint32Array>(env, b.path));
    o.Set("flags", Typed<Napi::Uint8Array>(env, b.flags));
    o.Set("ret", Typed<Napi::Float64Array>(env, b.ret));
    o.Set("newNames", Strings(env, b.new_names));
    o.Set("newErrnos", Strings(env, b.new_errnos));
    o.Set("newSites", Strings(env, b.new_sites));
    o.Set("newSiteLines", Typed<Napi::Float64Array>(env, b.new_site_lines));
    o.Set("newPaths", Strings(env, b.new_paths));
    o.Set("newPathNames", Typed<Napi::Float64Array>(env, b.new_path_names));
    o.Set("newPathLines", Typed<Napi::Float64Array>(env, b.new_path_lines));
    o.Set("marks", Typed<Napi::Float64Array>(env, b.marks));
    o.Set("slow", Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t*>(b.slow.data()), b.slow.size()));
    return o;
  }

  double origin_hi_ = 0;
  double origin_lo_ = 0;
  bool header_pending_ = false;
  size_t lines_ = 0;
  std::unordered_set<std::string> path_names_;
  std::vector<bool> name_is_path_;
  Interner names_{0};
  Interner errnos_;
  Interner sites_;
  Interner paths_;
  std::string path_text_;
  std::string last_site_;
  uint32_t last_site_key_ = 0;
  std::string carry_;
  std::vector<uint8_t> out_;
  libdeflate_decompressor* decompressor_ = nullptr;
  Batch* batch_ = nullptr;
};

}  // namespace

Napi::Function TraceFileScannerClass(Napi::Env env) { return Scanner::Init(env); }

}  // namespace renacer
