// The built trace viewer (dist/webview/) in headless Chromium with a stub of
// its VS Code host (test/support/viewerStubHost.ts): under the strict CSP,
// offline, it draws the rows, posts the right messages to its host when a
// syscall is clicked or a flame box chosen, filters on a search, is driven
// by the keyboard, shows a source line's calls when the host asks, and a
// run-to-run diff in a Diff tab when the host sends one.
// Speed is measured by scripts/bench-viewer.mjs, not asserted here.
// RENACER_SKIP_E2E=1 skips these with the other browser tests.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';

import type { TraceDiff } from '../../extension/core/diff/diffModel';
import { decodeTraceFile, type DecodeResult } from '../../viewer/traceColumnsDecoder';
import { buildFlameGraph } from '../../webview/flameGraph';
import { SRC, SITES, writeSyntheticTrace, type SyntheticSummary } from '../support/syntheticTrace';
import { openStubViewer, type StubViewer } from '../support/viewerStubHost';
import { DEFAULT_ARTIFACTS_DIR, e2eSkipped } from './codeServerHarness';

const skip = e2eSkipped();
const ARTIFACTS = path.join(process.env.RENACER_E2E_ARTIFACTS ?? DEFAULT_ARTIFACTS_DIR, 'viewer-webview');

let dir: string;
let file: string;
let summary: SyntheticSummary;
let decoded: DecodeResult;
let v: StubViewer;

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-viewer-web-'));
  file = path.join(dir, 'server.jsonl.gz');
  summary = writeSyntheticTrace(file, { syscalls: 2000, processes: 2, threadsPerProcess: 2, batch: 256 });
  decoded = await decodeTraceFile(file);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  v = await openStubViewer();
  await v.sendTrace(file, decoded);
  await v.waitForMessage('rendered', 0, 30_000);
});

