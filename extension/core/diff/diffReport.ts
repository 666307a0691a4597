// `renacer diff`'s output: a table like `-c`'s, one row per call site with
// both runs' figures and the deltas, changed sites first (the JSON form is
// the rows themselves, diffModel.ts).
import * as path from 'node:path';

import { formatDuration } from '../source/lineAnnotation';
import type { DiffRow, RunSummary, SideStats, TraceDiff } from './diffModel';

/** `store.c:88 in flush`, `store.c:92 (was 88) in flush`, `(no source) /usr/bin/prog /lib/*`. */
export function siteLabel(r: DiffRow, relativeTo?: string): string {
  if (r.file === null) return `(no source) ${r.exe ?? '?'}${r.path ? ` ${r.path}` : ''}`;
  const file = relativeTo ? path.relative(relativeTo, r.file) || r.file : r.file;
  const shown = file.startsWith('..') ? r.file : file;
  const moved = r.before_line !== undefined ? ` (was ${r.before_line})` : '';
  return `${shown}:${r.line}${moved}${r.function ? ` in ${r.function}` : ''}`;
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `-${-n}` : '0');

/** `ENOENT +1 (new)`, `EAGAIN 3 → 5`, `ENOENT 2`: each errno seen on either side. */
export function errorsCell(before: SideStats | null, after: SideStats | null): string {
  const names = [...new Set([...Object.keys(before?.errors ?? {}), ...Object.keys(after?.errors ?? {})])];
  return names
    .map((e) => {
      const x = before?.errors[e] ?? 0;
      const y = after?.errors[e] ?? 0;
      if (!x) return `${e} +${y} (new)`;
      if (!y) return `${e} -${x} (gone)`;
      return x === y ? `${e} ${y}` : `${e} ${x} → ${y}`;
    })
    .join(', ');
}

const time = (s: SideStats | null) => (s ? formatDuration(s.dur_ns) : '-');

function describeRun(which: string, r: RunSummary, relativeTo?: string): string {
  const file = relativeTo ? path.relative(relativeTo, r.file) || r.file : r.file;
  return `${which} ${file}: ${r.program}, ${r.calls} syscalls${r.errors ? ` (${r.errors} failed)` : ''}, ${formatDuration(r.dur_ns)} in calls${r.truncated ? ', cut short' : ''}`;
}

export interface TextReportOptions {
  /** Show unchanged sites too. */
  all?: boolean;
  /** Paths are shown relative to this directory. */
  relativeTo?: string;
}

export function textReport(diff: TraceDiff, opts: TextReportOptions = {}): string {
  const lines: string[] = [describeRun('before:', diff.before, opts.relativeTo), describeRun('after: ', diff.after, opts.relativeTo), ''];
  const shown = diff.rows.filter((r) => opts.all || r.change !== 'same');
  const header = ['change', 'before', 'after', 'delta', 'errors', 'time before → after', 'syscall', 'site'];
  const cells = shown.map((r) => [
    r.change,
    r.before ? String(r.before.calls) : '-',
    r.after ? String(r.after.calls) : '-',
    signed((r.after?.calls ?? 0) - (r.before?.calls ?? 0)),
    errorsCell(r.before, r.after),
    `${time(r.before)} → ${time(r.after)}`,
    r.syscall,
    siteLabel(r, opts.relativeTo),
  ]);
  const totalErrors = (s: RunSummary) => s.errors;
  const total = [
    'total',
    String(diff.before.calls),
    String(diff.after.calls),
    signed(diff.after.calls - diff.before.calls),
    totalErrors(diff.before) === totalErrors(diff.after) ? `${diff.after.errors} failed` : `${diff.before.errors} → ${diff.after.errors} failed`,
    `${formatDuration(diff.before.dur_ns)} → ${formatDuration(diff.after.dur_ns)}`,
    '',
    '',
  ];
  const table = [header, ...cells, total];
  const widths = header.map((_, k) => Math.max(...table.map((row) => row[k].length)));
  const right = new Set([1, 2, 3]);
  const render = (row: string[]) =>
    row
      .map((c, k) => (k === row.length - 1 ? c : right.has(k) ? c.padStart(widths[k]) : c.padEnd(widths[k])))
      .join('  ')
      .trimEnd();
  if (cells.length) lines.push(render(header), ...cells.map(render), render(total));
  else lines.push('no call site changed', render(header), render(total));
  const count = (c: string) => diff.rows.filter((r) => r.change === c).length;
  const same = count('same');
  lines.push(
    '',
    `${count('changed')} changed, ${count('new')} new, ${count('gone')} gone, ${same} the same${same && !opts.all ? ' (--all shows them)' : ''}`,
  );
  return lines.join('\n') + '\n';
}

/** `--format json`: every row, `same` ones included (a program reads the change field), one JSON array. */
export function jsonReport(diff: TraceDiff): string {
  return JSON.stringify(diff.rows) + '\n';
}
