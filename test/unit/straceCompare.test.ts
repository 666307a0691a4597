// The comparison with strace rewrites only what differs between two runs:
// a pid that happens to equal a constant in the line must not hide it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { normaliseLine } from '../support/straceCompare';

test('a pid is rewritten where it stands alone, a product\'s factor never', () => {
  const pids = new Set([1024, 8192]);
  assert.equal(
    normaliseLine('prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0', pids),
    'prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0',
  );
  assert.equal(normaliseLine('wait4(1024, NULL, 0, NULL) = 1024', pids), 'wait4(PID, NULL, 0, NULL) = PID');
  assert.equal(normaliseLine('set_tid_address(0x7f12345678) = 1025', pids), 'set_tid_address(ADDR) = 1025');
});
