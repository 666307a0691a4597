// The built trace viewer (dist/webview/) in headless Chromium with a stub of
// its VS Code host, laid out as VS Code lays out a webview: an outer page
// (the workbench) holds an iframe whose document has the viewer's strict CSP
// (default-src 'none', scripts by nonce only) and an acquireVsCodeApi() that
// posts to the outer page. The outer page relays messages both ways, and
// sends a trace as the panel does: the tables with the columns' gzip'd parts
// (traceColumnsCache.ts), transferred. Everything is served from a fake
// origin through Playwright's routing: nothing touches the network.
//
// Used by the webview's browser test (test/e2e/viewerWebview.test.ts) and
// the benchmark (scripts/bench-viewer.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

import { SyscallEventLookup } from '../../viewer/syscallEventLookup';
import type { DecodeResult } from '../../viewer/traceColumnsDecoder';
import { COLUMN_PARTS } from '../../viewer/traceColumnsCache';
import { encodeColumnsFile, splitColumnsFile } from '../../viewer/traceColumnsFile';
import type { HostMessage, SyscallDetails, ViewerMessage } from '../../viewer/traceViewerProtocol';
import { viewerDocument } from '../../viewer/viewerDocument';
// The flags the e2e harness gives Debian's Chromium (no GPU, no network chatter).
import { CHROMIUM_ARGS } from '../e2e/codeServerHarness';

export const ORIGIN = 'https://renacer.test';
const REPO = path.resolve(__dirname, '..', '..');
const DIST = path.join(REPO, 'dist', 'webview');
const NONCE = 'c3R1Yi1ob3N0LW5vbmNl';


const HOST_HTML = `<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>stub host</title></head>
<body style="margin:0;overflow:hidden">
<iframe id="wv" src="${ORIGIN}/webview.html" style="border:0;width:100vw;height:100vh;display:block"></iframe>
<script>
  const wv = document.getElementById('wv');
  window.addEventListener('message', (e) => {
    if (e.source !== wv.contentWindow || !e.data) return;
    if (e.data.fromWebview) window.fromViewer(JSON.stringify(e.data.message));
    if (e.data.cspViolation) window.cspViolation(e.data.cspViolation);
  });
  window.toViewer = (m) => wv.contentWindow.postMessage(m, '*');
  // The trace message with the columns' parts (the stub host's own fetch of them stands for VS Code's delivery).
  window.sendTrace = async (m, parts) => {
    const columns = await Promise.all(Array.from({ length: parts }, async (_, k) => new Uint8Array(await (await fetch('${ORIGIN}/columns.bin?part=' + k + '&t=' + Date.now())).arrayBuffer())));
    wv.contentWindow.postMessage({ ...m, columns }, '*', columns.map((c) => c.buffer));
  };
</script>
</body></html>`;

// The viewer's document as the panel writes it, plus the stub API.
const WEBVIEW_HTML = viewerDocument({
  cspSource: ORIGIN,
  nonce: NONCE,
  asset: (name) => `${ORIGIN}/dist/webview/${name}`,
  bodyClass: 'vscode-dark',
  preamble: `<script nonce="${NONCE}">
  document.addEventListener('securitypolicyviolation', (e) => parent.postMessage({ cspViolation: e.violatedDirective + ' ' + e.blockedURI }, '*'));
  let state;
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => parent.postMessage({ fromWebview: true, message }, '*'),
    getState: () => state,
    setState: (s) => { state = s; },
  });
</script>`,
});

export interface StubViewer {
  browser: Browser;
  page: Page;
  /** The viewer's document (the iframe). */
  frame: Frame;
  /** Every message the viewer posted to its host, in order. */
  messages: ViewerMessage[];
  cspViolations: string[];
  errors: string[];
  /** Waits for a posted message (counting from `since`, an index into `messages`). */
  waitForMessage<T extends ViewerMessage['type']>(type: T, since?: number, timeoutMs?: number): Promise<Extract<ViewerMessage, { type: T }>>;
  /**
   * Sends a decoded trace as the panel does (with `corruptColumns`, parts
   * that do not inflate); detail requests are then answered from the file.
   */
  sendTrace(file: string, r: DecodeResult, options?: { corruptColumns?: boolean }): Promise<void>;
  send(m: HostMessage): Promise<void>;
  close(): Promise<void>;
}

