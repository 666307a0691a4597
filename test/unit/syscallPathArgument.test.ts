// The path a syscall names, read back from strace's rendering of its
// arguments; and the list of syscalls that take one is strace's %file class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { PATH_SYSCALLS, syscallPath, unquoteStraceString } from '../../extension/core/format/syscallPathArgument';

const TSV = path.resolve(__dirname, '../../native/tools/syscall-signatures-x86_64.tsv');

test('the syscalls with a path are exactly the %file class of the syscall table', () => {
  const file = new Set<string>();
  for (const line of fs.readFileSync(TSV, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [name, , classes] = line.split('\t');
    if (classes.split(',').includes('file')) file.add(name);
  }
  assert.deepEqual([...PATH_SYSCALLS].sort(), [...file].sort());
});

test('strace strings lose their quotes and escapes; a cut string keeps what was shown', () => {
  assert.equal(unquoteStraceString('"/etc/hostname"'), '/etc/hostname');
  assert.equal(unquoteStraceString('"/very/long/pa"...'), '/very/long/pa');
  assert.equal(unquoteStraceString('"a\\"b\\\\c\\n\\x41\\101"'), 'a"b\\c\nAA');
  assert.equal(unquoteStraceString('0x7ffd1234'), undefined);
  assert.equal(unquoteStraceString('NULL'), undefined);
});

test('the first quoted argument of a path syscall is its path; other syscalls name none', () => {
  assert.equal(syscallPath('openat', ['AT_FDCWD', '"demo-report.txt"', 'O_WRONLY|O_CREAT|O_TRUNC', '0666']), 'demo-report.txt');
  assert.equal(syscallPath('rename', ['"a"', '"b"']), 'a');
  assert.equal(syscallPath('setxattr', ['"/f"', '"user.k"', '"v"', '1', '0']), '/f');
  assert.equal(syscallPath('write', ['1', '"hello\\n"', '6']), undefined);
  assert.equal(syscallPath('openat', ['AT_FDCWD', '0x7f0000001000', 'O_RDONLY']), undefined);
});
