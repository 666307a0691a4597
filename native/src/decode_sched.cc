// Scheduling and resources: CPU affinity, scheduling policies and attributes,
// nice and I/O priorities, resource limits and usage.
#include <sched.h>
#include <sys/resource.h>

#include <vector>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

// -- CPU affinity ---------------------------------------------------------------------

// A CPU mask: "[0 1]" (the CPUs set), `bytes` long.
std::string cpumask_at(const Call& c, uint64_t addr, uint64_t bytes) {
  if (addr == 0) return "NULL";
  if (bytes > 8192) bytes = 8192;
  std::vector<uint8_t> m(static_cast<size_t>(bytes));
  if (bytes && !c.mem.read_exact(addr, m.data(), m.size())) return hex(addr);
  std::string out = "[";
  bool first = true;
  for (size_t i = 0; i < m.size() * 8; ++i) {
    if (!(m[i / 8] & (1u << (i % 8)))) continue;
    if (!first) out += ' ';
    first = false;
    out += std::to_string(i);
  }
  return out + "]";
}

void sched_getaffinity(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(udec(c.u32(1)));
  c.add(c.ok() ? cpumask_at(c, c.u(2), static_cast<uint64_t>(c.rval())) : ptr(c.u(2)));
}

void sched_setaffinity(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(udec(c.u32(1)));
  c.add(cpumask_at(c, c.u(2), c.u32(1)));
}

void getcpu(Call& c) {
  for (int i = 0; i < 2; ++i) {
    unsigned v;
    c.add(c.ok() && c.u(i) && c.mem.read_value(c.u(i), &v) ? "[" + std::to_string(v) + "]" : ptr(c.u(i)));
  }
  c.add(ptr(c.u(2)));
}

// -- scheduling policy and attributes -------------------------------------------------

constexpr Named kSchedPolicies[] = {{SCHED_OTHER, "SCHED_OTHER"}, {SCHED_FIFO, "SCHED_FIFO"}, {SCHED_RR, "SCHED_RR"},
                                    {SCHED_BATCH, "SCHED_BATCH"}, {4, "SCHED_ISO"},           {SCHED_IDLE, "SCHED_IDLE"},
                                    {6, "SCHED_DEADLINE"}};
constexpr Named kSchedFlags[] = {{SCHED_RESET_ON_FORK, "SCHED_RESET_ON_FORK"}};

std::string sched_param_at(const Call& c, uint64_t addr) {
  int prio;
  if (addr == 0) return "NULL";
  if (!c.mem.read_value(addr, &prio)) return hex(addr);
  return "[" + std::to_string(prio) + "]";
}

std::string sched_policy(uint32_t v) {
  std::string out = xlat(v & ~static_cast<uint32_t>(SCHED_RESET_ON_FORK), table(kSchedPolicies), "SCHED_???");
  if (v & SCHED_RESET_ON_FORK) out += "|SCHED_RESET_ON_FORK";
  return out;
}

void sched_getscheduler(Call& c) {
  c.add(std::to_string(c.i32(0)));
  if (c.ok()) c.ret_explained(sched_policy(static_cast<uint32_t>(c.rval())));
}

void sched_setscheduler(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(sched_policy(c.u32(1)));
  c.add(sched_param_at(c, c.u(2)));
}

void sched_getparam(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(c.ok() ? sched_param_at(c, c.u(1)) : ptr(c.u(1)));
}

void sched_setparam(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(sched_param_at(c, c.u(1)));
}

void sched_priority(Call& c) { c.add(sched_policy(c.u32(0))); }

