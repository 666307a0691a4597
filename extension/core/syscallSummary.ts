// strace -c: time, calls and errors per syscall, as strace's table.
import type { SyscallEvent, TraceEvent, TraceSink } from './events';

export interface SummaryRow {
  name: string;
  calls: number;
  errors: number;
  /** Total time in the call, ns (wall clock from entry to exit, like strace -w). */
  totalNs: number;
}

export class SyscallSummary implements TraceSink {
  private readonly rows = new Map<string, SummaryRow>();

  onEvents(events: TraceEvent[]): void {
    for (const ev of events) if (ev.type === 'syscall') this.add(ev);
  }

  add(ev: SyscallEvent): void {
    let r = this.rows.get(ev.name);
    if (!r) {
      r = { name: ev.name, calls: 0, errors: 0, totalNs: 0 };
      this.rows.set(ev.name, r);
    }
    r.calls++;
    if (ev.errno !== undefined) r.errors++;
    r.totalNs += ev.endNs - ev.startNs;
  }

  /** Rows by time, then calls, then name (strace's default order). */
  sorted(): SummaryRow[] {
    return [...this.rows.values()].sort(
      (a, b) => b.totalNs - a.totalNs || b.calls - a.calls || a.name.localeCompare(b.name),
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
