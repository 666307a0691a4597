// Tick marks of a time axis at round values (1, 2 or 5 × a power of ten ns),
// and durations and times as a person reads them.

export interface AxisTicks {
  step: number;
  ticks: number[];
}

/** Ticks between t0 and t1 at least `minPx` apart on a `width`-pixel axis. */
export function axisTicks(t0: number, t1: number, width: number, minPx = 90): AxisTicks {
  const span = t1 - t0;
  if (!(span > 0) || width <= 0) return { step: 0, ticks: [] };
  const raw = (span * minPx) / width;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return { step, ticks };
}

/** A duration: `850 ns`, `12.4 µs`, `3.05 ms`, `1.20 s`. */
export function formatDuration(ns: number): string {
  const a = Math.abs(ns);
  if (a < 1e3) return `${Math.round(ns)} ns`;
  if (a < 1e6) return `${(ns / 1e3).toFixed(a < 1e4 ? 2 : a < 1e5 ? 1 : 0)} µs`;
  if (a < 1e9) return `${(ns / 1e6).toFixed(a < 1e7 ? 2 : a < 1e8 ? 1 : 0)} ms`;
  return `${(ns / 1e9).toFixed(a < 1e10 ? 3 : 2)} s`;
}

/**
 * A tick label: the time since the trace began. One unit for the whole
 * axis — the largest that the axis's end (`upTo`) reaches and that needs at
 * most three decimals for the step (100 µs steps at 5 ms read 5.6 ms) —
 * with the decimals the step needs.
 */
export function formatTick(ns: number, step: number, upTo = ns): string {
  const units: Array<[number, string]> = [
    [1e9, 's'],
    [1e6, 'ms'],
    [1e3, 'µs'],
    [1, 'ns'],
  ];
  const [div, unit] = units.find(([d]) => d <= Math.max(upTo, step) && d <= step * 1000) ?? units[3];
  const decimals = Math.max(0, Math.ceil(-Math.log10(step / div) - 1e-9));
  return `${(ns / div).toFixed(decimals)} ${unit}`;
}
