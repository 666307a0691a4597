// `renacer lsp`: the Language Server Protocol face of the engine. Serves what
// a trace says about source lines — hovers, diagnostics for failing syscalls
// (errno as the code), opt-in CodeLens and inlay hints — to VS Code or any
// LSP editor. Traces come from a trace file (the `renacer.loadTrace`
// command, or `initializationOptions.traceFile`) or live from the editor
// (`renacer/lineStats` notifications).
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';

import { errnoMessage } from '../../core/errnoNames';
import { annotationText, hoverMarkdown } from '../../core/lineAnnotation';
import { LineStatsByFile, LineStatsIndex, type LineStats } from '../../core/lineStats';
import { readTraceFile } from '../../core/traceFile';

export const LOAD_TRACE_COMMAND = 'renacer.loadTrace';
export const LINE_STATS_NOTIFICATION = 'renacer/lineStats';
export const CLEAR_NOTIFICATION = 'renacer/clear';

export interface ServerOptions {
  traceFile?: string;
  codeLens?: boolean;
  inlayHints?: boolean;
  /** Lines with fewer calls are not annotated. */
  minCount?: number;
  /** A command the client implements to reveal a line in the trace viewer (hover link). */
  viewerCommand?: string;
}

export class TraceStore extends LineStatsByFile {
  loadFile(file: string): Set<string> {
    const index = new LineStatsIndex();
    index.onEvents(readTraceFile(file).events);
    this.clear();
    return this.merge(index.all());
  }
}

function diagnosticsFor(lines: Iterable<LineStats>, minCount: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const st of lines) {
    if (st.calls < minCount) continue;
    for (const s of st.syscalls) {
      for (const [errno, n] of Object.entries(s.errors)) {
        out.push({
          range: { start: { line: st.line - 1, character: 0 }, end: { line: st.line - 1, character: Number.MAX_SAFE_INTEGER } },
          severity: DiagnosticSeverity.Warning,
          code: errno,
          source: 'renacer',
          message: `${s.name} failed ${n}× with ${errno} (${errnoMessage(errno)})`,
        });
      }
    }
  }
  return out;
}

export function startLanguageServer(
  connection: Connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout),
): Connection {
  const store = new TraceStore();
  let opts: ServerOptions = {};
  const published = new Set<string>();

  const filePath = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);

  const publish = (files: Iterable<string>) => {
    for (const file of files) {
      const lines = store.files.get(file)?.byLine.values() ?? [];
      connection.sendDiagnostics({ uri: pathToFileURL(file).toString(), diagnostics: diagnosticsFor(lines, opts.minCount ?? 1) });
      published.add(file);
    }
  };
  const republishAll = () => {
    const files = new Set([...published, ...store.files.keys()]);
    publish(files);
    if (opts.codeLens) connection.sendRequest('workspace/codeLens/refresh').catch(() => {});
    if (opts.inlayHints) connection.sendRequest('workspace/inlayHint/refresh').catch(() => {});
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    opts = { minCount: 1, ...((params.initializationOptions as ServerOptions | undefined) ?? {}) };
    if (opts.traceFile) store.loadFile(opts.traceFile);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeLensProvider: opts.codeLens ? { resolveProvider: false } : undefined,
        inlayHintProvider: opts.inlayHints ? { resolveProvider: false } : undefined,
        executeCommandProvider: { commands: [LOAD_TRACE_COMMAND] },
      },
      serverInfo: { name: 'renacer' },
    };
  });
  connection.onInitialized(() => {
    if (store.files.size) publish(store.files.keys());
  });

  connection.onExecuteCommand((params) => {
    if (params.command !== LOAD_TRACE_COMMAND) return null;
    const file = String(params.arguments?.[0] ?? '');
    const before = [...store.files.keys()];
    store.loadFile(file);
    publish(new Set([...before, ...store.files.keys()]));
    republishAll();
    // The editor draws its decorations from these (it never parses traces itself).
    return { lines: [...store.files.values()].flatMap((f) => [...f.byLine.values()]) };
  });
  connection.onNotification(LINE_STATS_NOTIFICATION, (params: { lines: LineStats[]; reset?: boolean }) => {
    if (params.reset) {
      const before = [...store.files.keys()];
      store.clear();
      publish(before);
    }
    publish(store.merge(params.lines));
  });
  connection.onNotification(CLEAR_NOTIFICATION, () => {
    const before = [...store.files.keys()];
    store.clear();
    publish(before);
  });

  connection.onHover((params) => {
    const st = store.files.get(filePath(params.textDocument.uri))?.byLine.get(params.position.line + 1);
    if (!st || st.calls < (opts.minCount ?? 1)) return null;
    const viewer = opts.viewerCommand
      ? `command:${opts.viewerCommand}?${encodeURIComponent(JSON.stringify([{ file: st.file, line: st.line }]))}`
      : undefined;
    return { contents: { kind: 'markdown', value: hoverMarkdown(st, { viewer }) } };
  });

  connection.onCodeLens((params) => {
    const f = store.files.get(filePath(params.textDocument.uri));
    if (!f || !opts.codeLens) return [];
    return [...f.byLine.values()]
      .filter((st) => st.calls >= (opts.minCount ?? 1))
      .map((st) => ({
        range: { start: { line: st.line - 1, character: 0 }, end: { line: st.line - 1, character: 0 } },
        command: opts.viewerCommand
          ? { title: annotationText(st), command: opts.viewerCommand, arguments: [{ file: st.file, line: st.line }] }
          : { title: annotationText(st), command: '' },
      }));
  });

  connection.languages.inlayHint.on((params) => {
    const f = store.files.get(filePath(params.textDocument.uri));
    if (!f || !opts.inlayHints) return [];
    return [...f.byLine.values()]
      .filter((st) => st.line - 1 >= params.range.start.line && st.line - 1 <= params.range.end.line && st.calls >= (opts.minCount ?? 1))
      .map((st) => ({ position: { line: st.line - 1, character: Number.MAX_SAFE_INTEGER }, label: ` ${annotationText(st)}`, paddingLeft: true }));
  });

  // Edits move annotations with their lines (and drop those on edited lines).
  connection.onDidChangeTextDocument((params) => {
    const file = filePath(params.textDocument.uri);
    const f = store.files.get(file);
    if (!f) return;
    for (const change of params.contentChanges) {
      if (!('range' in change) || !change.range) {
        f.byLine.clear();
        continue;
      }
      const newLines = change.text.split('\n').length;
      f.applyEdit(change.range.start.line + 1, change.range.end.line + 1, newLines);
    }
    publish([file]);
  });

  connection.listen();
  return connection;
}
