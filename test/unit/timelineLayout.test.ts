// The timeline's rows: processes nested by fork ancestry, threads under their
// process, collapsing, rows hidden by a filter, and the row under a point.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { TraceTables } from '../../viewer/traceColumns';
import { layoutRows, PROCESS_ROW_HEIGHT, rowAt, THREAD_ROW_HEIGHT } from '../../webview/timelineLayout';

// make (0) forks cc (1), which forks as (3); make also forks ld (2). make has two threads.
const tables = {
  processes: [
    { pid: 100, threads: [0, 1] },
    { pid: 200, threads: [2], parent: 0 },
    { pid: 300, threads: [3], parent: 0 },
    { pid: 400, threads: [4], parent: 1 },
  ],
} as unknown as TraceTables;

const describe = (rows: ReturnType<typeof layoutRows>['rows']) =>
  rows.map((r) => `${'  '.repeat(r.depth)}${r.kind === 'process' ? `p${r.process}${r.collapsed ? '+' : ''}` : `t${r.thread}`}`);

test('processes nest under the process that forked them, threads under their process', () => {
  const { rows, height } = layoutRows(tables, new Set());
  assert.deepEqual(describe(rows), ['p0', '  t0', '  t1', '  p1', '    t2', '    p3', '      t4', '  p2', '    t3']);
  assert.equal(height, 4 * PROCESS_ROW_HEIGHT + 5 * THREAD_ROW_HEIGHT);
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i].y, rows[i - 1].y + rows[i - 1].height);
});

test('a collapsed process keeps its children and draws its threads on its own row', () => {
  const { rows } = layoutRows(tables, new Set([0, 1]));
  assert.deepEqual(describe(rows), ['p0+', '  p1+', '    p3', '      t4', '  p2', '    t3']);
  assert.deepEqual(rows[0].threads, [0, 1]);
});

test('threads without matches are hidden; a process left with none makes way for its children', () => {
  const { rows } = layoutRows(tables, new Set(), (t) => t === 4 || t === 1);
  assert.deepEqual(describe(rows), ['p0', '  t1', '  p3', '    t4']);
});

test('the row under a point', () => {
  const layout = layoutRows(tables, new Set());
  assert.equal(rowAt(layout, 0), 0);
  assert.equal(rowAt(layout, PROCESS_ROW_HEIGHT), 1);
  assert.equal(rowAt(layout, PROCESS_ROW_HEIGHT + THREAD_ROW_HEIGHT - 1), 1);
  assert.equal(rowAt(layout, layout.height - 1), layout.rows.length - 1);
  assert.equal(rowAt(layout, layout.height), -1);
  assert.equal(rowAt(layout, -5), -1);
});
