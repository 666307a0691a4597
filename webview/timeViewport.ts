// The visible time window of the timeline: zoom about a point, pan, and the
// mapping between time and pixels. Times are ns since the session's origin.

/** The narrowest window: 100 ns across the whole width is beyond any syscall's detail. */
export const MIN_SPAN_NS = 100;

export class TimeViewport {
  t0: number;
  t1: number;

  /** @param min,max the trace's extent: the window never leaves it. */
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    this.t0 = min;
    this.t1 = Math.max(max, min + MIN_SPAN_NS);
  }

  get span(): number {
    return this.t1 - this.t0;
  }

  get fullSpan(): number {
    return Math.max(this.max - this.min, MIN_SPAN_NS);
  }

  /** Shows [a, b], kept inside the trace and at least MIN_SPAN_NS wide. */
  set(a: number, b: number): void {
    let span = Math.min(Math.max(b - a, MIN_SPAN_NS), this.fullSpan);
    let t0 = a + (b - a) / 2 - span / 2;
    if (t0 < this.min) t0 = this.min;
    if (t0 + span > this.min + this.fullSpan) t0 = this.min + this.fullSpan - span;
    if (!Number.isFinite(t0) || !Number.isFinite(span)) {
      t0 = this.min;
      span = this.fullSpan;
    }
    this.t0 = t0;
    this.t1 = t0 + span;
  }

  reset(): void {
    this.set(this.min, this.min + this.fullSpan);
  }

  /** Zooms by `factor` (< 1 zooms in) keeping time `at` where it is on screen. */
  zoomAt(at: number, factor: number): void {
    const f = (at - this.t0) / this.span;
    const span = Math.min(Math.max(this.span * factor, MIN_SPAN_NS), this.fullSpan);
    const t0 = at - f * span;
    this.set(t0, t0 + span);
  }

  /** Moves the window by `dt` ns (positive: later). */
  pan(dt: number): void {
    this.set(this.t0 + dt, this.t1 + dt);
  }

  nsPerPx(width: number): number {
    return this.span / Math.max(1, width);
  }

  x(t: number, width: number): number {
    return ((t - this.t0) / this.span) * width;
  }

  time(x: number, width: number): number {
    return this.t0 + (x / Math.max(1, width)) * this.span;
  }
}
