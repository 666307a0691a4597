// Hit conditions as VS Code users write them, and breakpoint conditions in the
// viewer's query language evaluated for one call.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseHitCondition } from '../../extension/debugAdapter/breakpointTable';
import { matchesCall, parseQuery, type QueriedCall } from '../../extension/core/session/syscallQuery';

const hits = (cond: string) => {
  const f = parseHitCondition(cond);
  assert.equal(typeof f, 'function', String(f));
  return [1, 2, 3, 4, 5, 6].filter((n) => (f as (h: number) => boolean)(n));
};

test('hit conditions: N is the Nth hit; >, >=, <, <=, = and % as written', () => {
  assert.deepEqual(hits('3'), [3]);
  assert.deepEqual(hits('=3'), [3]);
  assert.deepEqual(hits('==3'), [3]);
  assert.deepEqual(hits('>3'), [4, 5, 6]);
  assert.deepEqual(hits('>=3'), [3, 4, 5, 6]);
  assert.deepEqual(hits('<3'), [1, 2]);
  assert.deepEqual(hits('<= 2'), [1, 2]);
  assert.deepEqual(hits('%2'), [2, 4, 6]);
  assert.equal(typeof parseHitCondition('often'), 'string');
  assert.equal(typeof parseHitCondition('>x'), 'string');
});

const call: QueriedCall = {
  name: 'openat',
  path: '/etc/hostname',
  pid: 10,
  tid: 11,
  frames: [
    { file: '/src/app/config.c', line: 42, function: 'load_config' },
    { file: '/src/app/main.c', line: 7, function: 'main' },
  ],
};

const holds = (q: string, c: QueriedCall = call) => {
  const p = parseQuery(q);
  assert.deepEqual(p.errors, [], q);
  return matchesCall(p.terms, c);
};

test('conditions: the viewer\'s fields, negation and words, for one call', () => {
  assert.equal(holds('path:/etc/'), true);
  assert.equal(holds('path:/tmp/'), false);
  assert.equal(holds('name:read,openat'), true);
  assert.equal(holds('name:*stat*'), false);
  assert.equal(holds('pid:10 tid:11'), true);
  assert.equal(holds('tid:12'), false);
  assert.equal(holds('file:config.c'), true);
  assert.equal(holds('at:main.c:7'), true, 'a caller frame counts');
  assert.equal(holds('at:main.c:8'), false);
  assert.equal(holds('failed'), false);
  assert.equal(holds('failed', { ...call, errno: 'ENOENT' }), true);
  assert.equal(holds('errno:ENOENT,EACCES', { ...call, errno: 'EACCES' }), true);
  assert.equal(holds('-path:/etc/'), false);
  assert.equal(holds('load_config'), true, 'a word matches a function');
  assert.deepEqual(parseQuery('bogus:1').errors, ['unknown field "bogus:"']);
});
