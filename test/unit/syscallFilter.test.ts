import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FilterError, parseTraceFilter } from '../../extension/core/session/syscallFilter';
import { SyscallTable, SYSCALL_CLASSES } from '../../extension/core/session/syscallTable';

// A small table keeps the expectations readable; the real one is tested in native tests.
const table = new SyscallTable([
  { nr: 0, name: 'read', nargs: 3, classes: SYSCALL_CLASSES.desc },
  { nr: 1, name: 'write', nargs: 3, classes: SYSCALL_CLASSES.desc },
  { nr: 2, name: 'open', nargs: 3, classes: SYSCALL_CLASSES.file | SYSCALL_CLASSES.desc },
  { nr: 3, name: 'close', nargs: 1, classes: SYSCALL_CLASSES.desc },
  { nr: 41, name: 'socket', nargs: 3, classes: SYSCALL_CLASSES.network | SYSCALL_CLASSES.desc },
  { nr: 57, name: 'fork', nargs: 0, classes: SYSCALL_CLASSES.process },
  { nr: 257, name: 'openat', nargs: 4, classes: SYSCALL_CLASSES.file | SYSCALL_CLASSES.desc },
]);

const set = (...qs: string[]) => {
  const t = parseTraceFilter(qs, table).traced;
  return t === null ? null : [...t].sort((a, b) => a - b);
};

test('no -e traces everything', () => assert.equal(set(), null));
test('names', () => assert.deepEqual(set('trace=open,close'), [2, 3]));
test('bare expression means trace=', () => assert.deepEqual(set('openat'), [257]));
test('t= abbreviation', () => assert.deepEqual(set('t=read'), [0]));
test('%class and bare class', () => {
  assert.deepEqual(set('trace=%file'), [2, 257]);
  assert.deepEqual(set('trace=file'), [2, 257]);
  assert.deepEqual(set('trace=%network'), [41]);
});
test('negation applies to the whole set', () => assert.deepEqual(set('trace=!read,write'), [2, 3, 41, 57, 257]));
test('double negation cancels', () => assert.deepEqual(set('trace=!!read'), [0]));
test('regex, with or without the closing slash', () => {
  assert.deepEqual(set('trace=/^open'), [2, 257]);
  assert.deepEqual(set('trace=/^open/'), [2, 257]);
  assert.deepEqual(set('trace=/^(read|write)$/'), [0, 1]);
});
test('a regex may contain commas', () => assert.deepEqual(set('trace=/^o.{3,5}$/,close'), [2, 3, 257]));
test('all and none', () => {
  assert.equal(set('trace=all'), null);
  assert.deepEqual(set('trace=none'), []);
  assert.deepEqual(set('trace=!all'), []);
  assert.equal(set('trace=!none'), null);
});
test('several -e add up', () => assert.deepEqual(set('trace=read', 'trace=%process'), [0, 57]));
test('? tolerates unknown names', () => assert.deepEqual(set('trace=?nosuch,read'), [0]));
test('errors name the bad input', () => {
  assert.throws(() => set('trace=nosuch'), (e: Error) => e instanceof FilterError && /invalid system call 'nosuch'/.test(e.message));
  assert.throws(() => set('trace=%nosuch'), /invalid system call class '%nosuch'/);
  assert.throws(() => set('trace=/[/'), /invalid regular expression/);
  assert.throws(() => set('trace=/^zzz'), /no system call matches/);
  assert.throws(() => set('trace=read,,write'), /empty item/);
  assert.throws(() => set('verbose=all'), /unsupported qualifier 'verbose'/);
});
