// The `renacer lsp` child process and what the extension tells it.
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

import type { TraceDiff } from '../core/diff/diffModel';
import type { LineStats } from '../core/source/lineStats';
import type { Engine } from './engine';
import { REVEAL_IN_VIEWER_COMMAND } from './traceViewerCommands';

export class TraceLanguageClient implements vscode.Disposable {
  private client?: LanguageClient;
  private starting?: Promise<LanguageClient>;

  constructor(private readonly engine: Engine, private readonly log: vscode.OutputChannel) {}

  private async ensure(): Promise<LanguageClient> {
    if (this.client) return this.client;
    this.starting ??= (async () => {
      const run = { command: this.engine.runtime, args: this.engine.args('lsp'), options: { env: this.engine.env() } };
      const server: ServerOptions = { run, debug: run };
      const cfg = vscode.workspace.getConfiguration('renacer');
      const options: LanguageClientOptions = {
        documentSelector: [{ scheme: 'file' }],
        outputChannel: this.log,
        // The hover's "Show in trace viewer" link runs this command, and only this one.
        markdown: { isTrusted: { enabledCommands: [REVEAL_IN_VIEWER_COMMAND] } },
        initializationOptions: {
          codeLens: cfg.get<boolean>('codeLens.enabled', false),
          inlayHints: cfg.get<boolean>('inlayHints.enabled', false),
          minCount: cfg.get<number>('annotations.minCount', 1),
          viewerCommand: REVEAL_IN_VIEWER_COMMAND,
          hoverStyle: 'wide',
          // The extension feeds the server its runs' lines (and loads trace files) itself.
          followTraces: false,
        },
      };
      const client = new LanguageClient('renacer', 'Renacer', server, options);
      await client.start();
      this.client = client;
      return client;
    })();
    return this.starting;
  }

  async lineStats(lines: LineStats[], reset = false): Promise<void> {
    if (!lines.length && !reset) return;
    const c = await this.ensure();
    await c.sendNotification('renacer/lineStats', { lines, reset });
  }

  /** Loads a trace file in the server; returns its per-line stats for the decorations. */
  async loadTrace(file: string): Promise<LineStats[]> {
    const c = await this.ensure();
    const r = (await c.sendRequest('workspace/executeCommand', { command: 'renacer.loadTrace', arguments: [file, { lines: true }] })) as { lines: LineStats[] };
    return r.lines;
  }

  /**
   * Makes the lines a diff of two runs in the server (the two given, else the
   * newest run and its program's previous one); returns them for the
   * decorations, and the diff for the trace viewer.
   */
  async compare(files?: [string, string]): Promise<TraceComparison> {
    const c = await this.ensure();
    const want = { lines: true, diff: true };
    const request = files
      ? { command: 'renacer.compareTraces', arguments: [files[0], files[1], want] }
      : { command: 'renacer.compareWithPrevious', arguments: [want] };
    return (await c.sendRequest('workspace/executeCommand', request)) as TraceComparison;
  }

  async clear(): Promise<void> {
    if (this.client) await this.client.sendNotification('renacer/clear', {});
  }

  dispose(): void {
    void this.client?.stop();
  }
}

export interface TraceComparison {
  before: string;
  after: string;
  /** Sites that are not the same. */
  changed: number;
  newFailures: number;
  lines: LineStats[];
  diff: TraceDiff;
}
