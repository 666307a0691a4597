// The timeline's keys, on a row of its tree: ↑/↓ rows, → / ← expand/collapse
// a process or step through a thread's syscalls, Home/End first/last row,
// Enter shows the selected syscall's line, + / − zoom, Shift+←/→ pan,
// 0 shows everything, F zooms to the selected syscall.
import type { TraceColumns } from '../viewer/traceColumns';
import { firstCallEndingAfter, type ThreadLod } from './levelOfDetail';
import type { ThreadCalls } from './threadCalls';
import type { TimelineRow } from './timelineLayout';
import type { TimelineRowTree } from './timelineRowTree';
import type { TimeViewport } from './timeViewport';

/** What the keys act on. */
export interface TimelineKeyTarget {
  readonly columns: TraceColumns;
  readonly viewport: TimeViewport;
  readonly rows: TimelineRowTree;
  /** The calls each thread shows now. */
  calls(): ThreadCalls;
  /** The selected call, or -1. */
  selected(): number;
  /** Selects a call and brings it into view. */
  select(call: number): void;
  /** Tells the listeners a call was selected; `reveal`: also show its source line. */
  announce(call: number, reveal: boolean): void;
  fitCalls(calls: ArrayLike<number>): void;
  requestRender(): void;
}

export function onTimelineKey(e: KeyboardEvent, t: TimelineKeyTarget): void {
  const rows = t.rows.layout.rows;
  const focusedRow = t.rows.focusedRow;
  const row = rows[focusedRow];
  if (!row) return;
  const vp = t.viewport;
  const selected = t.selected();
  const center = selected >= 0 ? t.columns.start[selected] : vp.t0 + vp.span / 2;
  let handled = true;
  switch (e.key) {
    case 'ArrowDown':
      t.rows.focusRow(focusedRow + 1);
      break;
    case 'ArrowUp':
      t.rows.focusRow(focusedRow - 1);
      break;
    case 'Home':
      t.rows.focusRow(0);
      break;
    case 'End':
      t.rows.focusRow(rows.length - 1);
      break;
    case 'ArrowRight':
    case 'ArrowLeft': {
      const dir = e.key === 'ArrowRight' ? 1 : -1;
      if (e.shiftKey) {
        vp.pan((dir * vp.span) / 5);
        t.requestRender();
      } else if (row.kind === 'process' && (dir > 0 ? row.collapsed : !row.collapsed)) {
        t.rows.toggle(row.process, dir < 0);
      } else if (row.kind === 'process' && dir > 0) {
        t.rows.focusRow(focusedRow + 1);
      } else {
        const thread = row.kind === 'thread' ? row.thread! : selectedThreadIn(row, t.columns, selected);
        const next = thread >= 0 ? stepCall(t.calls().lods[thread], t.columns, thread, selected, vp.t0, dir as 1 | -1) : -1;
        if (next >= 0) {
          t.select(next);
          t.announce(next, false);
        }
      }
      break;
    }
    case 'Enter':
    case ' ':
      if (selected >= 0 && t.rows.rowOfCall(selected) === focusedRow && e.key === 'Enter') t.announce(selected, true);
      else if (row.kind === 'process') t.rows.toggle(row.process);
      else handled = false;
      break;
    case '+':
    case '=':
      vp.zoomAt(center, 0.5);
      t.requestRender();
      break;
    case '-':
    case '_':
      vp.zoomAt(center, 2);
      t.requestRender();
      break;
    case '0':
      vp.reset();
      t.requestRender();
      break;
    case 'f':
    case 'F':
      if (selected >= 0) t.fitCalls([selected]);
      break;
    default:
      handled = false;
  }
  if (handled) e.preventDefault();
}

/**
 * The next (+1) or previous (−1) shown call of `thread` (its calls: `lod`)
 * from the `selected` call when it is the thread's, else from the window's
 * start `t0`; -1 when there is none.
 */
export function stepCall(lod: ThreadLod, c: TraceColumns, thread: number, selected: number, t0: number, dir: 1 | -1): number {
  const n = lod.calls.length;
  if (n === 0) return -1;
  if (selected >= 0 && c.thread[selected] === thread) {
    const p = firstCallEndingAfter(lod, c, c.start[selected]);
    let at = p;
    while (at < n && lod.calls[at] !== selected && c.start[lod.calls[at]] <= c.start[selected]) at++;
    if (at < n && lod.calls[at] === selected) {
      const q = at + dir;
      return q >= 0 && q < n ? lod.calls[q] : -1;
    }
  }
  const p = firstCallEndingAfter(lod, c, t0);
  if (dir > 0) return lod.calls[Math.min(n - 1, p)];
  return p > 0 ? lod.calls[p - 1] : lod.calls[0];
}

/** On a collapsed process row, the thread of the selected call, else its first thread. */
function selectedThreadIn(row: TimelineRow, c: TraceColumns, selected: number): number {
  if (selected >= 0 && row.threads.includes(c.thread[selected])) return c.thread[selected];
  return row.threads[0] ?? -1;
}
