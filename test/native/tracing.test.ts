// Tracing real programs: the syscall families, processes, threads, signals,
// exit statuses, as the CLI prints them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { compileFixture, tempDir } from '../support/fixtures';
import { readJsonLines, runCli, traceLines } from '../support/renacerCli';

function traceJson(args: string[], cwd?: string) {
  const dir = cwd ?? tempDir();
  const out = path.join(dir, 'trace.jsonl');
  const r = runCli(['--no-trace-file', '--format', 'json', '-o', out, ...args], { cwd: dir });
  return { ...r, events: readJsonLines(out), dir };
}

test('file syscalls: the failing openat is reported with ENOENT, writes and reads with their sizes', () => {
  const prog = compileFixture('files.c');
  const { status, events } = traceJson(['--', prog, 'data.txt']);
  assert.equal(status, 0);
  const failing = events.find((e) => e.type === 'syscall' && e.name === 'openat' && e.errno === 'ENOENT');
  assert.ok(failing, 'the failing openat is traced');
  assert.equal(failing.ret, -1);
  assert.match(failing.args.join(', '), /nonexistent\/renacer\/config\.toml/);
  const write = events.find((e) => e.name === 'write' && e.ret === 14);
  assert.ok(write, 'the 14-byte write is traced');
  const read = events.find((e) => e.name === 'read' && e.ret === 14);
  assert.ok(read, 'the read returning 14 is traced');
  for (const e of events.filter((e) => e.type === 'syscall')) {
    assert.ok(e.dur_ns >= 0, 'durations are non-negative');
    assert.equal(typeof e.start_ns, 'number');
  }
});

