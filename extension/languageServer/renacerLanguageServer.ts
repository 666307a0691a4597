// `renacer lsp`: the Language Server Protocol face of the engine. Serves what
// a trace says about source lines — hovers, diagnostics for failing syscalls
// (errno as the code), opt-in CodeLens and inlay hints — to VS Code or any
// LSP editor. Traces come from a trace file (the loadTrace command, or
// `initializationOptions.traceFile`) or live from the editor (lineStats
// notifications). Its own commands and notifications, with their params and
// results, are core/protocol/languageServerProtocol.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  createConnection,
  DiagnosticSeverity,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

import { errnoMessage } from '../core/session/errnoNames';
import { annotationText, hoverMarkdown, narrowHoverMarkdown } from '../core/source/lineAnnotation';
import { LineStatsByFile, LineStatsIndex, type LineStats } from '../core/source/lineStats';
import { readTraceFile, traceFileEnded, traceFileSummary } from '../core/traceFile/traceFile';
import type { TraceDiff } from '../core/diff/diffModel';
import { lineDeltas, newFailures } from '../core/diff/lineDeltas';
import { diffTraceFiles } from '../core/diff/traceDiff';
import {
  LspCommand,
  LspNotification,
  type CompareResult,
  type CompareWant,
  type InitializationOptions,
  type LineStatsParams,
  type LoadTraceResult,
  type ShowLineResult,
} from '../core/protocol/languageServerProtocol';

export class TraceStore extends LineStatsByFile {
  loadFile(file: string): Set<string> {
    const index = new LineStatsIndex();
    index.onEvents(readTraceFile(file).events);
    this.clear();
    return this.merge(index.all());
  }

  /** The lines of a diff of two trace files (throws TraceFileError naming a bad one). */
  loadDiff(before: string, after: string): TraceDiff {
    const diff = diffTraceFiles(before, after);
    this.clear();
    this.merge(lineDeltas(diff));
    return diff;
  }
}

/** The length of each line of a source file: from the editor's open copy, else from disk (read once). */
class LineLengths {
  private readonly open = new Map<string, TextDocument>();
  private readonly disk = new Map<string, number[]>();

  opened(file: string, doc: TextDocument): void {
    this.open.set(file, doc);
  }

  changed(file: string, changes: Parameters<typeof TextDocument.update>[1], version: number): void {
    const doc = this.open.get(file);
    if (doc) this.open.set(file, TextDocument.update(doc, changes, version));
  }

  closed(file: string): void {
    this.open.delete(file);
  }

  /** 0-based line's length (0 when unknown: the range is then empty, which every client accepts). */
  of(file: string, line: number): number {
    const doc = this.open.get(file);
    if (doc) {
      const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
      return text.replace(/\r?\n$/, '').length;
    }
    let lengths = this.disk.get(file);
    if (!lengths) {
      try {
        lengths = fs.readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/\r$/, '').length);
      } catch {
        lengths = [];
      }
      this.disk.set(file, lengths);
    }
    return lengths[line] ?? 0;
  }
}

