// Which syscall is under the pointer on the timeline's tracks: the row at
// the pointer's height, then of that row's calls within a few pixels of it
// the one under the pointer, else the nearest.
import type { TraceColumns } from '../viewer/traceColumns';
import { firstCallEndingAfter } from './levelOfDetail';
import type { ThreadCalls } from './threadCalls';
import { rowAt, type RowLayout } from './timelineLayout';
import type { TimeViewport } from './timeViewport';

export interface TimelineHit {
  call: number;
  row: number;
}

const HOVER_SLOP_PX = 3;

/**
 * The call at (`x`, `y`) on tracks `width` CSS px wide, or undefined.
 * @param y from the top of the rows (the scroll included), CSS px
 */
export function timelineCallAt(columns: TraceColumns, calls: ThreadCalls, layout: RowLayout, vp: TimeViewport, x: number, y: number, width: number): TimelineHit | undefined {
  const r = rowAt(layout, y);
  if (r < 0) return undefined;
  const row = layout.rows[r];
  if (row.kind === 'process' && !row.collapsed) return undefined;
  const c = columns;
  const t = vp.time(x, width);
  const slop = HOVER_SLOP_PX * vp.nsPerPx(width);
  let best = -1;
  let bestDist = Infinity;
  for (const th of row.threads) {
    const lod = calls.lods[th];
    let p = firstCallEndingAfter(lod, c, t - slop);
    // Of the calls within reach, the one under the pointer, else the nearest.
    for (; p < lod.calls.length; p++) {
      const i = lod.calls[p];
      const s = c.start[i];
      if (s > t + slop) break;
      const dist = t < s ? s - t : t > s + c.dur[i] ? t - s - c.dur[i] : 0;
      if (dist < bestDist) {
        bestDist = dist;
        best = i;
      }
      if (dist === 0) break;
    }
  }
  return best >= 0 ? { call: best, row: r } : undefined;
}
