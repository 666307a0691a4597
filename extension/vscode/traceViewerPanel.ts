// Hosts the trace viewer (webview/, bundled to dist/webview/) in a webview
// panel: has the trace file decoded on worker threads into the viewer's
// cache (or finds it there), sends the webview the tables and the columns'
// gzip'd parts as soon as they exist — while the webview is still loading,
// if it is — answers its requests for a syscall's full details (read back
// from the trace file), and shows source lines in the editor when the
// viewer asks; and, from `renacer diff`, a run against an earlier one in
// the viewer's Diff tab (showDiff). The extension host never parses the trace, holds the columns
// only gzip'd and only until they are sent, and never loads the native addon.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

import type { TraceDiff } from '../core/diff/diffModel';
import { SyscallEventLookup } from '../../viewer/syscallEventLookup';
import type { TraceTables } from '../../viewer/traceColumns';
import { cacheKey, readCache, readCachedParts } from '../../viewer/traceColumnsCache';
import type { HostMessage, ViewerMessage } from '../../viewer/traceViewerProtocol';
import { viewerDocument } from '../../viewer/viewerDocument';
import { decodeInWorker, TraceDecodeError } from './traceDecodeClient';

export const VIEW_TYPE = 'renacer.traceViewer';
const DEFAULT_MAX_SYSCALLS = 5_000_000;

interface LoadedTrace {
  file: string;
  tables: TraceTables;
  lookup: SyscallEventLookup;
  count: number;
}

/** What "Show Trace Viewer" returns once the trace is on screen. */
export interface ViewerOpened {
  file: string;
  syscalls: number;
  /** From the command to the webview's first frame with the trace, ms (0 when it was already open). */
  openMs: number;
  /** Of which: decoding the file on the worker threads (0: it was in the cache), the webview inflating the columns, and drawing them, ms. */
  decodeMs: number;
  inflateMs: number;
  drawMs: number;
  /** Where the time went: each step of the open, ms from the command (when the webview reported its side). */
  waterfall?: string;
}