constexpr Named kSchedAttrFlags[] = {{1, "SCHED_FLAG_RESET_ON_FORK"}, {2, "SCHED_FLAG_RECLAIM"},
                                     {4, "SCHED_FLAG_DL_OVERRUN"},    {8, "SCHED_FLAG_KEEP_POLICY"},
                                     {0x10, "SCHED_FLAG_KEEP_PARAMS"}, {0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"},
                                     {0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"}};

struct SchedAttr {
  uint32_t size, policy;
  uint64_t flags;
  int32_t nice;
  uint32_t priority;
  uint64_t runtime, deadline, period;
  uint32_t util_min, util_max;
};

std::string sched_attr_at(const Call& c, uint64_t addr) {
  SchedAttr a;
  if (addr == 0) return "NULL";
  if (!c.mem.read_value(addr, &a)) return hex(addr);
  return "{size=" + std::to_string(a.size) + ", sched_policy=" + sched_policy(a.policy) +
         ", sched_flags=" + flags(a.flags, table(kSchedAttrFlags), "SCHED_FLAG_???") +
         ", sched_nice=" + std::to_string(a.nice) + ", sched_priority=" + std::to_string(a.priority) +
         ", sched_runtime=" + std::to_string(a.runtime) + ", sched_deadline=" + std::to_string(a.deadline) +
         ", sched_period=" + std::to_string(a.period) + ", sched_util_min=" + std::to_string(a.util_min) +
         ", sched_util_max=" + std::to_string(a.util_max) + "}";
}

void sched_getattr(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(c.ok() ? sched_attr_at(c, c.u(1)) : ptr(c.u(1)));
  c.add(std::to_string(c.u32(2)));
  c.add(std::to_string(c.u32(3)));
}

void sched_setattr(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(sched_attr_at(c, c.u(1)));
  c.add(std::to_string(c.u32(2)));
}

void sched_rr_get_interval(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(c.ok() ? timespec_at(c, c.u(1)) : ptr(c.u(1)));
}

// -- priorities -----------------------------------------------------------------------

constexpr Named kPrioWhich[] = {{PRIO_PROCESS, "PRIO_PROCESS"}, {PRIO_PGRP, "PRIO_PGRP"}, {PRIO_USER, "PRIO_USER"}};

void getpriority(Call& c) {
  c.add(xlat(c.u32(0), table(kPrioWhich), "PRIO_???"));
  c.add(std::to_string(c.u32(1)));
}

void setpriority(Call& c) {
  getpriority(c);
  c.add(std::to_string(c.i32(2)));
}

constexpr Named kIoprioWho[] = {{1, "IOPRIO_WHO_PROCESS"}, {2, "IOPRIO_WHO_PGRP"}, {3, "IOPRIO_WHO_USER"}};
constexpr Named kIoprioClasses[] = {{0, "IOPRIO_CLASS_NONE"}, {1, "IOPRIO_CLASS_RT"}, {2, "IOPRIO_CLASS_BE"},
                                    {3, "IOPRIO_CLASS_IDLE"}};

std::string ioprio(uint32_t v) {
  return "IOPRIO_PRIO_VALUE(" + xlat(v >> 13, table(kIoprioClasses), "IOPRIO_CLASS_???") + ", " +
         std::to_string(v & 0x1fff) + ")";
}

void ioprio_get(Call& c) {
  c.add(xlat(c.u32(0), table(kIoprioWho), "IOPRIO_WHO_???"));
  c.add(std::to_string(c.i32(1)));
  if (c.ok()) c.ret_explained(ioprio(static_cast<uint32_t>(c.rval())));
}

void ioprio_set(Call& c) {
  c.add(xlat(c.u32(0), table(kIoprioWho), "IOPRIO_WHO_???"));
  c.add(std::to_string(c.i32(1)));
  c.add(ioprio(c.u32(2)));
}

// -- limits -----------------------------------------------------------------------------

constexpr Named kRlimits[] = {
    {RLIMIT_CPU, "RLIMIT_CPU"},       {RLIMIT_FSIZE, "RLIMIT_FSIZE"},         {RLIMIT_DATA, "RLIMIT_DATA"},
    {RLIMIT_STACK, "RLIMIT_STACK"},   {RLIMIT_CORE, "RLIMIT_CORE"},           {RLIMIT_RSS, "RLIMIT_RSS"},
    {RLIMIT_NPROC, "RLIMIT_NPROC"},   {RLIMIT_NOFILE, "RLIMIT_NOFILE"},       {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},
    {RLIMIT_AS, "RLIMIT_AS"},         {RLIMIT_LOCKS, "RLIMIT_LOCKS"},         {RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING"},
    {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"}, {RLIMIT_NICE, "RLIMIT_NICE"},       {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"},
    {RLIMIT_RTTIME, "RLIMIT_RTTIME"},
};

// strace shows limits that are multiples of 1024 as "N*1024".
std::string rlim_value(uint64_t v, const char* infinity) {
  if (v == UINT64_MAX) return styled(std::to_string(v), infinity);
  if (v != 0 && v % 1024 == 0) return styled(std::to_string(v), std::to_string(v / 1024) + "*1024");
  return std::to_string(v);
}

std::string rlimit_at(const Call& c, uint64_t addr, const char* infinity) {
  if (addr == 0) return "NULL";
  uint64_t v[2];
  if (!c.mem.read_value(addr, &v)) return hex(addr);
  return "{rlim_cur=" + rlim_value(v[0], infinity) + ", rlim_max=" + rlim_value(v[1], infinity) + "}";
}

std::string resource(int v) { return xlat(static_cast<uint32_t>(v), table(kRlimits), "RLIMIT_???"); }

void prlimit64(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(resource(c.i32(1)));
  c.add(rlimit_at(c, c.u(2), "RLIM64_INFINITY"));
  c.add(c.ok() ? rlimit_at(c, c.u(3), "RLIM64_INFINITY") : ptr(c.u(3)));
}

void getrlimit(Call& c) {
  c.add(resource(c.i32(0)));
  c.add(c.ok() ? rlimit_at(c, c.u(1), "RLIM_INFINITY") : ptr(c.u(1)));
}

void setrlimit(Call& c) {
  c.add(resource(c.i32(0)));
  c.add(rlimit_at(c, c.u(1), "RLIM_INFINITY"));
}

// -- resource usage -------------------------------------------------------------------

constexpr Named kRusageWho[] = {{static_cast<uint64_t>(RUSAGE_SELF), "RUSAGE_SELF"},
                                {static_cast<uint64_t>(static_cast<uint32_t>(RUSAGE_CHILDREN)), "RUSAGE_CHILDREN"},
                                {static_cast<uint64_t>(RUSAGE_THREAD), "RUSAGE_THREAD"},
                                {static_cast<uint64_t>(static_cast<uint32_t>(-2)), "RUSAGE_BOTH"}};

void getrusage(Call& c) {
  c.add(xlat(c.u32(0), table(kRusageWho), "RUSAGE_???"));
  c.add(c.ok() ? rusage_at(c, c.u(1)) : ptr(c.u(1)));
}

constexpr Decoder kDecoders[] = {
    with_exit("sched_getaffinity", sched_getaffinity),
    with_exit("sched_setaffinity", sched_setaffinity),
    with_exit("getcpu", getcpu),
    with_signature("sched_yield", ""),
    with_exit("sched_getscheduler", sched_getscheduler),
    with_exit("sched_setscheduler", sched_setscheduler),
    with_exit("sched_getparam", sched_getparam),
    with_exit("sched_setparam", sched_setparam),
    with_exit("sched_get_priority_max", sched_priority),
    with_exit("sched_get_priority_min", sched_priority),
    with_exit("sched_getattr", sched_getattr),
    with_exit("sched_setattr", sched_setattr),
    with_exit("sched_rr_get_interval", sched_rr_get_interval),
    with_exit("getpriority", getpriority),
    with_exit("setpriority", setpriority),
    with_exit("ioprio_get", ioprio_get),
    with_exit("ioprio_set", ioprio_set),
    with_exit("prlimit64", prlimit64),
    with_exit("getrlimit", getrlimit),
    with_exit("setrlimit", setrlimit),
    with_exit("getrusage", getrusage),
};

}  // namespace

std::string rusage_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  struct rusage ru;
  if (!c.ok() || !c.mem.read_value(addr, &ru)) return hex(addr);
  return "{ru_utime=" + timeval_str(ru.ru_utime.tv_sec, ru.ru_utime.tv_usec) +
         ", ru_stime=" + timeval_str(ru.ru_stime.tv_sec, ru.ru_stime.tv_usec) + ", ...}";
}

DecoderList sched_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
