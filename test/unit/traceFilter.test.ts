// Search and filter: the query language and the mask it makes over a trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { parseQuery } from '../../extension/core/session/syscallQuery';
import { buildMask, countMask, NO_FILTER } from '../../webview/traceFilter';
import { syntheticModel } from '../support/viewerModel';
import { SRC } from '../support/syntheticTrace';

test('queries: fields, lists, negation, quotes, and what is wrong with a term', () => {
  assert.deepEqual(parseQuery('openat').terms, [{ field: 'word', values: ['openat'], negate: false }]);
  assert.deepEqual(parseQuery('name:openat,read -errno:ENOENT').terms, [
    { field: 'name', values: ['openat', 'read'], negate: false },
    { field: 'errno', values: ['ENOENT'], negate: true },
  ]);
  assert.deepEqual(parseQuery('path:"/my dir/x" !failed').terms, [
    { field: 'path', values: ['/my dir/x'], negate: false },
    { field: 'failed', values: [], negate: true },
  ]);
  assert.deepEqual(parseQuery('errno:*').terms, [{ field: 'failed', values: [], negate: false }]);
  assert.deepEqual(parseQuery('at:/src/a:b.c:42').terms, [{ field: 'at', values: ['/src/a:b.c:42'], negate: false }]);
  assert.deepEqual(parseQuery('colour:red pid:abc at:main.c').errors, ['unknown field "colour:"', '"pid:" takes numbers', '"at:" takes FILE:LINE']);
});

test('the mask: each field, negation, and the process and file pickers', async () => {
  const { model, summary } = await syntheticModel({ syscalls: 3000, processes: 2, threadsPerProcess: 2 });
  const c = model.columns;
  const t = model.tables;
  const count = (text: string, process = -1, file = -1) => countMask(buildMask(model, { text, process, file }), model.count);
  const where = (pred: (i: number) => boolean) => Array.from({ length: model.count }, (_, i) => i).filter(pred).length;
  assert.equal(buildMask(model, NO_FILTER), null, 'no filter, no mask');
  assert.equal(count('errno:ENOENT'), summary.enoent);
  assert.equal(count('failed'), summary.enoent);
  assert.equal(count('-failed'), model.count - summary.enoent);
  assert.equal(count('name:openat'), where((i) => model.name(i) === 'openat'));
  assert.equal(count('name:*stat*'), where((i) => model.name(i) === 'newfstatat'));
  assert.equal(count('name:openat,read'), where((i) => model.name(i) === 'openat' || model.name(i) === 'read'));
  assert.equal(count('name:openat errno:ENOENT'), summary.enoent, 'terms add up');
  assert.equal(count('path:conf.d'), summary.enoent, 'the missing files are the conf.d ones');
  assert.equal(count('pid:1100'), where((i) => t.processes[model.processOf(i)].pid === 1100));
  assert.equal(count('tid:1101'), where((i) => t.threads[c.thread[i]].tid === 1101));
  assert.equal(count('file:io.c'), where((i) => model.site(i).file >= 0 && t.files[model.site(i).file].endsWith('io.c')));
  assert.equal(count(`at:${SRC}/config.c:12`), where((i) => model.name(i) === 'openat'));
  assert.equal(count('at:config.c:12'), count(`at:${SRC}/config.c:12`), 'a path suffix is enough');
  assert.equal(count('at:onfig.c:12'), 0, 'but a whole file name');
  assert.equal(count('read_chunk'), where((i) => model.name(i) === 'read'), 'a word matches a function');
  assert.equal(count('ENOENT'), summary.enoent, 'a word matches an errno');
  assert.equal(count('', 1), where((i) => model.processOf(i) === 1));
  const io = t.files.findIndex((f) => f.endsWith('io.c'));
  assert.equal(count('', -1, io), count('file:io.c'));
  assert.equal(count('name:read', 0, io), where((i) => model.name(i) === 'read' && model.processOf(i) === 0));
});
