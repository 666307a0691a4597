// Time: timespec/timeval printers and the clock, sleep and timer syscalls.
#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

#include <cinttypes>
#include <cstdio>

#include "decode_call.h"
#include "decode_common.h"
#include "decode_flags.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

namespace {

// The kernel's 64-bit time layouts (__kernel_timespec, __kernel_old_timeval).
struct KTimespec {
  int64_t sec;
  int64_t nsec;
};
struct KTimeval {
  int64_t sec;
  int64_t usec;
};
// itimerspec and itimerval: the same layout, the fractions in ns or in µs.
struct KItimer {
  int64_t interval_sec, interval_frac;
  int64_t value_sec, value_frac;
};

constexpr Named kTimerFlags[] = {{TIMER_ABSTIME, "TIMER_ABSTIME"}};
constexpr Named kItimers[] = {{ITIMER_REAL, "ITIMER_REAL"}, {ITIMER_VIRTUAL, "ITIMER_VIRTUAL"}, {ITIMER_PROF, "ITIMER_PROF"}};
constexpr Named kTfdFlags[] = {{1, "TFD_TIMER_ABSTIME"}, {2, "TFD_TIMER_CANCEL_ON_SET"},
                               {02000000, "TFD_CLOEXEC"}, {04000, "TFD_NONBLOCK"}};
constexpr Named kTfdSetFlags[] = {{1, "TFD_TIMER_ABSTIME"}, {2, "TFD_TIMER_CANCEL_ON_SET"}};
constexpr Named kSigevNotify[] = {{SIGEV_SIGNAL, "SIGEV_SIGNAL"}, {SIGEV_NONE, "SIGEV_NONE"},
                                  {SIGEV_THREAD, "SIGEV_THREAD"}, {SIGEV_THREAD_ID, "SIGEV_THREAD_ID"}};

// "{it_interval=…, it_value=…}", each time as `show` shows it
// (timespec_str for an itimerspec, timeval_str for an itimerval).
std::string itimer_at(const Call& c, uint64_t addr, std::string (*show)(int64_t, int64_t)) {
  if (addr == 0) return "NULL";
  KItimer v;
  if (!c.mem.read_value(addr, &v)) return hex(addr);
  return "{it_interval=" + show(v.interval_sec, v.interval_frac) + ", it_value=" + show(v.value_sec, v.value_frac) +
         "}";
}

std::string itimerspec_at(const Call& c, uint64_t addr) { return itimer_at(c, addr, timespec_str); }
std::string itimerval_at(const Call& c, uint64_t addr) { return itimer_at(c, addr, timeval_str); }

// A sleep's remaining time is written only when a signal cut it short.
bool interrupted(const Call& c) {
  if (!c.ctx.exited || !c.ctx.is_error) return false;
  int err = static_cast<int>(-c.rval());
  return err == EINTR || err == 512 /* ERESTARTSYS */ || err == 513 /* ERESTARTNOINTR */ ||
         err == 514 /* ERESTARTNOHAND */ || err == 516 /* ERESTART_RESTARTBLOCK */;
}

void nanosleep(Call& c) {
  c.add(timespec_at(c, c.u(0)));
  c.add(interrupted(c) ? timespec_at(c, c.u(1)) : ptr(c.u(1)));
}

void clock_nanosleep(Call& c) {
  c.add(clock_id(c.i32(0)));
  c.add(flags(c.u32(1), table(kTimerFlags), "TIMER_???"));
  c.add(timespec_at(c, c.u(2)));
  bool relative = !(c.u32(1) & TIMER_ABSTIME);
  c.add(relative && interrupted(c) ? timespec_at(c, c.u(3)) : ptr(c.u(3)));
}

void clock_gettime(Call& c) {
  c.add(clock_id(c.i32(0)));
  c.add(c.ok() ? timespec_at(c, c.u(1)) : ptr(c.u(1)));
}

void clock_settime(Call& c) {
  c.add(clock_id(c.i32(0)));
  c.add(timespec_at(c, c.u(1)));
}

std::string timezone_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  struct timezone tz;
  if (!c.mem.read_value(addr, &tz)) return hex(addr);
  return "{tz_minuteswest=" + std::to_string(tz.tz_minuteswest) +
         ", tz_dsttime=" + std::to_string(tz.tz_dsttime) + "}";
}

void gettimeofday(Call& c) {
  c.add(c.ok() ? timeval_at(c, c.u(0)) : ptr(c.u(0)));
  c.add(c.ok() ? timezone_at(c, c.u(1)) : ptr(c.u(1)));
}

void settimeofday(Call& c) {
  c.add(timeval_at(c, c.u(0)));
  c.add(timezone_at(c, c.u(1)));
}

std::string iso_time(int64_t sec) {
  time_t t = static_cast<time_t>(sec);
  struct tm tm;
  if (!localtime_r(&t, &tm)) return "";
  char buf[64];
  strftime(buf, sizeof buf, "%FT%T%z", &tm);
  return buf;
}

void time_(Call& c) {
  if (c.u(0) == 0) {
    c.add("NULL");
  } else {
    int64_t v;
    c.add(c.ok() && c.mem.read_value(c.u(0), &v) ? "[" + std::to_string(v) + time_comment(v, 0, false) + "]"
                                                  : hex(c.u(0)));
  }
  if (c.ok()) c.ret_explained(iso_time(c.rval()));
}

void getitimer(Call& c) {
  c.add(xlat(c.u32(0), table(kItimers), "ITIMER_???"));
  c.add(c.ok() ? itimerval_at(c, c.u(1)) : ptr(c.u(1)));
}

