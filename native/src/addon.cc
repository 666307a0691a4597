// The N-API surface: a Session (one trace run) and lookup tables.
// One build loads in Node and in VS Code's extension host (N-API is ABI-stable).
#include <napi.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <future>
#include <memory>
#include <thread>

#include "decode.h"
#include "event_queue.h"
#include "gzip_worker.h"
#include "source_resolver.h"
#include "syscall_table.h"
#include "tracee_memory.h"
#include "trace_file_scanner.h"
#include "tracer.h"

namespace renacer {
namespace {

// Descriptors above this are not worth a bit each (-e read=/write=).
constexpr uint32_t kMaxFd = 1u << 20;

// A set of numbers from JavaScript (syscall numbers, descriptors): an array
// of them, or "all" (`*all`, when the set can be all). The set is `size`
// bits, all clear, before the array's numbers below `limit` are set.
void number_set(Napi::Value v, uint32_t size, uint32_t limit, std::vector<bool>* set, bool* all) {
  if (all && v.IsString() && v.As<Napi::String>().Utf8Value() == "all") *all = true;
  if (!v.IsArray()) return;
  Napi::Array a = v.As<Napi::Array>();
  set->assign(size, false);
  for (uint32_t i = 0; i < a.Length(); ++i) {
    int64_t n = a.Get(i).ToNumber().Int64Value();
    if (n < 0 || n >= limit) continue;
    if (static_cast<size_t>(n) >= set->size()) set->resize(static_cast<size_t>(n) + 1, false);
    (*set)[static_cast<size_t>(n)] = true;
  }
}

constexpr size_t kBatchSize = 1024;
constexpr size_t kMaxPending = 4096;
constexpr int kMaxInFlight = 4;
constexpr int kNumbersPerEvent = 10;
constexpr int kStringsPerEvent = 3;
constexpr auto kLinger = std::chrono::milliseconds(25);

double clock_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

std::vector<std::string> string_array(Napi::Env env, Napi::Value v, const char* what) {
  std::vector<std::string> out;
  if (v.IsUndefined() || v.IsNull()) return out;
  if (!v.IsArray()) throw Napi::TypeError::New(env, std::string(what) + " must be an array of strings");
  Napi::Array a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); ++i) out.push_back(a.Get(i).ToString().Utf8Value());
  return out;
}

// What the delivery thread hands to the JavaScript thread.
struct Delivery {
  std::vector<NativeEvent> events;
  bool end = false;
  TraceResult result;
};

