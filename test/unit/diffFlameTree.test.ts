// The Diff tab's logic (webview/diffModelView.ts): the differential flame
// graph's tree from `renacer diff`'s call paths, its widths and colours, and
// the `-c` table's deltas and order. The inputs are what `renacer diff` made
// of two runs of one program (the second calls write twice more, opens a
// file that is not there, and no longer calls getppid).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { DiffRow, StackDelta, SyscallDelta } from '../../extension/core/diff/diffModel';
import {
  buildDiffFlameTree,
  changedSites,
  classifyDiff,
  describeDiffNode,
  diffColor,
  errorsText,
  relativeChange,
  siteLabel,
  siteTarget,
  sortDeltaRows,
  syscallDeltaRows,
  type DiffFlameNode,
} from '../../webview/diffModelView';
import { layoutTree } from '../../webview/flameGraph';

const stack = (frames: string[], before: number, after: number, beforeNs = before * 1000, afterNs = after * 1000): StackDelta => ({
  frames,
  before: { calls: before, dur_ns: beforeNs },
  after: { calls: after, dur_ns: afterNs },
});

const STACKS: StackDelta[] = [
  stack(['main', 'load_config', 'openat'], 1, 2, 81534, 67858),
  stack(['main', 'load_config', 'read'], 1, 1),
  stack(['main', 'load_config', 'close'], 1, 1),
  stack(['main', 'emit', 'write'], 3, 5, 38804, 60112),
  stack(['main', 'getppid'], 1, 0, 14648, 0),
  stack(['prog', 'mmap'], 8, 8),
  stack(['prog', 'openat'], 2, 2),
  // A function named like a syscall is a box of its own.
  stack(['main', 'read', 'read'], 0, 1),
];

const child = (n: DiffFlameNode, label: string, kind = n.children.find((k) => k.label === label)?.kind) => {
  const k = n.children.find((c) => c.label === label && c.kind === kind);
  assert.ok(k, `${n.label} has a child ${label}`);
  return k;
};

test('the call paths merge root first; each box has both sides’ calls and time', () => {
  const root = buildDiffFlameTree(STACKS);
  assert.equal(root.kind, 'root');
  assert.deepEqual(root.before, { calls: 17, dur_ns: 81534 + 1000 + 1000 + 38804 + 14648 + 8000 + 2000 + 0 });
  assert.equal(root.after.calls, 20);
  const main = child(root, 'main');
  const load = child(main, 'load_config');
  assert.equal(load.kind, 'frame');
  assert.deepEqual([load.before.calls, load.after.calls], [3, 4]);
  const openat = child(load, 'openat');
  assert.equal(openat.kind, 'syscall');
  assert.deepEqual(openat.before, { calls: 1, dur_ns: 81534 });
  assert.deepEqual(openat.after, { calls: 2, dur_ns: 67858 });
  assert.equal(openat.depth, 3);
  assert.equal(openat.parent, load);
  // `prog`'s openat is another box than load_config's.
  assert.equal(child(child(root, 'prog'), 'openat').before.calls, 2);
  const readFn = child(main, 'read', 'frame');
  assert.equal(child(readFn, 'read', 'syscall').after.calls, 1);
  assert.equal(readFn.children.length, 1);
  // A path gone in AFTER is still there, with no calls after.
  const getppid = child(main, 'getppid');
  assert.deepEqual([getppid.before.calls, getppid.after.calls, getppid.after.dur_ns], [1, 0, 0]);
});

test('widths: the larger side of each path, added up, so children fill their parent and gone paths show', () => {
  const root = buildDiffFlameTree(STACKS);
  const main = child(root, 'main');
  // load_config 1→2 + 1 + 1, write 3→5, getppid 1→0, read() 0→1.
  assert.equal(child(main, 'load_config').width, 4);
  assert.equal(child(child(main, 'emit'), 'write').width, 5);
  assert.equal(child(main, 'getppid').width, 1);
  assert.equal(main.width, 4 + 5 + 1 + 1);
  assert.equal(root.width, main.width + 10);
  const walk = (n: DiffFlameNode) => {
    if (n.children.length) assert.equal(n.children.reduce((s, k) => s + k.width, 0), n.width, `${n.label}: children add up`);
    for (let k = 1; k < n.children.length; k++) assert.ok(n.children[k - 1].width >= n.children[k].width, 'widest first');
    n.children.forEach(walk);
  };
  walk(root);
  assert.deepEqual(main.children.map((k) => k.label), ['emit', 'load_config', 'getppid', 'read']);
  // The flame graph's layout lays the tree out: main spans its share, its children fill it.
  const rects = layoutTree(root, 0, (n) => n.width);
  const m = rects.find((r) => r.node === main)!;
  assert.ok(Math.abs(m.x1 - m.x0 - 11 / 21) < 1e-9);
  const kids = rects.filter((r) => r.node.parent === main);
  assert.ok(Math.abs(kids.at(-1)!.x1 - m.x1) < 1e-9);
  assert.equal(buildDiffFlameTree([]).width, 0);
});

