// The Renacer extension: debug type "renacer" (the engine runs as
// `renacer dap`), annotations, the language client, the status bar and the
// palette commands. Everything heavy runs in child processes.
import * as path from 'node:path';
import * as vscode from 'vscode';

import { DapEvent, type RenacerDapEvent } from '../core/protocol/debugAdapterProtocol';
import { AnnotationController } from './annotationController';
import { DEBUG_TYPE, pickBinary, RenacerConfigurationProvider, RenacerDynamicConfigurationProvider } from './debugConfigurationProvider';
import { RenacerDebugAdapterFactory } from './debugAdapterFactory';
import { Engine } from './engine';
import { TraceLanguageClient } from './languageClient';
import { cliMessage } from '../core/format/cliMessage';
import { pickProcess } from './processPicker';
import { exportTraceFile, OTLP_HEADERS_SECRET, openTraceFile, traceUrl } from './traceFileCommands';
import { pickTraceFile } from './traceFilePicker';
import { traceInTerminal } from './terminalTrace';
import { TraceStatusBar } from './traceStatusBar';
import { registerTraceDiffCommands } from './traceDiffCommands';
import { registerTraceViewer } from './traceViewerCommands';

/** What the extension's integration tests can observe (returned by activate). */
export interface RenacerApi {
  annotations: AnnotationController;
  lastTraceFile(): string | undefined;
  onDidFinishTrace: vscode.Event<{ traceFile?: string; syscalls?: number }>;
  initialConfigurations(folder: vscode.WorkspaceFolder): vscode.DebugConfiguration[];
}

