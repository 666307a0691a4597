// Ctrl-C and kill: the trace so far is flushed, a launched tracee is killed,
// nothing is left stopped.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { readTraceFile } from '../../extension/core/traceFile/traceFile';
import { compileFixture, tempDir } from '../support/fixtures';
import { startCli, waitFor } from '../support/renacerCli';

const alive = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
};

test('SIGINT to renacer alone: the program is killed after the grace period, nothing left stopped', async () => {
  const prog = compileFixture('sigint_self.c');
  const dir = tempDir();
  const out = path.join(dir, 'out.txt');
  const tracer = startCli(['-o', out, '--no-trace-file', '--', prog], { cwd: dir });
  let stdout = '';
  tracer.stdout!.on('data', (d) => (stdout += d));
  await waitFor(() => /pid (\d+)/.test(stdout), 10_000, 'the tracee to start');
  const tracee = Number(/pid (\d+)/.exec(stdout)![1]);
  const exited = new Promise<number | null>((r) => tracer.on('exit', (code) => r(code)));
  tracer.kill('SIGINT');
  assert.equal(await exited, 137);
  await waitFor(() => !alive(tracee), 5_000, 'the tracee to be gone');
  assert.match(fs.readFileSync(out, 'utf8'), /\+\+\+ killed by SIGKILL \+\+\+\n$/);
});

for (const how of ['Ctrl-C to the process group', 'SIGTERM to renacer'] as const) {
  test(`${how}: output flushed, trace file closed, tracee gone`, async () => {
    const prog = compileFixture('sigint_self.c');
    const dir = tempDir();
    const out = path.join(dir, 'out.txt');
    const trace = path.join(dir, 'trace.jsonl.gz');
    // detached: its own process group, like a shell job in a terminal.
    const tracer = startCli(['-f', '-o', out, '--trace-file', trace, '--', prog], { cwd: dir, detached: true });
    let stdout = '';
    tracer.stdout!.on('data', (d) => (stdout += d));
    await waitFor(() => /pid (\d+)/.test(stdout), 10_000, 'the tracee to start');
    const tracee = Number(/pid (\d+)/.exec(stdout)![1]);
    await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').split('getppid').length > 5, 10_000, 'some traced calls');

    const exited = new Promise<number | null>((r) => tracer.on('exit', (code) => r(code)));
    if (how === 'Ctrl-C to the process group') process.kill(-tracer.pid!, 'SIGINT');
    else tracer.kill('SIGTERM');
    const code = await exited;

    await waitFor(() => !alive(tracee), 5_000, 'the tracee to be gone');
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /getppid\(\) += \d+/);
    assert.match(text, /\+\+\+ killed by SIG(INT|KILL) \+\+\+\n$/, 'the last line says how the tracee ended');
    // Ctrl-C: the program dies of its own SIGINT within the grace period;
    // SIGTERM to renacer alone: renacer kills it.
    assert.equal(code, how === 'Ctrl-C to the process group' ? 130 : 137);
    const file = readTraceFile(trace);
    assert.ok(file.end, 'the trace file has its end record');
    assert.equal(file.end!.interrupted, how === 'SIGTERM to renacer');
    assert.ok(file.events.filter((e) => e.type === 'syscall').length === file.end!.syscalls);
  });
}
