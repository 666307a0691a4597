// `renacer diff`: two builds of one program from the same path, traced for
// real; the second has one loop longer, one call removed and one failing
// open added, and is linked after a padding object so that every function
// moved. Then the same build with four lines added at the top of its file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import type { DiffRow } from '../../extension/core/diff/diffModel';
import { tempDir } from '../support/fixtures';
import { runCli } from '../support/renacerCli';

const V1 = `#include <fcntl.h>
#include <unistd.h>

static void load_config(void) {
  int fd = open("/etc/hostname", O_RDONLY);
  char buf[64];
  if (fd >= 0) read(fd, buf, sizeof buf);
  close(fd);
}

static void emit(int n) {
  for (int i = 0; i < n; i++) write(1, "x\\n", 2);
}

int main(void) {
  load_config();
  emit(3);
  getppid();
  return 0;
}
`;

// The loop writes 5 times, getppid is gone, a failing open is new (one line
// added inside load_config, so every later line moved down by one).
const V2 = V1.replace('emit(3);', 'emit(5);')
  .replace('  getppid();\n', '')
  .replace('  close(fd);\n', '  close(fd);\n  open("/nonexistent/renacer-diff.conf", O_RDONLY);\n');

// Linked first, it moves every function of the program to another address.
const PAD = `void renacer_pad(void) { __asm__ volatile(".fill 4096, 1, 0x90"); }\n`;

function build(dir: string, source: string, padded: boolean): void {
  fs.writeFileSync(path.join(dir, 'prog.c'), source);
  const inputs = padded ? ['pad.c', 'prog.c'] : ['prog.c'];
  execFileSync('gcc', ['-g', '-O0', '-o', 'prog', ...inputs], { cwd: dir });
}

function trace(dir: string, name: string): string {
  const file = path.join(dir, name);
  const r = runCli(['--source', '--trace-file', file, '-o', '/dev/null', '--', './prog'], { cwd: dir, env: { ...process.env, RENACER_QUIET_TRACE_FILE: '1' } });
  assert.equal(r.status, 0, r.stderr);
  return file;
}

