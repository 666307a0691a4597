// The errno messages the extension host and the trace viewer read without the
// native addon (extension/core/session/errnoMessages.ts) are the addon's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { errnoMessageOf } from '../../extension/core/session/errnoMessages';
import { errnoMessage } from '../../extension/core/session/errnoNames';

const ROOT = path.resolve(__dirname, '../..');

test('the generated errno table is up to date with the addon', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'native/tools/gen-errno-messages.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('messages match the addon for common errnos and kernel-internal ones', () => {
  for (const name of ['ENOENT', 'EACCES', 'EAGAIN', 'EINTR', 'ERESTARTSYS', 'ENOTTY']) assert.equal(errnoMessageOf(name), errnoMessage(name), name);
  assert.equal(errnoMessageOf('ENOSUCHERRNO'), undefined);
});
