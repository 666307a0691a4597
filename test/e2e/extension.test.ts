// The extension in a real VS Code (code-server + Chromium): a C project with a
// "Renacer: Trace Program" launch configuration; F5; the Debug Console shows
// its syscalls; annotations on the right lines with hovers; Export Trace to a
// local OTLP receiver under the configured TRACEPARENT.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';

import { startReceiver } from '../support/otlpReceiver';
import { e2eSkipped, REPO, runExtensionTests } from './codeServerHarness';
import { lineOf, makeDemoWorkspace } from './demoWorkspace';
import { extensionUnderTest, packageVsix } from './vsixPackage';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';


for (const mode of ['development folder', 'installed .vsix'] as const) {
  test(`F5 traces the program (${mode}): Debug Console, annotations with hovers, export under the configured TRACEPARENT`, { skip: e2eSkipped(), timeout: 600_000 }, async () => {
    await scenario(mode);
  });
}

async function scenario(mode: 'development folder' | 'installed .vsix'): Promise<void> {

  const ws = makeDemoWorkspace('renacer-e2e-ext-');
  const openLine = lineOf(path.join(ws, 'demo.c'), '@syscall openat');
  const receiver = await startReceiver();
  let annotatedAt = Date.now();
  try {
    const vsix = mode === 'installed .vsix' ? packageVsix() : undefined;
    const result = await runExtensionTests({
      ...extensionUnderTest('renacer-extension', vsix),
      workspace: ws,
      extensionTestsPath: path.join(REPO, 'test', 'e2e', 'renacerExtension', 'index.js'),
      settings: {
        'renacer.traceParent': `00-${TRACE_ID}-${PARENT_SPAN}-01`,
        'debug.internalConsoleOptions': 'openOnSessionStart',
      },
      env: { RENACER_E2E_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.httpPort}`, ...(vsix ? { RENACER_E2E_EXPECT_INSTALLED: '1' } : {}) },
      timeoutMs: 300_000,
      during: async (s) => {
        await s.withCheckpoint('annotated', async () => {
          const text = (await s.waitForDecoration(openLine, /openat/)).join(' ');
          assert.match(text, /2× openat · 1 ENOENT · [\d.]+ (ns|µs|ms)/);
          const hover = await s.hoverText(openLine, 5, { expect: /Renacer[\s\S]*openat|openat[\s\S]*Renacer/ });
          assert.match(hover, /Renacer/);
          assert.match(hover, /ENOENT/);
          const console = await s.waitForDebugConsole(/syscalls traced; the program exited with 0/);
          assert.match(console, /exited with 0/);
          // The program's output sits right before the write that printed it.
          const rows = console.split('\n');
          const printed = rows.findIndex((r) => /^demo: config \d+ bytes, worker answered/.test(r));
          assert.ok(printed >= 0 && /write\(1, "demo: config/.test(rows[printed + 1] ?? ''), JSON.stringify(rows.slice(Math.max(0, printed - 2), printed + 3)));
          assert.equal(receiver.spanCount, 0, 'no collector was configured for the run itself');
          await s.screenshot('annotated');
          annotatedAt = Date.now();
        });
        await s.withCheckpoint('exported', async () => {
          const end = Date.now() + 30_000;
          while (!receiver.spans.some((sp) => sp.traceId === TRACE_ID) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
          const spans = receiver.spans.filter((sp) => sp.traceId === TRACE_ID);
          assert.ok(spans.length > 10, `${spans.length} spans of the configured trace`);
          const children = spans.filter((sp) => sp.parentSpanId === PARENT_SPAN);
          assert.equal(children.length, 1, 'exactly one span is the child of the configured parent');
          assert.equal(new Set(spans.map((sp) => sp.spanId)).size, spans.length, 'no span was sent twice');
          const byId = new Map(spans.map((sp) => [sp.spanId, sp]));
          for (const sp of spans) {
            let cur = sp;
            for (let hops = 0; cur.parentSpanId !== PARENT_SPAN; hops++) {
              assert.ok(hops < 10 && byId.has(cur.parentSpanId), `span ${sp.name} reaches the configured parent`);
              cur = byId.get(cur.parentSpanId)!;
            }
          }
          assert.ok(spans.some((sp) => sp.attributes['code.lineno'] === openLine || sp.attributes['code.line.number'] === openLine), 'source attributes on the syscall spans');
          // The status bar item outlives the run (it used to vanish after 15 s): click it to open the viewer.
          const wait = annotatedAt + 16_000 - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          assert.match(await s.waitForStatusBarText(/Renacer: [\d,]+ syscalls/), /Renacer: [\d,]+ syscalls/);
          // No template is set: the success message offers no dead "open in Grafana" link.
          const buttons = await s.page.$$eval('.notifications-toasts .monaco-button', (els) => els.map((e) => (e as HTMLElement).innerText));
          assert.ok(!buttons.some((b) => /Grafana|Jaeger|Open Trace/.test(b)), JSON.stringify(buttons));
          await s.screenshot('exported');
        });
        await s.withCheckpoint('export-failed', async () => {
          const page = s.page;
          await page.waitForFunction(() => Array.from(document.querySelectorAll('.notifications-toasts .notification-list-item-message')).some((e) => /export failed/.test((e as HTMLElement).innerText)), null, { timeout: 20_000 });
          const message = (await s.notificationTexts()).find((t) => /export failed/.test(t))!;
          assert.equal(message.match(/renacer:/gi)?.length, 1, message);
          assert.doesNotMatch(message, /warning/i);
          assert.match(message, /127\.0\.0\.1:9/);
          const buttons = await page.$$eval('.notifications-toasts .monaco-button', (els) => els.map((e) => (e as HTMLElement).innerText));
          assert.ok(buttons.includes('Open Settings'), JSON.stringify(buttons));
          await s.screenshot('export-failed');
        });
      },
    });
    assert.equal(result.exitCode, 0, result.output.slice(-4000));
    const latency = result.output.match(/annotation latency (\d+) ms/)?.[1];
    if (latency) console.log(`# annotations on screen ${latency} ms after the program's exit (${mode})`);
  } finally {
    await receiver.stop?.();
  }
}
