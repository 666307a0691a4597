// Draws the time axis above the timeline's tracks: ticks with their times
// since the trace's start (timeAxis.ts picks them), the span shown at the
// right end, and the span being dragged out to zoom to, shaded on the axis
// and over the tracks.
import { axisTicks, formatDuration, formatTick } from './timeAxis';
import type { TimeViewport } from './timeViewport';
import { css, type ThemeColors } from './themeColors';

/** A span being dragged out, from one time to another (either way round). */
export interface TimeSpanDrag {
  from: number;
  to: number;
}

export function drawTimelineAxis(axis: HTMLCanvasElement, tracks: HTMLCanvasElement, vp: TimeViewport, colors: ThemeColors, drag: TimeSpanDrag | undefined): void {
  const ctx = axis.getContext('2d');
  if (!ctx) return;
  const W = axis.width;
  const H = axis.height;
  const dpr = W / Math.max(1, axis.clientWidth);
  ctx.fillStyle = css(colors.background);
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = css(colors.grid);
  ctx.fillRect(0, H - Math.max(1, dpr), W, Math.max(1, dpr));
  const { step, ticks } = axisTicks(vp.t0 - vp.min, vp.t1 - vp.min, W / dpr);
  ctx.font = `${Math.round(11 * dpr)}px ${colors.fontFamily}`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = css(colors.muted);
  // The span shown goes at the right end; tick labels stop short of it.
  const spanLabel = `${formatDuration(vp.span)} shown`;
  const labelLeft = W - ctx.measureText(spanLabel).width - 10 * dpr;
  for (const t of ticks) {
    const x = Math.round(vp.x(t + vp.min, W));
    ctx.fillRect(x, H - 6 * dpr, Math.max(1, dpr), 6 * dpr);
    const text = formatTick(t, step, vp.t1 - vp.min);
    if (x + 3 * dpr + ctx.measureText(text).width < labelLeft) ctx.fillText(text, x + 3 * dpr, H / 2 - 2 * dpr);
  }
  if (drag) {
    const a = vp.x(Math.min(drag.from, drag.to), W);
    const b = vp.x(Math.max(drag.from, drag.to), W);
    ctx.fillStyle = css(colors.focus, 0.3);
    ctx.fillRect(a, 0, b - a, H);
    const tctx = tracks.getContext('2d');
    if (tctx) {
      tctx.fillStyle = css(colors.focus, 0.15);
      tctx.fillRect(a * (tracks.width / W), 0, (b - a) * (tracks.width / W), tracks.height);
    }
  }
  ctx.fillStyle = css(colors.muted);
  ctx.fillText(spanLabel, labelLeft + 5 * dpr, H / 2 - 2 * dpr);
}
