// The trace viewer's entry point in the webview: says "ready" to the host,
// shows the loading progress, then the trace (traceViewerApp.ts). The host
// is extension/vscode/traceViewerPanel.ts; the messages are in
// extension/core/traceViewerProtocol.ts.
import type { HostMessage } from '../extension/core/traceViewerProtocol';
import { h } from './dom';
import { HostBridge } from './hostBridge';
import { TraceViewerApp } from './traceViewerApp';
import { TraceModel } from './traceModel';

const root = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
let app: TraceViewerApp | undefined;
let pendingReveal: { file: string; line: number } | undefined;

function message(text: string, kind: 'loading' | 'error' = 'loading', detail?: HTMLElement): void {
  app = undefined;
  root.replaceChildren(h('div', { class: `placeholder ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('p', {}, text), detail ?? ''));
}

const bridge = new HostBridge((m: HostMessage) => {
  switch (m.type) {
    case 'loading':
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
      const model = new TraceModel(m.columns, m.tables);
      // VS Code keeps this across reloads: the restored panel reopens the same file.
      bridge.saveState({ file: m.file });
      app = new TraceViewerApp(model, bridge, m.file, m.unfinished);
      root.replaceChildren(app.element);
      app.start(bridge.state as { tab?: string; query?: string });
      app.setStatus(`${m.file} · decoded in ${m.decodeMs.toFixed(0)} ms`);
      if (pendingReveal) {
        app.revealLine(pendingReveal.file, pendingReveal.line);
        pendingReveal = undefined;
      }
      // The first frame with the trace is drawn at the next animation frame: then it is open.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          performance.measure('renacer-open', 'renacer-trace-received');
          bridge.post({ type: 'rendered', file: m.file, syscalls: model.count });
        }),
      );
      break;
    }
    case 'revealLine':
      if (app) app.revealLine(m.file, m.line);
      else pendingReveal = { file: m.file, line: m.line };
      break;
  }
});

message('Waiting for the trace…');
bridge.post({ type: 'ready' });
