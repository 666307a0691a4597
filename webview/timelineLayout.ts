// The timeline's rows: each process (children under the process that forked
// them, as Jaeger nests spans), then its threads while the process is
// expanded. A collapsed process's row shows its threads' calls together.
import type { TraceTables } from '../viewer/traceColumns';

export const PROCESS_ROW_HEIGHT = 24;
export const THREAD_ROW_HEIGHT = 22;

export interface TimelineRow {
  kind: 'process' | 'thread';
  process: number;
  /** For thread rows. */
  thread?: number;
  /** Nesting depth, for indentation (process depth by fork ancestry; threads one deeper). */
  depth: number;
  y: number;
  height: number;
  /** Whether the process row is collapsed (process rows only). */
  collapsed?: boolean;
  /** Threads drawn on this row: one for a thread row, all the process's shown threads for a collapsed process. */
  threads: number[];
}

export interface RowLayout {
  rows: TimelineRow[];
  height: number;
}

/**
 * @param collapsed process indices whose threads are folded into their row
 * @param showThread whether a thread has anything to show (a filter hides threads without matches); processes with no shown thread are left out
 */
export function layoutRows(tables: TraceTables, collapsed: ReadonlySet<number>, showThread: (t: number) => boolean = () => true): RowLayout {
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  tables.processes.forEach((p, i) => {
    if (p.parent !== undefined && p.parent !== i) {
      const list = children.get(p.parent) ?? [];
      list.push(i);
      children.set(p.parent, list);
    } else {
      roots.push(i);
    }
  });
  const rows: TimelineRow[] = [];
  let y = 0;
  const visit = (p: number, depth: number) => {
    const threads = tables.processes[p].threads.filter(showThread);
    const kids = children.get(p) ?? [];
    if (threads.length > 0) {
      const isCollapsed = collapsed.has(p);
      rows.push({ kind: 'process', process: p, depth, y, height: PROCESS_ROW_HEIGHT, collapsed: isCollapsed, threads });
      y += PROCESS_ROW_HEIGHT;
      if (!isCollapsed) {
        for (const t of threads) {
          rows.push({ kind: 'thread', process: p, thread: t, depth: depth + 1, y, height: THREAD_ROW_HEIGHT, threads: [t] });
          y += THREAD_ROW_HEIGHT;
        }
      }
    }
    // A process hidden by the filter still nests its children at its depth.
    for (const k of kids) visit(k, threads.length > 0 ? depth + 1 : depth);
  };
  for (const r of roots) visit(r, 0);
  return { rows, height: y };
}

/** The row at vertical position y (rows are sorted by y), or -1. */
export function rowAt(layout: RowLayout, y: number): number {
  const rows = layout.rows;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = rows[mid];
    if (y < r.y) hi = mid - 1;
    else if (y >= r.y + r.height) lo = mid + 1;
    else return mid;
  }
  return -1;
}
