// strace -c: time, calls and errors per syscall, as strace's table.
import type { SyscallEvent, TraceEvent, TraceSink } from './events';

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

  constructor(private readonly sortBy: SummarySort = 'time') {}

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
    const dur = ev.endNs - ev.startNs;
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

  /** The table as strace -c prints it. */
  format(): string {
    const rows = this.sorted();
    const total = rows.reduce((s, r) => s + r.totalNs, 0);
    const calls = rows.reduce((s, r) => s + r.calls, 0);
    const errors = rows.reduce((s, r) => s + r.errors, 0);
    // strace widens the name column for long names (process_vm_readv…).
    const nameWidth = Math.max(16, ...rows.map((r) => r.name.length + 1));
    const rule = '------ ----------- ----------- --------- --------- ' + '-'.repeat(nameWidth);
    const line = (pct: number, ns: number, n: number, err: number, name: string) =>
      `${pct.toFixed(2).padStart(6)} ${(ns / 1e9).toFixed(6).padStart(11)} ` +
      `${String(n ? Math.floor(ns / 1e3 / n) : 0).padStart(11)} ${String(n).padStart(9)} ` +
      `${(err ? String(err) : '').padStart(9)} ${name}`;
    const out = ['% time     seconds  usecs/call     calls    errors syscall', rule];
    for (const r of rows) out.push(line(total ? (100 * r.totalNs) / total : 0, r.totalNs, r.calls, r.errors, r.name));
    out.push(rule);
    out.push(line(total ? 100 : 0, total, calls, errors, 'total'));
    return out.join('\n') + '\n';
  }
}
