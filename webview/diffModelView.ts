// The Diff tab's logic, without the DOM (diffView.ts and diffFlameView.ts
// draw it): the `-c` table's deltas and their order, the changed call
// sites' labels, and the differential flame graph's tree and colours. The
// input is what `renacer diff` computes (extension/core/diff/diffModel.ts).
import type { DiffRow, SideStats, StackDelta, SyscallDelta } from '../extension/core/diff/diffModel';
import { mix, type Rgb } from './themeColors';
import { formatDuration } from './timeAxis';
import { baseName } from './traceModel';

/** Failures in all (the errno counts added up); 0 for a side that is not there. */
export function errorCount(s: SideStats | null | undefined): number {
  if (!s) return 0;
  let n = 0;
  for (const k in s.errors) n += s.errors[k];
  return n;
}

/** One syscall's figures on both sides and their differences (after − before). */
export interface SyscallDeltaRow {
  syscall: string;
  callsBefore: number;
  callsAfter: number;
  callsDelta: number;
  errorsBefore: number;
  errorsAfter: number;
  errorsDelta: number;
  timeBefore: number;
  timeAfter: number;
  timeDelta: number;
  /** The syscall is made on one side only. */
  only?: 'before' | 'after';
}

export type DeltaKey = Exclude<keyof SyscallDeltaRow, 'only'>;

export function syscallDeltaRows(syscalls: SyscallDelta[]): SyscallDeltaRow[] {
  return syscalls.map((s) => {
    const callsBefore = s.before?.calls ?? 0;
    const callsAfter = s.after?.calls ?? 0;
    const errorsBefore = errorCount(s.before);
    const errorsAfter = errorCount(s.after);
    const timeBefore = s.before?.dur_ns ?? 0;
    const timeAfter = s.after?.dur_ns ?? 0;
    return {
      syscall: s.syscall,
      callsBefore,
      callsAfter,
      callsDelta: callsAfter - callsBefore,
      errorsBefore,
      errorsAfter,
      errorsDelta: errorsAfter - errorsBefore,
      timeBefore,
      timeAfter,
      timeDelta: timeAfter - timeBefore,
      only: !s.before ? 'after' : !s.after ? 'before' : undefined,
    };
  });
}

const isDelta = (k: DeltaKey) => k.endsWith('Delta');

/**
 * The rows in the order of column `key`: the Δ columns by the size of the
 * change (the biggest first when descending; of two as big, more before
 * fewer), the others by value; ties by syscall name.
 */
export function sortDeltaRows(rows: SyscallDeltaRow[], key: DeltaKey, descending: boolean): SyscallDeltaRow[] {
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (key === 'syscall') return dir * a.syscall.localeCompare(b.syscall);
    const x = a[key];
    const y = b[key];
    const c = isDelta(key) ? Math.abs(x) - Math.abs(y) || x - y : x - y;
    return dir * c || a.syscall.localeCompare(b.syscall);
  });
}

/** The table's first order: the biggest change in calls first. */
export const DEFAULT_SORT: { key: DeltaKey; descending: boolean } = { key: 'callsDelta', descending: true };

/** More (+1), fewer (−1) or as many (0): the sign of a difference. */
export function deltaSign(delta: number): 1 | -1 | 0 {
  return delta > 0 ? 1 : delta < 0 ? -1 : 0;
}

/** The CSS class a difference is shown with: ` delta-more`, ` delta-fewer` or `` when as many. */
export function signClass(delta: number): string {
  return deltaSign(delta) > 0 ? ' delta-more' : deltaSign(delta) < 0 ? ' delta-fewer' : '';
}

/** `+2`, `−1` (a minus sign, not a hyphen), `0`. */
export function formatSigned(n: number): string {
  return n > 0 ? `+${n.toLocaleString('en')}` : n < 0 ? `−${(-n).toLocaleString('en')}` : '0';
}

/** `+12.5 µs`, `−3.05 ms`, `0`. */
export function formatSignedDuration(ns: number): string {
  return ns > 0 ? `+${formatDuration(ns)}` : ns < 0 ? `−${formatDuration(-ns)}` : '0';
}

/** The relative change from `before` to `after`: `+25%`, `−50%`, `new`, `gone`, `` when unchanged. */
export function formatChange(before: number, after: number): string {
  if (before === after) return '';
  if (before === 0) return 'new';
  if (after === 0) return 'gone';
  const pct = (100 * (after - before)) / before;
  const text = Math.abs(pct) >= 10 ? Math.round(Math.abs(pct)).toString() : Math.abs(pct).toFixed(1);
  return `${pct > 0 ? '+' : '−'}${text}%`;
}

// ---- Changed call sites ----

/** `prog.c:12 in load_config`; for calls without a source line, the executable (and path pattern). */
export function siteLabel(r: DiffRow): string {
  if (r.file === null) {
    const exe = r.exe ? baseName(r.exe) : '(no source)';
    return r.path ? `${exe} ${r.path}` : exe;
  }
  const where = `${baseName(r.file)}${r.line !== null ? `:${r.line}` : ''}`;
  const moved = r.before_line !== undefined && r.before_line !== r.line ? ` (was :${r.before_line})` : '';
  return `${where}${r.function ? ` in ${r.function}` : ''}${moved}`;
}

/** Where a click on the site leads in the (current, AFTER's) source; undefined without a source line. */
export function siteTarget(r: DiffRow): { file: string; line: number } | undefined {
  if (r.file === null) return undefined;
  const line = r.change === 'gone' ? (r.after_line ?? r.line) : r.line;
  return line === null ? undefined : { file: r.file, line };
}

