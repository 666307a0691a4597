// The flame graph tab (flameGraph.ts): syscall time by user call stack, the
// root on top. Click a box to select it and show its source line; double-
// click (or Z) to zoom into it, Escape to zoom out. Keyboard: ↑ parent,
// ↓ heaviest child, ←/→ siblings, Enter shows the source line.
import { FrameRequest, MaskWhenShown } from './deferredWork';
import { h, fitCanvas } from './dom';
import { wireFlameCanvas } from './flameCanvasInput';
import { paintFlame } from './flameCanvasPaint';
import { buildFlameGraph, flameDepth, flameNodeAt, layoutFlame, type FlameNode, type FlameRect } from './flameGraph';
import { css, mix, paletteIndex, type ThemeColors } from './themeColors';
import { formatDuration } from './timeAxis';
import type { TraceModel } from './traceModel';

const ROW = 20;

export interface FlameEvents {
  /** A box was selected; `reveal`: also show its source line. */
  select(node: FlameNode, reveal: boolean): void;
}

export class FlameGraphView {
  readonly element: HTMLElement;
  private root?: FlameNode;
  private focusNode?: FlameNode;
  private selected?: FlameNode;
  private hovered?: FlameNode;
  private rects: FlameRect[] = [];
  private readonly canvas: HTMLCanvasElement;
  private readonly scroller: HTMLElement;
  private readonly crumbs: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly redraw = new FrameRequest(() => this.render());
  /** The graph is built for the filter's mask only while the tab is shown. */
  private readonly whenShown = new MaskWhenShown((mask) => this.build(mask));

  constructor(
    private readonly model: TraceModel,
    private colors: ThemeColors,
    private readonly events: FlameEvents,
  ) {
    this.canvas = h('canvas', {
      class: 'flame-canvas',
      tabindex: 0,
      role: 'img',
      'aria-label': 'Flame graph of syscall time by call stack. Arrow keys move between boxes, Enter shows the source line, Z zooms in, Escape zooms out',
    });
    this.scroller = h('div', { class: 'flame-scroll' }, this.canvas);
    this.crumbs = h('div', { class: 'flame-crumbs', 'aria-live': 'polite' });
    this.tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    this.element = h('section', { class: 'flame-panel', role: 'tabpanel', 'aria-label': 'Flame graph' }, this.crumbs, this.scroller, this.tooltip);
    this.wire();
  }

  setColors(colors: ThemeColors): void {
    this.colors = colors;
    this.requestRender();
  }

  setMask(mask: Uint8Array | null): void {
    this.whenShown.setMask(mask);
  }

  setVisible(visible: boolean): void {
    this.whenShown.setVisible(visible);
  }

  private build(mask: Uint8Array | null): void {
    this.root = buildFlameGraph(this.model.columns, this.model.tables, mask);
    this.focusNode = this.root;
    this.selected = undefined;
    this.requestRender();
  }

  focus(): void {
    this.canvas.focus();
  }

  resize(): void {
    this.requestRender();
  }

  requestRender(): void {
    this.redraw.request();
  }

  private zoom(node: FlameNode): void {
    this.focusNode = node;
    this.requestRender();
  }

  private render(): void {
    const root = this.root;
    if (!root || !this.focusNode) return;
    const depth = flameDepth(this.focusNode) + 1;
    this.canvas.style.height = `${Math.max(depth * ROW + 4, this.scroller.clientHeight - 4)}px`;
    fitCanvas(this.canvas);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const W = this.canvas.width;
    const colors = this.colors;
    this.rects = layoutFlame(this.focusNode, 0.5 / Math.max(1, W));
    const names = this.model.tables.names;
    paintFlame(ctx, this.rects, ROW, colors, { selected: this.selected, hovered: this.hovered }, {
      fill: (n) => {
        const base =
          n.kind === 'syscall'
            ? colors.palette[paletteIndex(names[n.name!], colors.palette.length)]
            : n.kind === 'root'
              ? colors.muted
              : n.kind === 'unknown'
                ? mix(colors.muted, colors.background, 0.3)
                : mix(colors.palette[paletteIndex(n.label, colors.palette.length)], colors.background, 0.45);
        return n.errors > 0 && n.kind === 'syscall' ? mix(base, colors.error, 0.5) : base;
      },
      label: (n) => `${n.label} ${formatDuration(n.valueNs)}`,
      labelColor: (n) => (n.kind === 'root' || n.kind === 'unknown' ? css(colors.background) : undefined),
    });
    const path: string[] = [];
    for (let a: FlameNode | null = this.focusNode; a; a = a.parent) path.unshift(a.label);
    this.crumbs.textContent = `${path.join(' › ')} — ${formatDuration(this.focusNode.valueNs)}, ${this.focusNode.calls.toLocaleString('en')} calls${this.focusNode !== root ? ' (Escape: zoom out)' : ''}`;
  }

  private at(e: MouseEvent): FlameNode | undefined {
    return flameNodeAt(this.rects, e.offsetX, e.offsetY, this.canvas.clientWidth, ROW);
  }

  private choose(n: FlameNode | undefined, reveal: boolean): void {
    if (!n) return;
    this.selected = n;
    this.canvas.setAttribute('aria-label', `${n.label}: ${formatDuration(n.valueNs)}, ${n.calls} calls${n.errors ? `, ${n.errors} failed` : ''}`);
    this.events.select(n, reveal);
    this.requestRender();
  }

  private wire(): void {
    const c = this.canvas;
    c.addEventListener('click', (e) => this.choose(this.at(e), true));
    c.addEventListener('dblclick', (e) => {
      const n = this.at(e);
      if (n) this.zoom(n);
    });
    wireFlameCanvas<FlameNode>(c, {
      element: this.element,
      tooltip: this.tooltip,
      at: (e) => this.at(e),
      hover: (n) => {
        this.hovered = n;
        this.requestRender();
      },
      describe: (n) => {
        const share = this.root && this.root.valueNs > 0 ? ` · ${((100 * n.valueNs) / this.root.valueNs).toFixed(1)}%` : '';
        const where = n.file !== undefined ? `${this.model.tables.files[n.file]}:${n.line}` : '';
        return [
          h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, n.label), ` ${formatDuration(n.valueNs)}${share}`),
          h('div', { class: 'tt-line' }, `${n.calls.toLocaleString('en')} calls${n.errors ? `, ${n.errors.toLocaleString('en')} failed` : ''}`),
          where ? h('div', { class: 'tt-line tt-muted' }, where) : '',
        ];
      },
      selected: () => this.selected,
      zoomed: () => this.focusNode,
      choose: (n, enter) => this.choose(n, enter),
      zoom: (n) => this.zoom(n),
      enterZooms: false,
    });
  }
}
