// -e trace=: names, classes, negation, regex; implemented with a seccomp
// filter so untraced syscalls never stop, in children too.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';

import { compileFixture, tempDir } from '../support/fixtures';
import { readJsonLines, runCli } from '../support/renacerCli';

function names(args: string[]) {
  const dir = tempDir();
  const out = path.join(dir, 'out.jsonl');
  const r = runCli(['--no-trace-file', '--format', 'json', '-o', out, ...args], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  return readJsonLines(out).filter((e) => e.type === 'syscall').map((e) => e.name as string);
}

test('trace=NAME,NAME traces only those', () => {
  const prog = compileFixture('files.c');
  const got = names(['-e', 'trace=openat,close', '--', prog, 'a.txt']);
  assert.ok(got.length >= 4);
  assert.deepEqual([...new Set(got)].sort(), ['close', 'openat']);
});

test('the bare form (-e openat) and several -e add up', () => {
  const prog = compileFixture('files.c');
  const got = new Set(names(['-e', 'openat', '-e', 'trace=write', '--', prog, 'b.txt']));
  assert.deepEqual([...got].sort(), ['openat', 'write']);
});

test('%file and file select syscalls taking a path; %desc selects descriptor calls', () => {
  const prog = compileFixture('files.c');
  const file = new Set(names(['-e', 'trace=%file', '--', prog, 'c.txt']));
  for (const n of ['openat', 'newfstatat', 'unlink', 'execve']) assert.ok(file.has(n), `${n} in %file`);
  for (const n of ['read', 'write', 'close', 'mmap']) assert.ok(!file.has(n), `${n} not in %file`);
  const bare = new Set(names(['-e', 'trace=file', '--', prog, 'c2.txt']));
  assert.deepEqual([...bare].sort(), [...file].sort());
  const desc = new Set(names(['-e', 'trace=%desc', '--', prog, 'd.txt']));
  for (const n of ['read', 'write', 'close', 'openat']) assert.ok(desc.has(n), `${n} in %desc`);
});

test('! negates: everything but the named calls', () => {
  const prog = compileFixture('files.c');
  const all = names(['--', prog, 'e.txt']);
  const got = names(['-e', 'trace=!openat,close', '--', prog, 'e2.txt']);
  assert.ok(!got.includes('openat') && !got.includes('close'));
  assert.equal(got.length, all.filter((n) => n !== 'openat' && n !== 'close').length);
});

test('/regex/ selects by name', () => {
  const prog = compileFixture('files.c');
  const got = new Set(names(['-e', 'trace=/^(open|read)/', '--', prog, 'f.txt']));
  assert.deepEqual([...got].sort(), ['openat', 'read']);
});

test('a child that never makes a filtered call never stops', () => {
  const prog = compileFixture('filtered_child.c');
  const dir = tempDir();
  const trace = path.join(dir, 'trace.jsonl.gz');
  const out = path.join(dir, 'out.jsonl');
  const r = runCli(['-f', '-e', 'trace=openat', '--trace-file', trace, '--format', 'json', '-o', out, '--', prog, '20000'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const events = readJsonLines(out);
  const calls = events.filter((e) => e.type === 'syscall');
  assert.ok(calls.length >= 1 && calls.every((e) => e.name === 'openat'));
  const child = events.find((e) => e.type === 'process' && e.event === 'fork');
  assert.ok(child, 'the child is followed');
  assert.ok(!calls.some((e) => e.pid === child.pid), 'no call of the child is reported');
  // The child made 20,000 getppid calls; it stopped only to be attached.
  const { readTraceFile } = require('../../extension/core/traceFile/traceFile');
  const end = readTraceFile(trace).end;
  assert.ok(end.stops < 50, `the tracees stopped ${end.stops} times for 20,000 untraced calls`);
});

test('without -f, a filtered trace still lets children run normally', () => {
  const prog = compileFixture('filtered_child.c');
  const got = names(['-e', 'trace=getppid', '--', prog, '100']);
  // The child's getppid calls are not reported (no -f) and did not fail.
  assert.equal(got.length, 0);
});

test('invalid names, classes and regexes are usage errors', () => {
  for (const [expr, msg] of [
    ['trace=opennat', /invalid system call 'opennat'/],
    ['trace=%bogus', /invalid system call class '%bogus'/],
    ['trace=/(/', /invalid regular expression/],
    ['verbose=none', /unsupported qualifier 'verbose'/],
    ['abbrev=opennat', /invalid system call 'opennat'/],
    ['raw=%bogus', /invalid system call class '%bogus'/],
    ['read=x', /invalid descriptor 'x'/],
    ['signal=SIGNOPE', /invalid signal 'SIGNOPE'/],
    ['status=maybe', /invalid status 'maybe'/],
  ] as const) {
    const r = runCli(['--no-trace-file', '-e', expr, '--', 'true']);
    assert.equal(r.status, 2, expr);
    assert.match(r.stderr, msg);
  }
  const ok = runCli(['--no-trace-file', '-e', 'trace=?opennat,openat', '--', 'true']);
  assert.equal(ok.status, 0, '? tolerates an unknown name');
});
