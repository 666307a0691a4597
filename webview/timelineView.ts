// The timeline tab: processes → threads → syscalls on one time axis, as
// Jaeger and Grafana lay out a trace. Minimap and axis on top, the row tree
// on the left (collapsible, keyboard-driven), the tracks canvas on the right.
//
// Mouse: drag the tracks to pan, Ctrl/⌘ + wheel to zoom about the pointer,
// Shift + wheel (or a sideways swipe) to pan, drag on the axis or the
// minimap to zoom to a span, click a syscall to select it (and show its
// line in the editor), double-click to zoom to it.
// Keyboard (on a row): ↑/↓ rows, → / ← expand/collapse a process or step
// through a thread's syscalls, Home/End first/last row, Enter shows the
// selected syscall's line, + / − zoom, Shift+←/→ pan, 0 shows everything,
// F zooms to the selected syscall.
import { h, fitCanvas } from './dom';
import { firstCallEndingAfter } from './levelOfDetail';
import { activityHistogram, MinimapView } from './minimapView';
import type { ThreadCalls } from './threadCalls';
import { axisTicks, formatDuration, formatTick } from './timeAxis';
import { TrackRenderer } from './timelineCanvas';
import { layoutRows, rowAt, type RowLayout, type TimelineRow } from './timelineLayout';
import { TimeViewport } from './timeViewport';
import { css, type Rgb, type ThemeColors } from './themeColors';
import type { TraceModel } from './traceModel';

export interface TimelineEvents {
  /** A syscall was selected (by click or keyboard); `reveal`: also show its source line. */
  select(call: number, reveal: boolean): void;
}

interface Hit {
  call: number;
  row: number;
}

const HOVER_SLOP_PX = 3;
const MIN_HISTOGRAM_BINS = 256;

export class TimelineView {
  readonly element: HTMLElement;
  readonly viewport: TimeViewport;
  private calls!: ThreadCalls;
  private layout: RowLayout = { rows: [], height: 0 };
  private readonly collapsed = new Set<number>();
  private selected = -1;
  private hovered = -1;
  private focusedRow = 0;
  private readonly tracks: HTMLCanvasElement;
  private readonly axis: HTMLCanvasElement;
  private readonly minimapCanvas: HTMLCanvasElement;
  private readonly minimap: MinimapView;
  private readonly renderer: TrackRenderer;
  private readonly scroller: HTMLElement;
  private readonly content: HTMLElement;
  private readonly sticky: HTMLElement;
  private readonly tree: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly labels = new Map<number, HTMLElement>();
  private frame = 0;
  private mask: Uint8Array | null = null;
  private axisDrag?: { from: number; to: number };
  private panDrag?: { x: number; t0: number; moved: boolean; pointerId: number };

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
    this.tree = h('div', { class: 'tl-labels', role: 'tree', 'aria-label': 'Processes and threads. Arrow keys move between rows and syscalls, Enter shows the source line' });
    this.sticky = h('div', { class: 'tl-sticky' }, this.tree, this.tracks);
    this.content = h('div', { class: 'tl-content' }, this.sticky);
    this.scroller = h('div', { class: 'tl-scroll' }, this.content);
    this.tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    const expandAll = h('button', { class: 'icon-button', title: 'Expand all processes' }, 'Expand');
    const collapseAll = h('button', { class: 'icon-button', title: 'Collapse all processes' }, 'Collapse');
    const resetZoom = h('button', { class: 'icon-button', title: 'Show the whole trace (0)' }, 'Fit');
    expandAll.addEventListener('click', () => {
      this.collapsed.clear();
      this.relayout();
    });
    collapseAll.addEventListener('click', () => {
      this.model.tables.processes.forEach((_, i) => this.collapsed.add(i));
      this.relayout();
    });
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
    this.wire();
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
    this.relayout();
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
      const row = this.rowOfCall(call);
      if (row >= 0) this.focusRow(row, false);
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
    const el = this.labels.get(this.focusedRow);
    if (el) el.focus();
    else this.scroller.focus();
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
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws now; each frame's cost is recorded as a `renacer-timeline-frame` User Timing measure. */
  render(): void {
    if (!this.calls) return;
    const begin = performance.now();
    const scrollTop = this.scroller.scrollTop;
    this.renderer.draw({
      model: this.model,
      calls: this.calls,
      layout: this.layout,
      viewport: this.viewport,
      scrollTop,
      selected: this.selected,
      hovered: this.hovered,
      focusedRow: this.focusedRow,
      colors: this.colors,
      nameColors: this.nameColors,
    });
    this.drawAxis();
    this.minimap.draw();
    this.renderLabels(scrollTop);
    performance.measure('renacer-timeline-frame', { start: begin, end: performance.now() });
    performance.clearMeasures('renacer-timeline-frame');
  }