export class TraceViewerPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private ready = false;
  private file?: string;
  private loaded?: LoadedTrace;
  /** What to send when the webview (re)announces itself. */
  private pendingTrace?: HostMessage;
  /** The trace message last sent to this panel's webview: sent again if its document says ready only after it (a message can be lost then). */
  private sentTrace?: Extract<HostMessage, { type: 'trace' }>;
  private pendingReveal?: { file: string; line: number };
  /** The last diff shown (showDiff): sent again after its AFTER trace whenever that trace is sent (a reload, the panel opened again). */
  private diff?: TraceDiff;
  private loading?: AbortController;
  private openedAt = 0;
  /** When the host reached each step of the open under way (ms since the epoch), for the waterfall in the log. */
  private hostSteps: { readyAt?: number; decodedAt?: number; sentAt?: number; decoder?: Array<[string, number]> } = {};
  private decodeMs = 0;
  private opened?: ViewerOpened;
  private panelCreatedAt = 0;
  /** The last open failed (show() tries again). */
  private failed = false;
  /** Decodings under way in the background (prepare()), by cache key: an open of the same trace waits for it. */
  private readonly preparing = new Map<string, Promise<unknown>>();
  /** Callers of show() waiting for the trace on screen: undefined when it fails or another trace replaces it. */
  private waiting: Array<{ file: string; resolve: (v: ViewerOpened | undefined) => void }> = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.OutputChannel,
    private readonly pickTrace: () => Promise<string | undefined>,
  ) {}

  /** The trace shown (or being opened). */
  get currentFile(): string | undefined {
    return this.file;
  }

  /**
   * Shows the viewer with `file`, decoding it unless it is already shown;
   * resolves once the trace is on screen (undefined when it could not be opened).
   */
  async show(file: string, beside = false): Promise<ViewerOpened | undefined> {
    const commandAt = Date.now();
    const panel = this.ensurePanel(beside);
    panel.reveal(undefined, beside);
    if (this.opened?.file === file && this.file === file) return { ...this.opened, openMs: 0 };
    const onScreen = new Promise<ViewerOpened | undefined>((resolve) => this.waiting.push({ file, resolve }));
    // Open it unless it is on its way (decoding, or sent and about to be drawn).
    if (file !== this.file || this.failed) await this.load(file, commandAt);
    return onScreen;
  }

  /** Answers the callers waiting for `file` (all of them when `file` is undefined). */
  private settle(file: string | undefined, v: ViewerOpened | undefined): void {
    const done = this.waiting.filter((w) => file === undefined || w.file === file);
    this.waiting = this.waiting.filter((w) => !done.includes(w));
    for (const w of done) w.resolve(v);
  }

  /**
   * Decodes `file` into the cache in the background (a run just ended), so
   * that opening it later skips decoding. Nothing is shown; failures are
   * only logged (opening it will say what is wrong).
   */
  async prepare(file: string): Promise<void> {
    const limit = maxSyscalls();
    let key: string;
    try {
      key = cacheKey(file, limit);
    } catch {
      return;
    }
    const cacheDir = cacheDirectory(this.context);
    if (this.preparing.has(key) || readCache(cacheDir, key)) return;
    const job = decodeInWorker(this.workerScript, { file, limit, cacheDir, cacheKey: key }, () => {})
      .then((t) => this.log.appendLine(`Trace viewer: decoded ${t.count.toLocaleString('en')} syscalls of ${path.basename(file)} in ${t.decodeMs.toFixed(0)} ms, ready to open`))
      .catch((e) => this.log.appendLine(`Trace viewer: could not prepare ${file}: ${(e as Error).message}`))
      .finally(() => this.preparing.delete(key));
    this.preparing.set(key, job);
    await job;
  }

  private get workerScript(): string {
    return path.join(this.context.extensionPath, 'dist', 'traceDecodeWorker.js');
  }

  /** Shows the calls made from a source line (the hover's "Show in trace viewer"). */
  revealLine(file: string, line: number): void {
    // After the trace, in order (it may have been posted while the webview was loading).
    if (this.loaded && !this.pendingTrace) this.post({ type: 'revealLine', file, line });
    else this.pendingReveal = { file, line };
  }

  /**
   * Shows a run-to-run diff: the viewer opens (or reveals) the AFTER trace,
   * `diff.after.file`, and shows the diff in its Diff tab, switched to.
   * Resolves once that trace is on screen (or could not be opened: the
   * viewer says why). The diff is kept and sent again whenever the webview
   * gets that trace again (a reload, the panel closed and opened again).
   */
  async showDiff(diff: TraceDiff): Promise<void> {
    const file = path.resolve(diff.after.file);
    if (file !== diff.after.file) diff = { ...diff, after: { ...diff.after, file } };
    this.diff = diff;
    // Beside the source, whose annotations are the deltas.
    const opened = this.show(file, vscode.window.activeTextEditor !== undefined);
    // The trace is with the webview already (shown, or sent and being drawn): the diff follows it now.
    // Otherwise it is being decoded, and sendTrace sends the diff after it.
    if (this.loaded?.file === file && !this.pendingTrace) this.post({ type: 'diff', diff });
    await opened;
  }

  /** Takes the Diff tab away. */
  clearDiff(): void {
    this.diff = undefined;
    this.post({ type: 'diff', diff: null });
  }

  /** Takes over a panel VS Code restored after a reload (the serializer). */
  adopt(panel: vscode.WebviewPanel, file: string | undefined): void {
    this.attach(panel);
    if (file && fs.existsSync(file)) void this.load(file);
    else this.post({ type: 'error', message: 'Open a trace file to view it.' });
  }

  dispose(): void {
    this.loading?.abort();
    this.panel?.dispose();
  }

  /** `beside`: a new panel opens next to the editor, which keeps the focus (a diff's deltas are read in the source). */
  private ensurePanel(beside = false): vscode.WebviewPanel {
    if (this.panel) return this.panel;
    this.panelCreatedAt = Date.now();
    const column = beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Renacer Trace', { viewColumn: column, preserveFocus: beside }, webviewOptions(this.context));
    this.attach(panel);
    return panel;
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = webviewOptions(this.context);
    panel.iconPath = new vscode.ThemeIcon('pulse');
    panel.webview.html = this.html(panel.webview);
    const listener = panel.webview.onDidReceiveMessage((m: ViewerMessage) => this.onMessage(m));
    panel.onDidDispose(() => {
      listener.dispose();
      if (this.panel !== panel) return;
      this.loading?.abort();
      this.settle(undefined, undefined);
      this.opened = undefined;
      this.panel = undefined;
      this.loaded = undefined;
      this.file = undefined;
      this.pendingTrace = undefined;
      this.sentTrace = undefined;
      this.ready = false;
    });
  }

  private async load(file: string, startedAt = Date.now()): Promise<void> {
    this.loading?.abort();
    const abort = new AbortController();
    this.loading = abort;
    this.file = file;
    this.loaded = undefined;
    this.opened = undefined;
    this.failed = false;
    this.openedAt = startedAt;
    this.hostSteps = {};
    for (const w of this.waiting) if (w.file !== file) this.settle(w.file, undefined);
    this.panel!.title = `Renacer Trace: ${path.basename(file).replace(/\.jsonl\.gz$/, '')}`;
    this.pendingTrace = { type: 'loading', file };
    this.post(this.pendingTrace);
    const limit = maxSyscalls();
    const cacheDir = cacheDirectory(this.context);
    try {
      const key = cacheKey(file, limit);
      // Being decoded in the background already (a run just ended): wait for that.
      await this.preparing.get(key);
      if (abort.signal.aborted) return;
      // Decoded before and unchanged since: straight from the cache.
      const cached = readCache(cacheDir, key);
      const trace = cached
        ? { ...cached, parts: await readCachedParts(cached) }
        : await decodeInWorker(
          this.workerScript,
          { file, limit, cacheDir, cacheKey: key },
          (bytes, totalBytes) => this.post({ type: 'progress', bytes, totalBytes }),
          abort.signal,
          (steps) => (this.hostSteps.decoder = steps),
        );
      if (abort.signal.aborted) return;
      this.hostSteps.decodedAt = Date.now();
      const { tables } = trace;
      this.decodeMs = cached ? 0 : trace.decodeMs;
      this.loaded = { file, tables, count: trace.count, lookup: new SyscallEventLookup(file, trace.members, BigInt(tables.session.originWallNs)) };
      this.log.appendLine(
        cached
          ? `Trace viewer: ${trace.count.toLocaleString('en')} syscalls of ${path.basename(file)} from the cache`
          : `Trace viewer: decoded ${trace.count.toLocaleString('en')} syscalls of ${path.basename(file)} in ${trace.decodeMs.toFixed(0)} ms`,
      );
      this.pendingTrace = {
        type: 'trace',
        file,
        tables,
        count: trace.count,
        columns: trace.parts,
        unfinished: trace.unfinished,
        decodeMs: this.decodeMs,
      };
      // Now, even while the webview loads: VS Code holds the message for it, so the columns travel meanwhile.
      this.sendTrace();
    } catch (e) {
      if (abort.signal.aborted) return;
      const err = e as NodeJS.ErrnoException;
      const message =
        (e instanceof TraceDecodeError && e.expected) || err.code === 'ENOENT' || err.code === 'EACCES' ? err.message : `Could not open ${file}: ${err.message}`;
      this.log.appendLine(`Trace viewer: ${message}`);
      this.pendingTrace = { type: 'error', message };
      this.failed = true;
      this.post(this.pendingTrace);
      this.settle(file, undefined);
    } finally {
      if (this.loading === abort) this.loading = undefined;
    }
  }

  private sendTrace(): void {
    const m = this.pendingTrace;
    if (!m) return;
    this.post(m);
    if (m.type === 'trace') {
      this.hostSteps.sentAt = Date.now();
      this.pendingTrace = undefined;
      this.sentTrace = m;
      if (this.pendingReveal) {
        this.post({ type: 'revealLine', ...this.pendingReveal });
        this.pendingReveal = undefined;
      }
      if (this.diff && this.diff.after.file === m.file) this.post({ type: 'diff', diff: this.diff });
    }
  }

  private post(m: HostMessage): void {
    void this.panel?.webview.postMessage(m);
  }

  private async onMessage(m: ViewerMessage): Promise<void> {
    switch (m.type) {
      case 'ready': {
        // The first document of the panel gets what was posted before it was ready; a reloaded one lost it.
        const reloaded = this.ready;
        this.ready = true;
        this.hostSteps.readyAt = Date.now();
        if (this.pendingTrace) this.sendTrace();
        else if (reloaded && this.file) await this.load(this.file);
        else if (this.sentTrace && this.sentTrace.file === this.file && !this.opened) {
          // Sent before this document was ready: VS Code usually holds such a message, but a panel opened beside
          // without focus has been seen to drop it. Once more (the webview shows the newest trace it gets).
          this.pendingTrace = this.sentTrace;
          this.sendTrace();
        }
        break;
      }
      case 'rendered':
        if (m.file === this.file && this.openedAt) {
          const openMs = Date.now() - this.openedAt;
          const decodeMs = Math.round(this.decodeMs);
          this.log.appendLine(
            `Trace viewer: ${m.syscalls.toLocaleString('en')} syscalls on screen ${openMs} ms after opening ${path.basename(m.file)} ` +
              `(decoding ${decodeMs} ms, inflating the columns ${m.inflateMs} ms, first frame ${m.drawMs} ms)`,
          );
          const waterfall = m.steps && this.waterfall(m.steps);
          if (waterfall) this.log.appendLine(`Trace viewer: where the time went: ${waterfall}`);
          this.openedAt = 0;
          this.opened = { file: m.file, syscalls: m.syscalls, openMs, decodeMs, inflateMs: m.inflateMs, drawMs: m.drawMs, waterfall };
          this.settle(m.file, this.opened);
        }
        break;
      case 'reveal':
        await revealSource(m.file, m.line, m.column);
        break;
      case 'details':
        this.post(await this.details(m.requestId, m.index, m.process));
        break;
      case 'open': {
        const file = await this.pickTrace();
        if (file) await this.show(file);
        break;
      }
    }
  }

  /** The open's steps, the host's and the webview's, as "step +ms" from the command, in the order they happened. */
  private waterfall(webviewSteps: Array<[string, number]>): string {
    const h = this.hostSteps;
    const steps: Array<[string, number | undefined]> = [
      // Kept only when this open created the panel (the filter drops earlier steps).
      ['panel created', this.panelCreatedAt],
      ['webview ready', h.readyAt],
      ['decoded', h.decodedAt],
      ['trace sent', h.sentAt],
      ...(h.decoder ?? []),
      ...webviewSteps,
    ];
    return steps
      .filter((s): s is [string, number] => typeof s[1] === 'number' && s[1] >= this.openedAt)
      .sort((a, b) => a[1] - b[1])
      .map(([name, at]) => `${name} +${Math.round(at - this.openedAt)}`)
      .join(', ');
  }

  private async details(requestId: number, index: number, process: number): Promise<HostMessage> {
    const t = this.loaded;
    if (!t) return { type: 'details', requestId, error: 'the trace is not loaded' };
    try {
      const details = await t.lookup.details(index, process, t.tables);
      if (!details) return { type: 'details', requestId, error: 'this syscall is not in the trace file any more (was it rewritten?)' };
      return { type: 'details', requestId, details };
    } catch (e) {
      return { type: 'details', requestId, error: `could not read the syscall back from the trace file: ${(e as Error).message}` };
    }
  }

  private html(webview: vscode.Webview): string {
    return viewerDocument({
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
      asset: (name) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview', name)).toString(),
    });
  }
}

export function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // The columns live in the webview; rebuilding them each time the tab is shown would mean sending them again.
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
  };
}

function maxSyscalls(): number {
  return vscode.workspace.getConfiguration('renacer').get<number>('viewer.maxSyscalls', DEFAULT_MAX_SYSCALLS);
}

/** Where decoded traces are kept (traceColumnsCache.ts). */
function cacheDirectory(context: vscode.ExtensionContext): string {
  return vscode.Uri.joinPath(context.globalStorageUri, 'viewer-cache').fsPath;
}

/** Shows `file`:`line` in a text editor next to the viewer, keeping the focus in the viewer. */
export async function revealSource(file: string, line: number, column?: number): Promise<void> {
  const uri = vscode.Uri.file(file);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showWarningMessage(`Renacer: the source file ${file} is not on this machine.`);
    return;
  }
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, (column ?? 1) - 1));
  const range = new vscode.Range(pos, pos);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === uri.fsPath);
  const editor = await vscode.window.showTextDocument(uri, {
    viewColumn: visible?.viewColumn ?? vscode.ViewColumn.Beside,
    preserveFocus: true,
    preview: true,
    selection: range,
  });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
