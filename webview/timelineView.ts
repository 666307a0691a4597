// The timeline tab: processes → threads → syscalls on one time axis, as
// Jaeger and Grafana lay out a trace. Minimap and axis on top, the row tree
// on the left (collapsible, keyboard-driven), the tracks canvas on the right.
// This class puts the parts together and keeps the selection and the view's
// state; the parts:
// - timelineRowTree.ts: the rows, their collapse and focus, and their labels;
// - timelineKeyboard.ts: the keys on a row (rows, syscalls, zoom and pan);
// - timelinePointer.ts: the mouse on the tracks and the axis, and the tooltip;
// - timelineHitTest.ts: which syscall is under the pointer;
// - timelineCanvas.ts and timelineAxisCanvas.ts: drawing the tracks and the axis;
// - minimapView.ts: the minimap.
import { FrameRequest } from './deferredWork';
import { h, fitCanvas } from './dom';
import { activityHistogram, MinimapView } from './minimapView';
import type { ThreadCalls } from './threadCalls';
import { drawTimelineAxis } from './timelineAxisCanvas';
import { TrackRenderer } from './timelineCanvas';
import { timelineCallAt } from './timelineHitTest';
import { onTimelineKey, type TimelineKeyTarget } from './timelineKeyboard';
import { TimelinePointer } from './timelinePointer';
import { TimelineRowTree } from './timelineRowTree';
import { TimeViewport } from './timeViewport';
import type { Rgb, ThemeColors } from './themeColors';
import type { TraceModel } from './traceModel';

export interface TimelineEvents {
  /** A syscall was selected (by click or keyboard); `reveal`: also show its source line. */
  select(call: number, reveal: boolean): void;
}

const MIN_HISTOGRAM_BINS = 256;

export class TimelineView {
  readonly element: HTMLElement;
  readonly viewport: TimeViewport;
  private calls!: ThreadCalls;
  private selected = -1;
  private readonly tracks: HTMLCanvasElement;
  private readonly axis: HTMLCanvasElement;
  private readonly minimapCanvas: HTMLCanvasElement;
  private readonly minimap: MinimapView;
  private readonly renderer: TrackRenderer;
  private readonly scroller: HTMLElement;
  private readonly content: HTMLElement;
  private readonly sticky: HTMLElement;
  private readonly rows: TimelineRowTree;
  private readonly pointer: TimelinePointer;
  private readonly tooltip: HTMLElement;
  private readonly redraw = new FrameRequest(() => this.render());
  private mask: Uint8Array | null = null;

  constructor(
    private readonly model: TraceModel,
    private colors: ThemeColors,
    private nameColors: Rgb[],
    private readonly events: TimelineEvents,
  ) {
    const t = model.tables;
    this.viewport = new TimeViewport(t.startNs, Math.max(t.endNs, t.startNs + 1));
    this.minimapCanvas = h('canvas', { class: 'tl-minimap', 'aria-label': 'Minimap of the whole trace: drag to zoom to a span; keys move and zoom the window' });
    this.axis = h('canvas', { class: 'tl-axis', 'aria-hidden': 'true' });
    this.tracks = h('canvas', { class: 'tl-tracks', 'aria-hidden': 'true' });
    this.content = h('div', { class: 'tl-content' });
    this.scroller = h('div', { class: 'tl-scroll' }, this.content);
    this.rows = new TimelineRowTree(model, this.scroller, this.content, () => this.requestRender());
    this.sticky = h('div', { class: 'tl-sticky' }, this.rows.element, this.tracks);
    this.content.append(this.sticky);
    this.tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    const expandAll = h('button', { class: 'icon-button', title: 'Expand all processes' }, 'Expand');
    const collapseAll = h('button', { class: 'icon-button', title: 'Collapse all processes' }, 'Collapse');
    const resetZoom = h('button', { class: 'icon-button', title: 'Show the whole trace (0)' }, 'Fit');
    expandAll.addEventListener('click', () => this.rows.expandAll());
    collapseAll.addEventListener('click', () => this.rows.collapseAll());
    resetZoom.addEventListener('click', () => {
      this.viewport.reset();
      this.requestRender();
    });
    this.element = h(
      'section',
      { class: 'timeline', role: 'tabpanel', 'aria-label': 'Timeline' },
      h('div', { class: 'tl-top' }, h('div', { class: 'tl-corner' }, expandAll, collapseAll, resetZoom), this.minimapCanvas),
      h('div', { class: 'tl-top' }, h('div', { class: 'tl-corner tl-corner-label' }, 'Process / thread'), this.axis),
      this.scroller,
      this.tooltip,
    );
    this.renderer = new TrackRenderer(this.tracks);
    this.minimap = new MinimapView(this.minimapCanvas, () => this.viewport, () => this.colors, () => this.requestRender());
    this.scroller.addEventListener('scroll', () => this.requestRender(), { passive: true });
    const keyTarget: TimelineKeyTarget = {
      columns: model.columns,
      viewport: this.viewport,
      rows: this.rows,
      calls: () => this.calls,
      selected: () => this.selected,
      select: (call) => this.select(call),
      announce: (call, reveal) => this.events.select(call, reveal),
      fitCalls: (calls) => this.fitCalls(calls),
      requestRender: () => this.requestRender(),
    };
    this.rows.element.addEventListener('keydown', (e) => onTimelineKey(e, keyTarget));
    this.pointer = new TimelinePointer(this.tracks, this.axis, this.tooltip, this.element, {
      model,
      viewport: this.viewport,
      callAt: (e) => timelineCallAt(model.columns, this.calls, this.rows.layout, this.viewport, e.offsetX, e.offsetY + this.scroller.scrollTop, this.tracks.clientWidth),
      pick: (hit) => {
        this.rows.focusRow(hit.row, false);
        this.select(hit.call);
        this.events.select(hit.call, true);
      },
      fitCalls: (calls) => this.fitCalls(calls),
      requestRender: () => this.requestRender(),
    });
  }

