// The messages between the trace viewer's webview (webview/) and its host in
// the extension (extension/vscode/traceViewerPanel.ts). Pure types: both
// sides import them.
import type { TraceDiff } from '../extension/core/diff/diffModel';
import type { OriginalLocation, SourceLocation } from '../extension/core/session/events';
import type { TraceTables } from './traceColumns';

/** A syscall read back in full from the trace file when the viewer selects it. */
export interface SyscallDetails {
  index: number;
  args: string[];
  /** What the program saw: null when the call never returned. */
  ret: number | null;
  retText?: string;
  errno?: string;
  /** 'No such file or directory' for ENOENT. */
  errnoMessage?: string;
  /** Entry time, exact wall-clock ns since the epoch (decimal). */
  startWallNs: string;
  source?: SourceLocation;
  stack?: SourceLocation[];
  original?: OriginalLocation;
  /** The ids of the syscall's span and of its parent (process) span, when the trace file records its trace context. */
  span?: { traceId: string; spanId: string; parentSpanId: string };
}

/** Host → webview. */
export type HostMessage =
  | { type: 'loading'; file: string }
  | { type: 'progress'; bytes: number; totalBytes: number }
  | {
      type: 'trace';
      file: string;
      tables: TraceTables;
      /** Syscalls in the columns. */
      count: number;
      /**
       * The columns file's parts, each gzip'd (traceColumnsFile.ts,
       * traceColumnsCache.ts). Sent as soon as the trace is decoded, even
       * before the webview says it is ready: VS Code holds messages for a
       * webview that is still loading, so they travel while it loads.
       */
      columns: Uint8Array[];
      /** The file has no end record (the run was cut short, or is still going). */
      unfinished: boolean;
      /** How long decoding took on the worker threads, ms (0: the decoded trace was on disk already). */
      decodeMs: number;
    }
  | { type: 'error'; message: string }
  | { type: 'revealLine'; file: string; line: number }
  /**
   * The trace against an earlier run (`renacer diff`): the viewer shows it
   * in a Diff tab, and switches to it, when the trace on screen is
   * `diff.after.file` (else once that trace is); null takes the tab away.
   */
  | { type: 'diff'; diff: TraceDiff | null }
  | { type: 'details'; requestId: number; details?: SyscallDetails; error?: string };

/** Webview → host. */
export type ViewerMessage =
  | { type: 'ready' }
  /** Show a source line in an editor. */
  | { type: 'reveal'; file: string; line: number; column?: number }
  /** The full syscall `index`; `process` (its process's index) names its parent span. */
  | { type: 'details'; requestId: number; index: number; process: number }
  /** Pick another trace file. */
  | { type: 'open' }
  /**
   * The first frame with the trace is on screen: the host measures the open
   * time up to here. `inflateMs`: from the trace in hand to its columns inflated; `drawMs`: from the
   * columns in hand to the first frame.
   */
  | {
      type: 'rendered';
      file: string;
      syscalls: number;
      inflateMs: number;
      drawMs: number;
      /** When the webview reached each step of this open (ms since the epoch): the host logs the waterfall. */
      steps?: Array<[string, number]>;
    };
