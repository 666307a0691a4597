// The Diff tab's differential flame graph: the call paths of both runs
// merged (diffModelView.ts builds the tree, flameGraph.ts lays it out), a
// box red-ish when AFTER makes more calls there and blue-ish when fewer.
// Click a box to zoom into it, Escape to zoom out; arrows move between boxes.
import { classifyDiff, describeDiffNode, diffColor, formatSigned, formatSignedDuration, signClass, type DiffFlameNode } from './diffModelView';
import { FrameRequest } from './deferredWork';
import { fitCanvas, h } from './dom';
import { wireFlameCanvas } from './flameCanvasInput';
import { flameDepth, flameNodeAt, layoutTree, type FlameRect } from './flameGraph';
import { paintFlame } from './flameCanvasPaint';
import { mix, type ThemeColors } from './themeColors';
import { formatDuration } from './timeAxis';

const ROW = 20;

/** The differential flame graph (diffModelView.ts builds the tree; flameGraph.ts lays it out). */
export class DiffFlameView {
  readonly element: HTMLElement;
  private root: DiffFlameNode | null = null;
  private focusNode: DiffFlameNode | null = null;
  private selected?: DiffFlameNode;
  private hovered?: DiffFlameNode;
  private rects: Array<FlameRect<DiffFlameNode>> = [];
  private readonly canvas: HTMLCanvasElement;
  private readonly info: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly redraw = new FrameRequest(() => this.render());
  private visible = false;

  constructor(private colors: ThemeColors) {
    this.canvas = h('canvas', {
      class: 'diff-flame-canvas',
      tabindex: 0,
      role: 'img',
      'aria-label': 'Differential flame graph of calls by call path: red-ish where this run makes more calls, blue-ish where fewer. Click or Z zooms in, Escape zooms out, arrow keys move between boxes',
    });
    this.info = h('p', { class: 'diff-flame-info', 'aria-live': 'polite' });
    this.tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    this.element = h(
      'div',
      { class: 'diff-flame', id: 'diff-flame' },
      h(
        'p',
        { class: 'diff-legend muted' },
        'Width: for each call path, the larger of its calls before and after. Colour: ',
        h('span', { class: 'delta-more' }, 'more calls after (+)'),
        ', ',
        h('span', { class: 'delta-fewer' }, 'fewer (−)'),
        ', grey: as many; the stronger, the bigger the relative change.',
      ),
      this.info,
      this.canvas,
      this.tooltip,
    );
    this.wire();
  }

  setTree(root: DiffFlameNode | null): void {
    this.root = root;
    this.focusNode = root;
    this.selected = undefined;
    this.hovered = undefined;
    this.requestRender();
  }

  setColors(colors: ThemeColors): void {
    this.colors = colors;
    this.requestRender();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.requestRender();
  }

  requestRender(): void {
    if (this.visible) this.redraw.request();
  }

  private render(): void {
    const focus = this.focusNode;
    if (!this.root || !focus) {
      this.canvas.hidden = true;
      this.info.textContent = 'No call paths in either run.';
      return;
    }
    this.canvas.hidden = false;
    const depth = flameDepth(focus) + 1;
    this.canvas.style.height = `${depth * ROW + 4}px`;
    fitCanvas(this.canvas);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const W = this.canvas.width;
    const colors = this.colors;
    this.rects = layoutTree(focus, 0.5 / Math.max(1, W), (n) => n.width);
    const palette = { more: colors.more, fewer: colors.fewer, neutral: mix(colors.muted, colors.background, 0.25) };
    paintFlame(ctx, this.rects, ROW, colors, { selected: this.selected, hovered: this.hovered }, {
      fill: (n) => diffColor(n, palette),
      label: (n) => {
        const d = n.after.calls - n.before.calls;
        return `${n.label} ${d ? `${n.before.calls}→${n.after.calls} (${formatSigned(d)})` : n.after.calls}`;
      },
    });
    this.showInfo();
  }

  /** The details line: the box selected (or hovered), else the path zoomed into. */
  private showInfo(): void {
    const n = this.hovered ?? this.selected ?? this.focusNode;
    if (!n) return;
    const path: string[] = [];
    for (let a: DiffFlameNode | null = n; a; a = a.parent) path.unshift(a.label);
    this.info.textContent = `${path.length > 1 ? `${path.slice(0, -1).join(' › ')} › ` : ''}${describeDiffNode(n)}${this.focusNode?.parent ? ' (Escape: zoom out)' : ''}`;
  }

  private at(e: MouseEvent): DiffFlameNode | undefined {
    return flameNodeAt(this.rects, e.offsetX, e.offsetY, this.canvas.clientWidth, ROW);
  }

  private choose(n: DiffFlameNode | undefined): void {
    if (!n) return;
    this.selected = n;
    this.canvas.setAttribute('aria-label', `${describeDiffNode(n)} — ${classifyDiff(n) === 'same' ? 'as many calls' : `${classifyDiff(n)} calls in this run`}`);
    this.requestRender();
  }

  private zoom(n: DiffFlameNode): void {
    this.focusNode = n;
    this.requestRender();
  }

  private wire(): void {
    const c = this.canvas;
    c.addEventListener('click', (e) => {
      const n = this.at(e);
      if (!n) return;
      this.choose(n);
      this.zoom(n);
    });
    wireFlameCanvas<DiffFlameNode>(c, {
      element: this.element,
      tooltip: this.tooltip,
      at: (e) => this.at(e),
      hover: (n) => {
        this.hovered = n;
        this.requestRender();
      },
      describe: (n) => {
        const d = n.after.calls - n.before.calls;
        return [
          h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, n.label), ' ', h('span', { class: `delta${signClass(d)}` }, `${n.before.calls.toLocaleString('en')} → ${n.after.calls.toLocaleString('en')} calls (${formatSigned(d)})`)),
          h('div', { class: 'tt-line' }, `time ${formatDuration(n.before.dur_ns)} → ${formatDuration(n.after.dur_ns)} (${formatSignedDuration(n.after.dur_ns - n.before.dur_ns)})`),
          h('div', { class: 'tt-line tt-muted' }, n.kind === 'syscall' ? 'syscall' : n.kind === 'root' ? 'every call path' : 'function'),
        ];
      },
      selected: () => this.selected,
      zoomed: () => this.focusNode ?? undefined,
      choose: (n) => this.choose(n),
      zoom: (n) => this.zoom(n),
      enterZooms: true,
    });
  }
}
