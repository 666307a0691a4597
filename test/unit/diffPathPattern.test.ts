// How `renacer diff` groups calls without a source line: by the path's pattern.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pathPattern } from '../../extension/core/diff/siteTally';

test('path patterns: standalone numbers and long hex runs vary, digits inside names do not', () => {
  assert.equal(pathPattern('/proc/4242/stat'), '/proc/*/stat');
  assert.equal(pathPattern('/lib/x86_64-linux-gnu/libm.so.6'), '/lib/x86_64-linux-gnu/libm.so.*');
  assert.equal(pathPattern('/tmp/cache/3f9a8b7c6d5e4f30.bin'), '/tmp/cache/*.bin');
  assert.equal(pathPattern('/etc/ld.so.cache'), '/etc/ld.so.cache');
  assert.equal(pathPattern('core.17'), 'core.*');
});
