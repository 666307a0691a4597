// The `renacer lsp` child process and what the extension tells it (its
// notifications and commands: core/protocol/languageServerProtocol.ts).
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

import {
  LspCommand,
  LspNotification,
  type CompareResult,
  type InitializationOptions,
  type LspCommandName,
  type LspCommands,
  type LspNotificationName,
  type LspNotificationParams,
} from '../core/protocol/languageServerProtocol';
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
        } satisfies InitializationOptions,
      };
      const client = new LanguageClient('renacer', 'Renacer', server, options);
      await client.start();
      this.client = client;
      return client;
    })();
    return this.starting;
  }

  /** One of the server's commands, typed by the protocol. */
  private async command<C extends LspCommandName>(command: C, ...args: LspCommands[C]['arguments']): Promise<LspCommands[C]['result']> {
    const c = await this.ensure();
    return c.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  private async notify<N extends LspNotificationName>(method: N, params: LspNotificationParams[N]): Promise<void> {
    const c = await this.ensure();
    await c.sendNotification(method, params);
  }

  async lineStats(lines: LineStats[], reset = false): Promise<void> {
    if (!lines.length && !reset) return;
    await this.notify(LspNotification.lineStats, { lines, reset });
  }

  /** Loads a trace file in the server; returns its per-line stats for the decorations. */
  async loadTrace(file: string): Promise<LineStats[]> {
    // Asked for every line, the server answers with them (not the summary).
    const r = (await this.command(LspCommand.loadTrace, file, { lines: true })) as { lines: LineStats[] };
    return r.lines;
  }

  /**
   * Makes the lines a diff of two runs in the server (the two given, else the
   * newest run and its program's previous one); returns them for the
   * decorations, and the diff for the trace viewer.
   */
  async compare(files?: [string, string]): Promise<Required<CompareResult>> {
    const want = { lines: true, diff: true };
    const r = files ? await this.command(LspCommand.compareTraces, files[0], files[1], want) : await this.command(LspCommand.compareWithPrevious, want);
    // Asked for both, the server answers with the lines and the diff.
    return r as Required<CompareResult>;
  }

  async clear(): Promise<void> {
    if (this.client) await this.notify(LspNotification.clear, {});
  }

  dispose(): void {
    void this.client?.stop();
  }
}
