// The trace viewer's form of a trace: one entry per syscall across typed
// arrays ("columns"), plus small tables the columns index into. A million
// syscalls take ~37 MB here instead of ~1 GB of event objects; the columns
// are one ArrayBuffer (every column is a view on it), sent to the webview
// packed (traceColumnsFile.ts) and scanned per frame.
//
// Pure TypeScript without Node modules: the webview bundles it too.

/** Bits of `TraceColumns.flags` (the trace-file readers set them). */
export { SYSCALL_UNFINISHED } from '../extension/core/traceFile/syscallRecordSink';

export interface TraceColumns {
  /** Syscalls held: the trace's first `count` syscalls, in file order (index = span ordinal). */
  count: number;
  /** Entry time, ns since the session's origin. */
  start: Float64Array;
  /** Time in the call, ns. */
  dur: Float64Array;
  /** Index into `TraceTables.names`. */
  name: Uint16Array;
  /** Index into `TraceTables.threads`. */
  thread: Uint32Array;
  /** Index into `TraceTables.errnos`; 0 when the call succeeded. */
  errno: Uint16Array;
  /** Index into `TraceTables.sites`; 0 when the source is unknown. */
  site: Uint32Array;
  /** Index into `TraceTables.paths`; 0 when the call names no path. */
  path: Uint32Array;
  /** SYSCALL_* bits. */
  flags: Uint8Array;
  /**
   * Syscall indices grouped by thread, each group in entry order (a thread
   * makes one call at a time): thread t owns
   * threadOrder[threadStart[t] .. threadStart[t + 1]).
   */
  threadOrder: Uint32Array;
  threadStart: Uint32Array;
}

/** A source location of a stack frame; `file` indexes `TraceTables.files`. */
export interface FrameInfo {
  file: number;
  line: number;
  column?: number;
  function?: string;
}

/** Where a syscall was made: its user call stack and, with a transpiler map, the original line. */
export interface SiteInfo {
  /** Frame indices, innermost first (the syscall's own line, then its inlined and real callers). */
  frames: number[];
  original?: { file: number; line: number; function?: string; language?: string };
  /** The line the syscall counts at, as the editor annotates it: the original line, else the innermost frame. */
  file: number;
  line: number;
  function?: string;
}

export interface ProcessInfo {
  pid: number;
  parentPid?: number;
  /** Executable path (spawn/exec; a forked child inherits its parent's until it execs). */
  exe?: string;
  startNs: number;
  endNs: number;
  exitCode?: number;
  signal?: string;
  coreDumped?: boolean;
  /** Indices into `TraceTables.threads`, in order of appearance. */
  threads: number[];
  /** The process span's ordinal (span ids derive from it, see spanIds.ts). */
  spanOrdinal: number;
  /** Index into `TraceTables.processes` of the parent process, when traced. */
  parent?: number;
  syscalls: number;
}

export interface ThreadInfo {
  tid: number;
  /** Index into `TraceTables.processes`. */
  process: number;
  startNs: number;
  endNs: number;
  syscalls: number;
}

/** A process event shown on its thread's row (exec, signal, exit…). */
export interface MarkInfo {
  kind: 'spawn' | 'fork' | 'exec' | 'signal' | 'stopped' | 'exit' | 'detach';
  thread: number;
  timeNs: number;
  /** What a person reads: `exec /usr/bin/ls`, `SIGCHLD`, `exited with 0`. */
  text: string;
}

export interface TraceContextInfo {
  traceId: string;
  rootSpanId: string;
  parentSpanId?: string;
  traceFlags: number;
  traceState?: string;
  spanIdSeed: string;
}

export interface TraceTables {
  session: { program: string; argv: string[]; pid: number; attached: boolean; cwd: string; originWallNs: string };
  traceContext?: TraceContextInfo;
  /** The end record; absent when the run did not finish writing the file. */
  end?: { exitStatus: number | null; interrupted: boolean; syscalls: number; endNs: number };
  names: string[];
  /** errnos[0] is '' (success). */
  errnos: string[];
  /** paths[0] is '' (no path). */
  paths: string[];
  files: string[];
  frames: FrameInfo[];
  /** sites[0] stands for "no source". */
  sites: SiteInfo[];
  processes: ProcessInfo[];
  threads: ThreadInfo[];
  marks: MarkInfo[];
  /** Marks beyond the ones kept (a signal storm). */
  droppedMarks: number;
  /** Syscalls in the file; more than `TraceColumns.count` when the viewer's limit cut the rest. */
  totalSyscalls: number;
  /** Earliest entry and latest exit of anything in the trace, ns since the origin. */
  startNs: number;
  endNs: number;
}