export async function openStubViewer(options: { viewport?: { width: number; height: number }; executablePath?: string; extraArgs?: string[] } = {}): Promise<StubViewer> {
  if (!fs.existsSync(path.join(DIST, 'traceViewer.js'))) throw new Error('dist/webview/traceViewer.js is missing: run node scripts/build.mjs');
  const browser = await chromium.launch({ executablePath: options.executablePath ?? process.env.RENACER_CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])] });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 860 } });
  const page = await context.newPage();
  const messages: ViewerMessage[] = [];
  const cspViolations: string[] = [];
  const errors: string[] = [];
  const waiters: Array<() => void> = [];
  /** As the viewer's cache keeps them (traceColumnsCache.ts): gzip'd. */
  let columnsGz: Buffer[] = [];
  let answer: ((index: number, process: number) => Promise<SyscallDetails | undefined>) | undefined;

  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const send = (body: string | Buffer, contentType: string) => route.fulfill({ status: 200, body, contentType });
    if (url.pathname === '/host.html') return send(HOST_HTML, 'text/html');
    if (url.pathname === '/webview.html') return send(WEBVIEW_HTML, 'text/html');
    if (url.pathname === '/columns.bin') {
      const part = columnsGz[Number(url.searchParams.get('part'))];
      return part ? send(part, 'application/octet-stream') : route.fulfill({ status: 404, body: '' });
    }
    const m = /^\/dist\/webview\/([\w.]+)$/.exec(url.pathname);
    if (m && fs.existsSync(path.join(DIST, m[1]))) return send(fs.readFileSync(path.join(DIST, m[1])), m[1].endsWith('.css') ? 'text/css' : 'text/javascript');
    return route.fulfill({ status: 404, body: '' });
  });
  // Anything else would be the network: refuse it.
  await page.route((url) => !url.href.startsWith(ORIGIN), (route) => {
    errors.push(`network request refused: ${route.request().url()}`);
    return route.abort();
  });
  await page.exposeFunction('cspViolation', (v: string) => cspViolations.push(v));
  await page.exposeFunction('fromViewer', (json: string) => {
    const m = JSON.parse(json) as ViewerMessage;
    messages.push(m);
    if (m.type === 'details' && answer) {
      void answer(m.index, m.process).then((details) => post({ type: 'details', requestId: m.requestId, details, error: details ? undefined : 'not found' }));
    }
    for (const w of waiters.splice(0)) w();
  });
  const post = (m: HostMessage) => page.evaluate((msg) => (window as unknown as { toViewer(m: unknown): void }).toViewer(msg), m as unknown as Record<string, unknown>);

  await page.goto(`${ORIGIN}/host.html`);
  const frame = await waitFor(() => page.frames().find((f) => f.url() === `${ORIGIN}/webview.html`), 10_000, 'the webview frame');
  const viewer: StubViewer = {
    browser,
    page,
    frame,
    messages,
    cspViolations,
    errors,
    async waitForMessage(type, since = 0, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.slice(since).find((m) => m.type === type);
        if (found) return found as never;
        if (Date.now() > deadline) throw new Error(`no '${type}' message from the viewer within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.type))}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    async sendTrace(file, r, options = {}) {
      const c = r.trace.columns;
      columnsGz = splitColumnsFile(encodeColumnsFile(c), COLUMN_PARTS).map((part) => zlib.gzipSync(part, { level: 1 }));
      if (options.corruptColumns) columnsGz = columnsGz.map((gz) => Buffer.concat([gz.subarray(0, 20), Buffer.alloc(64, 0xa5)]));
      const lookup = new SyscallEventLookup(file, r.members, BigInt(r.trace.tables.session.originWallNs));
      answer = (index, process) => lookup.details(index, process, r.trace.tables);
      const m = { type: 'trace', file, tables: r.trace.tables, count: c.count, unfinished: r.unfinished, decodeMs: 0 };
      await page.evaluate(([msg, parts]) => (window as unknown as { sendTrace(m: unknown, parts: number): Promise<void> }).sendTrace(msg, parts), [m, columnsGz.length] as const);
    },
    send: post,
    async close() {
      await browser.close();
    },
  };
  await viewer.waitForMessage('ready');
  return viewer;
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
