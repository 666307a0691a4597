// The trace viewer's entry point in the webview: says "ready" to the host,
// shows the loading progress, then the trace (traceViewerApp.ts), and a
// run-to-run diff in its Diff tab when the host sends one. The host
// is extension/vscode/traceViewerPanel.ts; the messages are in
// viewer/traceViewerProtocol.ts.
import type { TraceDiff } from '../extension/core/diff/diffModel';
import type { TraceColumns } from '../viewer/traceColumns';
import { decodeColumnsFile } from '../viewer/traceColumnsFile';
import type { HostMessage } from '../viewer/traceViewerProtocol';
import { h } from './dom';
import { HostBridge } from './hostBridge';
import { TraceViewerApp } from './traceViewerApp';
import { TraceModel } from './traceModel';

/**
 * When this webview reached each step of opening the trace shown (ms since
 * the epoch): the host logs them with its own as the open's waterfall.
 */
let steps: Array<[string, number]> = [];
const step = (name: string) => steps.push([name, performance.timeOrigin + performance.now()]);
/** The document and this script starting count for the first trace it shows. */
steps.push(['webview document', performance.timeOrigin]);
step('webview script');
const root = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
let app: TraceViewerApp | undefined;
let pendingReveal: { file: string; line: number } | undefined;
/** The trace whose columns are on their way. */
let pending: Extract<HostMessage, { type: 'trace' }> | undefined;
/** The trace `app` shows. */
let appFile: string | undefined;
/**
 * The last diff the host sent: shown in the Diff tab of its AFTER trace
 * (now, or once that trace is on screen). Kept in the view state, so a
 * panel VS Code restores after a reload has it again.
 */
let diff: TraceDiff | null = null;
/** `diff` came from the host and is not on screen yet: its tab is to be selected. */
let diffFresh = false;
/** Diffs bigger than this (as JSON) are not kept in the view state (it is rewritten on every search). */
const MAX_SAVED_DIFF = 1 << 20;

/** Inflates the columns file's gzip'd parts natively (traceColumnsFile.ts) and shows the trace. */
function inflateColumns(m: Extract<HostMessage, { type: 'trace' }>): void {
  Promise.all(m.columns.map((gz) => new Response(new Blob([gz as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer()))
    .then((parts) => {
      step('columns inflated');
      if (pending === m) show(m, decodeColumnsFile(parts.map((p) => new Uint8Array(p)), m.count, m.tables.threads.length));
    })
    .catch((e: unknown) => {
      if (pending === m) message(`Could not read the decoded trace of ${m.file}: ${String(e)}`, 'error');
    });
}

function show(m: Extract<HostMessage, { type: 'trace' }>, columns: TraceColumns): void {
  pending = undefined;
  performance.mark('renacer-columns-received');
  step('columns decoded');
  const model = new TraceModel(columns, m.tables);
  // VS Code keeps this across reloads: the restored panel reopens the same
  // file with its search; another trace starts with none.
  const saved = bridge.state as { tab?: string; query?: string; file?: string; diff?: TraceDiff };
  const sameTrace = saved.file === m.file;
  if (!diff && saved.diff && saved.diff.after?.file === m.file) diff = saved.diff;
  bridge.saveState({ file: m.file, ...(sameTrace ? {} : { query: '' }) });
  app = new TraceViewerApp(model, bridge, m.file, m.unfinished);
  appFile = m.file;
  root.replaceChildren(app.element);
  app.start({ tab: saved.tab, query: sameTrace ? saved.query : undefined });
  applyDiff(sameTrace && saved.tab === 'diff');
  app.setStatus(`${m.file}${m.decodeMs ? ` · decoded in ${m.decodeMs.toFixed(0)} ms` : ''}`);
  step('views built');
  if (pendingReveal) {
    app.revealLine(pendingReveal.file, pendingReveal.line);
    pendingReveal = undefined;
  }
  // The first frame with the trace is drawn at the next animation frame: then it is open.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const open = performance.measure('renacer-open', 'renacer-trace-received');
      const draw = performance.measure('renacer-draw', 'renacer-columns-received');
      step('first frame');
      bridge.post({ type: 'rendered', file: m.file, syscalls: model.count, inflateMs: Math.round(open.duration - draw.duration), drawMs: Math.round(draw.duration), steps });
      steps = [];
    }),
  );
}

/** Shows `diff` in the app when it is of the trace on screen (else takes the Diff tab away); `select`: switch to it. */
function applyDiff(select = false): void {
  if (!app) return;
  if (diff && diff.after.file === appFile) {
    app.setDiff(diff, select || diffFresh);
    diffFresh = false;
  } else app.setDiff(null, false);
}

function saveDiff(): void {
  const keep = diff && JSON.stringify(diff).length <= MAX_SAVED_DIFF ? diff : undefined;
  bridge.saveState({ diff: keep });
}

function message(text: string, kind: 'loading' | 'error' = 'loading', detail?: HTMLElement): void {
  app = undefined;
  appFile = undefined;
  root.replaceChildren(h('div', { class: `placeholder ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('p', {}, text), detail ?? ''));
}

const bridge = new HostBridge((m: HostMessage) => {
  switch (m.type) {
    case 'loading':
      // A new open: its waterfall starts here (the document's load belonged to the first).
      if (app) steps = [];
      pending = undefined;
      message(`Opening ${m.file}…`, 'loading', h('progress', { max: 1, value: 0, 'aria-label': 'Reading the trace file' }));
      break;
    case 'progress': {
      const bar = root.querySelector('progress');
      if (bar) bar.value = m.totalBytes ? m.bytes / m.totalBytes : 0;
      break;
    }
    case 'error': {
      const open = h('button', { class: 'icon-button' }, 'Open a trace file…');
      open.addEventListener('click', () => bridge.post({ type: 'open' }));
      message(m.message, 'error', open);
      break;
    }
    case 'trace': {
      // User Timing marks: what the webview's part of opening costs (scripts/bench-viewer.mjs reads them).
      performance.mark('renacer-trace-received');
      step('trace received');
      pending = m;
      inflateColumns(m);
      break;
    }
    case 'diff':
      diff = m.diff;
      diffFresh = !!m.diff;
      saveDiff();
      applyDiff();
      break;
    case 'revealLine':
      if (app) app.revealLine(m.file, m.line);
      else pendingReveal = { file: m.file, line: m.line };
      break;
  }
});

message('Waiting for the trace…');
bridge.post({ type: 'ready' });