class Session : public Napi::ObjectWrap<Session> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Session",
                       {InstanceMethod("start", &Session::Start),
                        InstanceMethod("stop", &Session::Stop),
                        InstanceMethod("ack", &Session::Ack),
                        InstanceMethod("configureStops", &Session::ConfigureStops),
                        InstanceMethod("resume", &Session::Resume),
                        InstanceMethod("resumeAll", &Session::ResumeAll),
                        InstanceMethod("interruptAll", &Session::InterruptAll),
                        InstanceMethod("setOutcome", &Session::SetOutcome),
                        InstanceMethod("readMemory", &Session::ReadMemory)});
  }

  explicit Session(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Session>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject())
      throw Napi::TypeError::New(env, "Session(options) needs an options object");
    Napi::Object o = info[0].As<Napi::Object>();
    opts_.path = o.Get("path").IsString() ? o.Get("path").As<Napi::String>().Utf8Value() : "";
    opts_.argv = string_array(env, o.Get("argv"), "argv");
    opts_.env = string_array(env, o.Get("env"), "env");
    opts_.cwd = o.Get("cwd").IsString() ? o.Get("cwd").As<Napi::String>().Utf8Value() : "";
    if (o.Get("user").IsObject()) {
      Napi::Object u = o.Get("user").As<Napi::Object>();
      opts_.uid = u.Get("uid").ToNumber().Int32Value();
      opts_.gid = u.Get("gid").ToNumber().Int32Value();
      if (u.Get("groups").IsArray()) {
        Napi::Array g = u.Get("groups").As<Napi::Array>();
        for (uint32_t i = 0; i < g.Length(); ++i) opts_.groups.push_back(g.Get(i).ToNumber().Uint32Value());
      }
    }
    if (o.Get("attach").IsArray()) {
      Napi::Array a = o.Get("attach").As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); ++i)
        opts_.attach.push_back(a.Get(i).ToNumber().Int32Value());
    }
    opts_.follow_forks = o.Get("followForks").ToBoolean();
    opts_.detach_on_execve = o.Get("detachOnExecve").ToBoolean();
    if (o.Get("syscallLimit").IsNumber())
      opts_.syscall_limit = static_cast<uint64_t>(o.Get("syscallLimit").ToNumber().Int64Value());
    const uint32_t syscalls = static_cast<uint32_t>(syscall_table_size());
    number_set(o.Get("readFds"), 0, kMaxFd, &opts_.io_dump.read_fds, &opts_.io_dump.read_all);
    number_set(o.Get("writeFds"), 0, kMaxFd, &opts_.io_dump.write_fds, &opts_.io_dump.write_all);
    if (o.Get("constStyle").IsString()) {
      std::string style = o.Get("constStyle").As<Napi::String>().Utf8Value();
      opts_.decode.const_style = style == "raw" ? 1 : style == "verbose" ? 2 : 0;
    }
    number_set(o.Get("wholeCalls"), syscalls, syscalls, &opts_.decode.whole, &opts_.decode.whole_all);
    number_set(o.Get("rawCalls"), syscalls, syscalls, &opts_.raw, &opts_.raw_all);
    if (o.Get("tracePaths").IsArray()) {
      Napi::Array a = o.Get("tracePaths").As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); ++i) opts_.trace_paths.push_back(a.Get(i).As<Napi::String>().Utf8Value());
    }
    opts_.capture_output = o.Get("captureOutput").ToBoolean();
    opts_.lockstep = o.Get("lockstep").ToBoolean();
    if (o.Get("tty").IsString()) opts_.tty = o.Get("tty").As<Napi::String>().Utf8Value();
    number_set(o.Get("traced"), syscalls, syscalls, &opts_.traced, nullptr);
    if (o.Get("source").IsObject()) {
      Napi::Object so = o.Get("source").As<Napi::Object>();
      opts_.source.enabled = true;
      opts_.source.user_roots = string_array(env, so.Get("userRoots"), "source.userRoots");
      opts_.source.full_stack = so.Get("fullStack").ToBoolean();
    }
    if (o.Get("backtrace").ToBoolean()) opts_.source.backtrace = true;
    if (o.Get("backtrace").IsString() && o.Get("backtrace").As<Napi::String>().Utf8Value() == "source")
      opts_.source.backtrace_source = true;
    if (o.Get("stringLimit").IsNumber())
      opts_.decode.string_limit = o.Get("stringLimit").ToNumber().Int32Value();
    if (o.Get("decodeFds").IsArray()) {
      // strace -y / --decode-fds=SET: "path", "socket", "dev", "pidfd".
      Napi::Array kinds = o.Get("decodeFds").As<Napi::Array>();
      for (uint32_t i = 0; i < kinds.Length(); ++i) {
        std::string k = kinds.Get(i).ToString().Utf8Value();
        if (k == "path") opts_.decode.decode_fds |= kDecodeFdPath;
        else if (k == "socket") opts_.decode.decode_fds |= kDecodeFdSocket;
        else if (k == "dev") opts_.decode.decode_fds |= kDecodeFdDev;
        else if (k == "pidfd") opts_.decode.decode_fds |= kDecodeFdPidfd;
        else throw Napi::TypeError::New(env, "decodeFds: unknown kind '" + k + "'");
      }
    }
    if (o.Get("stops").IsObject()) opts_.stops = stop_config(env, o.Get("stops").As<Napi::Object>());
    if (opts_.attach.empty() && (opts_.path.empty() || opts_.argv.empty()))
      throw Napi::TypeError::New(env, "Session needs `path` and `argv`, or `attach`");
  }

  ~Session() override {
    if (queue_) queue_->cancel();
    if (tracer_thread_.joinable()) tracer_thread_.detach();
    if (delivery_thread_.joinable()) delivery_thread_.detach();
  }

 private:
  // start(onBatch(numbers: Float64Array, strings: string[]), onEnd(result))
  // → { pid, originWallNs: bigint }. Throws when launch or attach fails.
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (started_) throw Napi::Error::New(env, "session already started");
    if (info.Length() < 2 || !info[0].IsFunction() || !info[1].IsFunction())
      throw Napi::TypeError::New(env, "start(onBatch, onEnd)");
    started_ = true;
    on_end_ = Napi::Persistent(info[1].As<Napi::Function>());

    double origin_mono = clock_ns(CLOCK_MONOTONIC);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    int64_t origin_wall = static_cast<int64_t>(wall.tv_sec) * 1000000000LL + wall.tv_nsec;

    Tracer::install_wakeup_handler();
    queue_ = std::make_shared<EventQueue>(kBatchSize, kMaxPending, kMaxInFlight);
    tracer_ = std::make_shared<Tracer>(opts_, queue_.get(), origin_mono);

    std::promise<StartResult> started;
    std::future<StartResult> started_f = started.get_future();
    auto tracer = tracer_;
    auto queue = queue_;
    auto result = std::make_shared<TraceResult>();
    tracer_thread_ = std::thread([tracer, queue, result, p = std::move(started)]() mutable {
      StartResult r = tracer->start();
      bool ok = r.err == 0;
      p.set_value(r);
      if (ok) *result = tracer->run();
      queue->close();
    });
    StartResult r = started_f.get();
    if (r.err) {
      tracer_thread_.join();
      if (r.stdout_fd >= 0) close(r.stdout_fd);
      if (r.stderr_fd >= 0) close(r.stderr_fd);
      Napi::Error e = Napi::Error::New(env, r.message);
      e.Set("errno", Napi::Number::New(env, r.err));
      throw e;
    }

    tsfn_ = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "renacer-events", 0, 1);
    queue_->set_idle_hook([tracer] { tracer->nudge(); });
    Ref();  // keep this object alive until the end is delivered
    auto tsfn = tsfn_;
    delivery_thread_ = std::thread([this, queue, tsfn, result]() mutable {
      for (;;) {
        auto d = new Delivery();
        if (!queue->take(d->events, kLinger)) {
          delete d;
          break;
        }
        if (tsfn.BlockingCall(d, &Session::DeliverBatch) != napi_ok) delete d;
      }
      tracer_thread_.join();
      auto d = new Delivery();
      d->end = true;
      d->result = *result;
      if (tsfn.BlockingCall(d, [this](Napi::Env env, Napi::Function, Delivery* d) {
            DeliverEnd(env, d);
          }) != napi_ok)
        delete d;
      tsfn.Release();
    });

    Napi::Object out = Napi::Object::New(env);
    out.Set("pid", Napi::Number::New(env, r.pid));
    if (r.stdout_fd >= 0) out.Set("stdoutFd", Napi::Number::New(env, r.stdout_fd));
    if (r.stderr_fd >= 0) out.Set("stderrFd", Napi::Number::New(env, r.stderr_fd));
    out.Set("originWallNs", Napi::BigInt::New(env, origin_wall));
    return out;
  }

  static void DeliverBatch(Napi::Env env, Napi::Function fn, Delivery* d) {
    std::unique_ptr<Delivery> owned(d);
    size_t n = d->events.size();
    Napi::Float64Array nums = Napi::Float64Array::New(env, n * kNumbersPerEvent);
    Napi::Array strs = Napi::Array::New(env, n * kStringsPerEvent);
    double* p = nums.Data();
    for (size_t i = 0; i < n; ++i) {
      const NativeEvent& e = d->events[i];
      p[0] = static_cast<double>(e.kind);
      p[1] = e.flags;
      p[2] = e.pid;
      p[3] = e.tid;
      p[4] = e.a;
      p[5] = e.b;
      p[6] = static_cast<double>(e.ret);
      p[7] = e.t0;
      p[8] = e.t1;
      p[9] = static_cast<double>(e.ip);  // user addresses are below 2^47: exact
      p += kNumbersPerEvent;
      uint32_t k = static_cast<uint32_t>(kStringsPerEvent * i);
      strs.Set(k, Napi::String::New(env, e.s1));
      strs.Set(k + 1, Napi::String::New(env, e.s2));
      strs.Set(k + 2, Napi::String::New(env, e.s3));
    }
    fn.Call({nums, strs});
  }

  void DeliverEnd(Napi::Env env, Delivery* d) {
    std::unique_ptr<Delivery> owned(d);
    const TraceResult& r = d->result;
    Napi::Object o = Napi::Object::New(env);
    o.Set("exitStatus", r.exit_status < 0 ? env.Null() : Napi::Number::New(env, r.exit_status));
    o.Set("exitSignal", Napi::Number::New(env, r.exit_signal));
    o.Set("interrupted", Napi::Boolean::New(env, r.interrupted));
    o.Set("syscalls", Napi::Number::New(env, static_cast<double>(r.syscalls)));
    o.Set("stops", Napi::Number::New(env, static_cast<double>(r.stops)));
    o.Set("endNs", Napi::Number::New(env, r.end_ns));
    if (!r.error.empty()) o.Set("error", Napi::String::New(env, r.error));
    Napi::FunctionReference cb = std::move(on_end_);
    if (delivery_thread_.joinable()) delivery_thread_.detach();
    Unref();
    cb.Call({o});
  }

  Napi::Value Stop(const Napi::CallbackInfo& info) {
    if (tracer_) tracer_->request_stop();
    return info.Env().Undefined();
  }

  Napi::Value Ack(const Napi::CallbackInfo& info) {
    if (queue_) queue_->ack();
    return info.Env().Undefined();
  }

  // The debugger's commands (tracer.h Command); each wakes the tracer thread.
  static std::shared_ptr<StopConfig> stop_config(Napi::Env env, Napi::Object o) {
    auto c = std::make_shared<StopConfig>();
    c->syscalls.assign(static_cast<size_t>(syscall_table_size()), false);
    if (o.Get("syscalls").IsArray()) {
      Napi::Array a = o.Get("syscalls").As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); ++i) {
        int nr = a.Get(i).ToNumber().Int32Value();
        if (nr >= 0 && nr < syscall_table_size()) c->syscalls[nr] = true;
      }
    }
    c->failed = o.Get("failed").ToBoolean();
    c->signals = o.Get("signals").ToBoolean();
    for (const std::string& l : string_array(env, o.Get("lines"), "stops.lines")) c->lines.insert(l);
    return c;
  }

  void post(Command c) {
    if (!tracer_) throw Napi::Error::New(Env(), "session not started");
    tracer_->post(std::move(c));
  }

  // configureStops({syscalls: number[], failed, signals, lines: ["file:line"]})
  Napi::Value ConfigureStops(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "configureStops(config)");
    auto c = stop_config(info.Env(), info[0].As<Napi::Object>());
    if (!started_) {
      opts_.stops = c;  // before start: its syscalls join the seccomp filter
    } else {
      Command cmd;
      cmd.op = Command::kConfigure;
      cmd.config = c;
      post(std::move(cmd));
    }
    return info.Env().Undefined();
  }

  // resume(tid, step, signal): one held task (signal: delivered as it goes on). resumeAll(stepTid, step): every held task.
  Napi::Value Resume(const Napi::CallbackInfo& info) { return resume(info, Command::kResume); }
  Napi::Value ResumeAll(const Napi::CallbackInfo& info) { return resume(info, Command::kResumeAll); }
  Napi::Value resume(const Napi::CallbackInfo& info, Command::Op op) {
    Command c;
    c.op = op;
    c.tid = info.Length() > 0 ? info[0].ToNumber().Int32Value() : 0;
    c.step = info.Length() > 1 && info[1].ToBoolean();
    if (info.Length() > 2 && info[2].IsNumber()) c.signal = info[2].ToNumber().Int32Value();
    post(std::move(c));
    return info.Env().Undefined();
  }

  Napi::Value InterruptAll(const Napi::CallbackInfo& info) {
    Command c;
    c.op = Command::kInterruptAll;
    post(std::move(c));
    return info.Env().Undefined();
  }

  // setOutcome(tid, "errno" | "retval", value): fault injection at a held syscall.
  Napi::Value SetOutcome(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[1].IsString()) throw Napi::TypeError::New(env, "setOutcome(tid, kind, value)");
    std::string kind = info[1].As<Napi::String>().Utf8Value();
    Command c;
    c.op = Command::kOutcome;
    c.tid = info[0].ToNumber().Int32Value();
    c.outcome = kind == "errno" ? 1 : kind == "retval" ? 2 : 0;
    if (!c.outcome) throw Napi::TypeError::New(env, "setOutcome: kind is \"errno\" or \"retval\"");
    c.value = info[2].IsBigInt() ? info[2].As<Napi::BigInt>().Int64Value(nullptr) : info[2].ToNumber().Int64Value();
    post(std::move(c));
    return env.Undefined();
  }

  // readMemory(tid, address: bigint, length) → Buffer (shorter at an unreadable page).
  Napi::Value ReadMemory(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 3) throw Napi::TypeError::New(env, "readMemory(tid, address, length)");
    pid_t tid = info[0].ToNumber().Int32Value();
    bool lossless = true;
    uint64_t addr = info[1].IsBigInt() ? info[1].As<Napi::BigInt>().Uint64Value(&lossless)
                                       : static_cast<uint64_t>(info[1].ToNumber().Int64Value());
    size_t len = std::min<size_t>(info[2].ToNumber().Uint32Value(), 1 << 20);
    std::vector<unsigned char> buf(len);
    size_t n = TraceeMemory(tid).read(addr, buf.data(), len);
    return Napi::Buffer<unsigned char>::Copy(env, buf.data(), n);
  }

  TraceOptions opts_;
  bool started_ = false;
  std::shared_ptr<EventQueue> queue_;
  std::shared_ptr<Tracer> tracer_;
  std::thread tracer_thread_;
  std::thread delivery_thread_;
  Napi::ThreadSafeFunction tsfn_;
  Napi::FunctionReference on_end_;
};