after(async () => {
  if (skip) return;
  await v?.page.screenshot({ path: path.join(ARTIFACTS, 'end.png') }).catch(() => {});
  await v?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const labels = () => v.frame.$$eval('.tl-label', (els) => els.map((e) => ({ text: (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim(), selected: e.getAttribute('aria-selected') === 'true', top: (e as HTMLElement).getBoundingClientRect().top })).sort((a, b) => a.top - b.top));
const detailsText = () => v.frame.locator('.details-body').innerText();
const search = async (text: string) => {
  const box = v.frame.locator('input.search');
  await box.fill(text);
  await box.press('Enter');
};

/** Page coordinates of the middle of call `i` on its thread's row, with the whole trace in view. */
async function callPoint(i: number): Promise<{ x: number; y: number }> {
  const c = decoded.trace.columns;
  const t = decoded.trace.tables;
  const tid = t.threads[c.thread[i]].tid;
  const canvas = await v.frame.locator('canvas.tl-tracks').boundingBox();
  const name = `${tid === t.processes[t.threads[c.thread[i]].process].pid ? 'main thread' : 'thread'} ${tid}`;
  const label = await v.frame.locator('.tl-label').filter({ has: v.frame.locator('.tl-name', { hasText: new RegExp(`^${name}$`) }) }).boundingBox();
  assert.ok(canvas && label, `the canvas and the row of ${name}`);
  const frac = (c.start[i] + c.dur[i] / 2 - t.startNs) / (t.endNs - t.startNs);
  return { x: canvas.x + frac * canvas.width, y: label.y + label.height / 2 };
}

test('the rows: processes by fork ancestry, their threads, with call counts', { skip }, async () => {
  const rows = (await labels()).map((l) => l.text);
  assert.deepEqual(rows, ['▾ server (1000) 1,000', 'main thread 1000 500', 'thread 1001 500', '▾ server (1100) 1,000', 'main thread 1100 500', 'thread 1101 500']);
  assert.match(await v.frame.locator('.match-count').innerText(), /2,000 syscalls/);
  assert.deepEqual(v.cspViolations, [], 'nothing breaks the CSP');
  assert.deepEqual(v.errors, [], 'no errors, no network');
});

test('clicking a syscall selects it, shows its details and asks the host to reveal its line', { skip }, async () => {
  await v.frame.locator('button', { hasText: 'Fit' }).click();
  const c = decoded.trace.columns;
  const t = decoded.trace.tables;
  // The longest futex call of thread 1000: wide enough to hit at full zoom-out.
  let pick = -1;
  for (let i = 0; i < c.count; i++) {
    if (t.names[c.name[i]] === 'futex' && t.threads[c.thread[i]].tid === 1000 && (pick < 0 || c.dur[i] > c.dur[pick])) pick = i;
  }
  const at = await callPoint(pick);
  const since = v.messages.length;
  await v.page.mouse.click(at.x, at.y);
  const reveal = await v.waitForMessage('reveal', since);
  assert.deepEqual(reveal, { type: 'reveal', file: SITES.waitWork.file, line: SITES.waitWork.line });
  const asked = await v.waitForMessage('details', since);
  assert.equal(asked.index, pick);
  await v.frame.locator('.details-body .strace', { hasText: 'futex(0x7f3a2c001000, FUTEX_WAIT_PRIVATE, 0, NULL) = 0' }).waitFor();
  const text = await detailsText();
  assert.match(text, /Span id\s+[0-9a-f]{16}/);
  assert.match(text, /Trace id\s+4bf92f3577b34da6a3ce929d0e0e4736/);
  assert.match(text, /Source\s+worker\.c:22 in worker_loop/);
  await v.page.screenshot({ path: path.join(ARTIFACTS, 'selected.png') });
});

test('search filters every view: the count, the rows, the statistics', { skip }, async () => {
  await search('errno:ENOENT');
  await v.frame.locator('.match-count', { hasText: `${summary.enoent} of 2,000 syscalls` }).waitFor();
  await v.frame.locator('.tab', { hasText: 'Statistics' }).click();
  const rows = await v.frame.$$eval('table.stats tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
  assert.equal(rows.length, 1);
  assert.match(rows[0], new RegExp(`^openat .* ${summary.enoent} \\(ENOENT ${summary.enoent}\\)$`));
  await search('path:conf.d -failed');
  await v.frame.locator('.match-count', { hasText: '0 of 2,000 syscalls' }).waitFor();
  await search('');
  await v.frame.locator('.match-count', { hasText: /^2,000 syscalls$/ }).waitFor();
});

test('statistics sort by a column', { skip }, async () => {
  await v.frame.locator('.tab', { hasText: 'Statistics' }).click();
  await v.frame.locator('th button', { hasText: 'Calls' }).click();
  const calls = await v.frame.$$eval('table.stats tbody tr', (trs) => trs.map((tr) => Number((tr.children[5] as HTMLElement).innerText.replace(/,/g, ''))));
  assert.deepEqual(calls, [...calls].sort((a, b) => b - a));
  assert.equal(await v.frame.locator('th[aria-sort="descending"]').innerText(), 'Calls ▼');
});

test('the keyboard: rows with the arrows, a thread\'s calls with → and ←, Enter reveals the line', { skip }, async () => {
  await v.frame.locator('.tab', { hasText: 'Timeline' }).click();
  await search('name:read');
  await v.frame.locator('button', { hasText: 'Fit' }).click();
  await v.frame.locator('.tl-label', { hasText: 'server (1000)' }).click();
  await v.page.keyboard.press('ArrowDown');
  assert.equal((await labels()).find((l) => l.selected)?.text.split(' ').slice(0, 3).join(' '), 'main thread 1000');
  let since = v.messages.length;
  await v.page.keyboard.press('ArrowRight');
  const first = await v.waitForMessage('details', since);
  since = v.messages.length;
  await v.page.keyboard.press('ArrowRight');
  const second = await v.waitForMessage('details', since);
  const c = decoded.trace.columns;
  assert.ok(c.start[second.index] > c.start[first.index], 'the next call of the thread');
  assert.equal(decoded.trace.tables.threads[c.thread[second.index]].tid, 1000);
  since = v.messages.length;
  await v.page.keyboard.press('ArrowLeft');
  assert.equal((await v.waitForMessage('details', since)).index, first.index, '← goes back');
  since = v.messages.length;
  await v.page.keyboard.press('Enter');
  assert.deepEqual(await v.waitForMessage('reveal', since), { type: 'reveal', file: SITES.readChunk.file, line: SITES.readChunk.line });
  // ← on a process row collapses it.
  await v.page.keyboard.press('ArrowUp');
  await v.page.keyboard.press('ArrowLeft');
  assert.ok((await labels()).some((l) => l.text.startsWith('▸ server (1000)')), 'collapsed');
  await v.page.keyboard.press('ArrowRight');
  assert.ok((await labels()).some((l) => l.text.startsWith('▾ server (1000)')), 'expanded again');
  await search('');
});

test('the minimap from the keyboard: Tab reaches it, keys zoom and move the window, a screen reader hears where it is', { skip }, async () => {
  await v.frame.locator('.tab', { hasText: 'Timeline' }).click();
  await v.frame.locator('button', { hasText: 'Fit' }).click();
  const minimap = v.frame.locator('canvas.tl-minimap');
  // The window is drawn (and described) at the next frame.
  const described = (text: string) => v.frame.locator(`canvas.tl-minimap[aria-valuetext="${text}"]`).waitFor({ timeout: 5000 });
  await minimap.focus();
  assert.equal(await minimap.getAttribute('role'), 'scrollbar');
  assert.equal(await minimap.evaluate((e) => (e as HTMLElement).tabIndex), 0, 'in the Tab order');
  await described('100% of the trace in view, from 0%');
  await v.page.keyboard.press('+');
  await v.page.keyboard.press('+');
  await described('25% of the trace in view, from 38%');
  await v.page.keyboard.press('End');
  await described('25% of the trace in view, from 75%');
  assert.equal(await minimap.getAttribute('aria-valuenow'), '100');
  await v.page.keyboard.press('Shift+ArrowLeft');
  await described('25% of the trace in view, from 50%');
  await v.page.keyboard.press('0');
  await described('100% of the trace in view, from 0%');
});

test('the host reveals a source line: its calls are filtered, fitted and the first selected', { skip }, async () => {
  const since = v.messages.length;
  await v.send({ type: 'revealLine', file: `${SRC}/config.c`, line: 12 });
  await v.frame.waitForFunction((want) => (document.querySelector('input.search') as HTMLInputElement).value === want, `at:${SRC}/config.c:12`);
  const openats = [...decoded.trace.columns.name].filter((n) => decoded.trace.tables.names[n] === 'openat').length;
  await v.frame.locator('.match-count', { hasText: `${openats.toLocaleString('en')} of 2,000 syscalls` }).waitFor();
  const asked = await v.waitForMessage('details', since);
  assert.equal(decoded.trace.tables.names[decoded.trace.columns.name[asked.index]], 'openat');
  await v.frame.locator('.details-body .strace', { hasText: /^openat\(AT_FDCWD, "/ }).waitFor();
  await v.page.screenshot({ path: path.join(ARTIFACTS, 'reveal-line.png') });
  await search('');
});

test('columns that do not inflate: the viewer says so, and the next trace opens', { skip }, async () => {
  let since = v.messages.length;
  await v.sendTrace(file, decoded, { corruptColumns: true });
  await v.frame.locator('.placeholder.error', { hasText: /Could not read the decoded trace/ }).waitFor();
  assert.equal(v.messages.slice(since).filter((m) => m.type === 'rendered').length, 0);
  // The console's report of the failed inflation is this test's, not the viewer's.
  v.errors.splice(0, v.errors.length, ...v.errors.filter((e) => !/incorrect header check|invalid|Decompress/i.test(e)));
  since = v.messages.length;
  await v.sendTrace(file, decoded);
  await v.waitForMessage('rendered', since, 30_000);
  await v.frame.locator('.match-count', { hasText: /^2,000 syscalls$/ }).waitFor();
});

test('the flame graph: a click on a box reveals its line; the keyboard walks the boxes', { skip }, async () => {
  await v.frame.locator('.tab', { hasText: 'Flame graph' }).click();
  const canvas = v.frame.locator('canvas.flame-canvas');
  const box = (await canvas.boundingBox())!;
  // Row 1 (below the root), at its left edge: the outermost function with the most syscall time.
  const heaviest = buildFlameGraph(decoded.trace.columns, decoded.trace.tables, null).children[0];
  let since = v.messages.length;
  await v.page.mouse.click(box.x + 5, box.y + 20 + 10);
  const reveal = await v.waitForMessage('reveal', since);
  assert.deepEqual(reveal, { type: 'reveal', file: decoded.trace.tables.files[heaviest.file!], line: heaviest.line, column: heaviest.column });
  assert.equal(await v.frame.locator('.details-body .strace').innerText(), heaviest.label);
  since = v.messages.length;
  await canvas.focus();
  await v.page.keyboard.press('ArrowDown');
  await v.page.keyboard.press('ArrowDown');
  await v.page.keyboard.press('ArrowDown');
  await v.page.keyboard.press('Enter');
  const leaf = await v.waitForMessage('reveal', since);
  assert.ok(leaf.file.startsWith(SRC), `a line of the program: ${leaf.file}:${leaf.line}`);
  await v.page.keyboard.press('z');
  await v.frame.locator('.flame-crumbs', { hasText: /^all syscalls › .*\(Escape: zoom out\)$/ }).waitFor();
  await v.page.keyboard.press('Escape');
  await v.frame.locator('.flame-crumbs', { hasText: /^all syscalls › [^›]*$/ }).waitFor();
  await v.page.screenshot({ path: path.join(ARTIFACTS, 'flame.png') });
  assert.deepEqual(v.cspViolations, []);
  assert.deepEqual(v.errors, []);
});

test('a new trace opens with an empty search, not the last trace\'s', { skip }, async () => {
  await search('errno:ENOENT');
  await v.frame.locator('.match-count', { hasText: `${summary.enoent} of 2,000 syscalls` }).waitFor();
  const other = path.join(dir, 'other.jsonl.gz');
  fs.copyFileSync(file, other);
  const since = v.messages.length;
  await v.sendTrace(other, decoded);
  await v.waitForMessage('rendered', since, 30_000);
  await v.frame.locator('.match-count', { hasText: /^2,000 syscalls$/ }).waitFor();
  assert.equal(await v.frame.locator('input.search').inputValue(), '');
});

test('n and N step through the matches of a search; a selection the filter hides is dropped', { skip }, async () => {
  await search('errno:ENOENT');
  await v.frame.locator('.match-count', { hasText: `${summary.enoent} of 2,000 syscalls` }).waitFor();
  const seen = new Set<string>();
  for (let k = 0; k < 3; k++) {
    // F3 from the search box (n / N from the views).
    await v.frame.locator('input.search').press('F3');
    await v.frame.locator('.details-body', { hasText: 'ENOENT' }).waitFor();
    seen.add(await detailsText());
  }
  assert.ok(seen.size >= Math.min(3, summary.enoent), 'each n selects another match');
  await search('-failed');
  await v.frame.locator('.details-body', { hasText: 'ENOENT' }).waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  assert.doesNotMatch(await detailsText().catch(() => ''), /ENOENT/, 'the hidden selection is gone from DETAILS');
  await search('');
});

test('a diff from the host: a Diff tab with the -c deltas, the changed sites (a click reveals the line) and a differential flame graph', { skip }, async () => {
  let since = v.messages.length;
  await v.sendTrace(file, decoded);
  await v.waitForMessage('rendered', since, 30_000);
  const tab = v.frame.locator('#tab-diff');
  assert.equal(await tab.isHidden(), true, 'no diff, no tab');
  const side = (calls: number, dur_ns: number, errors: Record<string, number> = {}) => ({ calls, errors, dur_ns, p50_ns: 0, p95_ns: 0 });
  const run = (f: string, calls: number, errors: number, dur_ns: number) => ({ file: f, program: './server', pid: 1000, calls, errors, dur_ns, truncated: false });
  const diff: TraceDiff = {
    before: run(path.join(dir, 'before.jsonl.gz'), 8, 0, 60_000),
    after: run(file, 10, 1, 75_000),
    rows: [
      { file: `${SRC}/config.c`, line: 12, function: 'load_config', syscall: 'openat', before: null, after: side(1, 5_000, { ENOENT: 1 }), change: 'new' },
      { file: `${SRC}/worker.c`, line: 22, function: 'worker_loop', syscall: 'write', before: side(3, 30_000), after: side(5, 50_000), change: 'changed', before_line: 20 },
      { file: `${SRC}/worker.c`, line: 30, function: 'worker_loop', syscall: 'getppid', before: side(1, 1_000), after: null, change: 'gone' },
      { file: `${SRC}/config.c`, line: 9, function: 'load_config', syscall: 'read', before: side(4, 29_000), after: side(4, 20_000), change: 'same' },
    ],
    syscalls: [
      { syscall: 'getppid', before: side(1, 1_000), after: null },
      { syscall: 'openat', before: null, after: side(1, 5_000, { ENOENT: 1 }) },
      { syscall: 'read', before: side(4, 29_000), after: side(4, 20_000) },
      { syscall: 'write', before: side(3, 30_000), after: side(5, 50_000) },
    ],
    stacks: [
      { frames: ['main', 'load_config', 'openat'], before: { calls: 0, dur_ns: 0 }, after: { calls: 1, dur_ns: 5_000 } },
      { frames: ['main', 'load_config', 'read'], before: { calls: 4, dur_ns: 29_000 }, after: { calls: 4, dur_ns: 20_000 } },
      { frames: ['worker_loop', 'write'], before: { calls: 3, dur_ns: 30_000 }, after: { calls: 5, dur_ns: 50_000 } },
      { frames: ['worker_loop', 'getppid'], before: { calls: 1, dur_ns: 1_000 }, after: { calls: 0, dur_ns: 0 } },
    ],
    warnings: [],
  };
  // Of another trace than the one on screen: kept for it, not shown.
  await v.send({ type: 'diff', diff: { ...diff, after: { ...diff.after, file: path.join(dir, 'elsewhere.jsonl.gz') } } });
  await v.send({ type: 'diff', diff });
  await tab.waitFor({ state: 'visible' });
  assert.equal(await tab.getAttribute('aria-selected'), 'true', 'switched to the Diff tab');
  assert.match(await v.frame.locator('.diff-summary').innerText(), /before\.jsonl\.gz → server\.jsonl\.gz · calls 8 → 10 \(\+2, \+25%\) · failures 0 → 1 \(\+1, new\) · time 60\.0 µs → 75\.0 µs \(\+15\.0 µs, \+25%\)/);
  const syscallRows = () => v.frame.$$eval('#diff-table tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
  // By |Δ calls|, the biggest first.
  assert.deepEqual(await syscallRows(), [
    'write 3 5 +2 0 0 0 30.0 µs 50.0 µs +20.0 µs',
    'openat (new) 0 1 +1 0 1 +1 0 ns 5.00 µs +5.00 µs',
    'getppid (gone) 1 0 −1 0 0 0 1.00 µs 0 ns −1.00 µs',
    'read 4 4 0 0 0 0 29.0 µs 20.0 µs −9.00 µs',
  ]);
  assert.equal(await v.frame.locator('#diff-table th[aria-sort="descending"]').innerText(), 'Δ calls ▼');
  assert.equal(await v.frame.locator('#diff-table tbody tr:first-child td.delta-more').first().innerText(), '+2');
  await v.frame.locator('#diff-table th button', { hasText: 'Time after' }).click();
  assert.equal((await syscallRows())[0].split(' ')[0], 'write');
  await v.frame.locator('#diff-table th button', { hasText: 'Time after' }).click();
  assert.equal(await v.frame.locator('#diff-table th[aria-sort="ascending"]').innerText(), 'Time after ▲');
  assert.equal((await syscallRows())[0].split(' ')[0], 'getppid');
  const sites = await v.frame.$$eval('#diff-sites tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
  assert.deepEqual(sites, [
    'new config.c:12 in load_config openat 0 1 +1 ENOENT +1 (new)',
    'changed worker.c:22 in worker_loop (was :20) write 3 5 +2',
    'gone worker.c:30 in worker_loop getppid 1 0 −1',
  ]);
  since = v.messages.length;
  await v.frame.locator('#diff-sites tbody tr', { hasText: 'worker.c:22' }).click();
  assert.deepEqual(await v.waitForMessage('reveal', since), { type: 'reveal', file: `${SRC}/worker.c`, line: 22 });
  const canvas = v.frame.locator('#diff-flame canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  assert.ok(box.width > 100 && box.height >= 3 * 20, `the flame graph is drawn: ${JSON.stringify(box)}`);
  // Row 1, left edge: the widest child of the root (worker_loop: 3→5 + 1→0, width 6; main 1 + 4 = 5).
  await v.page.mouse.move(box.x + 5, box.y + 20 + 10);
  await v.frame.locator('.diff-flame-info', { hasText: 'all syscalls › worker_loop: 4 → 5 calls (+1, +25%)' }).waitFor();
  assert.match(await v.frame.locator('#diff-flame .tooltip').innerText(), /worker_loop 4 → 5 calls \(\+1\)/);
  await v.page.screenshot({ path: path.join(ARTIFACTS, 'diff.png') });
  await v.send({ type: 'diff', diff: null });
  await tab.waitFor({ state: 'hidden' });
  assert.equal(await v.frame.locator('#tab-timeline').getAttribute('aria-selected'), 'true');
  assert.deepEqual(v.cspViolations, []);
  assert.deepEqual(v.errors, []);
});
