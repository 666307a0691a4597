// What the trace-file pickers show of a file: its program, its start and its
// syscall count, read from the first and last members only.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { traceFileSummary } from '../../extension/core/traceFile/traceFile';
import { tempDir } from '../support/fixtures';
import { runCli } from '../support/renacerCli';

test('a trace file summary: program, start, syscalls; a file cut short has no count; garbage has none', () => {
  const dir = tempDir();
  const file = path.join(dir, 'run.jsonl.gz');
  const before = Date.now();
  const r = runCli(['--trace-file', file, '-o', '/dev/null', '--', '/bin/true'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const s = traceFileSummary(file);
  assert.ok(s);
  assert.equal(s.program, '/bin/true');
  assert.ok(Math.abs(s.startedAt.getTime() - before) < 10_000);
  assert.ok(s.syscalls! > 10, String(s.syscalls));
  assert.equal(s.exitStatus, 0);
  const raw = fs.readFileSync(file);
  const cut = path.join(dir, 'cut.jsonl.gz');
  fs.writeFileSync(cut, raw.subarray(0, raw.length - 40));
  const c = traceFileSummary(cut);
  assert.equal(c?.program, '/bin/true');
  assert.equal(c?.syscalls, undefined);
  const junk = path.join(dir, 'junk.jsonl.gz');
  fs.writeFileSync(junk, 'not a trace');
  assert.equal(traceFileSummary(junk), undefined);
});