  setColors(colors: ThemeColors, nameColors: Rgb[]): void {
    this.colors = colors;
    this.nameColors = nameColors;
    this.minimap.draw();
    this.requestRender();
  }

  /** New filter: the calls each thread shows, and the mask behind them. */
  setCalls(calls: ThreadCalls, mask: Uint8Array | null): void {
    this.calls = calls;
    this.mask = mask;
    this.rows.setCalls(calls, mask !== null);
    this.updateHistogram();
  }

  get selectedCall(): number {
    return this.selected;
  }

  /** Selects a call (from another view or the host) and brings it into view. */
  select(call: number): void {
    this.selected = call;
    if (call >= 0) {
      this.ensureCallVisible(call);
      const row = this.rows.rowOfCall(call);
      if (row >= 0) this.rows.focusRow(row, false);
    }
    this.requestRender();
  }

  /** Zooms to show every call in `calls` (indices), with a margin. */
  fitCalls(calls: ArrayLike<number>): void {
    if (calls.length === 0) return;
    const c = this.model.columns;
    let a = Infinity;
    let b = -Infinity;
    for (let k = 0; k < calls.length; k++) {
      const i = calls[k];
      a = Math.min(a, c.start[i]);
      b = Math.max(b, c.start[i] + c.dur[i]);
    }
    const margin = Math.max((b - a) * 0.05, 1000);
    this.viewport.set(a - margin, b + margin);
    this.requestRender();
  }

  focus(): void {
    if (!this.rows.focus()) this.scroller.focus();
  }

  /** Call after the element is attached or resized. */
  resize(): void {
    const height = this.scroller.clientHeight;
    this.sticky.style.height = `${height}px`;
    fitCanvas(this.tracks);
    fitCanvas(this.axis);
    if (fitCanvas(this.minimapCanvas)) this.updateHistogram();
    this.requestRender();
  }

  requestRender(): void {
    this.redraw.request();
  }

  /** Draws now; each frame's cost is recorded as a `renacer-timeline-frame` User Timing measure. */
  render(): void {
    if (!this.calls) return;
    const begin = performance.now();
    const scrollTop = this.scroller.scrollTop;
    this.renderer.draw({
      model: this.model,
      calls: this.calls,
      layout: this.rows.layout,
      viewport: this.viewport,
      scrollTop,
      selected: this.selected,
      hovered: this.pointer.hovered,
      focusedRow: this.rows.focusedRow,
      colors: this.colors,
      nameColors: this.nameColors,
    });
    drawTimelineAxis(this.axis, this.tracks, this.viewport, this.colors, this.pointer.spanDrag);
    this.minimap.draw();
    this.rows.render(scrollTop);
    performance.measure('renacer-timeline-frame', { start: begin, end: performance.now() });
    performance.clearMeasures('renacer-timeline-frame');
  }

  private updateHistogram(): void {
    if (!this.calls) return;
    const c = this.model.columns;
    const bins = Math.max(MIN_HISTOGRAM_BINS, this.minimapCanvas.width);
    this.minimap.setHistogram(activityHistogram(c.start, c.dur, c.count, this.mask, this.viewport.min, this.viewport.max, bins));
  }

  private ensureCallVisible(call: number): void {
    const c = this.model.columns;
    const s = c.start[call];
    const e = s + c.dur[call];
    const vp = this.viewport;
    if (s >= vp.t0 && e <= vp.t1) return;
    if (e - s > vp.span * 0.8) vp.set(s - (e - s) * 0.2, e + (e - s) * 0.2);
    else vp.set(s + (e - s) / 2 - vp.span / 2, s + (e - s) / 2 + vp.span / 2);
  }
}