function diagnosticsFor(lines: Iterable<LineStats>, minCount: number, lengths: LineLengths): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const st of lines) {
    if (st.delta) {
      // A diff: what fails now that did not before.
      const line = st.line - 1;
      for (const f of newFailures(st)) {
        out.push({
          range: { start: { line, character: 0 }, end: { line, character: lengths.of(st.file, line) } },
          severity: DiagnosticSeverity.Warning,
          code: f.errno,
          source: 'renacer diff',
          message: `new failure: ${f.syscall} failed ${f.count}× with ${f.errno} (${errnoMessage(f.errno)}), which it did not in ${path.basename(st.delta.beforeFile)}`,
        });
      }
      continue;
    }
    if (st.calls < minCount) continue;
    for (const s of st.syscalls) {
      for (const [errno, n] of Object.entries(s.errors)) {
        const line = st.line - 1;
        out.push({
          range: { start: { line, character: 0 }, end: { line, character: lengths.of(st.file, line) } },
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
  let opts: InitializationOptions = {};
  const published = new Set<string>();
  const lengths = new LineLengths();
  let narrow = false;
  let root: string | undefined;
  let loadedFile: string | undefined;
  let pendingProblem: string | undefined;

  const filePath = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);

  const publish = (files: Iterable<string>) => {
    for (const file of files) {
      const lines = store.files.get(file)?.byLine.values() ?? [];
      connection.sendDiagnostics({ uri: pathToFileURL(file).toString(), diagnostics: diagnosticsFor(lines, opts.minCount ?? 1, lengths) });
      published.add(file);
    }
  };
  const republishAll = () => {
    const files = new Set([...published, ...store.files.keys()]);
    publish(files);
    if (opts.codeLens) connection.sendRequest('workspace/codeLens/refresh').catch(() => {});
    if (opts.inlayHints) connection.sendRequest('workspace/inlayHint/refresh').catch(() => {});
  };

  // window/showMessage, a notification: showErrorMessage would send
  // showMessageRequest, which some clients answer with a blocking prompt.
  const say = (type: MessageType, message: string) => void connection.sendNotification(ShowMessageNotification.type, { type, message });

  /** Loads a trace file; a bad one is reported to the user by name and changes nothing. */
  const load = (file: string): string | undefined => {
    const before = [...store.files.keys()];
    try {
      store.loadFile(file);
    } catch (e) {
      return `cannot load the trace file ${file}: ${(e as Error).message}`;
    }
    loadedFile = file;
    for (const f of before) if (!store.files.has(f)) published.add(f);
    republishAll();
    return undefined;
  };

  /** The newest complete trace under ROOT/.renacer (what the last run wrote). */
  const newestTrace = (): string | undefined => completeTraces(4)[0];

  /** Complete traces under ROOT/.renacer, newest first (of the `look` newest files). */
  const completeTraces = (look: number): string[] => {
    if (!root) return [];
    const dir = path.join(root, '.renacer');
    let files: Array<{ file: string; mtime: number }>;
    try {
      files = fs
        .readdirSync(dir)
        .filter((name) => /\.jsonl(\.gz)?$/.test(name))
        .map((name) => ({ file: path.join(dir, name), mtime: fs.statSync(path.join(dir, name)).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime);
    } catch {
      return [];
    }
    // A run still writing its file is not a trace yet.
    const out: string[] = [];
    for (const f of files.slice(0, look)) {
      try {
        if (traceFileEnded(f.file)) out.push(f.file);
      } catch {
        // unreadable: the next one
      }
    }
    return out;
  };

  /** The newest run and the run of the same program before it (else simply the one before it). */
  const lastTwoRuns = (): [string, string] | undefined => {
    const runs = completeTraces(50);
    if (runs.length < 2) return undefined;
    const program = traceFileSummary(runs[0])?.program;
    const previous = runs.slice(1).find((f) => traceFileSummary(f)?.program === program) ?? runs[1];
    return [previous, runs[0]];
  };

  /** Shows a diff of two trace files; a bad one is reported by name and changes nothing. */
  const compare = (before: string, after: string): { diff?: TraceDiff; problem?: string } => {
    const files = [...store.files.keys()];
    let diff: TraceDiff;
    try {
      diff = store.loadDiff(before, after);
    } catch (e) {
      return { problem: `cannot compare ${before} with ${after}: ${(e as Error).message}` };
    }
    loadedFile = after;
    for (const f of files) if (!store.files.has(f)) published.add(f);
    republishAll();
    for (const w of diff.warnings) say(MessageType.Warning, `renacer: ${w}`);
    return { diff };
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    opts = { minCount: 1, ...((params.initializationOptions as InitializationOptions | undefined) ?? {}) };
    const client = params.clientInfo?.name ?? '';
    narrow = opts.hoverStyle ? opts.hoverStyle === 'narrow' : !/visual studio code|code-server|vscodium|code - oss/i.test(client);
    root = params.rootUri ? filePath(params.rootUri) : params.rootPath ?? undefined;
    if (opts.traceFile) {
      // Never fail initialize over a trace: the client would not start, and
      // loadTrace (the way to recover) would be out of reach.
      try {
        store.loadFile(opts.traceFile);
        loadedFile = opts.traceFile;
      } catch (e) {
        pendingProblem = `cannot load the trace file ${opts.traceFile}: ${(e as Error).message}`;
      }
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeLensProvider: opts.codeLens ? { resolveProvider: false } : undefined,
        inlayHintProvider: opts.inlayHints ? { resolveProvider: false } : undefined,
        executeCommandProvider: { commands: Object.values(LspCommand) },
      },
      serverInfo: { name: 'renacer' },
    };
  });
  connection.onInitialized(() => {
    if (pendingProblem) say(MessageType.Error, `renacer: ${pendingProblem}. Load another with the ${LspCommand.loadTrace} command.`);
    if (!opts.traceFile && opts.followTraces !== false) {
      // No trace named: the newest run's, and each new one as runs finish.
      const newest = newestTrace();
      if (newest) load(newest);
      if (root) {
        const dir = path.join(root, '.renacer');
        let timer: NodeJS.Timeout | undefined;
        const check = () => {
          const n = newestTrace();
          if (n && n !== loadedFile && !load(n)) connection.console.info(`renacer: loaded the new trace ${n}`);
        };
        try {
          fs.mkdirSync(dir, { recursive: true });
          // A run's file is complete when its writer closes it: look again after a quiet moment.
          fs.watch(dir, () => {
            clearTimeout(timer);
            timer = setTimeout(check, 300);
          }).unref();
        } catch {
          // no .renacer to watch: only loadTrace then
        }
      }
    }
    if (opts.traceFile && store.files.size) publish(store.files.keys());
  });

  connection.onExecuteCommand((params) => {
    if (params.command === LspCommand.showLine) {
      const at = params.arguments?.[0] as { file: string; line: number } | undefined;
      const st = at && store.files.get(at.file)?.byLine.get(at.line);
      if (!st) return null;
      const calls = st.syscalls.map((s) => `${s.name} ${s.calls}×${Object.entries(s.errors).map(([e, n]) => `, ${n} ${e}`).join('')}`).join('; ');
      // The sample calls in full (the hover cuts them to its width).
      const samples = st.syscalls.flatMap((s) => s.samples.slice(0, 2).map((c) => `  ${c.text}`));
      say(MessageType.Info, [`${path.basename(st.file)}:${st.line}: ${calls}`, ...samples].join('\n'));
      return { file: st.file, line: st.line, syscalls: st.syscalls.map((s) => ({ name: s.name, calls: s.calls, errors: s.errors })) } satisfies ShowLineResult;
    }
    if (params.command === LspCommand.compareTraces || params.command === LspCommand.compareWithPrevious) {
      const args = params.arguments ?? [];
      let files: [string, string] | undefined;
      let want: CompareWant | undefined;
      if (params.command === LspCommand.compareTraces) {
        files = typeof args[0] === 'string' && typeof args[1] === 'string' ? [args[0], args[1]] : undefined;
        want = args[2] as typeof want;
        if (!files) return new ResponseError(-32602, `${LspCommand.compareTraces} needs [beforeFile, afterFile]`);
      } else {
        files = lastTwoRuns();
        want = args[0] as typeof want;
        if (!files) {
          const problem = `there are fewer than two complete runs under ${root ? path.join(root, '.renacer') : 'the workspace'} to compare`;
          say(MessageType.Error, `renacer: ${problem}`);
          return new ResponseError(-32602, problem);
        }
      }
      const { diff, problem } = compare(files[0], files[1]);
      if (!diff) {
        say(MessageType.Error, `renacer: ${problem}`);
        return new ResponseError(-32602, problem!);
      }
      const all = [...store.files.values()].flatMap((f) => [...f.byLine.values()]);
      const changed = diff.rows.filter((r) => r.change !== 'same').length;
      return {
        before: files[0],
        after: files[1],
        changed,
        newFailures: all.reduce((n, st) => n + newFailures(st).length, 0),
        ...(want?.lines ? { lines: all } : {}),
        ...(want?.diff ? { diff } : {}),
      } satisfies CompareResult;
    }
    if (params.command !== LspCommand.loadTrace) return null;
    const file = String(params.arguments?.[0] ?? '');
    const problem = load(file);
    if (problem) {
      say(MessageType.Error, `renacer: ${problem}`);
      return new ResponseError(-32602, problem);
    }
    // The VS Code face draws its decorations from the lines (it never parses
    // traces itself) and asks for them; other clients get a summary.
    const wantLines = (params.arguments?.[1] as { lines?: boolean } | undefined)?.lines === true;
    const all = [...store.files.values()].flatMap((f) => [...f.byLine.values()]);
    const result: LoadTraceResult = wantLines ? { file, lines: all } : { file, files: store.files.size, lines: all.length };
    return result;
  });
  connection.onNotification(LspNotification.lineStats, (params: LineStatsParams) => {
    if (params.reset) {
      const before = [...store.files.keys()];
      store.clear();
      publish(before);
    }
    publish(store.merge(params.lines));
  });
  connection.onNotification(LspNotification.clear, () => {
    const before = [...store.files.keys()];
    store.clear();
    publish(before);
  });

  connection.onHover((params) => {
    const st = store.files.get(filePath(params.textDocument.uri))?.byLine.get(params.position.line + 1);
    if (!st || (st.calls < (opts.minCount ?? 1) && !st.delta)) return null;
    const viewer = opts.viewerCommand
      ? `command:${opts.viewerCommand}?${encodeURIComponent(JSON.stringify([{ file: st.file, line: st.line }]))}`
      : undefined;
    return { contents: { kind: 'markdown', value: narrow ? narrowHoverMarkdown(st) : hoverMarkdown(st, { viewer }) } };
  });

  connection.onCodeLens((params) => {
    const f = store.files.get(filePath(params.textDocument.uri));
    if (!f || !opts.codeLens) return [];
    return [...f.byLine.values()]
      .filter((st) => st.calls >= (opts.minCount ?? 1) || st.delta)
      .map((st) => ({
        range: { start: { line: st.line - 1, character: 0 }, end: { line: st.line - 1, character: 0 } },
        command: { title: annotationText(st), command: opts.viewerCommand ?? LspCommand.showLine, arguments: [{ file: st.file, line: st.line }] },
      }));
  });

  connection.languages.inlayHint.on((params) => {
    const f = store.files.get(filePath(params.textDocument.uri));
    if (!f || !opts.inlayHints) return [];
    return [...f.byLine.values()]
      .filter((st) => st.line - 1 >= params.range.start.line && st.line - 1 <= params.range.end.line && (st.calls >= (opts.minCount ?? 1) || st.delta))
      .map((st) => ({ position: { line: st.line - 1, character: lengths.of(st.file, st.line - 1) }, label: ` ${annotationText(st)}`, paddingLeft: true }));
  });

  // Edits move annotations with their lines (and drop those on edited lines).
  connection.onDidOpenTextDocument((params) => {
    const d = params.textDocument;
    lengths.opened(filePath(d.uri), TextDocument.create(d.uri, d.languageId, d.version, d.text));
  });
  connection.onDidCloseTextDocument((params) => lengths.closed(filePath(params.textDocument.uri)));
  connection.onDidChangeTextDocument((params) => {
    const file = filePath(params.textDocument.uri);
    lengths.changed(file, params.contentChanges, params.textDocument.version);
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
