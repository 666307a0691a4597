// `renacer diff --fail-on LIST`: the conditions a CI job fails on. Each that
// holds is said in a line naming the site (or total) that tripped it.
import type { DiffRow, SideStats, TraceDiff } from './diffModel';
import { siteLabel } from './diffReport';

export type FailCondition =
  | { kind: 'new-errors' }
  | { kind: 'new-sites' }
  | { kind: 'calls'; percent: number }
  | { kind: 'time'; percent: number }
  | { kind: 'syscall'; name: string; amount: number; percent: boolean };

export class FailOnError extends Error {}

/** Parses `new-errors,calls:+10%,syscall:fsync:+5`; throws FailOnError. */
export function parseFailOn(list: string): FailCondition[] {
  const out: FailCondition[] = [];
  for (const raw of list.split(',')) {
    const item = raw.trim();
    if (item === 'new-errors' || item === 'new-sites') {
      out.push({ kind: item });
      continue;
    }
    let m = /^(calls|time):\+?(\d+(?:\.\d+)?)%$/.exec(item);
    if (m) {
      out.push(m[1] === 'calls' ? { kind: 'calls', percent: Number(m[2]) } : { kind: 'time', percent: Number(m[2]) });
      continue;
    }
    m = /^syscall:([a-z_][a-z0-9_]*):\+?(\d+(?:\.\d+)?)(%?)$/.exec(item);
    if (m) {
      out.push({ kind: 'syscall', name: m[1], amount: Number(m[2]), percent: m[3] === '%' });
      continue;
    }
    throw new FailOnError(
      `--fail-on: '${item}' is not a condition (new-errors, new-sites, calls:+N%, time:+N%, syscall:NAME:+N)`,
    );
  }
  return out;
}

const grew = (before: number, after: number, percent: number) => after > before * (1 + percent / 100) && after > before;
const pct = (before: number, after: number) => (before ? `+${(((after - before) / before) * 100).toFixed(1)}%` : 'from 0');

/** Sites smaller than this share of the run's syscall time are not judged on time alone (their times are noise). */
const TIME_FLOOR = 0.01;

/** The conditions that hold, one sentence each (empty: none). */
export function failures(diff: TraceDiff, conditions: FailCondition[], relativeTo?: string): string[] {
  const out: string[] = [];
  const label = (r: DiffRow) => siteLabel(r, relativeTo);
  const both = diff.rows.filter((r): r is DiffRow & { before: SideStats; after: SideStats } => !!r.before && !!r.after);
  for (const c of conditions) {
    if (c.kind === 'new-errors') {
      for (const r of diff.rows) {
        for (const [errno, n] of Object.entries(r.after?.errors ?? {})) {
          if (!r.before?.errors[errno]) out.push(`new-errors: ${r.syscall} failed ${n}× with ${errno} at ${label(r)}, which it did not before`);
        }
      }
    } else if (c.kind === 'new-sites') {
      for (const r of diff.rows) if (r.change === 'new' && r.file !== null) out.push(`new-sites: ${r.syscall} at ${label(r)} (${r.after!.calls}×) is new`);
    } else if (c.kind === 'calls') {
      if (grew(diff.before.calls, diff.after.calls, c.percent)) out.push(`calls:+${c.percent}%: ${diff.before.calls} → ${diff.after.calls} syscalls in all (${pct(diff.before.calls, diff.after.calls)})`);
      for (const r of both) {
        if (grew(r.before.calls, r.after.calls, c.percent)) out.push(`calls:+${c.percent}%: ${r.syscall} at ${label(r)}: ${r.before.calls} → ${r.after.calls} (${pct(r.before.calls, r.after.calls)})`);
      }
    } else if (c.kind === 'time') {
      if (grew(diff.before.dur_ns, diff.after.dur_ns, c.percent)) out.push(`time:+${c.percent}%: ${diff.before.dur_ns} → ${diff.after.dur_ns} ns in syscalls in all (${pct(diff.before.dur_ns, diff.after.dur_ns)})`);
      for (const r of both) {
        if (r.before.dur_ns < diff.before.dur_ns * TIME_FLOOR) continue;
        if (grew(r.before.dur_ns, r.after.dur_ns, c.percent)) out.push(`time:+${c.percent}%: ${r.syscall} at ${label(r)}: ${r.before.dur_ns} → ${r.after.dur_ns} ns (${pct(r.before.dur_ns, r.after.dur_ns)})`);
      }
    } else {
      const s = diff.syscalls.find((x) => x.syscall === c.name);
      const before = s?.before?.calls ?? 0;
      const after = s?.after?.calls ?? 0;
      const tripped = c.percent ? grew(before, after, c.amount) : after - before > c.amount;
      if (tripped) out.push(`syscall:${c.name}:+${c.amount}${c.percent ? '%' : ''}: ${before} → ${after} ${c.name} calls (+${after - before})`);
    }
  }
  return out;
}
