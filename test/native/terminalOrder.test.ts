// On a terminal (the CLI in a shell, "Trace in Terminal"), trace lines and the
// program's own output appear in the order they happened, as with strace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { compileFixture } from '../support/fixtures';
import { RENACER } from '../support/renacerCli';

const hasScript = spawnSync('script', ['--version']).status === 0;

test('on a terminal each write\'s line follows the text it printed', { skip: hasScript ? false : 'script(1) is not installed' }, () => {
  const prog = compileFixture('debug_target.c');
  const cmd = `${process.execPath} ${RENACER} --no-trace-file -e trace=write -- ${prog} /etc/hostname 20`;
  // script(1) gives the CLI a pseudo-terminal for stdout and stderr alike.
  const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split(/\r?\n/).filter((l) => l !== '');
  let checked = 0;
  for (let i = 0; i < 20; i++) {
    const printed = lines.findIndex((l) => l.startsWith(`round ${i} read`));
    const call = lines.findIndex((l) => l.startsWith(`write(1, "round ${i} `));
    assert.ok(printed >= 0 && call >= 0, `round ${i}: ${JSON.stringify(lines.slice(0, 8))}`);
    assert.equal(call, printed + 1, `round ${i}: the write's line comes right after what it printed:\n${lines.join('\n')}`);
    checked++;
  }
  assert.equal(checked, 20);
});
