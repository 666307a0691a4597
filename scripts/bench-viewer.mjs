// Trace viewer benchmark: how long a large trace takes to open, and how long
// the timeline takes to draw a frame while panning and zooming through it.
//
//   node scripts/build.mjs && node --import tsx scripts/bench-viewer.mjs [N] [--trace FILE] [--runs R]
//
// N syscalls (default 1,000,000) of a synthetic program (4 processes × 4
// threads, source lines with inlined callers, paths, failures) written by the
// real trace file writer, or a trace file of your own with --trace.
//
// Open time:
//  - decode: dist/traceDecodeWorker.js on worker threads, as the extension
//    host runs it (file → columns in the host's hands, worker start included);
//  - webview: the built viewer (dist/webview/) in headless Chromium
//    (test/support/viewerStubHost.ts: the viewer's CSP, an iframe as VS Code
//    uses), from the columns in hand to its first frame with the trace (the
//    `renacer-draw` User Timing measure); the stub's own delivery of the
//    columns goes through Playwright's routing and is not counted;
//  - in VS Code: when code-server is installed (scripts/install-code-server.sh,
//    or RENACER_CODE_SERVER_DIR), the whole "Renacer: Show Trace Viewer" in a
//    real VS Code, from the command to the first frame (what a person waits
//    for: decode, transfer to the webview over code-server's connection, first
//    frame), through test/e2e/codeServerHarness.ts and scripts/bench-viewer-host.js.
// Frame time: the timeline's own cost per frame (the `renacer-timeline-frame`
// User Timing measure around its drawing) and the interval between
// animation frames, while the mouse drags the tracks (pan) and Ctrl+wheel
// zooms, at three zoom levels. Prints medians and 95th percentiles.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { countArg, flag, lowerMedian as median } from './benchCommon.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The TypeScript helpers load as CommonJS through tsx (node --import tsx).
const require = createRequire(import.meta.url);
const { writeSyntheticTrace } = require('../test/support/syntheticTrace.ts');
const { openStubViewer } = require('../test/support/viewerStubHost.ts');
const { decodeTraceFile } = require('../viewer/traceColumnsDecoder.ts');
const { findCodeServer, runExtensionTests } = require('../test/e2e/codeServerHarness.ts');

const N = countArg(1_000_000);
const RUNS = Number(flag('--runs') ?? 3);
const WORKER = path.join(ROOT, 'dist', 'traceDecodeWorker.js');
if (!fs.existsSync(WORKER)) {
  console.error('bench-viewer: build first: node scripts/build.mjs');
  process.exit(1);
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x) => `${x.toFixed(1)} ms`;