test('text output is strace-like and the exit line closes it', () => {
  const prog = compileFixture('files.c');
  const dir = tempDir();
  const r = runCli(['--no-trace-file', '--', prog, 'x.txt'], { cwd: dir });
  assert.equal(r.status, 0);
  const lines = traceLines(r.stderr);
  assert.match(lines[0], /^execve\(/);
  assert.ok(lines.some((l) => /^openat\(.*\) = -1 ENOENT \(No such file or directory\)$/.test(l)));
  assert.equal(lines.at(-1), '+++ exited with 0 +++');
  assert.ok(lines.some((l) => /^exit_group\(0\) += \?$/.test(l)));
});

test('sockets on 127.0.0.1: socket, bind, listen, connect, accept, send, recv', () => {
  const prog = compileFixture('sockets.c');
  const { status, events } = traceJson(['--', prog]);
  assert.equal(status, 0);
  const names = new Set(events.filter((e) => e.type === 'syscall').map((e) => e.name));
  for (const n of ['socket', 'bind', 'listen', 'connect', 'sendto', 'recvfrom']) assert.ok(names.has(n), `${n} traced`);
  assert.ok(names.has('accept') || names.has('accept4'), 'accept traced');
});

test('-f follows fork and exec: process events, the child execve, [pid N] prefixes', () => {
  const prog = compileFixture('fork_exec.c');
  const { status, events } = traceJson(['-f', '--', prog, '/bin/true']);
  assert.equal(status, 0);
  const spawn = events.find((e) => e.type === 'process' && e.event === 'spawn');
  const fork = events.find((e) => e.type === 'process' && e.event === 'fork');
  assert.ok(spawn && fork, 'spawn and fork events');
  assert.equal(fork.parent_pid, spawn.pid);
  assert.equal(fork.thread, false);
  const childExec = events.find((e) => e.name === 'execve' && e.pid === fork.pid);
  assert.ok(childExec, "the child's execve is traced");
  assert.equal(childExec.ret, 0);
  const exec = events.find((e) => e.type === 'process' && e.event === 'exec' && e.pid === fork.pid);
  assert.equal(exec?.path, fs.realpathSync('/bin/true'));
  const exits = events.filter((e) => e.type === 'process' && e.event === 'exit');
  assert.deepEqual(exits.map((e) => e.exit_code).sort(), [0, 0]);
  // Text: while both run, lines carry [pid N].
  const r = runCli(['--no-trace-file', '-f', '--', prog, '/bin/true']);
  assert.ok(traceLines(r.stderr).some((l) => new RegExp(`^\\[pid +\\d+\\] execve\\("/bin/true"|^\\[pid +\\d+\\] execve\\(`).test(l)));
});

test('without -f, children are not traced and run normally', () => {
  const prog = compileFixture('fork_exec.c');
  const { status, events, stdout } = traceJson(['--', prog, '/bin/true']);
  assert.equal(status, 0);
  assert.equal(stdout, 'parent done\n');
  const pids = new Set(events.filter((e) => e.type === 'syscall').map((e) => e.pid));
  assert.equal(pids.size, 1);
});

test('-f follows threads: every thread write is traced, with tid and shared pid', () => {
  const prog = compileFixture('threads.c');
  const { status, events } = traceJson(['-f', '--', prog, '4', '50']);
  assert.equal(status, 0);
  const writes = events.filter((e) => e.name === 'write' && e.ret === 1);
  assert.equal(writes.length, 200);
  const tids = new Set(writes.map((e) => e.tid));
  assert.equal(tids.size, 4);
  const pids = new Set(writes.map((e) => e.pid));
  assert.equal(pids.size, 1, 'threads share the process id');
  const threadForks = events.filter((e) => e.type === 'process' && e.event === 'fork' && e.thread);
  assert.equal(threadForks.length, 4);
});

test('signals are shown and passed through, never swallowed', () => {
  const prog = compileFixture('signals.c');
  const { status, events } = traceJson(['-f', '--', prog]);
  assert.equal(status, 0, 'the handler ran and the child died of SIGTERM, as without a tracer');
  const sigs = events.filter((e) => e.type === 'process' && e.event === 'signal').map((e) => e.signal);
  assert.ok(sigs.includes('SIGUSR1'));
  assert.ok(sigs.includes('SIGTERM'));
  assert.ok(sigs.includes('SIGCHLD'));
  const killed = events.find((e) => e.type === 'process' && e.event === 'exit' && e.signal === 'SIGTERM');
  assert.ok(killed, 'the child is reported killed by SIGTERM');
  const r = runCli(['--no-trace-file', '-f', '--', prog]);
  assert.ok(traceLines(r.stderr).some((l) => /--- SIGUSR1 \{si_signo=SIGUSR1, .*\} ---$/.test(l)));
  assert.ok(traceLines(r.stderr).some((l) => /\+\+\+ killed by SIGTERM \+\+\+$/.test(l)));
});

test('a program killed by a signal: +++ killed by SIGSEGV +++ and exit status 128+11', () => {
  const prog = compileFixture('crash.c', { flags: ['-O0', '-g'] });
  const r = runCli(['--no-trace-file', '--', prog]);
  assert.equal(r.status, 139);
  assert.equal(r.stdout, 'about to crash\n');
  const lines = traceLines(r.stderr);
  assert.match(lines.at(-1)!, /^\+\+\+ killed by SIGSEGV( \(core dumped\))? \+\+\+$/);
  assert.ok(lines.some((l) => l.startsWith('--- SIGSEGV {si_signo=SIGSEGV')));
});

test('the exit status is the program\'s own', () => {
  const r = runCli(['--no-trace-file', '--', '/bin/sh', '-c', 'exit 7']);
  assert.equal(r.status, 7);
});

test('PATH lookup like strace; a missing program is a usage error (exit 2)', () => {
  const ok = runCli(['--no-trace-file', '--', 'true']);
  assert.equal(ok.status, 0);
  assert.match(traceLines(ok.stderr)[0], /^execve\("?.*true/);
  const r = runCli(['--no-trace-file', '--', 'no-such-program-renacer']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /renacer: Can't stat 'no-such-program-renacer': No such file or directory/);
});

test('unknown flags and a missing command are usage errors (exit 2)', () => {
  const r = runCli(['--definitely-not-a-flag', '--', 'true']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option '--definitely-not-a-flag'/);
  const none = runCli([]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /must have PROGRAM \[ARGS\] or -p PID/);
});

test('options after the program belong to the program', () => {
  const r = runCli(['--no-trace-file', '--', '/bin/sh', '-c', 'echo "$0 $1"', '-f', '-e']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, '-f -e\n');
});

test('-T appends the time spent in each call; -o writes to a file', () => {
  const dir = tempDir();
  const out = path.join(dir, 'out.txt');
  const r = runCli(['--no-trace-file', '-T', '-o', out, '--', '/bin/true'], { cwd: dir });
  assert.equal(r.status, 0);
  const lines = traceLines(fs.readFileSync(out, 'utf8'));
  const calls = lines.filter((l) => !l.startsWith('+++') && !l.includes('= ?'));
  assert.ok(calls.length > 5);
  for (const l of calls) assert.match(l, / <\d+\.\d{6}>$/);
});

test('-c prints strace\'s summary table with per-syscall calls and errors', () => {
  const prog = compileFixture('files.c');
  const dir = tempDir();
  const r = runCli(['--no-trace-file', '-c', '--', prog, 'f.txt'], { cwd: dir });
  assert.equal(r.status, 0);
  const lines = traceLines(r.stderr);
  assert.equal(lines[0], '% time     seconds  usecs/call     calls    errors syscall');
  const openat = lines.find((l) => / openat$/.test(l));
  assert.ok(openat);
  const cols = openat.trim().split(/\s+/);
  assert.equal(cols.length, 6, 'openat has an errors column');
  assert.ok(Number(cols[4]) >= 1, 'the failing openat is counted as an error');
  assert.match(lines.at(-1)!, /^100\.00 +\d+\.\d{6} +\d+ +\d+ +\d+ total$/);
  assert.ok(!lines.some((l) => l.startsWith('openat(')), '-c prints no individual calls');
});

test('CSV output has a header and one row per syscall', () => {
  const dir = tempDir();
  const out = path.join(dir, 'out.csv');
  const r = runCli(['--no-trace-file', '--format', 'csv', '-o', out, '--', '/bin/true'], { cwd: dir });
  assert.equal(r.status, 0);
  const rows = fs.readFileSync(out, 'utf8').trim().split('\n');
  assert.match(rows[0], /^pid,tid,syscall,nr,args,ret,errno,result,start_ns,dur_ns/);
  assert.ok(rows.some((r) => /,execve,59,/.test(r)));
});

test('a plain run (no caller context, no collector) leaves the program\'s environment untouched', () => {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('OTEL_') || k === 'TRACEPARENT' || k === 'TRACESTATE') delete env[k];
  const r = runCli(['--no-trace-file', '-o', '/dev/null', '--', '/usr/bin/env'], { env });
  assert.equal(r.status, 0);
  assert.doesNotMatch(r.stdout, /TRACEPARENT|TRACESTATE/);
  const joined = runCli(['--no-trace-file', '-o', '/dev/null', '--', '/usr/bin/env'], { env: { ...env, TRACEPARENT: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
  assert.match(joined.stdout, /^TRACEPARENT=00-4bf92f3577b34da6a3ce929d0e0e4736-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$/m, 'a caller\'s context: the program gets the run\'s own span');
});