export function activate(context: vscode.ExtensionContext): RenacerApi {
  const log = vscode.window.createOutputChannel('Renacer');
  const engine = new Engine(context);
  const annotations = new AnnotationController();
  const lsp = new TraceLanguageClient(engine, log);
  const status = new TraceStatusBar();
  const finished = new vscode.EventEmitter<{ traceFile?: string; syscalls?: number }>();
  let lastTraceFile: string | undefined;
  const progress = new Map<string, number>();

  context.subscriptions.push(log, annotations, lsp, status, finished);
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new RenacerDebugAdapterFactory(engine, context.secrets)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new RenacerConfigurationProvider(log)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new RenacerDynamicConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  );

  context.subscriptions.push(
    vscode.debug.onDidStartDebugSession((s) => {
      if (s.type !== DEBUG_TYPE) return;
      annotations.clear();
      void lsp.lineStats([], true);
      status.started();
    }),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== DEBUG_TYPE) return;
      const ev = { event: e.event, body: e.body } as RenacerDapEvent;
      switch (ev.event) {
        case DapEvent.lineStats: {
          const lines = ev.body.lines;
          annotations.merge(lines);
          void lsp.lineStats(lines).catch((err) => log.appendLine(`language server: ${err}`));
          break;
        }
        case DapEvent.progress: {
          const n = ev.body.syscalls;
          progress.set(e.session.id, n);
          status.progress(n);
          break;
        }
        case DapEvent.traceFile:
          lastTraceFile = ev.body.path;
          break;
      }
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.type !== DEBUG_TYPE) return;
      const syscalls = progress.get(s.id);
      status.ended(syscalls);
      finished.fire({ traceFile: lastTraceFile, syscalls });
    }),
  );

  const command = (id: string, fn: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  command('renacer.pickProcess', () => pickProcess());
  command('renacer.pickProgram', () => pickBinary(vscode.workspace.workspaceFolders?.[0]));
  command('renacer.traceProgram', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const program = await pickBinary(folder);
    if (!program) return;
    await vscode.debug.startDebugging(folder, {
      type: DEBUG_TYPE, request: 'launch', name: `Renacer: Trace ${path.basename(program)}`, program, cwd: folder?.uri.fsPath ?? path.dirname(program), source: true,
    });
  });
  command('renacer.attachToProcess', async () => {
    const pid = await pickProcess();
    if (!pid) return;
    await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], { type: DEBUG_TYPE, request: 'attach', name: `Renacer: Attach ${pid}`, processId: pid });
  });
  command('renacer.stopTracing', async () => {
    const s = vscode.debug.activeDebugSession;
    if (s?.type === DEBUG_TYPE) await vscode.debug.stopDebugging(s);
    else void vscode.window.showInformationMessage('Renacer: nothing is being traced.');
  });
  command('renacer.openTraceFile', async (file?: string) => {
    const chosen = typeof file === 'string' ? file : await pickTraceFile(lastTraceFile);
    if (!chosen) return;
    try {
      const lines = await openTraceFile(chosen, annotations, lsp);
      lastTraceFile = chosen;
      void vscode.window.setStatusBarMessage(`Renacer: ${lines} annotated lines from ${path.basename(chosen)}`, 5000);
    } catch (e) {
      void vscode.window.showErrorMessage(`Renacer: ${(e as Error).message}`);
    }
  });
  command('renacer.exportTrace', async (file?: string) => {
    const chosen = typeof file === 'string' ? file : await pickTraceFile(lastTraceFile);
    if (!chosen) return;
    const cfg = vscode.workspace.getConfiguration('renacer');
    let endpoint = cfg.get<string>('otlp.endpoint') || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    const typed = !endpoint;
    endpoint ??= await vscode.window.showInputBox({ prompt: 'OTLP endpoint (Tempo, Jaeger, a collector)', value: 'http://localhost:4318' });
    if (!endpoint) return;
    try {
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Renacer: exporting ${path.basename(chosen)} to ${endpoint}` },
        () => exportTraceFile(engine, context.secrets, chosen, endpoint!, cfg.get<string>('otlp.protocol') || undefined),
      );
      log.appendLine(r.output.trim());
      const open = 'Open Trace';
      const save = 'Save Endpoint';
      const template = cfg.get<string>('traceUrlTemplate', '');
      // Offered only where it can work: a template naming the trace id, an endpoint not yet in the settings.
      const actions = [...(r.traceId && template.includes('${traceId}') ? [open] : []), ...(typed ? [save] : [])];
      // The message stays until dismissed: don't hold the command on it.
      void vscode.window.showInformationMessage(`Renacer: exported trace ${r.traceId ?? ''} to ${endpoint}`.replace('  ', ' '), ...actions).then((pick) => {
        if (pick === open && r.traceId) void vscode.env.openExternal(vscode.Uri.parse(traceUrl(template, r.traceId)));
        if (pick === save) void cfg.update('otlp.endpoint', endpoint, vscode.ConfigurationTarget.Global);
      });
      return r;
    } catch (e) {
      const settings = 'Open Settings';
      void vscode.window.showErrorMessage(`Renacer: export failed: ${cliMessage((e as Error).message)}`, settings).then((pick) => {
        if (pick === settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'renacer.otlp');
      });
    }
  });
  command('renacer.setOtlpHeaders', async () => {
    const value = await vscode.window.showInputBox({ prompt: 'OTLP headers (k=v,k2=v2), e.g. Authorization=Bearer …; kept in the editor\'s secret storage', password: true });
    if (value === undefined) return;
    if (value === '') await context.secrets.delete(OTLP_HEADERS_SECRET);
    else await context.secrets.store(OTLP_HEADERS_SECRET, value);
  });
  command('renacer.toggleAnnotations', () => {
    const on = annotations.toggle();
    void vscode.window.setStatusBarMessage(`Renacer: annotations ${on ? 'on' : 'off'}`, 3000);
  });
  command('renacer.clearAnnotations', async () => {
    annotations.clear();
    await lsp.clear();
  });
  command('renacer.traceInTerminal', () => traceInTerminal(engine, annotations, lsp, log));

  // Trace viewer (webview): renacer.showViewer, renacer.revealInViewer, renacer.showDiff.
  context.subscriptions.push(registerTraceViewer(context, log, () => lastTraceFile));
  // Run-to-run diffs: renacer.compareWithPreviousRun, renacer.compareTraceFiles.
  context.subscriptions.push(registerTraceDiffCommands(lsp, annotations));

  return {
    annotations,
    lastTraceFile: () => lastTraceFile,
    onDidFinishTrace: finished.event,
    /** What "Create a launch.json file" writes (for the end-to-end tests). */
    initialConfigurations: (folder: vscode.WorkspaceFolder) => new RenacerConfigurationProvider(log).provideDebugConfigurations(folder),
  };
}

export function deactivate(): void {}
