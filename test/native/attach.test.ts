// -p PID: attach to a running process, trace it, detach on Ctrl-C, and the
// process keeps running, untraced and not stopped.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { compileFixture, tempDir } from '../support/fixtures';
import { readJsonLines, startCli, waitFor } from '../support/renacerCli';

function procStatus(pid: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

const lineCount = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length : 0);

for (const follow of [false, true]) {
  test(`-p attaches${follow ? ' with -f' : ''}, traces, and on SIGINT detaches leaving the process running`, async (t) => {
    const prog = compileFixture('sleeper.c');
    const dir = tempDir();
    const beat = path.join(dir, 'beat.txt');
    const target = spawn(prog, [beat], { stdio: 'ignore' });
    t.after(() => target.kill('SIGKILL'));
    await waitFor(() => lineCount(beat) > 2, 10_000, 'the sleeper to start');

    const out = path.join(dir, 'trace.jsonl');
    const tracer = startCli(['--no-trace-file', '--format', 'json', '-o', out, ...(follow ? ['-f'] : []), '-p', String(target.pid)]);
    let stderr = '';
    tracer.stderr!.on('data', (d) => (stderr += d));
    await waitFor(() => procStatus(target.pid!).TracerPid !== '0', 10_000, 'the tracer to attach');
    await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes('"name":"getppid"'), 10_000, 'traced getppid calls');
    // A sleep that has returned is in the file before the detach: a call still
    // under way when the tracer lets go is not recorded as one that returned.
    await waitFor(() => /"name":"(clock_)?nanosleep"/.test(fs.readFileSync(out, 'utf8')), 10_000, 'a traced sleep');

    const exited = new Promise<number | null>((r) => tracer.on('exit', (code) => r(code)));
    tracer.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 0, stderr);
    assert.match(stderr, new RegExp(`renacer: Process ${target.pid} attached`));
    assert.match(stderr, new RegExp(`renacer: Process ${target.pid} detached`));

    // Detached: no tracer, not stopped, still making progress.
    const st = procStatus(target.pid!);
    assert.equal(st.TracerPid, '0');
    assert.ok(!/^[tT]/.test(st.State), `state ${st.State}`);
    const before = lineCount(beat);
    await waitFor(() => lineCount(beat) > before + 2, 10_000, 'the process to keep running after detach');

    const events = readJsonLines(out);
    const calls = events.filter((e) => e.type === 'syscall');
    assert.ok(calls.length > 0);
    assert.ok(calls.every((e) => e.pid === target.pid));
    assert.ok(calls.some((e) => e.name === 'nanosleep' || e.name === 'clock_nanosleep'));
    assert.ok(events.some((e) => e.type === 'process' && e.event === 'detach'));
  });
}

test('-p with a pid that does not exist fails clearly', () => {
  const { spawnSync } = require('node:child_process');
  const r = spawnSync(process.execPath, [require('../support/renacerCli').RENACER, '--no-trace-file', '-p', '4194303'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /attach: ptrace\(PTRACE_SEIZE, 4194303\): No such process/);
});
