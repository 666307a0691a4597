// Printers one family defines and others use (a sigset in ppoll, a timespec
// in futex, an iovec in sendmsg…). Each is defined in the file named in its
// section.
#pragma once
#include <signal.h>

#include <cstdint>
#include <string>

#include "decode_call.h"
#include "decode_strings.h"

namespace renacer {
namespace dec {

// -- decode_fds.cc ------------------------------------------------------------

// A file descriptor as strace prints it: "3", and with -y (DecodeOptions::
// decode_fds) what it refers to in the task now: "3</etc/hostname>",
// "3<pipe:[123]>", "3</tmp/x>(deleted)", "3<TCP:[127.0.0.1:80->127.0.0.1:40000]>",
// "1</dev/null<char 1:3>>", "3<pid:1234>". For descriptors the call
// creates or receives (results, pipe's pair, SCM_RIGHTS a recvmsg got).
std::string fd_str(const Call& c, int fd);
// Argument i, a descriptor the call is given: as it was at the call's
// entry, as strace prints it (close's is gone by its exit, dup2's newfd is
// another file, bind gives a socket its address). With -y every decoder
// runs at entry too (decode_entry); what fd_arg renders there is kept in
// Call::entry_fds and shown at exit.
std::string fd_arg(const Call& c, int i);
// A descriptor of another task (kcmp, pidfd_getfd): looked up in /proc/TID/fd.
std::string fd_of_task(const Call& c, int tid, int fd);
// Argument i, a directory descriptor: "AT_FDCWD" (with -y "AT_FDCWD</cwd>"),
// else as fd_arg.
std::string dirfd_arg(const Call& c, int i);
// "[3<pipe:[9]>, 4<pipe:[9]>]": the two descriptors pipe and socketpair
// write at addr; the pointer when the call failed or it is unreadable.
std::string fd_pair_at(const Call& c, uint64_t addr);
// The tid of the process a pidfd refers to (its fdinfo's Pid:), -1 when unknown.
int pidfd_pid(int tid, int fd);
// Arguments i and i+1: a directory descriptor and a path, as the *at calls
// take a file.
void add_dirfd_path(Call& c, int i);

// Calls that name a file by path (stat), by descriptor (fstat) or by
// directory and path (newfstatat), then take the same arguments, share
// `rest`: rest(c, i) renders those from argument i on.
using RestFn = void (*)(Call&, int);
template <RestFn rest>
void by_path(Call& c) {
  c.add(path(c, c.u(0)));
  rest(c, 1);
}
template <RestFn rest>
void by_fd(Call& c) {
  c.add(fd_arg(c, 0));
  rest(c, 1);
}
template <RestFn rest>
void by_dirfd_path(Call& c) {
  add_dirfd_path(c, 0);
  rest(c, 2);
}

// -- decode_signal.cc ---------------------------------------------------------

// "SIGINT", "SIGRTMIN", "SIGRT_3"; the plain number when out of range.
std::string signame(int sig);
// The same without -X's styling (the "--- SIGCHLD ..." line's name).
std::string signame_plain(int sig);
// A kernel sigset of `size` bytes at addr: "[INT TERM]", "~[RTMIN RT_1]".
// The pointer when unreadable or when size is not the kernel's.
std::string sigset_at(const Call& c, uint64_t addr, uint64_t size);
// A siginfo at addr, as in rt_sigqueueinfo/waitid; the pointer when unreadable.
std::string siginfo_at(const Call& c, uint64_t addr);

// -- decode_time.cc -----------------------------------------------------------

// "{tv_sec=1, tv_nsec=2}"; the pointer when unreadable.
std::string timespec_at(const Call& c, uint64_t addr);
std::string timeval_at(const Call& c, uint64_t addr);
std::string timespec_str(int64_t sec, int64_t nsec);
std::string timeval_str(int64_t sec, int64_t usec);
// " /* 1970-01-01T00:00:01.000000002+0000 */", strace's comment on an
// absolute time.
std::string time_comment(int64_t sec, int64_t nsec, bool with_nsec);

// -- decode_desc.cc -----------------------------------------------------------

// "[{iov_base=\"ab\", iov_len=2}, …]": `count` iovecs at addr, showing at most
// `data_limit` bytes in total (what a read returned); the pointer when
// unreadable.
std::string iovec_at(const Call& c, uint64_t addr, uint64_t count, uint64_t data_limit);
// The same with the bases as pointers (another process's memory).
std::string iovec_addrs_at(const Call& c, uint64_t addr, uint64_t count);

// -- decode_network.cc --------------------------------------------------------

// A socket address of `len` bytes: "{sa_family=AF_INET, sin_port=htons(80), …}".
std::string sockaddr_at(const Call& c, uint64_t addr, uint64_t len);

// -- decode_sched.cc ----------------------------------------------------------

// "{ru_utime={tv_sec=0, tv_usec=1}, ru_stime=…, ...}", as wait4 and getrusage
// show it; the pointer when the call failed or it is unreadable.
std::string rusage_at(const Call& c, uint64_t addr);

// -- decode_cred.cc -----------------------------------------------------------

// A capability number, as prctl's capability operations take it:
// "CAP_SYS_ADMIN", "0x29 /* CAP_??? */".
std::string capability(uint64_t v);

}  // namespace dec
}  // namespace renacer
