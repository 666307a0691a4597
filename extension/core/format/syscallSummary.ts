// strace -c: time, calls and errors per syscall, as strace's table.
import type { SyscallEvent, TraceEvent, TraceSink } from '../session/events';

export interface SummaryRow {
  name: string;
  /** The syscall number: strace's order among equals. */
  nr: number;
  calls: number;
  errors: number;
  /** Total time in the call, ns (wall clock from entry to exit, like strace -w). */
  totalNs: number;
  minNs: number;
  maxNs: number;
}

/** strace's -S: what the table is sorted by (descending, but name ascending; nothing: by syscall number). */
export type SummarySort = 'time' | 'min-time' | 'max-time' | 'avg-time' | 'calls' | 'errors' | 'name' | 'nothing';

const SORT_ALIASES: Record<string, SummarySort> = {
  time: 'time', 'time-percent': 'time', 'time_percent': 'time', 'total-time': 'time', total_time: 'time', percent: 'time',
  'min-time': 'min-time', min_time: 'min-time', shortest: 'min-time',
  'max-time': 'max-time', max_time: 'max-time', longest: 'max-time',
  'avg-time': 'avg-time', avg_time: 'avg-time',
  calls: 'calls', count: 'calls',
  errors: 'errors', error: 'errors',
  name: 'name', syscall: 'name', 'syscall-name': 'name',
  nothing: 'nothing', none: 'nothing',
};

/** `-S SORTBY`; undefined for a value strace does not take. */
export function parseSummarySort(v: string): SummarySort | undefined {
  return SORT_ALIASES[v];
}

export class SyscallSummary implements TraceSink {
  private readonly rows = new Map<string, SummaryRow>();

  /** `overheadNs`: strace's -O, subtracted from each call's time (never below zero). */
  constructor(
    private readonly sortBy: SummarySort = 'time',
    private readonly overheadNs = 0,
  ) {}

  onEvents(events: TraceEvent[]): void {
    for (const ev of events) if (ev.type === 'syscall') this.add(ev);
  }

  add(ev: SyscallEvent): void {
    // strace counts a call when it returns: exit_group, or a call a kill cut short, never does.
    if (ev.ret === null) return;
    let r = this.rows.get(ev.name);
    if (!r) {
      r = { name: ev.name, nr: ev.nr, calls: 0, errors: 0, totalNs: 0, minNs: Infinity, maxNs: 0 };
      this.rows.set(ev.name, r);
    }
    const dur = Math.max(0, ev.endNs - ev.startNs - this.overheadNs);
    r.calls++;
    if (ev.errno !== undefined) r.errors++;
    r.totalNs += dur;
    r.minNs = Math.min(r.minNs, dur);
    r.maxNs = Math.max(r.maxNs, dur);
  }

  /** Rows in -S's order; equals in syscall-number order, as strace's stable sort of its per-number table leaves them. */
  sorted(): SummaryRow[] {
    const key: Record<SummarySort, (r: SummaryRow) => number> = {
      time: (r) => -r.totalNs,
      'min-time': (r) => -r.minNs,
      'max-time': (r) => -r.maxNs,
      'avg-time': (r) => -(r.totalNs / r.calls),
      calls: (r) => -r.calls,
      errors: (r) => -r.errors,
      name: () => 0,
      nothing: () => 0,
    };
    const k = key[this.sortBy];
    return [...this.rows.values()].sort((a, b) =>
      this.sortBy === 'name' ? a.name.localeCompare(b.name) : k(a) - k(b) || a.nr - b.nr,
    );
  }

  /** The table as strace -c prints it, with -U's columns. */
  format(columns: SummaryColumn[] = DEFAULT_COLUMNS): string {
    const rows = this.sorted();
    const total: SummaryRow = {
      name: 'total',
      nr: -1,
      calls: rows.reduce((n, r) => n + r.calls, 0),
      errors: rows.reduce((n, r) => n + r.errors, 0),
      totalNs: rows.reduce((n, r) => n + r.totalNs, 0),
      minNs: Math.min(...rows.map((r) => r.minNs)),
      maxNs: Math.max(0, ...rows.map((r) => r.maxNs)),
    };
    // strace widens the name column for long names (process_vm_readv…).
    const nameWidth = Math.max(16, ...rows.map((r) => r.name.length + 1));
    const secs = (ns: number) => (ns / 1e9).toFixed(6);
    const cell: Record<SummaryColumn, { head: string; width: number; value: (r: SummaryRow) => string; left?: boolean }> = {
      'time-percent': { head: '% time', width: 6, value: (r) => (total.totalNs ? (100 * r.totalNs) / total.totalNs : 0).toFixed(2) },
      'total-time': { head: 'seconds', width: 11, value: (r) => secs(r.totalNs) },
      'min-time': { head: 'shortest', width: 8, value: (r) => secs(r.calls ? r.minNs : 0) },
      'max-time': { head: 'longest', width: 8, value: (r) => secs(r.maxNs) },
      'avg-time': { head: 'usecs/call', width: 11, value: (r) => String(r.calls ? Math.floor(r.totalNs / 1e3 / r.calls) : 0) },
      calls: { head: 'calls', width: 9, value: (r) => String(r.calls) },
      errors: { head: 'errors', width: 9, value: (r) => (r.errors ? String(r.errors) : '') },
      name: { head: 'syscall', width: nameWidth, value: (r) => r.name, left: true },
    };
    const render = (texts: string[]) =>
      columns
        .map((c, k) => (cell[c].left ? (k === columns.length - 1 ? texts[k] : texts[k].padEnd(cell[c].width)) : texts[k].padStart(cell[c].width)))
        .join(' ');
    const rule = columns.map((c) => '-'.repeat(cell[c].width)).join(' ');
    const out = [render(columns.map((c) => cell[c].head)), rule];
    for (const r of rows) out.push(render(columns.map((c) => cell[c].value(r))));
    out.push(rule);
    out.push(render(columns.map((c) => (c === 'time-percent' ? '100.00' : cell[c].value(total)))));
    return out.join('\n') + '\n';
  }
}

/** strace's -U: the table's columns. */
export type SummaryColumn = 'time-percent' | 'total-time' | 'min-time' | 'max-time' | 'avg-time' | 'calls' | 'errors' | 'name';

export const DEFAULT_COLUMNS: SummaryColumn[] = ['time-percent', 'total-time', 'avg-time', 'calls', 'errors', 'name'];

const COLUMN_ALIASES: Record<string, SummaryColumn> = {
  'time-percent': 'time-percent', time_percent: 'time-percent', 'time%': 'time-percent', percent: 'time-percent',
  'total-time': 'total-time', total_time: 'total-time', time: 'total-time', seconds: 'total-time',
  'min-time': 'min-time', min_time: 'min-time', shortest: 'min-time',
  'max-time': 'max-time', max_time: 'max-time', longest: 'max-time',
  'avg-time': 'avg-time', avg_time: 'avg-time', 'usecs/call': 'avg-time',
  calls: 'calls', count: 'calls',
  errors: 'errors', error: 'errors',
  name: 'name', syscall: 'name', 'syscall-name': 'name',
};

/** `-U COLUMNS`; throws naming a column strace does not have. */
export function parseSummaryColumns(v: string): SummaryColumn[] {
  return v.split(',').map((c) => {
    const col = COLUMN_ALIASES[c.trim()];
    if (!col) throw new Error(`-U: invalid column '${c}' (time-percent, total-time, min-time, max-time, avg-time, calls, errors, name)`);
    return col;
  });
}
