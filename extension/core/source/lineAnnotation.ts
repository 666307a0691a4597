// What a person reads next to a line and in its hover.
import { deltaAnnotationText } from '../diff/lineDeltas';
import type { SideStats } from '../diff/diffModel';
import type { LineDelta, LineStats } from './lineStats';

export function formatDuration(ns: number): string {
  if (ns < 1e3) return `${Math.round(ns)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 1 : 0)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 1 : 0)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

/** `12× openat · 2 ENOENT · 0.4 ms` (the two most frequent syscalls, then `+N`). */
export function annotationText(st: LineStats): string {
  if (st.delta) return deltaAnnotationText(st.delta);
  const top = st.syscalls.slice(0, 2).map((s) => `${s.calls}× ${s.name}`);
  if (st.syscalls.length > 2) top.push(`+${st.syscalls.length - 2}`);
  const parts = [top.join(', ')];
  const errnos = new Map<string, number>();
  for (const s of st.syscalls) for (const [e, n] of Object.entries(s.errors)) errnos.set(e, (errnos.get(e) ?? 0) + n);
  if (errnos.size) parts.push([...errnos].sort((a, b) => b[1] - a[1]).map(([e, n]) => `${n} ${e}`).join(', '));
  parts.push(formatDuration(st.totalNs));
  return parts.join(' · ');
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]<>()#+\-.!|]/g, (c) => `\\${c}`);
}

export interface HoverLinks {
  /** A command URI that reveals this line's syscalls in the trace viewer. */
  viewer?: string;
}

/** The Markdown hover for a line: per syscall count, errors, time, samples, stack. */
/**
 * A hover for a terminal's float (Neovim, Helix…): no tables, lines cut to
 * `width` columns (the sample calls end in `…` when cut).
 */
export function narrowHoverMarkdown(st: LineStats, width = 80): string {
  if (st.delta) return diffHoverMarkdown(st, st.delta, true);
  const cut = (s: string) => (s.length > width - 2 ? `${s.slice(0, width - 3)}…` : s);
  const out: string[] = [];
  const where = st.function ? ` in ${st.function}` : '';
  out.push(`**Renacer**: ${st.calls} syscall${st.calls === 1 ? '' : 's'}${where}, ${formatDuration(st.totalNs)}${st.errors ? `, ${st.errors} failed` : ''}`);
  if (st.generated) out.push(cut(`mapped from ${st.generated.file}:${st.generated.line}${st.language ? ` (${st.language})` : ''}`));
  out.push('');
  for (const s of st.syscalls) {
    const errs = Object.entries(s.errors).map(([e, n]) => `${n} ${e}`).join(', ');
    out.push(cut(`- ${s.name} ${s.calls}×${errs ? `, ${errs}` : ''}, ${formatDuration(s.totalNs)} (max ${formatDuration(s.maxNs)})`));
  }
  const samples = st.syscalls.flatMap((s) => s.samples.slice(0, 2));
  if (samples.length) {
    out.push('', '```strace');
    for (const s of samples.slice(0, 6)) out.push(cut(s.text));
    out.push('```');
  }
  if (st.stack && st.stack.length > 1) {
    out.push('', 'Call stack:');
    for (const f of st.stack.slice(0, 8)) out.push(cut(`- ${f.function ?? '??'} ${f.file.split('/').pop() ?? f.file}:${f.line}`));
  }
  return out.join('\n');
}

export function hoverMarkdown(st: LineStats, links: HoverLinks = {}): string {
  if (st.delta) return diffHoverMarkdown(st, st.delta, false);
  const out: string[] = [];
  const where = st.function ? ` in \`${st.function}\`` : '';
  out.push(`**Renacer** — ${st.calls} syscall${st.calls === 1 ? '' : 's'}${where}, ${formatDuration(st.totalNs)}${st.errors ? `, ${st.errors} failed` : ''}`);
  if (st.generated) out.push(`\nMapped from generated code at \`${st.generated.file}:${st.generated.line}\`${st.language ? ` (${st.language})` : ''}`);
  out.push('\n| syscall | calls | errors | total | max |\n|---|---:|---|---:|---:|');
  for (const s of st.syscalls) {
    const errs = Object.entries(s.errors).map(([e, n]) => `${n} ${e}`).join(', ') || '—';
    out.push(`| \`${s.name}\` | ${s.calls} | ${errs} | ${formatDuration(s.totalNs)} | ${formatDuration(s.maxNs)} |`);
  }
  const samples = st.syscalls.flatMap((s) => s.samples.slice(0, 2));
  if (samples.length) {
    out.push('\n```strace');
    for (const s of samples.slice(0, 6)) out.push(`${s.text}  <${(s.durNs / 1e9).toFixed(6)}>`);
    out.push('```');
  }
  if (st.stack && st.stack.length > 1) {
    out.push('\nCall stack:');
    for (const f of st.stack.slice(0, 8)) out.push(`- \`${f.function ?? '??'}\` ${escapeMd(f.file.split('/').pop() ?? f.file)}:${f.line}`);
  }
  if (links.viewer) out.push(`\n[Show in trace viewer](${links.viewer})`);
  return out.join('\n');
}

const base = (f: string) => f.split('/').pop() ?? f;
const errs = (s: SideStats | null) => (s ? Object.entries(s.errors).map(([e, n]) => `${n} ${e}`).join(', ') || '—' : '—');
const signedDelta = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

/** A diff's hover: each syscall at the line, before and after side by side. */
function diffHoverMarkdown(st: LineStats, d: LineDelta, narrow: boolean): string {
  const moved = d.beforeLine !== undefined ? ` (line ${d.beforeLine} before)` : '';
  const where = st.function ? (narrow ? ` in ${st.function}` : ` in \`${st.function}\``) : '';
  const out = [`**Renacer diff**${where}${moved}: ${base(d.beforeFile)} → ${base(d.afterFile)}`, ''];
  const calls = (s: SideStats | null) => (s ? String(s.calls) : '—');
  const time = (s: SideStats | null) => (s ? formatDuration(s.dur_ns) : '—');
  if (narrow) {
    for (const s of d.syscalls) {
      const n = (s.after?.calls ?? 0) - (s.before?.calls ?? 0);
      out.push(`- ${s.name} (${s.change}): ${calls(s.before)} → ${calls(s.after)} (${signedDelta(n)}); errors ${errs(s.before)} → ${errs(s.after)}; ${time(s.before)} → ${time(s.after)}`);
    }
    return out.join('\n');
  }
  // Five columns: a hover is narrow, and each cell reads before → after.
  out.push('| syscall | change | calls | errors | time |', '|---|---|---:|---|---:|');
  for (const s of d.syscalls) {
    const n = (s.after?.calls ?? 0) - (s.before?.calls ?? 0);
    out.push(`| \`${s.name}\` | ${s.change} | ${calls(s.before)} → ${calls(s.after)} (${signedDelta(n)}) | ${errs(s.before)} → ${errs(s.after)} | ${time(s.before)} → ${time(s.after)} |`);
  }
  return out.join('\n');
}