Napi::Value SyscallTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint32_t k = 0;
  for (int nr = 0; nr < syscall_table_size(); ++nr) {
    const SyscallInfo* s = syscall_info(nr);
    if (!s) continue;
    Napi::Object o = Napi::Object::New(env);
    o.Set("nr", nr);
    o.Set("name", s->name);
    o.Set("nargs", s->nargs);
    o.Set("classes", static_cast<double>(s->classes));
    out.Set(k++, o);
  }
  return out;
}

Napi::Value ErrnoInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int err = info[0].ToNumber().Int32Value();
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, errno_name(err));
  out.Set(1u, errno_message(err));
  return out;
}

// errnoNames() → the name of every errno strace knows, by number ("" for none).
Napi::Value ErrnoNames(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  constexpr int kMaxErrno = 4095;
  Napi::Array out = Napi::Array::New(env, kMaxErrno + 1);
  out.Set(0u, "");
  for (int n = 1; n <= kMaxErrno; ++n) {
    std::string name = errno_name(n);
    // "E123": a number no name is known for.
    bool unnamed = name.size() > 1 && name[0] == 'E' && name.find_first_not_of("0123456789", 1) == std::string::npos;
    out.Set(static_cast<uint32_t>(n), unnamed ? std::string() : name);
  }
  return out;
}

