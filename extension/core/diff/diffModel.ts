// What `renacer diff` says about two runs: the contract shared by the CLI
// (`--format json`, README "renacer diff"), the language server and the
// trace viewer's Diff tab. Pure types (the webview imports them).

/** One side's figures for a call site. */
export interface SideStats {
  calls: number;
  /** Failures by errno name. */
  errors: Record<string, number>;
  /** Time in the calls, in all. */
  dur_ns: number;
  p50_ns: number;
  p95_ns: number;
  /** Bytes transferred (the positive results of read/write-like calls); absent for other calls. */
  bytes?: number;
}

/**
 * `same`: the calls and their failures (by errno) are what they were (times
 * always differ); `changed`: they differ; `new`/`gone`: the site is on one
 * side only.
 */
export type SiteChange = 'same' | 'changed' | 'new' | 'gone';

/** A call site: (file, function, line, syscall); or, for calls without a source line, (exe, syscall, path). */
export interface DiffRow {
  /** null for calls without a source line. */
  file: string | null;
  /** AFTER's line; BEFORE's for a `gone` site. */
  line: number | null;
  function: string | null;
  syscall: string;
  before: SideStats | null;
  after: SideStats | null;
  change: SiteChange;
  /** The site's line in BEFORE, when it moved (code added or removed above it). */
  before_line?: number;
  /** A `gone` site: where its line is in AFTER's source, when that can be told. */
  after_line?: number;
  /** Calls without a source line: the executable that made them. */
  exe?: string;
  /** …and the path argument's pattern (standalone numbers and long hex runs as `*`), when the call names a path. */
  path?: string;
}

/** One side's whole run. */
export interface RunSummary {
  file: string;
  program: string;
  pid: number;
  calls: number;
  errors: number;
  dur_ns: number;
  /** The file was cut short: read up to its last whole batch. */
  truncated: boolean;
}

/** Per syscall name, the `-c` table's figures on both sides. */
export interface SyscallDelta {
  syscall: string;
  before: SideStats | null;
  after: SideStats | null;
}

/** A call path (root first, the syscall last) with both sides' calls and time: the differential flame graph's input. */
export interface StackDelta {
  frames: string[];
  before: { calls: number; dur_ns: number };
  after: { calls: number; dur_ns: number };
}

export interface TraceDiff {
  before: RunSummary;
  after: RunSummary;
  /** Every site, changed ones first (see diffReport.ts for the order). */
  rows: DiffRow[];
  syscalls: SyscallDelta[];
  stacks: StackDelta[];
  /** What a person should know about the inputs (a file cut short…). */
  warnings: string[];
}
