// The language server's own LSP messages, each named once with its params and
// result: what `renacer lsp` (extension/languageServer/) serves beside
// standard LSP, and what its clients send it — the VS Code extension
// (extension/vscode/languageClient.ts), Neovim (examples/neovim/renacer.lua)
// or any LSP editor (README, "Language server"). Both sides import the names
// from here (test/unit/protocolNames.test.ts fails when one is spelled out
// anywhere else). Pure TypeScript: no vscode, no vscode-languageserver.
import type { TraceDiff } from '../diff/diffModel';
import type { LineStats } from '../source/lineStats';

/** Notifications the client sends the server. */
export const LspNotification = {
  /** LineStatsParams: a live run's lines, merged into what the server has. */
  lineStats: 'renacer/lineStats',
  /** `{}`: the server drops every line (and its diagnostics). */
  clear: 'renacer/clear',
} as const;

export type LspNotificationName = (typeof LspNotification)[keyof typeof LspNotification];

export interface LineStatsParams {
  lines: LineStats[];
  /** Drop every line first (a new run starts). */
  reset?: boolean;
}

/** Each notification's params. */
export interface LspNotificationParams {
  [LspNotification.lineStats]: LineStatsParams;
  [LspNotification.clear]: Record<string, never>;
}

/**
 * The `workspace/executeCommand` commands the server implements (and lists in
 * its executeCommandProvider). vscode-languageclient registers each as a VS
 * Code command too: none may be a command package.json contributes.
 */
export const LspCommand = {
  /** Loads a trace file: its lines become the annotations. */
  loadTrace: 'renacer.loadTrace',
  /** A lens's command (clients without a trace viewer): the line's calls as a message. */
  showLine: 'renacer.showLine',
  /** The lines become a diff of two trace files (deltas; new failures in Problems). */
  compareTraces: 'renacer.compareTraces',
  /** The same for the two newest runs under ROOT/.renacer (the newest's program's previous run). */
  compareWithPrevious: 'renacer.compareWithPrevious',
} as const;

export type LspCommandName = (typeof LspCommand)[keyof typeof LspCommand];

/** What loadTrace answers: every line when asked `{ lines: true }`, else a summary. */
export type LoadTraceResult = { file: string; lines: LineStats[] } | { file: string; files: number; lines: number };

/** What showLine answers (null: no stats at that line). */
export interface ShowLineResult {
  file: string;
  line: number;
  syscalls: Array<{ name: string; calls: number; errors: Record<string, number> }>;
}

/** What a comparison's last argument may ask for besides the summary. */
export interface CompareWant {
  lines?: boolean;
  diff?: boolean;
}

/** What compareTraces and compareWithPrevious answer. */
export interface CompareResult {
  before: string;
  after: string;
  /** Sites that are not the same. */
  changed: number;
  newFailures: number;
  /** With `{ lines: true }`: the diff's lines, as the annotations show them. */
  lines?: LineStats[];
  /** With `{ diff: true }`: the whole diff (the trace viewer's Diff tab). */
  diff?: TraceDiff;
}

/** Each command's `arguments` and result. */
export interface LspCommands {
  [LspCommand.loadTrace]: { arguments: [file: string, options?: { lines?: boolean }]; result: LoadTraceResult };
  [LspCommand.showLine]: { arguments: [at: { file: string; line: number }]; result: ShowLineResult | null };
  [LspCommand.compareTraces]: { arguments: [before: string, after: string, want?: CompareWant]; result: CompareResult };
  [LspCommand.compareWithPrevious]: { arguments: [want?: CompareWant]; result: CompareResult };
}

/** `initializationOptions`: what a client may set. */
export interface InitializationOptions {
  traceFile?: string;
  codeLens?: boolean;
  inlayHints?: boolean;
  /** Lines with fewer calls are not annotated. */
  minCount?: number;
  /** A command the client implements to reveal a line in the trace viewer (hover link), run with `[{file, line}]`. */
  viewerCommand?: string;
  /** Without a traceFile: load the newest complete trace under ROOT/.renacer and follow new ones (default true; the VS Code face feeds lines itself). */
  followTraces?: boolean;
  /** Hover layout: `wide` (tables, as VS Code renders them) or `narrow` (a terminal's float); default by client. */
  hoverStyle?: 'wide' | 'narrow';
}
