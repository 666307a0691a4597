// The generated x86_64 syscall table: the checked-in .inc must match its
// inputs, and the signature data must hold the facts the tracer relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// CommonJS (tsconfig module: commonjs), so __dirname rather than import.meta.
const ROOT = path.resolve(__dirname, '../..');
const GEN = path.join(ROOT, 'native/tools/gen-syscall-table.mjs');
const TSV = path.join(ROOT, 'native/tools/syscall-signatures-x86_64.tsv');
const HEADER = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';

const CLASSES = [
  'file', 'network', 'process', 'memory', 'signal', 'ipc', 'desc', 'creds', 'clock',
  'stat', 'lstat', 'fstat', 'stat_like', 'statfs', 'fstatfs', 'statfs_like', 'pure',
];

interface Signature { nargs: number; classes: Set<string> }

function readTsv(): Map<string, Signature> {
  const rows = new Map<string, Signature>();
  for (const line of fs.readFileSync(TSV, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cols = line.split('\t');
    assert.equal(cols.length, 3, `bad TSV line: ${JSON.stringify(line)}`);
    const [name, nargs, classes] = cols;
    assert.ok(!rows.has(name), `${name} listed twice`);
    rows.set(name, { nargs: Number(nargs), classes: new Set(classes === '-' ? [] : classes.split(',')) });
  }
  return rows;
}

function gen(...args: string[]) {
  return spawnSync(process.execPath, [GEN, ...args], { encoding: 'utf8' });
}

const sigs = readTsv();
const sig = (name: string): Signature => {
  const s = sigs.get(name);
  assert.ok(s, `${name} missing from the TSV`);
  return s;
};
const members = (cls: string) => [...sigs].filter(([, s]) => s.classes.has(cls)).map(([n]) => n).sort();

test('checked-in syscalls_x86_64.inc is what the generator produces', () => {
  const r = gen('--check');
  assert.equal(r.status, 0, `gen-syscall-table --check failed:\n${r.stdout}${r.stderr}`);
});

test('--check reports a stale output file', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-systab-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'table.inc');
  assert.equal(gen('--out', out).status, 0);
  assert.equal(gen('--check', '--out', out).status, 0);
  fs.appendFileSync(out, '// edited by hand\n');
  const r = gen('--check', '--out', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /out of date/);
});

test('the generator refuses a header and TSV that disagree', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-systab-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const header = path.join(dir, 'unistd_64.h');
  const text = fs.readFileSync(HEADER, 'utf8');
  // One syscall too few, one the TSV has never heard of.
  fs.writeFileSync(header, text.replace(/^#define __NR_getpid .*$/m, '#define __NR_not_a_syscall 9999'));
  const r = gen('--check', '--header', header, '--out', path.join(dir, 'never-written.inc'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not in the TSV: not_a_syscall/);
  assert.match(r.stderr, /in the TSV but not in .*: getpid/);
});

test('the TSV lists exactly the syscalls of the UAPI header', () => {
  const names = [...fs.readFileSync(HEADER, 'utf8').matchAll(/^#define __NR_(\w+)\s+\d+/gm)].map((m) => m[1]);
  assert.deepEqual([...sigs.keys()].sort(), names.sort());
});

test('arities match the kernel', () => {
  const expected: Record<string, number> = {
    read: 3, write: 3, openat: 4, close: 1, mmap: 6, exit_group: 1, getpid: 0, clone: 5,
    clone3: 2, rt_sigaction: 4, rt_sigreturn: 0, futex: 6, ioctl: 3, execve: 3, wait4: 4,
    sendto: 6, pselect6: 6, preadv: 5, preadv2: 6, statx: 5, io_uring_enter: 6,
  };
  for (const [name, nargs] of Object.entries(expected)) assert.equal(sig(name).nargs, nargs, name);
  for (const [name, s] of sigs) assert.ok(Number.isInteger(s.nargs) && s.nargs >= 0 && s.nargs <= 6, name);
});

test('class names are strace\'s', () => {
  for (const [name, s] of sigs) for (const c of s.classes) assert.ok(CLASSES.includes(c), `${name}: ${c}`);
});

test('class membership of well-known syscalls', () => {
  assert.ok(sig('openat').classes.has('file'));
  assert.ok(sig('openat').classes.has('desc'));
  assert.deepEqual([...sig('read').classes], ['desc']);
  assert.deepEqual([...sig('getpid').classes], ['pure']);
  assert.ok(sig('execve').classes.has('file') && sig('execve').classes.has('process'));
  assert.ok(sig('mmap').classes.has('memory') && sig('mmap').classes.has('desc'));
  assert.ok(sig('connect').classes.has('network'));
  assert.ok(sig('kill').classes.has('signal') && sig('kill').classes.has('process'));
  assert.ok(sig('shmat').classes.has('ipc') && sig('shmat').classes.has('memory'));
  assert.ok(sig('setuid').classes.has('creds'));
  assert.ok(sig('clock_gettime').classes.has('clock'));
  assert.equal(sig('getrandom').classes.size, 0);
});

test('stat and statfs families match strace', () => {
  assert.deepEqual(members('stat'), ['stat']);
  assert.deepEqual(members('lstat'), ['lstat']);
  assert.deepEqual(members('fstat'), ['fstat', 'newfstatat', 'statx']);
  assert.deepEqual(members('stat_like'), ['fstat', 'lstat', 'newfstatat', 'stat', 'statx']);
  assert.deepEqual(members('statfs'), ['statfs']);
  assert.deepEqual(members('fstatfs'), ['fstatfs']);
  assert.deepEqual(members('statfs_like'), ['fstatfs', 'statfs', 'ustat']);
});

test('pure syscalls take no arguments', () => {
  const pure = members('pure');
  assert.deepEqual(pure, ['getegid', 'geteuid', 'getgid', 'getpgrp', 'getpid', 'getppid', 'gettid', 'getuid']);
  for (const name of pure) assert.equal(sig(name).nargs, 0, name);
});