export interface DecodedTrace {
  columns: TraceColumns;
  tables: TraceTables;
}

/** The typed arrays of `TraceColumns`, in the order they are laid out in the buffer (8-byte columns first). */
export const COLUMN_KEYS = ['start', 'dur', 'thread', 'site', 'path', 'threadOrder', 'threadStart', 'name', 'errno', 'flags'] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

const BYTES: Record<ColumnKey, number> = {
  start: 8, dur: 8, thread: 4, site: 4, path: 4, threadOrder: 4, threadStart: 4, name: 2, errno: 2, flags: 1,
};

/**
 * Allocates columns for `count` syscalls and `threads` threads as views on one
 * ArrayBuffer, so they move between threads, to disk and into the webview in
 * one piece.
 */
export function allocateColumns(count: number, threads: number): TraceColumns {
  return columnsOn(new ArrayBuffer(columnsSize(count, threads)), count, threads);
}

/** The bytes columns for `count` syscalls and `threads` threads take. */
export function columnsSize(count: number, threads: number): number {
  const lengths = columnLengths(count, threads);
  let size = 0;
  for (const k of COLUMN_KEYS) size = align8(size) + lengths[k] * BYTES[k];
  return align8(size);
}

/**
 * The columns laid out in `buffer` (as allocateColumns lays them out):
 * what the webview makes of the bytes it was sent. Throws when the size does
 * not match.
 */
export function columnsOn(buffer: ArrayBuffer, count: number, threads: number): TraceColumns {
  if (buffer.byteLength !== columnsSize(count, threads)) {
    throw new Error(`columns of ${buffer.byteLength} bytes do not hold ${count} syscalls of ${threads} threads`);
  }
  const lengths = columnLengths(count, threads);
  let offset = 0;
  const view = <T>(k: ColumnKey, Type: new (b: ArrayBuffer, o: number, n: number) => T): T => {
    offset = align8(offset);
    const v = new Type(buffer, offset, lengths[k]);
    offset += lengths[k] * BYTES[k];
    return v;
  };
  return {
    count,
    start: view('start', Float64Array),
    dur: view('dur', Float64Array),
    thread: view('thread', Uint32Array),
    site: view('site', Uint32Array),
    path: view('path', Uint32Array),
    threadOrder: view('threadOrder', Uint32Array),
    threadStart: view('threadStart', Uint32Array),
    name: view('name', Uint16Array),
    errno: view('errno', Uint16Array),
    flags: view('flags', Uint8Array),
  };
}

function columnLengths(count: number, threads: number): Record<ColumnKey, number> {
  return {
    start: count, dur: count, thread: count, site: count, path: count, threadOrder: count, threadStart: threads + 1,
    name: count, errno: count, flags: count,
  };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * Fills threadOrder and threadStart from thread (a counting sort: file order
 * within a thread, which is entry order since a thread makes one call at a
 * time; a group found out of order is sorted, to stay correct regardless).
 */
export function groupByThread(c: TraceColumns, threads: number): void {
  const { threadStart, threadOrder, thread, start, count: n } = c;
  threadStart.fill(0);
  for (let i = 0; i < n; i++) threadStart[thread[i] + 1]++;
  for (let t = 0; t < threads; t++) threadStart[t + 1] += threadStart[t];
  const next = threadStart.slice(0, threads);
  for (let i = 0; i < n; i++) threadOrder[next[thread[i]]++] = i;
  for (let t = 0; t < threads; t++) {
    const group = threadOrder.subarray(threadStart[t], threadStart[t + 1]);
    for (let k = 1; k < group.length; k++) {
      if (start[group[k]] < start[group[k - 1]]) {
        group.sort((a, b) => start[a] - start[b] || a - b);
        break;
      }
    }
  }
}

/** The one buffer every column is a view on. */
export function columnsBuffer(c: TraceColumns): ArrayBuffer {
  return c.start.buffer as ArrayBuffer;
}

type GrowableArray = Int32Array | Float64Array | Uint32Array | Uint16Array | Uint8Array;

/** A copy of `a` with room for `capacity` elements (the column builders double as they go). */
export function grownArray<T extends GrowableArray>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}
