import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { SyscallEvent } from '../../extension/core/session/events';
import { SyscallSummary } from '../../extension/core/format/syscallSummary';

const ev = (name: string, durNs: number, errno?: string): SyscallEvent => ({
  type: 'syscall', pid: 1, tid: 1, nr: 0, name, args: [], ret: errno ? -1 : 0, errno, startNs: 0, endNs: durNs,
});

test('the table sorts by time and totals calls, errors and seconds', () => {
  const s = new SyscallSummary();
  s.onEvents([ev('read', 6000), ev('read', 2000), ev('openat', 30_000, 'ENOENT'), ev('close', 2000)]);
  const lines = s.format().trimEnd().split('\n');
  assert.deepEqual(lines, [
    '% time     seconds  usecs/call     calls    errors syscall',
    '------ ----------- ----------- --------- --------- ----------------',
    ' 75.00    0.000030          30         1         1 openat',
    ' 20.00    0.000008           4         2           read',
    '  5.00    0.000002           2         1           close',
    '------ ----------- ----------- --------- --------- ----------------',
    '100.00    0.000040          10         4         1 total',
  ]);
});

test('the name column widens for long names, as strace does', () => {
  const s = new SyscallSummary();
  s.onEvents([ev('process_vm_readv', 1000)]);
  assert.equal(s.format().split('\n')[1], '------ ----------- ----------- --------- --------- -----------------');
});
