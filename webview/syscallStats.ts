// The statistics view's table: `renacer -c` (strace's summary) over the
// syscalls the filter lets through — time, calls and errors per syscall,
// plus the errnos behind the errors and the slowest call.

export interface StatsRow {
  /** Index into TraceTables.names. */
  name: number;
  calls: number;
  errors: number;
  totalNs: number;
  maxNs: number;
  /** Failures by errno index (TraceTables.errnos). */
  errnos: Map<number, number>;
}

export interface StatsColumns {
  count: number;
  name: Uint16Array;
  errno: Uint16Array;
  dur: Float64Array;
}

export function computeStats(c: StatsColumns, mask: Uint8Array | null, names: number): StatsRow[] {
  const calls = new Float64Array(names);
  const errors = new Float64Array(names);
  const total = new Float64Array(names);
  const max = new Float64Array(names);
  const errnos = new Map<number, Map<number, number>>();
  for (let i = 0; i < c.count; i++) {
    if (mask && !mask[i]) continue;
    const n = c.name[i];
    const d = c.dur[i];
    calls[n]++;
    total[n] += d;
    if (d > max[n]) max[n] = d;
    const e = c.errno[i];
    if (e !== 0) {
      errors[n]++;
      let m = errnos.get(n);
      if (!m) errnos.set(n, (m = new Map()));
      m.set(e, (m.get(e) ?? 0) + 1);
    }
  }
  const rows: StatsRow[] = [];
  for (let n = 0; n < names; n++) {
    if (calls[n] === 0) continue;
    rows.push({ name: n, calls: calls[n], errors: errors[n], totalNs: total[n], maxNs: max[n], errnos: errnos.get(n) ?? new Map() });
  }
  return rows;
}

export type StatsKey = 'name' | 'time' | 'calls' | 'errors' | 'avg' | 'max';

/**
 * Sorted copy; ties fall back to strace's order (time, then calls, then
 * name), so equal rows never jump around.
 */
export function sortStats(rows: StatsRow[], key: StatsKey, descending: boolean, names: readonly string[]): StatsRow[] {
  const value = (r: StatsRow): number | string => {
    switch (key) {
      case 'name':
        return names[r.name];
      case 'time':
        return r.totalNs;
      case 'calls':
        return r.calls;
      case 'errors':
        return r.errors;
      case 'avg':
        return r.totalNs / r.calls;
      case 'max':
        return r.maxNs;
    }
  };
  const straceOrder = (a: StatsRow, b: StatsRow) => b.totalNs - a.totalNs || b.calls - a.calls || names[a.name].localeCompare(names[b.name]);
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c = typeof va === 'string' ? va.localeCompare(vb as string) : va - (vb as number);
    return c !== 0 ? c * dir : straceOrder(a, b);
  });
}

export interface StatsTotals {
  calls: number;
  errors: number;
  totalNs: number;
}

export function statsTotals(rows: readonly StatsRow[]): StatsTotals {
  let calls = 0;
  let errors = 0;
  let totalNs = 0;
  for (const r of rows) {
    calls += r.calls;
    errors += r.errors;
    totalNs += r.totalNs;
  }
  return { calls, errors, totalNs };
}
