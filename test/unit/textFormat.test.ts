import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { SyscallEvent } from '../../extension/core/session/events';
import { formatProcessEvent, formatSyscall } from '../../extension/core/format/textFormat';

const call = (over: Partial<SyscallEvent>): SyscallEvent => ({
  type: 'syscall', pid: 1, tid: 1, nr: 257, name: 'openat', args: ['AT_FDCWD', '"/x"', 'O_RDONLY'], ret: 3, startNs: 1000, endNs: 13_500, ...over,
});

test('success, failure and no-return lines as strace prints them', () => {
  assert.equal(formatSyscall(call({}), {}), 'openat(AT_FDCWD, "/x", O_RDONLY) = 3');
  assert.equal(
    formatSyscall(call({ ret: -1, errno: 'ENOENT' }), {}),
    'openat(AT_FDCWD, "/x", O_RDONLY) = -1 ENOENT (No such file or directory)',
  );
  assert.equal(formatSyscall(call({ name: 'exit_group', args: ['0'], ret: null }), {}), 'exit_group(0) = ?');
  assert.equal(formatSyscall(call({ name: 'mmap', args: [], ret: 140000000000000, retText: '0x7f53c8a3c000' }), {}), 'mmap() = 0x7f53c8a3c000');
});

test('kernel-internal restart codes show ? instead of -1', () => {
  assert.equal(
    formatSyscall(call({ name: 'read', args: ['0'], ret: -1, errno: 'ERESTARTSYS' }), {}),
    'read(0) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)',
  );
});

test('-T and --source suffixes', () => {
  assert.equal(formatSyscall(call({}), { timing: true }), 'openat(AT_FDCWD, "/x", O_RDONLY) = 3 <0.000013>');
  const src = call({ source: { file: 'src/main.c', line: 42, function: 'load_config' } });
  assert.equal(formatSyscall(src, { source: true }), 'openat(AT_FDCWD, "/x", O_RDONLY) = 3 [src/main.c:42 in load_config]');
  const orig = call({ source: { file: 'gen.c', line: 9 }, original: { file: 'app.py', line: 3, function: 'main', language: 'python' } });
  assert.equal(formatSyscall(orig, { source: true }), 'openat(AT_FDCWD, "/x", O_RDONLY) = 3 [app.py:3 in main]');
});

test('process lines', () => {
  const base = { type: 'process' as const, pid: 1, tid: 1, timeNs: 0 };
  assert.equal(formatProcessEvent({ ...base, kind: 'exit', exitCode: 3 }), '+++ exited with 3 +++');
  assert.equal(formatProcessEvent({ ...base, kind: 'exit', signal: 'SIGSEGV', coreDumped: true }), '+++ killed by SIGSEGV (core dumped) +++');
  assert.equal(formatProcessEvent({ ...base, kind: 'signal', signal: 'SIGCHLD', siginfo: '{si_signo=SIGCHLD}' }), '--- SIGCHLD {si_signo=SIGCHLD} ---');
  assert.equal(formatProcessEvent({ ...base, kind: 'stopped', signal: 'SIGTSTP' }), '--- stopped by SIGTSTP ---');
  assert.equal(formatProcessEvent({ ...base, kind: 'fork', parentPid: 1 }), undefined);
});

test('--source paths under the working directory are relative', () => {
  const ev = call({ source: { file: '/home/u/proj/src/main.c', line: 42, function: 'load_config' } });
  assert.equal(formatSyscall(ev, { source: true, relativeTo: '/home/u/proj' }), 'openat(AT_FDCWD, "/x", O_RDONLY) = 3 [src/main.c:42 in load_config]');
  assert.equal(formatSyscall(ev, { source: true, relativeTo: '/home/u/pro' }), 'openat(AT_FDCWD, "/x", O_RDONLY) = 3 [/home/u/proj/src/main.c:42 in load_config]');
});

test('the strace text sink pads ` = ` to column 40, counting the pid prefix', () => {
  assert.equal(formatSyscall(call({ name: 'close', args: ['3'], ret: 0 }), {}, 40), 'close(3)                                = 0');
  assert.equal(formatSyscall(call({ name: 'close', args: ['3'], ret: 0 }), {}, 40 - 6), 'close(3)                          = 0');
  const long = call({ name: 'openat', args: ['AT_FDCWD', '"/a/rather/long/path/name"', 'O_RDONLY|O_CLOEXEC'] });
  assert.equal(formatSyscall(long, {}, 40), 'openat(AT_FDCWD, "/a/rather/long/path/name", O_RDONLY|O_CLOEXEC) = 3');
});