// codeLines(elf, file) → { lines: number[], file: string } | { error: string }
Napi::Value CodeLines(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsString())
    throw Napi::TypeError::New(env, "codeLines(elf, file)");
  std::string name, problem;
  std::vector<int> lines = code_lines_of(info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::String>().Utf8Value(),
                                         &name, &problem);
  Napi::Object out = Napi::Object::New(env);
  if (!problem.empty()) {
    out.Set("error", problem);
    return out;
  }
  Napi::Array a = Napi::Array::New(env, lines.size());
  for (uint32_t i = 0; i < lines.size(); ++i) a.Set(i, lines[i]);
  out.Set("lines", a);
  out.Set("file", name);
  return out;
}

Napi::Value SignalName(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), signal_name(info[0].ToNumber().Int32Value()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Session", Session::Init(env));
  exports.Set("syscallTable", Napi::Function::New(env, SyscallTable));
  exports.Set("errnoInfo", Napi::Function::New(env, ErrnoInfo));
  exports.Set("errnoNames", Napi::Function::New(env, ErrnoNames));
  exports.Set("signalName", Napi::Function::New(env, SignalName));
  exports.Set("codeLines", Napi::Function::New(env, CodeLines));
  exports.Set("TraceFileScanner", TraceFileScannerClass(env));
  exports.Set("gzip", Napi::Function::New(env, Gzip));
  exports.Set("eventFields", Napi::Number::New(env, kNumbersPerEvent));
  return exports;
}

}  // namespace
}  // namespace renacer

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  return renacer::Init(env, exports);
}

NODE_API_MODULE(NODE_GYP_MODULE_NAME, InitModule)