  private updateHistogram(): void {
    if (!this.calls) return;
    const c = this.model.columns;
    const bins = Math.max(MIN_HISTOGRAM_BINS, this.minimapCanvas.width);
    this.minimap.setHistogram(activityHistogram(c.start, c.dur, c.count, this.mask, this.viewport.min, this.viewport.max, bins));
  }

  private relayout(): void {
    const shown = this.calls.shown;
    const filtered = this.mask !== null;
    this.layout = layoutRows(this.model.tables, this.collapsed, (t) => !filtered || shown[t] > 0);
    this.content.style.height = `${Math.max(this.layout.height, 1)}px`;
    this.focusedRow = Math.min(this.focusedRow, Math.max(0, this.layout.rows.length - 1));
    for (const el of this.labels.values()) el.remove();
    this.labels.clear();
    this.requestRender();
  }

  // ---------------------------------------------------------------------------
  // Row labels (the tree): only the rows on screen have elements.

  private renderLabels(scrollTop: number): void {
    const height = this.scroller.clientHeight;
    const keep = new Set<number>();
    const rows = this.layout.rows;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      if (row.y + row.height <= scrollTop) continue;
      if (row.y >= scrollTop + height) break;
      keep.add(r);
    }
    // The focused row keeps its element (and so the keyboard focus) even off screen.
    if (rows.length) keep.add(this.focusedRow);
    for (const [r, el] of this.labels) {
      if (!keep.has(r)) {
        el.remove();
        this.labels.delete(r);
      }
    }
    for (const r of keep) {
      const row = rows[r];
      let el = this.labels.get(r);
      if (!el) {
        el = this.labelElement(row, r);
        this.labels.set(r, el);
        this.tree.append(el);
      }
      el.style.top = `${row.y - scrollTop}px`;
      el.style.height = `${row.height}px`;
      el.tabIndex = r === this.focusedRow ? 0 : -1;
      el.setAttribute('aria-selected', String(r === this.focusedRow));
    }
  }

  private labelElement(row: TimelineRow, r: number): HTMLElement {
    const m = this.model;
    const shownCalls = row.threads.reduce((s, t) => s + this.calls.shown[t], 0);
    const name = row.kind === 'process' ? m.processLabel(row.process) : m.threadLabel(row.thread!);
    const proc = m.tables.processes[row.process];
    const status =
      row.kind === 'process' && proc.signal ? ` · killed by ${proc.signal}` : row.kind === 'process' && proc.exitCode !== undefined && proc.exitCode !== 0 ? ` · exit ${proc.exitCode}` : '';
    const el = h(
      'div',
      {
        class: `tl-label tl-${row.kind}`,
        role: 'treeitem',
        'aria-level': row.depth + 1,
        'aria-expanded': row.kind === 'process' ? String(!row.collapsed) : undefined,
        'data-row': r,
        title: row.kind === 'process' ? `${proc.exe ?? ''} (pid ${proc.pid})` : name,
      },
      h('span', { class: 'twisty', 'aria-hidden': 'true' }, row.kind === 'process' ? (row.collapsed ? '▸' : '▾') : ''),
      h('span', { class: 'tl-name' }, name),
      h('span', { class: 'tl-count' }, `${shownCalls.toLocaleString('en')}${status}`),
    );
    el.style.paddingLeft = `${4 + row.depth * 12}px`;
    return el;
  }

  private focusRow(r: number, moveFocus = true): void {
    if (this.layout.rows.length === 0) return;
    this.focusedRow = Math.max(0, Math.min(this.layout.rows.length - 1, r));
    const row = this.layout.rows[this.focusedRow];
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight;
    if (row.y < top) this.scroller.scrollTop = row.y;
    else if (row.y + row.height > top + height) this.scroller.scrollTop = row.y + row.height - height;
    this.renderLabels(this.scroller.scrollTop);
    if (moveFocus) this.labels.get(this.focusedRow)?.focus();
    this.requestRender();
  }

  private toggle(process: number, collapse?: boolean): void {
    const now = this.collapsed.has(process);
    const want = collapse ?? !now;
    if (want === now) return;
    if (want) this.collapsed.add(process);
    else this.collapsed.delete(process);
    this.relayout();
    const r = this.layout.rows.findIndex((row) => row.kind === 'process' && row.process === process);
    if (r >= 0) this.focusRow(r);
  }

  private rowOfCall(call: number): number {
    const thread = this.model.columns.thread[call];
    const process = this.model.tables.threads[thread].process;
    return this.layout.rows.findIndex((r) => (r.kind === 'thread' ? r.thread === thread : r.collapsed === true && r.process === process));
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

  /** The next (+1) or previous (−1) shown call of a thread from the selection (or from the window's start). */
  private stepCall(thread: number, dir: 1 | -1): number {
    const lod = this.calls.lods[thread];
    const c = this.model.columns;
    const n = lod.calls.length;
    if (n === 0) return -1;
    const sel = this.selected;
    if (sel >= 0 && c.thread[sel] === thread) {
      const p = firstCallEndingAfter(lod, c, c.start[sel]);
      let at = p;
      while (at < n && lod.calls[at] !== sel && c.start[lod.calls[at]] <= c.start[sel]) at++;
      if (at < n && lod.calls[at] === sel) {
        const q = at + dir;
        return q >= 0 && q < n ? lod.calls[q] : -1;
      }
    }
    const p = firstCallEndingAfter(lod, c, this.viewport.t0);
    if (dir > 0) return lod.calls[Math.min(n - 1, p)];
    return p > 0 ? lod.calls[p - 1] : lod.calls[0];
  }

  private onKey(e: KeyboardEvent): void {
    const rows = this.layout.rows;
    const row = rows[this.focusedRow];
    if (!row) return;
    const vp = this.viewport;
    const center = this.selected >= 0 ? this.model.columns.start[this.selected] : vp.t0 + vp.span / 2;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        this.focusRow(this.focusedRow + 1);
        break;
      case 'ArrowUp':
        this.focusRow(this.focusedRow - 1);
        break;
      case 'Home':
        this.focusRow(0);
        break;
      case 'End':
        this.focusRow(rows.length - 1);
        break;
      case 'ArrowRight':
      case 'ArrowLeft': {
        const dir = e.key === 'ArrowRight' ? 1 : -1;
        if (e.shiftKey) {
          vp.pan((dir * vp.span) / 5);
          this.requestRender();
        } else if (row.kind === 'process' && (dir > 0 ? row.collapsed : !row.collapsed)) {
          this.toggle(row.process, dir < 0);
        } else if (row.kind === 'process' && dir > 0) {
          this.focusRow(this.focusedRow + 1);
        } else {
          const thread = row.kind === 'thread' ? row.thread! : this.selectedThreadIn(row);
          const next = thread >= 0 ? this.stepCall(thread, dir as 1 | -1) : -1;
          if (next >= 0) {
            this.select(next);
            this.events.select(next, false);
          }
        }
        break;
      }
      case 'Enter':
      case ' ':
        if (this.selected >= 0 && this.rowOfCall(this.selected) === this.focusedRow && e.key === 'Enter') this.events.select(this.selected, true);
        else if (row.kind === 'process') this.toggle(row.process);
        else handled = false;
        break;
      case '+':
      case '=':
        vp.zoomAt(center, 0.5);
        this.requestRender();
        break;
      case '-':
      case '_':
        vp.zoomAt(center, 2);
        this.requestRender();
        break;
      case '0':
        vp.reset();
        this.requestRender();
        break;
      case 'f':
      case 'F':
        if (this.selected >= 0) this.fitCalls([this.selected]);
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  }

  /** On a collapsed process row, the thread of the selected call, else its first thread. */
  private selectedThreadIn(row: TimelineRow): number {
    const sel = this.selected;
    if (sel >= 0 && row.threads.includes(this.model.columns.thread[sel])) return this.model.columns.thread[sel];
    return row.threads[0] ?? -1;
  }

  // ---------------------------------------------------------------------------
  // Pointer

  private wire(): void {
    this.scroller.addEventListener('scroll', () => this.requestRender(), { passive: true });
    this.tree.addEventListener('keydown', (e) => this.onKey(e));
    this.tree.addEventListener('click', (e) => {
      const el = (e.target as HTMLElement).closest<HTMLElement>('.tl-label');
      if (!el) return;
      const r = Number(el.dataset.row);
      this.focusRow(r);
      const row = this.layout.rows[r];
      if (row?.kind === 'process' && (e.target as HTMLElement).classList.contains('twisty')) this.toggle(row.process);
    });
    this.tree.addEventListener('dblclick', (e) => {
      const el = (e.target as HTMLElement).closest<HTMLElement>('.tl-label');
      const row = el ? this.layout.rows[Number(el.dataset.row)] : undefined;
      if (row?.kind === 'process') this.toggle(row.process);
    });
    const t = this.tracks;
    t.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      t.setPointerCapture(e.pointerId);
      if (e.shiftKey) {
        const at = this.timeAtTracks(e);
        this.axisDrag = { from: at, to: at };
      } else {
        this.panDrag = { x: e.clientX, t0: this.viewport.t0, moved: false, pointerId: e.pointerId };
      }
    });
    t.addEventListener('pointermove', (e) => {
      if (this.axisDrag) {
        this.axisDrag.to = this.timeAtTracks(e);
        this.requestRender();
        return;
      }
      const d = this.panDrag;
      if (d) {
        const dx = e.clientX - d.x;
        if (Math.abs(dx) > 2) d.moved = true;
        if (d.moved) {
          const span = this.viewport.span;
          const t0 = d.t0 - (dx / Math.max(1, t.clientWidth)) * span;
          this.viewport.set(t0, t0 + span);
          this.hideTooltip();
          this.requestRender();
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
        const hit = this.hitTest(e);
        if (hit) {
          this.focusRow(hit.row, false);
          this.select(hit.call);
          this.events.select(hit.call, true);
        }
      }
    });
    t.addEventListener('pointercancel', () => {
      this.panDrag = undefined;
      this.axisDrag = undefined;
    });
    t.addEventListener('pointerleave', () => {
      this.hovered = -1;
      this.hideTooltip();
      this.requestRender();
    });
    t.addEventListener('dblclick', (e) => {
      const hit = this.hitTest(e);
      if (hit) this.fitCalls([hit.call]);
    });
    const wheel = (e: WheelEvent, x: number, width: number) => {
      const vp = this.viewport;
      const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        vp.zoomAt(vp.time(x, width), Math.exp(e.deltaY * scale * 0.002));
        this.requestRender();
      } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        e.preventDefault();
        const d = (e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX) * scale;
        vp.pan((d / Math.max(1, width)) * vp.span);
        this.requestRender();
      }
    };
    t.addEventListener('wheel', (e) => wheel(e, e.offsetX, t.clientWidth), { passive: false });
    this.axis.addEventListener('wheel', (e) => wheel(e, e.offsetX, this.axis.clientWidth), { passive: false });
    this.axis.addEventListener('pointerdown', (e) => {
      this.axis.setPointerCapture(e.pointerId);
      const at = this.viewport.time(e.offsetX, this.axis.clientWidth);
      this.axisDrag = { from: at, to: at };
    });
    this.axis.addEventListener('pointermove', (e) => {
      if (!this.axisDrag) return;
      this.axisDrag.to = this.viewport.time(e.offsetX, this.axis.clientWidth);
      this.requestRender();
    });
    this.axis.addEventListener('pointerup', () => this.zoomToDrag());
  }

  private zoomToDrag(): void {
    const d = this.axisDrag;
    this.axisDrag = undefined;
    if (!d) return;
    const vp = this.viewport;
    const px = (Math.abs(d.to - d.from) / vp.span) * this.axis.clientWidth;
    if (px >= 4) vp.set(Math.min(d.from, d.to), Math.max(d.from, d.to));
    this.requestRender();
  }

  private timeAtTracks(e: MouseEvent): number {
    return this.viewport.time(e.offsetX, this.tracks.clientWidth);
  }

  private hitTest(e: MouseEvent): Hit | undefined {
    const y = e.offsetY + this.scroller.scrollTop;
    const r = rowAt(this.layout, y);
    if (r < 0) return undefined;
    const row = this.layout.rows[r];
    if (row.kind === 'process' && !row.collapsed) return undefined;
    const c = this.model.columns;
    const vp = this.viewport;
    const width = this.tracks.clientWidth;
    const t = vp.time(e.offsetX, width);
    const slop = HOVER_SLOP_PX * vp.nsPerPx(width);
    let best = -1;
    let bestDist = Infinity;
    for (const th of row.threads) {
      const lod = this.calls.lods[th];
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

  private hover(e: PointerEvent): void {
    const hit = this.hitTest(e);
    const call = hit?.call ?? -1;
    if (call !== this.hovered) {
      this.hovered = call;
      this.requestRender();
    }
    if (call < 0) {
      this.hideTooltip();
      return;
    }
    const m = this.model;
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
    const host = this.element.getBoundingClientRect();
    const tw = this.tooltip.offsetWidth;
    let x = e.clientX - host.left + 14;
    if (x + tw > host.width - 4) x = e.clientX - host.left - tw - 14;
    this.tooltip.style.left = `${Math.max(4, x)}px`;
    this.tooltip.style.top = `${e.clientY - host.top + 16}px`;
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }

  private drawAxis(): void {
    const ctx = this.axis.getContext('2d');
    if (!ctx) return;
    const W = this.axis.width;
    const H = this.axis.height;
    const dpr = W / Math.max(1, this.axis.clientWidth);
    const vp = this.viewport;
    const colors = this.colors;
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
    if (this.axisDrag) {
      const a = vp.x(Math.min(this.axisDrag.from, this.axisDrag.to), W);
      const b = vp.x(Math.max(this.axisDrag.from, this.axisDrag.to), W);
      ctx.fillStyle = css(colors.focus, 0.3);
      ctx.fillRect(a, 0, b - a, H);
      const tctx = this.tracks.getContext('2d');
      if (tctx) {
        tctx.fillStyle = css(colors.focus, 0.15);
        tctx.fillRect(a * (this.tracks.width / W), 0, (b - a) * (this.tracks.width / W), this.tracks.height);
      }
    }
    ctx.fillStyle = css(colors.muted);
    ctx.fillText(spanLabel, labelLeft + 5 * dpr, H / 2 - 2 * dpr);
  }
}
