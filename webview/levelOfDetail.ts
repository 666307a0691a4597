// Level of detail for the timeline: what one thread's syscalls look like at
// pixel resolution, in time proportional to the pixels rather than to the
// syscalls. A thread's calls (in entry order) are summarised in chunks of 8,
// 64, 512… calls; drawing a pixel that covers thousands of calls adds up a
// few chunks instead of visiting every call. Zoomed in far enough that no
// chunk fits in a pixel, every call is drawn exactly.
//
// Per pixel the result is how busy the thread was (the fraction of the
// pixel's time spent inside syscalls), how many calls started there and how
// many of them failed, and the call that stands for the pixel (the longest
// one: its name gives the colour, and hovering the pixel names it).

export const FANOUT = 8;
/**
 * A chunk up to this many pixels wide is drawn as a whole, its time spread
 * evenly over the pixels it covers: one long call no longer makes its
 * neighbours' chunk unusable, at the price of blurring by at most this much.
 */
export const SPREAD_PX = 3;

export interface LodLevel {
  count: number;
  /** Earliest entry and latest exit of the chunk's calls. */
  minStart: Float64Array;
  maxEnd: Float64Array;
  /** Sum of the calls' durations. */
  busy: Float64Array;
  errors: Uint32Array;
  /** Syscall index of the chunk's longest call. */
  pick: Uint32Array;
}

/** One thread's calls (syscall indices in entry order) and their chunk summaries. */
export interface ThreadLod {
  calls: Uint32Array;
  /** levels[0] summarises FANOUT calls per chunk, levels[k] FANOUT^(k+1). */
  levels: LodLevel[];
}

export interface LodColumns {
  start: Float64Array;
  dur: Float64Array;
  errno: Uint16Array;
}

export function buildThreadLod(calls: Uint32Array, c: LodColumns): ThreadLod {
  const levels: LodLevel[] = [];
  let below: LodLevel | undefined;
  let n = calls.length;
  while (n > FANOUT) {
    const count = Math.ceil(n / FANOUT);
    const level: LodLevel = {
      count,
      minStart: new Float64Array(count),
      maxEnd: new Float64Array(count),
      busy: new Float64Array(count),
      errors: new Uint32Array(count),
      pick: new Uint32Array(count),
    };
    for (let k = 0; k < count; k++) {
      const from = k * FANOUT;
      const to = Math.min(n, from + FANOUT);
      let maxEnd = -Infinity;
      let busy = 0;
      let errors = 0;
      let pick = 0;
      let pickDur = -1;
      for (let j = from; j < to; j++) {
        if (below) {
          if (below.maxEnd[j] > maxEnd) maxEnd = below.maxEnd[j];
          busy += below.busy[j];
          errors += below.errors[j];
          const p = below.pick[j];
          if (c.dur[p] > pickDur) {
            pickDur = c.dur[p];
            pick = p;
          }
        } else {
          const i = calls[j];
          const end = c.start[i] + c.dur[i];
          if (end > maxEnd) maxEnd = end;
          busy += c.dur[i];
          if (c.errno[i] !== 0) errors++;
          if (c.dur[i] > pickDur) {
            pickDur = c.dur[i];
            pick = i;
          }
        }
      }
      level.minStart[k] = below ? below.minStart[from] : c.start[calls[from]];
      level.maxEnd[k] = maxEnd;
      level.busy[k] = busy;
      level.errors[k] = errors;
      level.pick[k] = pick;
    }
    levels.push(level);
    below = level;
    n = count;
  }
  return { calls, levels };
}

/** Per-pixel results of one row, reused across frames (no allocation per frame). */
export class PixelBuckets {
  busy: Float64Array;
  /** Calls starting in the pixel, and how many of them failed. */
  calls: Uint32Array;
  errors: Uint32Array;
  /** Syscall index standing for the pixel, or -1 when the pixel is empty. */
  pick: Int32Array;
  private pickDur: Float64Array;

  constructor(public width = 0) {
    this.busy = new Float64Array(width);
    this.calls = new Uint32Array(width);
    this.errors = new Uint32Array(width);
    this.pick = new Int32Array(width);
    this.pickDur = new Float64Array(width);
  }

  reset(width: number): void {
    if (width > this.busy.length) {
      this.busy = new Float64Array(width);
      this.calls = new Uint32Array(width);
      this.errors = new Uint32Array(width);
      this.pick = new Int32Array(width);
      this.pickDur = new Float64Array(width);
    }
    this.width = width;
    this.busy.fill(0, 0, width);
    this.calls.fill(0, 0, width);
    this.errors.fill(0, 0, width);
    this.pick.fill(-1, 0, width);
    this.pickDur.fill(-1, 0, width);
  }

  /** Adds `busyNs` of activity, `calls` calls starting there (`errors` failed), standing for call `pick` (of duration `dur`) to pixel x. */
  add(x: number, busyNs: number, calls: number, errors: number, pick: number, dur: number): void {
    this.busy[x] += busyNs;
    this.calls[x] += calls;
    this.errors[x] += errors;
    if (dur > this.pickDur[x]) {
      this.pickDur[x] = dur;
      this.pick[x] = pick;
    }
  }