function diffJson(dir: string, a: string, b: string): DiffRow[] {
  const r = runCli(['diff', '--format', 'json', a, b], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as DiffRow[];
}

test('renacer diff: per source line, same / changed / new / gone, by function and place, whatever moved', (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'pad.c'), PAD);
  const src = path.join(dir, 'prog.c');
  build(dir, V1, false);
  const before = trace(dir, 'before.jsonl.gz');
  const beforeAddr = execFileSync('nm', [path.join(dir, 'prog')], { encoding: 'utf8' });
  build(dir, V2, true);
  const after = trace(dir, 'after.jsonl.gz');
  const afterAddr = execFileSync('nm', [path.join(dir, 'prog')], { encoding: 'utf8' });
  const addr = (nm: string, fn: string) => new RegExp(`^([0-9a-f]+) t ${fn}$`, 'm').exec(nm)?.[1];
  for (const fn of ['load_config', 'emit']) assert.notEqual(addr(beforeAddr, fn), addr(afterAddr, fn), `${fn} did not move`);

  const rows = diffJson(dir, before, after).filter((r) => r.file === src);
  const at = (syscall: string, line: number) => rows.find((r) => r.syscall === syscall && r.line === line);
  // Unchanged lines: same, with equal counts (and read/close moved by nothing).
  for (const [syscall, line] of [['openat', 5], ['read', 7], ['close', 8]] as const) {
    const r = at(syscall, line);
    assert.equal(r?.change, 'same', `${syscall} at ${line}: ${JSON.stringify(r)}`);
    assert.equal(r!.before!.calls, r!.after!.calls);
    assert.equal(r!.function, 'load_config');
  }
  assert.equal(at('read', 7)!.after!.bytes, at('read', 7)!.before!.bytes);
  assert.ok(at('read', 7)!.after!.bytes! > 0);
  // The loop: 3 → 5 writes, at its line one further down now.
  const w = at('write', 13);
  assert.equal(w?.change, 'changed', JSON.stringify(rows));
  assert.deepEqual([w!.before!.calls, w!.after!.calls, w!.before_line], [3, 5, 12]);
  assert.equal(w!.after!.bytes, 10);
  // The removed call, and the new failing open.
  const gone = rows.find((r) => r.syscall === 'getppid');
  assert.equal(gone?.change, 'gone');
  assert.equal(gone!.after, null);
  assert.equal(gone!.line, 18);
  const fresh = at('openat', 9);
  assert.equal(fresh?.change, 'new');
  assert.equal(fresh!.before, null);
  assert.deepEqual(fresh!.after!.errors, { ENOENT: 1 });
  // Nothing else in the program's file.
  assert.deepEqual(rows.filter((r) => r.change !== 'same').map((r) => `${r.change} ${r.syscall}`).sort(), ['changed write', 'gone getppid', 'new openat']);

  const text = runCli(['diff', before, after], { cwd: dir });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^new .* ENOENT \+1 \(new\) .* openat +prog\.c:9 in load_config$/m);
  assert.match(text.stdout, /^changed +3 +5 +\+2 .* write +prog\.c:13 \(was 12\) in emit$/m);
  assert.match(text.stdout, /^gone +1 +- +-1 .* getppid +prog\.c:18 in main$/m);
  assert.doesNotMatch(text.stdout, /^same/m, 'unchanged sites are shown only with --all');
  assert.match(runCli(['diff', '--all', before, after], { cwd: dir }).stdout, /^same .* openat +prog\.c:5 in load_config$/m);

  // --fail-on: a new ENOENT fails the gate; the grown loop trips calls:+50% and syscall:write:+1.
  const gate = runCli(['diff', '--fail-on', 'new-errors', before, after], { cwd: dir });
  assert.equal(gate.status, 1, gate.stderr);
  assert.match(gate.stderr, /new-errors: openat failed 1× with ENOENT at prog\.c:9 in load_config/);
  assert.equal(runCli(['diff', '--fail-on', 'calls:+50%', before, after], { cwd: dir }).status, 1);
  assert.equal(runCli(['diff', '--fail-on', 'syscall:write:+1', before, after], { cwd: dir }).status, 1);
  assert.equal(runCli(['diff', '--fail-on', 'syscall:write:+2', before, after], { cwd: dir }).status, 0);
  assert.equal(runCli(['diff', '--fail-on', 'new-sites', before, after], { cwd: dir }).status, 1);

  // The first build with four lines added at the top: every site matched.
  build(dir, `\n\n\n\n${V1}`, false);
  const shifted = trace(dir, 'shifted.jsonl.gz');
  const moved = diffJson(dir, before, shifted).filter((r) => r.file === src);
  assert.ok(moved.length >= 5, JSON.stringify(moved));
  for (const r of moved) {
    assert.ok(r.change === 'same' || r.change === 'changed', `${r.change} ${r.syscall}:${r.line}`);
    assert.equal(r.before_line, r.line! - 4);
  }
  assert.deepEqual(moved.filter((r) => r.change !== 'same'), []);
  const pass = runCli(['diff', '--fail-on', 'new-errors,new-sites', before, shifted], { cwd: dir });
  assert.equal(pass.status, 0, pass.stderr + pass.stdout);

  // Bad input: a missing file, a file cut short, garbage, a bad condition: exit 2, naming the problem.
  const missing = runCli(['diff', before, path.join(dir, 'nope.jsonl.gz')], { cwd: dir });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.jsonl\.gz: no such file/);
  const raw = fs.readFileSync(after);
  const cut = path.join(dir, 'cut.jsonl.gz');
  fs.writeFileSync(cut, raw.subarray(0, raw.length - 30));
  const short = runCli(['diff', before, cut], { cwd: dir });
  assert.equal(short.status, 2);
  assert.match(short.stderr, /cut\.jsonl\.gz was cut short .*read up to its last whole batch/);
  assert.match(short.stdout, /^total /m, 'the diff of what was read is still printed');
  const junk = path.join(dir, 'junk.jsonl.gz');
  fs.writeFileSync(junk, 'not a trace file');
  const bad = runCli(['diff', junk, after], { cwd: dir });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /junk\.jsonl\.gz: not a renacer trace file/);
  const usage = runCli(['diff', '--fail-on', 'calls:lots', before, after], { cwd: dir });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--fail-on: 'calls:lots' is not a condition/);
});