let file = flag('--trace');
let tmp;
if (!file) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-bench-viewer-'));
  file = path.join(tmp, 'synthetic.jsonl.gz');
  const t0 = performance.now();
  writeSyntheticTrace(file, { syscalls: N, processes: 4, threadsPerProcess: 4 });
  console.log(`synthetic trace: ${N.toLocaleString('en')} syscalls, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB (written in ${ms(performance.now() - t0)})`);
} else {
  console.log(`trace: ${file}, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
}
console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-bench-viewer-cache-'));
let runNo = 0;
/** As the extension runs it: decode on worker threads, then write the decoded trace to the cache. */
function decodeInWorker() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // execArgv [] as in the extension host: not this process's `--import tsx`.
    const w = new Worker(WORKER, { workerData: { mode: 'trace', file, limit: 5_000_000, cacheDir, cacheKey: `run${runNo++}` }, execArgv: [] });
    w.on('message', (m) => {
      if (m.type === 'done') resolve({ ms: performance.now() - t0, decodeMs: m.trace.decodeMs, count: m.trace.count, stored: m.trace.columnsFiles.reduce((a, f) => a + fs.statSync(f).size, 0) });
      else if (m.type === 'error') reject(new Error(m.message));
    });
    w.on('error', reject);
  });
}

try {
  // --- Open: decode ----------------------------------------------------------
  const decodes = [];
  let count = 0;
  let stored = 0;
  for (let r = 0; r < RUNS; r++) {
    const d = await decodeInWorker();
    decodes.push(d);
    count = d.count;
    stored = d.stored;
  }
  const bytes = count * 37; // the columns in memory (traceColumns.ts)
  console.log(
    `\ndecode (worker threads, file → columns → cache): median ${ms(median(decodes.map((d) => d.ms)))} of ${RUNS} [${decodes.map((d) => d.ms.toFixed(0)).join(', ')}], ` +
      `of which decoding [${decodes.map((d) => d.decodeMs.toFixed(0)).join(', ')}] — ${count.toLocaleString('en')} syscalls, columns ${(bytes / 1e6).toFixed(0)} MB, stored ${(stored / 1e6).toFixed(1)} MB`,
  );

  // --- Open: in VS Code --------------------------------------------------------
  let codeServer;
  try {
    codeServer = findCodeServer();
  } catch (e) {
    console.log(`in VS Code: skipped (${e.message.split(':')[0]})`);
  }
  if (codeServer) {
    const out = path.join(os.tmpdir(), `renacer-bench-viewer-${process.pid}.json`);
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-bench-viewer-ws-'));
    try {
      const r = await runExtensionTests({
        name: 'bench-viewer',
        workspace: ws,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: path.join(ROOT, 'scripts', 'bench-viewer-host.js'),
        env: { RENACER_BENCH_PAUSE: process.env.RENACER_BENCH_PAUSE ?? '', RENACER_BENCH_TRACE: file, RENACER_BENCH_OUT: out, RENACER_BENCH_RUNS: String(RUNS) },
        viewport: { width: 1600, height: 900 },
        timeoutMs: 300_000,
      });
      if (r.exitCode !== 0) throw new Error(`the in-host benchmark failed:\n${r.output.slice(-2000)}`);
      const { cold, warm } = JSON.parse(fs.readFileSync(out, 'utf8'));
      const list = (xs, k) => xs.map((x) => x[k]).join(', ');
      console.log(`in VS Code (code-server), "Show Trace Viewer" → first frame, from the trace file: median ${ms(median(cold.map((x) => x.openMs)))} of ${RUNS} [${list(cold, 'openMs')}], of which decoding [${list(cold, 'decodeMs')}]`);
      console.log(`in VS Code (code-server), the same trace again (decoded trace cached): median ${ms(median(warm.map((x) => x.openMs)))} [${list(warm, 'openMs')}]`);
      console.log('  where the time went, ms from the command (run 1 is the session\'s first webview; later ones wait ~1 s for code-server\'s webview service worker):');
      for (const [i, x] of cold.entries()) console.log(`  cold ${i + 1}: ${x.waterfall ?? '(no waterfall)'}`);
      for (const [i, x] of warm.entries()) console.log(`  cached ${i + 1}: ${x.waterfall ?? '(no waterfall)'}`);
    } finally {
      fs.rmSync(out, { force: true });
      fs.rmSync(ws, { recursive: true, force: true });
    }
  }

  // --- Open: webview ---------------------------------------------------------
  const decoded = await decodeTraceFile(file);
  // --expose-gc: the heap is measured after a collection, not with the garbage of opening.
  const viewer = await openStubViewer({ viewport: { width: 1600, height: 900 }, extraArgs: ['--js-flags=--expose-gc', '--enable-precise-memory-info'] });
  const frame = () => viewer.frame;
  const webviews = [];
  const heap = () =>
    frame().evaluate(() => {
      globalThis.gc?.();
      return performance.memory?.usedJSHeapSize ?? 0;
    });
  try {
    const heapBefore = await heap();
    for (let r = 0; r < RUNS; r++) {
      if (r > 0) {
        const since = viewer.messages.length;
        await frame().evaluate(() => location.reload());
        await viewer.waitForMessage('ready', since);
      }
      const since = viewer.messages.length;
      await viewer.sendTrace(file, decoded);
      await viewer.waitForMessage('rendered', since, 60_000);
      // From the columns in hand: the stub's delivery of them (Playwright's routing) is not the editor's.
      webviews.push(await frame().evaluate(() => performance.getEntriesByName('renacer-draw').at(-1).duration));
      if (r === 0) {
        const after = await heap();
        if (after) console.log(`webview memory (JS heap after a GC, Chromium's performance.memory): ${(heapBefore / 1e6).toFixed(0)} MB before the trace, ${(after / 1e6).toFixed(0)} MB with it (the columns are ${(bytes / 1e6).toFixed(0)} MB)`);
      }
    }
    console.log(`webview (columns in hand → first frame drawn): median ${ms(median(webviews))} of ${RUNS} [${webviews.map((d) => d.toFixed(0)).join(', ')}]`);

    // --- Frame times -----------------------------------------------------------
    await frame().evaluate(() => {
      window.benchFrames = [];
      window.benchIntervals = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === 'renacer-timeline-frame') window.benchFrames.push(e.duration);
      }).observe({ type: 'measure' });
    });
    const canvas = await frame().locator('canvas.tl-tracks').boundingBox();
    const cx = canvas.x + canvas.width / 2;
    const cy = canvas.y + Math.min(canvas.height / 2, 150);
    const page = viewer.page;
    const collect = async (label, act) => {
      await frame().evaluate(() => {
        window.benchFrames.length = 0;
        window.benchIntervals.length = 0;
        window.benchRaf = true;
        let last = performance.now();
        const tick = (t) => {
          window.benchIntervals.push(t - last);
          last = t;
          if (window.benchRaf) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      await act();
      await page.waitForTimeout(200);
      const { frames, intervals } = await frame().evaluate(() => {
        window.benchRaf = false;
        return { frames: [...window.benchFrames], intervals: window.benchIntervals.slice(1) };
      });
      const fps = 1000 / median(intervals);
      console.log(
        `${label.padEnd(34)} ${String(frames.length).padStart(4)} frames · draw median ${ms(median(frames))}, p95 ${ms(pct(frames, 0.95))}, max ${ms(Math.max(...frames))} · frame interval median ${ms(median(intervals))} (${fps.toFixed(0)} fps), p95 ${ms(pct(intervals, 0.95))}`,
      );
    };
    const drag = async (dx, steps) => {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let i = 1; i <= steps; i++) {
        await page.mouse.move(cx + (dx * i) / steps, cy);
        await page.waitForTimeout(8);
      }
      await page.mouse.up();
    };
    const zoom = async (deltaY, steps) => {
      await page.mouse.move(cx, cy);
      await page.keyboard.down('Control');
      for (let i = 0; i < steps; i++) {
        await page.mouse.wheel(0, deltaY);
        await page.waitForTimeout(16);
      }
      await page.keyboard.up('Control');
    };
    console.log(`\nframes, ${count.toLocaleString('en')} syscalls on ${await frame().locator('.tl-label').count()} rows, canvas ${Math.round(canvas.width)}×${Math.round(canvas.height)} CSS px:`);
    await frame().locator('button', { hasText: 'Fit' }).click();
    await collect('zoom in, whole trace → 1/1000', () => zoom(-60, 60));
    await collect('pan, zoomed in (~1,000 calls shown)', () => drag(-500, 60));
    await frame().locator('button', { hasText: 'Fit' }).click();
    await zoom(-60, 20);
    await collect('pan, 1/10 of the trace in view', () => drag(600, 60));
    await collect('zoom out to the whole trace', () => zoom(60, 60));
    await frame().locator('input.search').fill('name:read');
    await frame().locator('input.search').press('Enter');
    await zoom(-60, 20);
    await collect('pan, filtered (name:read)', () => drag(-600, 60));
    if (viewer.errors.length) console.log('viewer errors:', viewer.errors);
  } finally {
    await viewer.close();
  }
} finally {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(cacheDir, { recursive: true, force: true });
}
