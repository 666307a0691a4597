// The minimap above the timeline: the whole trace's activity at a glance,
// with the visible window outlined. Drag across it to zoom to that span,
// drag the window to move it, click to centre the window there. From the
// keyboard it is a horizontal scrollbar over the window (MINIMAP_KEYS).
import { css, mix, type ThemeColors } from './themeColors';
import type { TimeViewport } from './timeViewport';

/** Activity of the whole trace in `bins` equal time slices: total syscall time per slice. */
export function activityHistogram(start: Float64Array, dur: Float64Array, count: number, mask: Uint8Array | null, min: number, max: number, bins: number): Float64Array {
  const out = new Float64Array(bins);
  const span = Math.max(1, max - min);
  const per = span / bins;
  for (let i = 0; i < count; i++) {
    if (mask && !mask[i]) continue;
    let s = start[i] - min;
    const e = s + dur[i];
    // Split a long call over the slices it covers.
    let b = Math.min(bins - 1, Math.max(0, Math.floor(s / per)));
    while (s < e && b < bins) {
      const edge = (b + 1) * per;
      out[b] += Math.min(e, edge) - s;
      s = edge;
      b++;
    }
  }
  return out;
}

/** What the keys do on the focused minimap (also its tooltip and ARIA description). */
export const MINIMAP_KEYS = '←/→ move the window (Shift: a whole window), +/− or ↑/↓ zoom, Home/End to the start/end, 0 whole trace';

/** The window after `key` on the minimap, or undefined when the key does nothing there. */
export function minimapKey(vp: TimeViewport, key: string, shift: boolean): [number, number] | undefined {
  const step = shift ? vp.span : vp.span / 10;
  const mid = vp.t0 + vp.span / 2;
  switch (key) {
    case 'ArrowLeft':
      return [vp.t0 - step, vp.t1 - step];
    case 'ArrowRight':
      return [vp.t0 + step, vp.t1 + step];
    case 'Home':
      return [vp.min, vp.min + vp.span];
    case 'End':
      return [vp.min + vp.fullSpan - vp.span, vp.min + vp.fullSpan];
    case '+':
    case '=':
    case 'ArrowUp':
      return [mid - vp.span / 4, mid + vp.span / 4];
    case '-':
    case 'ArrowDown':
      return [mid - vp.span, mid + vp.span];
    case '0':
      return [vp.min, vp.min + vp.fullSpan];
    default:
      return undefined;
  }
}

type Drag = { mode: 'select'; from: number; to: number } | { mode: 'move'; grabAt: number; t0: number };

export class MinimapView {
  private histogram: Float64Array = new Float64Array(0);
  private drag?: Drag;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly viewport: () => TimeViewport,
    private readonly colors: () => ThemeColors,
    private readonly onChange: () => void,
  ) {
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', () => {
      this.drag = undefined;
      this.draw();
    });
    canvas.tabIndex = 0;
    canvas.setAttribute('role', 'scrollbar');
    canvas.setAttribute('aria-orientation', 'horizontal');
    canvas.setAttribute('aria-valuemin', '0');
    canvas.setAttribute('aria-valuemax', '100');
    canvas.title = MINIMAP_KEYS;
    canvas.addEventListener('keydown', (e) => {
      const to = minimapKey(this.viewport(), e.key, e.shiftKey);
      if (!to || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      e.stopPropagation();
      this.viewport().set(to[0], to[1]);
      this.onChange();
    });
  }

  setHistogram(h: Float64Array): void {
    this.histogram = h;
    this.draw();
  }

  private timeAt(e: PointerEvent): number {
    const r = this.canvas.getBoundingClientRect();
    const vp = this.viewport();
    return vp.min + ((e.clientX - r.left) / Math.max(1, r.width)) * vp.fullSpan;
  }

  private down(e: PointerEvent): void {
    const t = this.timeAt(e);
    const vp = this.viewport();
    this.canvas.setPointerCapture(e.pointerId);
    this.drag = t >= vp.t0 && t <= vp.t1 && vp.span < vp.fullSpan ? { mode: 'move', grabAt: t, t0: vp.t0 } : { mode: 'select', from: t, to: t };
  }

  private move(e: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const t = this.timeAt(e);
    const vp = this.viewport();
    if (d.mode === 'move') {
      const span = vp.span;
      vp.set(d.t0 + (t - d.grabAt), d.t0 + (t - d.grabAt) + span);
      this.onChange();
    } else {
      d.to = t;
      this.draw();
    }
  }

  private up(e: PointerEvent): void {
    const d = this.drag;
    this.drag = undefined;
    if (!d) return;
    const vp = this.viewport();
    const r = this.canvas.getBoundingClientRect();
    if (d.mode === 'select') {
      const t = this.timeAt(e);
      const pxPerNs = r.width / vp.fullSpan;
      if (Math.abs(t - d.from) * pxPerNs < 3) {
        // A click: centre the window there.
        vp.set(t - vp.span / 2, t + vp.span / 2);
      } else {
        vp.set(Math.min(d.from, t), Math.max(d.from, t));
      }
    }
    this.onChange();
  }

  draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const W = this.canvas.width;
    const H = this.canvas.height;
    const colors = this.colors();
    const vp = this.viewport();
    ctx.fillStyle = css(colors.rowAlt);
    ctx.fillRect(0, 0, W, H);
    const h = this.histogram;
    let max = 0;
    for (let i = 0; i < h.length; i++) if (h[i] > max) max = h[i];
    if (max > 0) {
      ctx.fillStyle = css(mix(colors.background, colors.palette[0], 0.75));
      const bw = W / h.length;
      for (let i = 0; i < h.length; i++) {
        if (h[i] <= 0) continue;
        // Square root: a few long calls should not flatten everything else.
        const bh = Math.max(1, Math.sqrt(h[i] / max) * (H - 2));
        ctx.fillRect(i * bw, H - bh, Math.max(1, bw), bh);
      }
    }
    const x = (t: number) => ((t - vp.min) / vp.fullSpan) * W;
    // Where the window is, for a screen reader: its start as a share of what it can scroll over.
    const room = vp.fullSpan - vp.span;
    this.canvas.setAttribute('aria-valuenow', String(room > 0 ? Math.round(((vp.t0 - vp.min) / room) * 100) : 0));
    this.canvas.setAttribute('aria-valuetext', `${Math.round((vp.span / vp.fullSpan) * 100)}% of the trace in view, from ${Math.round(((vp.t0 - vp.min) / vp.fullSpan) * 100)}%`);
    // Shade what is outside the window.
    ctx.fillStyle = css(colors.background, 0.6);
    ctx.fillRect(0, 0, x(vp.t0), H);
    ctx.fillRect(x(vp.t1), 0, W - x(vp.t1), H);
    const dpr = W / Math.max(1, this.canvas.clientWidth);
    ctx.strokeStyle = css(colors.focus);
    ctx.lineWidth = Math.max(1, dpr);
    ctx.strokeRect(x(vp.t0) + 0.5, 0.5, Math.max(2, x(vp.t1) - x(vp.t0)) - 1, H - 1);
    if (this.drag?.mode === 'select') {
      const a = x(Math.min(this.drag.from, this.drag.to));
      const b = x(Math.max(this.drag.from, this.drag.to));
      ctx.fillStyle = css(colors.focus, 0.25);
      ctx.fillRect(a, 0, b - a, H);
    }
  }
}