  /** Adds another row's pixels (a collapsed process shows its threads together). */
  merge(o: PixelBuckets): void {
    for (let x = 0; x < this.width; x++) {
      if (o.pick[x] < 0) continue;
      this.busy[x] += o.busy[x];
      this.calls[x] += o.calls[x];
      this.errors[x] += o.errors[x];
      if (o.pickDur[x] > this.pickDur[x]) {
        this.pickDur[x] = o.pickDur[x];
        this.pick[x] = o.pick[x];
      }
    }
  }
}

/** The position in `calls` of the first call that ends after `t` (calls are in entry order and do not overlap). */
export function firstCallEndingAfter(lod: ThreadLod, c: LodColumns, t: number): number {
  const calls = lod.calls;
  let lo = 0;
  let hi = calls.length;
  // First call starting at or after t…
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.start[calls[mid]] < t) lo = mid + 1;
    else hi = mid;
  }
  // …or the one before it, when it is still running at t.
  if (lo > 0 && c.start[calls[lo - 1]] + c.dur[calls[lo - 1]] > t) lo--;
  return lo;
}

/**
 * Fills `out` with the thread's activity over the `width` pixels from time
 * `t0`, `nsPerPx` ns each. A chunk of calls no wider than SPREAD_PX pixels
 * is added as a whole — its time spread evenly over the pixels it touches,
 * its failures at its start and its longest call on each — so the work is
 * about O(width × FANOUT) whatever the number of calls; zoomed in further,
 * calls are added one by one, exactly.
 */
export function bucketThread(lod: ThreadLod, c: LodColumns, t0: number, nsPerPx: number, width: number, out: PixelBuckets): void {
  out.reset(width);
  const calls = lod.calls;
  const n = calls.length;
  if (n === 0 || width <= 0) return;
  const t1 = t0 + nsPerPx * width;
  const perNs = 1 / nsPerPx;
  const spread = SPREAD_PX * nsPerPx;
  const levels = lod.levels;
  const start = c.start;
  const dur = c.dur;
  let p = firstCallEndingAfter(lod, c, t0);
  while (p < n) {
    const i = calls[p];
    const s = start[i];
    if (s >= t1) break;
    // The biggest chunk starting at p that is at most SPREAD_PX pixels wide.
    let level = -1;
    let span = FANOUT;
    for (let l = 0; l < levels.length && p % span === 0; l++, span *= FANOUT) {
      const k = p / span;
      const lv = levels[l];
      if (k >= lv.count || lv.maxEnd[k] - lv.minStart[k] > spread) break;
      level = l;
    }
    if (level >= 0) {
      const size = FANOUT ** (level + 1);
      const lv = levels[level];
      const k = p / size;
      const a = lv.minStart[k];
      const b = lv.maxEnd[k];
      const pick = lv.pick[k];
      const xa = Math.floor((a - t0) * perNs);
      const xb = b > a ? Math.max(xa, Math.ceil((b - t0) * perNs) - 1) : xa;
      const first = Math.max(0, xa);
      const calls = Math.min(size, n - p);
      for (let x = first; x <= xb && x < width; x++) {
        const share = xa === xb ? 1 : (Math.min(b, t0 + (x + 1) * nsPerPx) - Math.max(a, t0 + x * nsPerPx)) / (b - a);
        out.add(x, lv.busy[k] * share, x === first ? calls : 0, x === first ? lv.errors[k] : 0, pick, dur[pick]);
      }
      p += size;
      continue;
    }
    const d = dur[i];
    const e = s + d;
    const err = c.errno[i] !== 0 ? 1 : 0;
    let x0 = Math.floor((s - t0) * perNs);
    // The last pixel the call reaches (one ending on a pixel edge stays left of it).
    const x1 = Math.min(width - 1, d > 0 ? Math.max(x0, Math.ceil((e - t0) * perNs) - 1) : x0);
    if (x0 < 0) x0 = 0;
    if (x0 >= width) break;
    if (x0 === x1) {
      out.add(x0, d, 1, err, i, d);
    } else {
      // Split the call's time over the pixels it covers.
      for (let x = x0; x <= x1; x++) {
        const from = Math.max(s, t0 + x * nsPerPx);
        const to = Math.min(e, t0 + (x + 1) * nsPerPx);
        out.add(x, Math.max(0, to - from), x === x0 ? 1 : 0, x === x0 ? err : 0, i, d);
      }
    }
    p++;
  }
}

/** How many calls of the thread overlap [t0, t1) (bounded by `limit`, to decide whether calls can be drawn one by one). */
export function callsInRange(lod: ThreadLod, c: LodColumns, t0: number, t1: number, limit: number): number {
  const first = firstCallEndingAfter(lod, c, t0);
  let lo = first;
  let hi = Math.min(lod.calls.length, first + limit + 1);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.start[lod.calls[mid]] < t1) lo = mid + 1;
    else hi = mid;
  }
  return lo - first;
}