void setitimer(Call& c) {
  c.add(xlat(c.u32(0), table(kItimers), "ITIMER_???"));
  c.add(itimerval_at(c, c.u(1)));
  c.add(c.ok() ? itimerval_at(c, c.u(2)) : ptr(c.u(2)));
}

void timer_create(Call& c) {
  c.add(clock_id(c.i32(0)));
  if (c.u(1) == 0) {
    c.add("NULL");
  } else {
    struct sigevent ev;
    if (!c.mem.read_value(c.u(1), &ev)) {
      c.add(hex(c.u(1)));
    } else {
      // The value the signal carries is left out when it is zero.
      std::string s = "{";
      if (ev.sigev_value.sival_ptr)
        s += "sigev_value={sival_int=" + std::to_string(ev.sigev_value.sival_int) +
             ", sival_ptr=" + ptr(reinterpret_cast<uintptr_t>(ev.sigev_value.sival_ptr)) + "}, ";
      s += "sigev_signo=" + signame(ev.sigev_signo);
      s += ", sigev_notify=" + xlat(static_cast<uint32_t>(ev.sigev_notify), table(kSigevNotify), "SIGEV_???");
      if (ev.sigev_notify == SIGEV_THREAD_ID)
        s += ", sigev_notify_thread_id=" + std::to_string(ev._sigev_un._tid);
      c.add(s + "}");
    }
  }
  c.add(c.ok() ? int_at(c, c.u(2)) : ptr(c.u(2)));
}

void timer_settime(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(flags(c.u32(1), table(kTimerFlags), "TIMER_???"));
  c.add(itimerspec_at(c, c.u(2)));
  c.add(c.ok() ? itimerspec_at(c, c.u(3)) : ptr(c.u(3)));
}

void timer_gettime(Call& c) {
  c.add(std::to_string(c.i32(0)));
  c.add(c.ok() ? itimerspec_at(c, c.u(1)) : ptr(c.u(1)));
}

void timerfd_create(Call& c) {
  c.add(clock_id(c.i32(0)));
  c.add(flags(c.u32(1), table(kTfdFlags), "TFD_???"));
}

void timerfd_settime(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(flags(c.u32(1), table(kTfdSetFlags), "TFD_???"));
  c.add(itimerspec_at(c, c.u(2)));
  c.add(c.ok() ? itimerspec_at(c, c.u(3)) : ptr(c.u(3)));
}

void timerfd_gettime(Call& c) {
  c.add(fd_arg(c, 0));
  c.add(c.ok() ? itimerspec_at(c, c.u(1)) : ptr(c.u(1)));
}

void times_(Call& c) {
  if (c.u(0) == 0 || !c.ok()) {
    c.add(ptr(c.u(0)));
    return;
  }
  struct tms t;
  if (!c.mem.read_value(c.u(0), &t)) {
    c.add(hex(c.u(0)));
    return;
  }
  c.add("{tms_utime=" + std::to_string(t.tms_utime) + ", tms_stime=" + std::to_string(t.tms_stime) +
        ", tms_cutime=" + std::to_string(t.tms_cutime) + ", tms_cstime=" + std::to_string(t.tms_cstime) + "}");
}

constexpr Decoder kDecoders[] = {
    with_exit("nanosleep", nanosleep),
    with_exit("clock_nanosleep", clock_nanosleep),
    with_exit("clock_gettime", clock_gettime),
    with_exit("clock_getres", clock_gettime),
    with_exit("clock_settime", clock_settime),
    with_exit("gettimeofday", gettimeofday),
    with_exit("settimeofday", settimeofday),
    with_exit("time", time_),
    with_exit("getitimer", getitimer),
    with_exit("setitimer", setitimer),
    with_exit("timer_create", timer_create),
    with_exit("timer_settime", timer_settime),
    with_exit("timer_gettime", timer_gettime),
    with_signature("timer_getoverrun", "d"),
    with_signature("timer_delete", "d"),
    fd_result(with_exit("timerfd_create", timerfd_create)),
    with_exit("timerfd_settime", timerfd_settime),
    with_exit("timerfd_gettime", timerfd_gettime),
    with_exit("times", times_),
    with_signature("alarm", "u"),
};

}  // namespace

std::string timespec_str(int64_t sec, int64_t nsec) {
  return "{tv_sec=" + std::to_string(sec) + ", tv_nsec=" + std::to_string(nsec) + "}";
}

std::string timeval_str(int64_t sec, int64_t usec) {
  return "{tv_sec=" + std::to_string(sec) + ", tv_usec=" + std::to_string(usec) + "}";
}

std::string timespec_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  KTimespec ts;
  if (!c.mem.read_value(addr, &ts)) return hex(addr);
  return timespec_str(ts.sec, ts.nsec);
}

std::string timeval_at(const Call& c, uint64_t addr) {
  if (addr == 0) return "NULL";
  KTimeval tv;
  if (!c.mem.read_value(addr, &tv)) return hex(addr);
  return timeval_str(tv.sec, tv.usec);
}

std::string time_comment(int64_t sec, int64_t nsec, bool with_nsec) {
  time_t t = static_cast<time_t>(sec);
  struct tm tm;
  if (!localtime_r(&t, &tm)) return "";
  char date[64], zone[16];
  strftime(date, sizeof date, "%FT%T", &tm);
  strftime(zone, sizeof zone, "%z", &tm);
  char buf[128];
  // A whole second is shown without the fraction.
  if (with_nsec && nsec != 0) snprintf(buf, sizeof buf, " /* %s.%09" PRId64 "%s */", date, nsec, zone);
  else snprintf(buf, sizeof buf, " /* %s%s */", date, zone);
  return buf;
}

DecoderList time_decoders() { return table(kDecoders); }

}  // namespace dec
}  // namespace renacer
