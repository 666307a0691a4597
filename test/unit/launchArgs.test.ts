import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { attachOptions, launchOptions, LaunchConfigError, programEnv } from '../../extension/core/session/launchArgs';
import { tempDir } from '../support/fixtures';

test('the program environment: ours, then envFile, then env; null removes a variable', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, '.env'), 'FROM_FILE=1\nSHARED=file\n# comment\nQUOTED="a b"\n');
  const env = programEnv({ program: 'x', cwd: dir, envFile: '.env', env: { SHARED: 'launch', HOME: null } }, { HOME: '/root', PATH: '/bin' });
  assert.equal(env.FROM_FILE, '1');
  assert.equal(env.QUOTED, 'a b');
  assert.equal(env.SHARED, 'launch', 'env wins over envFile');
  assert.equal(env.PATH, '/bin');
  assert.ok(!('HOME' in env), 'null removes');
});

test('a missing envFile, program or cwd is a clear error', () => {
  const dir = tempDir();
  assert.throws(() => programEnv({ program: 'x', cwd: dir, envFile: 'nope.env' }, {}), (e: Error) => e instanceof LaunchConfigError && /envFile .*nope\.env/.test(e.message));
  assert.throws(() => launchOptions({ program: '' }), /"program" is required/);
  assert.throws(() => launchOptions({ program: '/bin/true', cwd: path.join(dir, 'missing') }), /cwd .* is not a directory/);
  assert.throws(() => launchOptions({ program: 'no-such-program-here', cwd: dir }), /program: Can't stat 'no-such-program-here'/);
  assert.throws(() => attachOptions({ processId: 'abc' }), /"processId" must be a process id/);
});

test('a launch configuration becomes trace options: PATH lookup, argv, -f and --source by default, the filter', () => {
  const dir = tempDir();
  const o = launchOptions({ program: 'true', args: ['a', 'b'], cwd: dir, filter: 'trace=openat' }, { PATH: '/usr/bin:/bin' });
  assert.equal(o.launch?.path, fs.existsSync('/usr/bin/true') ? '/usr/bin/true' : '/bin/true');
  assert.deepEqual(o.launch?.argv, ['true', 'a', 'b']);
  assert.equal(o.launch?.cwd, dir);
  assert.equal(o.followForks, true);
  assert.deepEqual(o.source, { userRoots: [dir] });
  assert.equal(o.traced?.size, 1);
  assert.equal(o.captureOutput, true, "a debug adapter's stdout is its protocol channel");
});
