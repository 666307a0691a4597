// A diff as the editor shows it: per source line, LineStats of the AFTER run
// with a `delta` saying what each syscall there did before. The language
// server turns them into annotations, hovers and Problems (new failures),
// for VS Code and for any LSP editor.
import type { LineDelta, LineStats, SyscallAtLine, SyscallDeltaAtLine } from '../source/lineStats';
import type { DiffRow, SideStats, SiteChange, TraceDiff } from './diffModel';

export interface DiffLineStats extends LineStats {
  delta: LineDelta;
}

function lineChange(changes: SiteChange[]): SiteChange {
  if (changes.every((c) => c === 'same')) return 'same';
  if (changes.every((c) => c === 'new')) return 'new';
  if (changes.every((c) => c === 'gone')) return 'gone';
  return 'changed';
}

const delta = (s: SyscallDeltaAtLine) => (s.after?.calls ?? 0) - (s.before?.calls ?? 0);

/** The diff's sourced rows as one LineStats per line (a gone site at its line in AFTER's source when known, else its old line). */
export function lineDeltas(diff: TraceDiff): DiffLineStats[] {
  const byLine = new Map<string, { file: string; line: number; fn: string | null; rows: DiffRow[] }>();
  for (const r of diff.rows) {
    if (r.file === null || r.line === null) continue;
    const line = r.change === 'gone' ? r.after_line ?? r.line : r.line;
    const key = `${r.file}\0${line}`;
    let e = byLine.get(key);
    if (!e) byLine.set(key, (e = { file: r.file, line, fn: r.function, rows: [] }));
    e.rows.push(r);
  }
  const out: DiffLineStats[] = [];
  for (const e of byLine.values()) {
    const syscalls: SyscallDeltaAtLine[] = e.rows.map((r) => ({ name: r.syscall, change: r.change, before: r.before, after: r.after }));
    // The most changed first.
    syscalls.sort((x, y) => Math.abs(delta(y)) - Math.abs(delta(x)) || (y.after?.calls ?? 0) - (x.after?.calls ?? 0));
    const at: SyscallAtLine[] = syscalls.map((s) => ({
      name: s.name,
      calls: s.after?.calls ?? 0,
      errors: { ...(s.after?.errors ?? {}) },
      totalNs: s.after?.dur_ns ?? 0,
      maxNs: s.after?.p95_ns ?? 0,
      samples: [],
    }));
    const sum = (f: (s: SideStats) => number) => syscalls.reduce((n, s) => n + (s.after ? f(s.after) : 0), 0);
    const st: DiffLineStats = {
      file: e.file,
      line: e.line,
      calls: sum((s) => s.calls),
      errors: sum((s) => Object.values(s.errors).reduce((a, b) => a + b, 0)),
      totalNs: sum((s) => s.dur_ns),
      syscalls: at,
      function: e.fn ?? undefined,
      delta: { change: lineChange(syscalls.map((s) => s.change)), syscalls, beforeFile: diff.before.file, afterFile: diff.after.file },
    };
    const moved = e.rows.find((r) => r.before_line !== undefined);
    if (moved) st.delta.beforeLine = moved.before_line;
    out.push(st);
  }
  return out;
}

/** Failures at a line that did not happen there before: errno, count, syscall. */
export function newFailures(st: LineStats & { delta?: LineDelta }): Array<{ syscall: string; errno: string; count: number }> {
  const out: Array<{ syscall: string; errno: string; count: number }> = [];
  for (const s of st.delta?.syscalls ?? []) {
    for (const [errno, count] of Object.entries(s.after?.errors ?? {})) if (!s.before?.errors[errno]) out.push({ syscall: s.name, errno, count });
  }
  return out;
}

const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

/** `openat 12× (+9) · 3 ENOENT new`: the two most changed syscalls, then failures that are new or changed. */
export function deltaAnnotationText(d: LineDelta): string {
  const calls = d.syscalls.slice(0, 2).map((s) => {
    if (s.change === 'gone') return `${s.name} gone (was ${s.before!.calls}×)`;
    if (s.change === 'new') return `${s.name} ${s.after!.calls}× new`;
    const n = delta(s);
    return n ? `${s.name} ${s.after!.calls}× (${signed(n)})` : `${s.name} ${s.after!.calls}×`;
  });
  if (d.syscalls.length > 2) calls.push(`+${d.syscalls.length - 2}`);
  const parts = [calls.join(', ')];
  const errs: string[] = [];
  for (const s of d.syscalls) {
    const names = new Set([...Object.keys(s.before?.errors ?? {}), ...Object.keys(s.after?.errors ?? {})]);
    for (const e of names) {
      const x = s.before?.errors[e] ?? 0;
      const y = s.after?.errors[e] ?? 0;
      if (!x) errs.push(`${y} ${e} new`);
      else if (!y) errs.push(`${e} gone`);
      else if (x !== y) errs.push(`${y} ${e} (${signed(y - x)})`);
      else errs.push(`${y} ${e}`);
    }
  }
  if (errs.length) parts.push(errs.join(', '));
  return parts.join(' · ');
}

/** Whether a line now makes more calls (or new failures) than before: `more`, `fewer` or `same`. */
export function deltaDirection(d: LineDelta): 'more' | 'fewer' | 'same' {
  const n = d.syscalls.reduce((a, s) => a + delta(s), 0);
  const failing = d.syscalls.some((s) => Object.keys(s.after?.errors ?? {}).some((e) => !s.before?.errors[e]));
  if (n > 0 || failing) return 'more';
  if (n < 0) return 'fewer';
  return 'same';
}
