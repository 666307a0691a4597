// Per-source-line aggregates of a trace: what the editor annotates. Built as
// a TraceSink (live) or from a trace file; plain JSON, so it crosses the
// debug adapter, the extension host and the language server as is.
//
// A syscall counts at the line that made it: its `original` location when a
// transpiler map applies (the source the user wrote), else its `source`.
import type { SideStats, SiteChange } from '../diff/diffModel';
import type { SourceLocation, SyscallEvent, TraceEvent, TraceSink } from '../session/events';
import { formatSyscall } from '../format/textFormat';

export const MAX_SAMPLES = 3;

export interface SyscallAtLine {
  name: string;
  calls: number;
  /** Failures by errno name. */
  errors: Record<string, number>;
  totalNs: number;
  maxNs: number;
  /** A few calls as strace prints them (the slowest first). */
  samples: Array<{ text: string; durNs: number; pid: number; tid: number }>;
}

export interface LineStats {
  file: string;
  /** 1-based, as in DWARF and the trace. */
  line: number;
  calls: number;
  errors: number;
  totalNs: number;
  syscalls: SyscallAtLine[];
  /** The function that made the calls (innermost, inline-expanded). */
  function?: string;
  /** The user call stack of one call (innermost first), when known. */
  stack?: SourceLocation[];
  /** When the line is in an original source mapped by a transpiler map: the generated location. */
  generated?: { file: string; line: number };
  language?: string;
  /** When the lines come from a run-to-run diff: what each syscall here did in the earlier run. */
  delta?: LineDelta;
}

/** What a syscall at a line did in each of two runs. */
export interface SyscallDeltaAtLine {
  name: string;
  change: SiteChange;
  before: SideStats | null;
  after: SideStats | null;
}

/** A line in a run-to-run diff (core/diff/lineDeltas.ts makes them from a TraceDiff). */
export interface LineDelta {
  /** The line's change as a whole: `new`/`gone` when every syscall there is, `same` when all are, else `changed`. */
  change: SiteChange;
  syscalls: SyscallDeltaAtLine[];
  /** The line in BEFORE, when it moved. */
  beforeLine?: number;
  /** The two trace files, for the hover. */
  beforeFile: string;
  afterFile: string;
}

const key = (file: string, line: number) => `${file}\0${line}`;

export class LineStatsIndex implements TraceSink {
  private readonly lines = new Map<string, LineStats>();
  private readonly changed = new Set<string>();

  onEvents(events: TraceEvent[]): void {
    for (const ev of events) if (ev.type === 'syscall') this.add(ev);
  }

  add(ev: SyscallEvent): void {
    const loc = ev.original ?? ev.source;
    if (!loc) return;
    const k = key(loc.file, loc.line);
    let st = this.lines.get(k);
    if (!st) {
      st = { file: loc.file, line: loc.line, calls: 0, errors: 0, totalNs: 0, syscalls: [], function: loc.function };
      if (ev.original && ev.source) {
        st.generated = { file: ev.source.file, line: ev.source.line };
        st.language = ev.original.language;
      }
      if (ev.stack) st.stack = ev.stack;
      else if (ev.source?.inlined?.length) st.stack = [ev.source, ...ev.source.inlined];
      this.lines.set(k, st);
    }
    const dur = ev.endNs - ev.startNs;
    st.calls++;
    st.totalNs += dur;
    let sc = st.syscalls.find((s) => s.name === ev.name);
    if (!sc) {
      sc = { name: ev.name, calls: 0, errors: {}, totalNs: 0, maxNs: 0, samples: [] };
      st.syscalls.push(sc);
    }
    sc.calls++;
    sc.totalNs += dur;
    sc.maxNs = Math.max(sc.maxNs, dur);
    if (ev.errno) {
      st.errors++;
      sc.errors[ev.errno] = (sc.errors[ev.errno] ?? 0) + 1;
    }
    // Keep the slowest few, and always one failure if there is one.
    const sample = { text: formatSyscall(ev, {}), durNs: dur, pid: ev.pid, tid: ev.tid };
    if (sc.samples.length < MAX_SAMPLES) sc.samples.push(sample);
    else if (ev.errno && !sc.samples.some((s) => / = -1 /.test(s.text))) sc.samples[MAX_SAMPLES - 1] = sample;
    else if (dur > sc.samples[MAX_SAMPLES - 1].durNs && !(/ = -1 /.test(sc.samples[MAX_SAMPLES - 1].text))) sc.samples[MAX_SAMPLES - 1] = sample;
    sc.samples.sort((a, b) => b.durNs - a.durNs);
    st.syscalls.sort((a, b) => b.calls - a.calls || b.totalNs - a.totalNs);
    this.changed.add(k);
  }

  /** Lines that changed since the last call (for live updates). */
  takeChanged(): LineStats[] {
    const out: LineStats[] = [];
    for (const k of this.changed) {
      const st = this.lines.get(k);
      if (st) out.push(st);
    }
    this.changed.clear();
    return out;
  }

  all(): LineStats[] {
    return [...this.lines.values()];
  }

  get size(): number {
    return this.lines.size;
  }
}

/**
 * Lines of one file, kept aligned with edits: lines below an edit move with
 * it; annotations on lines the edit touched are dropped (they no longer
 * describe that text).
 */
export class FileLineStats {
  readonly byLine = new Map<number, LineStats>();

  set(st: LineStats): void {
    this.byLine.set(st.line, st);
  }

  /**
   * An edit replaced lines [startLine, endLine] (1-based, inclusive) with
   * `newLineCount` lines.
   */
  applyEdit(startLine: number, endLine: number, newLineCount: number): void {
    const delta = newLineCount - (endLine - startLine + 1);
    const moved: LineStats[] = [];
    for (const [line, st] of [...this.byLine]) {
      if (line < startLine) continue;
      this.byLine.delete(line);
      // A change confined to one line that keeps the line count (typing)
      // leaves the line's annotation in place.
      if (line <= endLine && !(delta === 0 && startLine === endLine)) continue;
      if (line <= endLine) {
        moved.push(st);
        continue;
      }
      moved.push({ ...st, line: line + delta });
    }
    for (const st of moved) this.byLine.set(st.line, st);
  }
}

/** Line stats of many files (what the language server and the decorations keep). */
export class LineStatsByFile {
  readonly files = new Map<string, FileLineStats>();

  /** Adds or replaces lines; returns the files touched. */
  merge(lines: LineStats[]): Set<string> {
    const touched = new Set<string>();
    for (const st of lines) {
      let f = this.files.get(st.file);
      if (!f) {
        f = new FileLineStats();
        this.files.set(st.file, f);
      }
      f.set(st);
      touched.add(st.file);
    }
    return touched;
  }

  clear(): void {
    this.files.clear();
  }

  linesOf(file: string): LineStats[] {
    return [...(this.files.get(file)?.byLine.values() ?? [])];
  }
}
