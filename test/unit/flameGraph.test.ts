// The flame graph: syscall time by call stack, outermost caller on top of
// the tree, a syscall box under the function that made the call; each box
// leads to the line that put the most time in it; zoom and layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { buildFlameGraph, flameDepth, layoutFlame, type FlameNode } from '../../webview/flameGraph';
import { buildMask } from '../../webview/traceFilter';
import { syntheticModel } from '../support/viewerModel';
import { SITES } from '../support/syntheticTrace';

const child = (n: FlameNode, label: string) => n.children.find((k) => k.label === label)!;

test('time by call stack: main → copy_file → read_chunk → read, and calls without source apart', async () => {
  const { model } = await syntheticModel({ syscalls: 3000 });
  const c = model.columns;
  const root = buildFlameGraph(c, model.tables, null);
  let total = 0;
  for (let i = 0; i < c.count; i++) total += c.dur[i];
  assert.equal(root.valueNs, total);
  assert.equal(root.calls, c.count);
  const read = child(child(child(child(root, 'main'), 'copy_file'), 'read_chunk'), 'read');
  let readNs = 0;
  let readCalls = 0;
  for (let i = 0; i < c.count; i++) if (model.name(i) === 'read') (readNs += c.dur[i]), readCalls++;
  assert.equal(read.valueNs, readNs);
  assert.equal(read.calls, readCalls);
  assert.equal(read.kind, 'syscall');
  // A box leads to the line: the syscall's own, and the call line in each caller.
  assert.equal(read.line, SITES.readChunk.line);
  assert.equal(child(root, 'main').line, 44, 'main called copy_file on line 44 (the heaviest path through main)');
  const unknown = child(root, '(no source)');
  assert.equal(child(unknown, 'getppid').kind, 'syscall');
  assert.equal(unknown.file, undefined);
  for (const n of [root, ...root.children]) {
    for (let k = 1; k < n.children.length; k++) assert.ok(n.children[k - 1].valueNs >= n.children[k].valueNs, 'heaviest first');
    assert.equal(n.children.reduce((s, k) => s + k.valueNs, 0), n.valueNs, `${n.label}: children add up`);
  }
  assert.equal(flameDepth(root), 4);
  const openat = child(child(child(root, 'main'), 'load_config'), 'openat');
  assert.ok(openat.errors > 0);
});

test('the filter applies; layout spreads the focused box over the width with its ancestors above', async () => {
  const { model } = await syntheticModel({ syscalls: 3000 });
  const root = buildFlameGraph(model.columns, model.tables, buildMask(model, { text: 'name:futex', process: -1, file: -1 }));
  assert.deepEqual(root.children.map((k) => k.label), ['worker_loop']);
  const full = buildFlameGraph(model.columns, model.tables, null);
  const main = child(full, 'main');
  const rects = layoutFlame(main, 0);
  assert.deepEqual(rects.slice(0, 2).map((r) => [r.node.label, r.x0, r.x1]), [
    ['all syscalls', 0, 1],
    ['main', 0, 1],
  ]);
  const kids = rects.filter((r) => r.node.parent === main);
  assert.equal(kids.length, main.children.length);
  assert.ok(Math.abs(kids.at(-1)!.x1 - 1) < 1e-9, 'children fill the width');
  assert.ok(layoutFlame(full, 0.3).every((r) => r.x1 - r.x0 >= 0.3), 'narrow boxes are left out');
});
