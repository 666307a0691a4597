// The timeline's mouse, on the tracks and the axis: drag the tracks to pan,
// Ctrl/⌘ + wheel to zoom about the pointer, Shift + wheel (or a sideways
// swipe) to pan, drag on the axis (or Shift + drag on the tracks) to zoom to
// a span, click a syscall to select it, double-click to zoom to it. The
// syscall under the pointer is outlined and named in a tooltip.
import { h, placeTooltip } from './dom';
import { formatDuration } from './timeAxis';
import type { TimeSpanDrag } from './timelineAxisCanvas';
import type { TimelineHit } from './timelineHitTest';
import type { TimeViewport } from './timeViewport';
import type { TraceModel } from './traceModel';

/** What the pointer acts on. */
export interface TimelinePointerTarget {
  readonly model: TraceModel;
  readonly viewport: TimeViewport;
  /** The call under the pointer on the tracks, if any. */
  callAt(e: MouseEvent): TimelineHit | undefined;
  /** A click on a call: select it and show its line. */
  pick(hit: TimelineHit): void;
  fitCalls(calls: ArrayLike<number>): void;
  requestRender(): void;
}

export class TimelinePointer {
  /** The call under the pointer, or -1. */
  hovered = -1;
  private axisDrag?: TimeSpanDrag;
  private panDrag?: { x: number; t0: number; moved: boolean; pointerId: number };

  /** @param host the timeline's element, which the tooltip is placed in */
  constructor(
    private readonly tracks: HTMLCanvasElement,
    private readonly axis: HTMLCanvasElement,
    private readonly tooltip: HTMLElement,
    private readonly host: HTMLElement,
    private readonly target: TimelinePointerTarget,
  ) {
    this.wireTracks();
    this.wireAxis();
  }

  /** The span being dragged out to zoom to, until the button is released. */
  get spanDrag(): TimeSpanDrag | undefined {
    return this.axisDrag;
  }

  private wireTracks(): void {
    const t = this.tracks;
    const target = this.target;
    t.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      t.setPointerCapture(e.pointerId);
      if (e.shiftKey) {
        const at = this.timeAtTracks(e);
        this.axisDrag = { from: at, to: at };
      } else {
        this.panDrag = { x: e.clientX, t0: target.viewport.t0, moved: false, pointerId: e.pointerId };
      }
    });
    t.addEventListener('pointermove', (e) => {
      if (this.axisDrag) {
        this.axisDrag.to = this.timeAtTracks(e);
        target.requestRender();
        return;
      }
      const d = this.panDrag;
      if (d) {
        const dx = e.clientX - d.x;
        if (Math.abs(dx) > 2) d.moved = true;
        if (d.moved) {
          const span = target.viewport.span;
          const t0 = d.t0 - (dx / Math.max(1, t.clientWidth)) * span;
          target.viewport.set(t0, t0 + span);
          this.hideTooltip();
          target.requestRender();
          return;
        }
      }
      this.hover(e);
    });
    t.addEventListener('pointerup', (e) => {
      if (this.axisDrag) {
        this.zoomToDrag();
        return;
      }
      const d = this.panDrag;
      this.panDrag = undefined;
      if (d && !d.moved) {
        const hit = target.callAt(e);
        if (hit) target.pick(hit);
      }
    });
    t.addEventListener('pointercancel', () => {
      this.panDrag = undefined;
      this.axisDrag = undefined;
    });
    t.addEventListener('pointerleave', () => {
      this.hovered = -1;
      this.hideTooltip();
      target.requestRender();
    });
    t.addEventListener('dblclick', (e) => {
      const hit = target.callAt(e);
      if (hit) target.fitCalls([hit.call]);
    });
    t.addEventListener('wheel', (e) => this.wheel(e, e.offsetX, t.clientWidth), { passive: false });
  }

  private wireAxis(): void {
    const axis = this.axis;
    const vp = this.target.viewport;
    axis.addEventListener('wheel', (e) => this.wheel(e, e.offsetX, axis.clientWidth), { passive: false });
    axis.addEventListener('pointerdown', (e) => {
      axis.setPointerCapture(e.pointerId);
      const at = vp.time(e.offsetX, axis.clientWidth);
      this.axisDrag = { from: at, to: at };
    });
    axis.addEventListener('pointermove', (e) => {
      if (!this.axisDrag) return;
      this.axisDrag.to = vp.time(e.offsetX, axis.clientWidth);
      this.target.requestRender();
    });
    axis.addEventListener('pointerup', () => this.zoomToDrag());
  }

  private wheel(e: WheelEvent, x: number, width: number): void {
    const vp = this.target.viewport;
    const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      vp.zoomAt(vp.time(x, width), Math.exp(e.deltaY * scale * 0.002));
      this.target.requestRender();
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      e.preventDefault();
      const d = (e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX) * scale;
      vp.pan((d / Math.max(1, width)) * vp.span);
      this.target.requestRender();
    }
  }

  private zoomToDrag(): void {
    const d = this.axisDrag;
    this.axisDrag = undefined;
    if (!d) return;
    const vp = this.target.viewport;
    const px = (Math.abs(d.to - d.from) / vp.span) * this.axis.clientWidth;
    if (px >= 4) vp.set(Math.min(d.from, d.to), Math.max(d.from, d.to));
    this.target.requestRender();
  }

  private timeAtTracks(e: MouseEvent): number {
    return this.target.viewport.time(e.offsetX, this.tracks.clientWidth);
  }

  private hover(e: PointerEvent): void {
    const hit = this.target.callAt(e);
    const call = hit?.call ?? -1;
    if (call !== this.hovered) {
      this.hovered = call;
      this.target.requestRender();
    }
    if (call < 0) {
      this.hideTooltip();
      return;
    }
    const m = this.target.model;
    const c = m.columns;
    const errno = m.errno(call);
    const path = m.path(call);
    const site = m.siteLabel(c.site[call]);
    const thread = m.threadLabel(c.thread[call]);
    this.tooltip.replaceChildren(
      h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, m.name(call)), ` ${formatDuration(c.dur[call])}`, errno ? h('span', { class: 'tt-error' }, ` ${errno}`) : ''),
      path ? h('div', { class: 'tt-line' }, path) : '',
      site ? h('div', { class: 'tt-line' }, site) : '',
      h('div', { class: 'tt-line tt-muted' }, `${m.processLabel(m.processOf(call))} · ${thread} · at ${formatDuration(c.start[call] - m.tables.startNs)}`),
    );
    this.tooltip.hidden = false;
    placeTooltip(this.tooltip, this.host, e);
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }
}