/** The failures that changed first: `ENOENT +1 (new)`, `EAGAIN −2 (gone)`, `EINTR +1`; then unchanged ones: `EACCES 3`. */
export function errorsText(r: DiffRow): string {
  const b = r.before?.errors ?? {};
  const a = r.after?.errors ?? {};
  const names = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  const changed: string[] = [];
  const same: string[] = [];
  for (const e of names) {
    const x = b[e] ?? 0;
    const y = a[e] ?? 0;
    if (x === y) same.push(`${e} ${y.toLocaleString('en')}`);
    else changed.push(`${e} ${formatSigned(y - x)}${x === 0 ? ' (new)' : y === 0 ? ' (gone)' : ''}`);
  }
  return [...changed, ...same].join(', ');
}

/** The sites whose calls or failures changed (or that are on one side only), in the diff's order. */
export function changedSites(rows: DiffRow[]): DiffRow[] {
  return rows.filter((r) => r.change !== 'same');
}

// ---- The differential flame graph ----

export type DiffFlameKind = 'root' | 'frame' | 'syscall';

export interface DiffFlameNode {
  label: string;
  kind: DiffFlameKind;
  depth: number;
  parent: DiffFlameNode | null;
  /** Widest first. */
  children: DiffFlameNode[];
  before: { calls: number; dur_ns: number };
  after: { calls: number; dur_ns: number };
  /**
   * The box's width: for each call path through it, the larger of its calls
   * before and after, added up. So a path gone in AFTER is as wide as it was
   * and a new one as wide as it is, and children never overflow their parent.
   */
  width: number;
}

function diffNode(label: string, kind: DiffFlameKind, parent: DiffFlameNode | null): DiffFlameNode {
  return { label, kind, depth: parent ? parent.depth + 1 : 0, parent, children: [], before: { calls: 0, dur_ns: 0 }, after: { calls: 0, dur_ns: 0 }, width: 0 };
}

/** The call paths (root first, the syscall last) merged into one tree under a root of every call. */
export function buildDiffFlameTree(stacks: StackDelta[]): DiffFlameNode {
  const root = diffNode('all syscalls', 'root', null);
  const index = new Map<DiffFlameNode, Map<string, DiffFlameNode>>();
  const child = (parent: DiffFlameNode, label: string, kind: DiffFlameKind) => {
    let m = index.get(parent);
    if (!m) index.set(parent, (m = new Map()));
    // A function and a syscall of one name are different boxes.
    const key = `${kind}\0${label}`;
    let n = m.get(key);
    if (!n) {
      n = diffNode(label, kind, parent);
      m.set(key, n);
      parent.children.push(n);
    }
    return n;
  };
  const add = (n: DiffFlameNode, s: StackDelta) => {
    n.before.calls += s.before.calls;
    n.before.dur_ns += s.before.dur_ns;
    n.after.calls += s.after.calls;
    n.after.dur_ns += s.after.dur_ns;
  };
  for (const s of stacks) {
    if (s.frames.length === 0) continue;
    add(root, s);
    let at = root;
    s.frames.forEach((f, k) => {
      at = child(at, f, k === s.frames.length - 1 ? 'syscall' : 'frame');
      add(at, s);
    });
  }
  // Syscall boxes (each path's last) are the leaves: a function of the same name is another box.
  const finish = (n: DiffFlameNode): number => {
    n.width = n.children.length === 0 ? Math.max(n.before.calls, n.after.calls) : n.children.reduce((w, k) => w + finish(k), 0);
    n.children.sort((x, y) => y.width - x.width || x.label.localeCompare(y.label));
    return n.width;
  };
  finish(root);
  return root;
}

export type DiffClass = 'more' | 'fewer' | 'same';

/** More calls in AFTER, fewer, or as many. */
export function classifyDiff(n: { before: { calls: number }; after: { calls: number } }): DiffClass {
  return n.after.calls > n.before.calls ? 'more' : n.after.calls < n.before.calls ? 'fewer' : 'same';
}

/** The change relative to the larger side, in −1 (all gone) … +1 (all new); 0 when as many. */
export function relativeChange(n: { before: { calls: number }; after: { calls: number } }): number {
  const big = Math.max(n.before.calls, n.after.calls);
  return big > 0 ? (n.after.calls - n.before.calls) / big : 0;
}

/**
 * A box's colour: `neutral` when the calls are as many, towards `more` (or
 * `fewer`) with the size of the relative change — a small change already
 * tinted, a path new (or gone) in full colour.
 */
export function diffColor(n: { before: { calls: number }; after: { calls: number } }, colors: { more: Rgb; fewer: Rgb; neutral: Rgb }): Rgb {
  const c = classifyDiff(n);
  if (c === 'same') return colors.neutral;
  return mix(colors.neutral, c === 'more' ? colors.more : colors.fewer, 0.3 + 0.7 * Math.abs(relativeChange(n)));
}

/** `load_config: 1 → 2 calls (+1, +100%)`, the time after. */
export function describeDiffNode(n: DiffFlameNode): string {
  const d = n.after.calls - n.before.calls;
  const pct = formatChange(n.before.calls, n.after.calls);
  return `${n.label}: ${n.before.calls.toLocaleString('en')} → ${n.after.calls.toLocaleString('en')} calls (${formatSigned(d)}${pct ? `, ${pct}` : ''}); time ${formatDuration(n.before.dur_ns)} → ${formatDuration(n.after.dur_ns)} (${formatSignedDuration(n.after.dur_ns - n.before.dur_ns)})`;
}