test('colours: more calls after towards red, fewer towards blue, as many neutral; stronger with the relative change', () => {
  const root = buildDiffFlameTree(STACKS);
  const main = child(root, 'main');
  const write = child(child(main, 'emit'), 'write');
  const getppid = child(main, 'getppid');
  const mmap = child(child(root, 'prog'), 'mmap');
  const openat = child(child(main, 'load_config'), 'openat');
  assert.equal(classifyDiff(write), 'more');
  assert.equal(classifyDiff(getppid), 'fewer');
  assert.equal(classifyDiff(mmap), 'same', 'time differs, calls do not: neutral');
  assert.equal(relativeChange(write), 2 / 5);
  assert.equal(relativeChange(getppid), -1);
  assert.equal(relativeChange(openat), 1 / 2);
  const colors = { more: { r: 255, g: 0, b: 0 }, fewer: { r: 0, g: 0, b: 255 }, neutral: { r: 100, g: 100, b: 100 } };
  assert.deepEqual(diffColor(mmap, colors), colors.neutral);
  assert.deepEqual(diffColor(getppid, colors), colors.fewer, 'gone: full colour');
  const w = diffColor(write, colors);
  const o = diffColor(openat, colors);
  assert.ok(w.r > 100 && w.b < 100 && w.r < 255, `more is red-ish: ${JSON.stringify(w)}`);
  assert.ok(o.r > w.r, '+100% is redder than +67%');
  assert.equal(describeDiffNode(write), 'write: 3 → 5 calls (+2, +67%); time 38.8 µs → 60.1 µs (+21.3 µs)');
  assert.equal(describeDiffNode(getppid), 'getppid: 1 → 0 calls (−1, gone); time 14.6 µs → 0 ns (−14.6 µs)');
});

test('the -c table: deltas per syscall, by |Δ calls| first, and every column sorts both ways', () => {
  const side = (calls: number, dur_ns: number, errors: Record<string, number> = {}) => ({ calls, errors, dur_ns, p50_ns: 0, p95_ns: 0 });
  const syscalls: SyscallDelta[] = [
    { syscall: 'close', before: side(3, 87375), after: side(3, 167626) },
    { syscall: 'getppid', before: side(1, 14648), after: null },
    { syscall: 'openat', before: side(3, 256795), after: side(4, 173026, { ENOENT: 1 }) },
    { syscall: 'write', before: side(3, 38804), after: side(5, 60112) },
  ];
  const rows = syscallDeltaRows(syscalls);
  const openat = rows.find((r) => r.syscall === 'openat')!;
  assert.deepEqual(
    [openat.callsDelta, openat.errorsBefore, openat.errorsAfter, openat.errorsDelta, openat.timeDelta, openat.only],
    [1, 0, 1, 1, 173026 - 256795, undefined],
  );
  assert.equal(rows.find((r) => r.syscall === 'getppid')!.only, 'before');
  const order = (key: Parameters<typeof sortDeltaRows>[1], desc: boolean) => sortDeltaRows(rows, key, desc).map((r) => r.syscall);
  // |Δ calls|: write +2, then getppid −1 and openat +1 (as big: more before fewer), close 0.
  assert.deepEqual(order('callsDelta', true), ['write', 'openat', 'getppid', 'close']);
  assert.deepEqual(order('callsDelta', false), ['close', 'getppid', 'openat', 'write']);
  assert.deepEqual(order('syscall', false), ['close', 'getppid', 'openat', 'write']);
  assert.deepEqual(order('callsAfter', true), ['write', 'openat', 'close', 'getppid']);
  assert.deepEqual(order('timeDelta', true), ['openat', 'close', 'write', 'getppid']);
  assert.deepEqual(order('errorsAfter', true)[0], 'openat');
});

test('changed call sites: labels, where a click leads, and the failures that changed', () => {
  const ok = (calls: number, errors: Record<string, number> = {}) => ({ calls, errors, dur_ns: 1000, p50_ns: 1000, p95_ns: 1000 });
  const rows: DiffRow[] = [
    { file: '/src/prog.c', line: 12, function: 'load_config', syscall: 'openat', before: null, after: ok(1, { ENOENT: 1 }), change: 'new' },
    { file: '/src/prog.c', line: 16, function: 'emit', syscall: 'write', before: ok(3), after: ok(5), change: 'changed', before_line: 13 },
    { file: '/src/prog.c', line: 19, function: 'main', syscall: 'getppid', before: ok(1), after: null, change: 'gone', after_line: 23 },
    { file: '/src/prog.c', line: 8, function: 'load_config', syscall: 'openat', before: ok(1), after: ok(1), change: 'same' },
    { file: null, line: null, function: null, syscall: 'openat', before: ok(2, { ENOENT: 2, EACCES: 1 }), after: ok(2, { ENOENT: 1, EACCES: 1 }), change: 'changed', exe: '/usr/bin/prog', path: '/etc/ld.so.*' },
  ];
  const changed = changedSites(rows);
  assert.equal(changed.length, 4);
  assert.deepEqual(changed.map(siteLabel), ['prog.c:12 in load_config', 'prog.c:16 in emit (was :13)', 'prog.c:19 in main', 'prog /etc/ld.so.*']);
  assert.deepEqual(changed.map(siteTarget), [{ file: '/src/prog.c', line: 12 }, { file: '/src/prog.c', line: 16 }, { file: '/src/prog.c', line: 23 }, undefined]);
  assert.deepEqual(changed.map(errorsText), ['ENOENT +1 (new)', '', '', 'ENOENT −1, EACCES 1']);
  assert.equal(errorsText({ ...rows[0], before: ok(1, { EINTR: 2 }), after: null, change: 'gone' }), 'EINTR −2 (gone)');
});
