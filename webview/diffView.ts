// The Diff tab: this trace (AFTER) against an earlier run of the program
// (BEFORE), as `renacer diff` tells it (extension/core/diff/). The totals,
// the `-c` table with its differences (click a header to sort), the call
// sites whose calls or failures changed (click one, or Enter, to show its
// line), and a differential flame graph: the call paths of both runs merged,
// a box red-ish when AFTER makes more calls there and blue-ish when fewer.
// Click a box to zoom into it, Escape to zoom out; arrows move between boxes.
// The logic without the DOM is in diffModelView.ts. The filter bar does not
// apply here: the diff is of the whole runs.
import type { TraceDiff } from '../extension/core/diff/diffModel';
import {
  buildDiffFlameTree,
  changedSites,
  classifyDiff,
  DEFAULT_SORT,
  deltaSign,
  describeDiffNode,
  diffColor,
  errorsText,
  formatChange,
  formatSigned,
  formatSignedDuration,
  siteLabel,
  siteTarget,
  sortDeltaRows,
  syscallDeltaRows,
  type DeltaKey,
  type DiffFlameNode,
  type SyscallDeltaRow,
} from './diffModelView';
import { fitCanvas, h, placeTooltip } from './dom';
import { flameDepth, flameNeighbour, flameNodeAt, layoutTree, type FlameRect } from './flameGraph';
import { fitText } from './flameGraphView';
import { css, mix, type ThemeColors } from './themeColors';
import { formatDuration } from './timeAxis';
import { baseName } from './traceModel';

export interface DiffEvents {
  /** Show a source line in the editor. */
  reveal(file: string, line: number): void;
}

const COLUMNS: Array<{ key: DeltaKey; label: string; numeric: boolean; title: string }> = [
  { key: 'syscall', label: 'Syscall', numeric: false, title: 'Syscall name' },
  { key: 'callsBefore', label: 'Calls before', numeric: true, title: 'Calls in the earlier run' },
  { key: 'callsAfter', label: 'Calls after', numeric: true, title: 'Calls in this run' },
  { key: 'callsDelta', label: 'Δ calls', numeric: true, title: 'Calls after − before (sorts by the size of the change)' },
  { key: 'errorsBefore', label: 'Errors before', numeric: true, title: 'Failed calls in the earlier run' },
  { key: 'errorsAfter', label: 'Errors after', numeric: true, title: 'Failed calls in this run' },
  { key: 'errorsDelta', label: 'Δ errors', numeric: true, title: 'Failed calls after − before (sorts by the size of the change)' },
  { key: 'timeBefore', label: 'Time before', numeric: true, title: 'Time in the syscall in the earlier run' },
  { key: 'timeAfter', label: 'Time after', numeric: true, title: 'Time in the syscall in this run' },
  { key: 'timeDelta', label: 'Δ time', numeric: true, title: 'Time after − before (sorts by the size of the change)' },
];

const signClass = (d: number) => (deltaSign(d) > 0 ? ' delta-more' : deltaSign(d) < 0 ? ' delta-fewer' : '');

export class DiffView {
  readonly element: HTMLElement;
  private diff: TraceDiff | null = null;
  private rows: SyscallDeltaRow[] = [];
  private sortKey: DeltaKey = DEFAULT_SORT.key;
  private descending = DEFAULT_SORT.descending;
  private readonly summary: HTMLElement;
  private readonly warnings: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly sitesHeading: HTMLElement;
  private readonly sites: HTMLTableElement;
  private readonly flame: DiffFlameView;

  constructor(
    colors: ThemeColors,
    private readonly events: DiffEvents,
  ) {
    this.summary = h('p', { class: 'diff-summary', 'aria-live': 'polite' });
    this.warnings = h('div', { class: 'diff-warnings' });
    this.table = h('table', { class: 'diff-grid diff-table', id: 'diff-table', 'aria-label': 'Calls, errors and time per syscall, before and after' });
    this.sitesHeading = h('h2', { class: 'diff-heading' }, 'Changed call sites');
    this.sites = h('table', { class: 'diff-grid diff-sites', id: 'diff-sites', 'aria-label': 'The call sites whose calls or failures changed' });
    this.sites.addEventListener('keydown', (e) => this.onSitesKey(e));
    this.flame = new DiffFlameView(colors);
    this.element = h(
      'section',
      { class: 'diff-panel', role: 'tabpanel', 'aria-label': 'Diff' },
      h(
        'div',
        { class: 'diff-scroll' },
        this.summary,
        this.warnings,
        h('h2', { class: 'diff-heading' }, 'Syscalls'),
        this.table,
        this.sitesHeading,
        this.sites,
        h('h2', { class: 'diff-heading' }, 'Differential flame graph'),
        this.flame.element,
      ),
    );
  }

  get hasDiff(): boolean {
    return this.diff !== null;
  }

  setDiff(diff: TraceDiff | null): void {
    this.diff = diff;
    this.rows = diff ? syscallDeltaRows(diff.syscalls) : [];
    this.sortKey = DEFAULT_SORT.key;
    this.descending = DEFAULT_SORT.descending;
    this.renderSummary();
    this.renderTable();
    this.renderSites();
    this.flame.setTree(diff ? buildDiffFlameTree(diff.stacks) : null);
  }

  setColors(colors: ThemeColors): void {
    this.flame.setColors(colors);
  }

  setVisible(visible: boolean): void {
    this.flame.setVisible(visible);
  }

  resize(): void {
    this.flame.requestRender();
  }

  sortBy(key: DeltaKey): void {
    if (this.sortKey === key) this.descending = !this.descending;
    else {
      this.sortKey = key;
      this.descending = key !== 'syscall';
    }
    this.renderTable();
  }

  private renderSummary(): void {
    const d = this.diff;
    if (!d) {
      this.summary.replaceChildren();
      this.warnings.replaceChildren();
      return;
    }
    const delta = (label: string, b: number, a: number, fmt: (n: number) => string, signed: (n: number) => string) => {
      const pct = formatChange(b, a);
      return h(
        'span',
        { class: 'diff-total' },
        `${label} ${fmt(b)} → ${fmt(a)} `,
        h('span', { class: `delta${signClass(a - b)}` }, `(${signed(a - b)}${pct ? `, ${pct}` : ''})`),
      );
    };
    const count = (n: number) => n.toLocaleString('en');
    this.summary.replaceChildren(
      h('span', { class: 'diff-files', title: `${d.before.file} → ${d.after.file}` }, h('strong', {}, baseName(d.before.file)), ' → ', h('strong', {}, baseName(d.after.file))),
      ' · ',
      delta('calls', d.before.calls, d.after.calls, count, formatSigned),
      ' · ',
      delta('failures', d.before.errors, d.after.errors, count, formatSigned),
      ' · ',
      delta('time', d.before.dur_ns, d.after.dur_ns, formatDuration, formatSignedDuration),
    );
    const notes = [...d.warnings];
    if (d.before.truncated) notes.push(`${baseName(d.before.file)} was cut short: read up to its last whole batch.`);
    if (d.after.truncated) notes.push(`${baseName(d.after.file)} was cut short: read up to its last whole batch.`);
    this.warnings.replaceChildren(...[...new Set(notes)].map((w) => h('div', { class: 'banner', role: 'status' }, w)));
  }

  private renderTable(): void {
    if (!this.diff) {
      this.table.replaceChildren();
      return;
    }
    const head = h(
      'tr',
      {},
      ...COLUMNS.map((col) => {
        const active = this.sortKey === col.key;
        const button = h('button', { class: 'sort', title: `${col.title} — sort` }, col.label, active ? (this.descending ? ' ▼' : ' ▲') : '');
        button.addEventListener('click', () => this.sortBy(col.key));
        return h('th', { scope: 'col', class: col.numeric ? 'num' : '', 'aria-sort': active ? (this.descending ? 'descending' : 'ascending') : 'none' }, button);
      }),
    );
    const count = (n: number) => n.toLocaleString('en');
    const body = h('tbody');
    for (const r of sortDeltaRows(this.rows, this.sortKey, this.descending)) {
      const side = r.only === 'after' ? ' (new)' : r.only === 'before' ? ' (gone)' : '';
      body.append(
        h(
          'tr',
          { 'data-syscall': r.syscall },
          h('td', { class: 'name' }, r.syscall, side ? h('span', { class: 'muted' }, side) : ''),
          h('td', { class: 'num' }, count(r.callsBefore)),
          h('td', { class: 'num' }, count(r.callsAfter)),
          h('td', { class: `num delta${signClass(r.callsDelta)}`, title: formatChange(r.callsBefore, r.callsAfter) || undefined }, formatSigned(r.callsDelta)),
          h('td', { class: 'num' }, count(r.errorsBefore)),
          h('td', { class: 'num' }, count(r.errorsAfter)),
          h('td', { class: `num delta${signClass(r.errorsDelta)}` }, formatSigned(r.errorsDelta)),
          h('td', { class: 'num' }, formatDuration(r.timeBefore)),
          h('td', { class: 'num' }, formatDuration(r.timeAfter)),
          h('td', { class: `num delta${signClass(r.timeDelta)}`, title: formatChange(r.timeBefore, r.timeAfter) || undefined }, formatSignedDuration(r.timeDelta)),
        ),
      );
    }
    this.table.replaceChildren(h('thead', {}, head), body);
  }

  private renderSites(): void {
    if (!this.diff) {
      this.sites.replaceChildren();
      return;
    }
    const rows = this.diff ? changedSites(this.diff.rows) : [];
    this.sitesHeading.textContent = `Changed call sites (${rows.length.toLocaleString('en')})`;
    const head = h('tr', {}, ...['Change', 'Site', 'Syscall', 'Calls before', 'Calls after', 'Δ calls', 'Errors'].map((l, i) => h('th', { scope: 'col', class: i >= 3 && i <= 5 ? 'num' : '' }, h('span', { class: 'th-label' }, l))));
    const body = h('tbody');
    if (rows.length === 0) body.append(h('tr', {}, h('td', { class: 'muted', colspan: 7 }, this.diff ? 'No call site changed: the same calls, with the same failures, from the same lines.' : '')));
    let first = true;
    for (const r of rows) {
      const b = r.before?.calls ?? 0;
      const a = r.after?.calls ?? 0;
      const target = siteTarget(r);
      const tr = h(
        'tr',
        {
          class: target ? 'site-link' : 'site-nolink',
          tabindex: target ? (first ? 0 : -1) : undefined,
          title: target ? `Show ${target.file}:${target.line} in the editor` : undefined,
          'data-change': r.change,
        },
        h('td', { class: `change change-${r.change}` }, r.change),
        h('td', { class: 'site' }, siteLabel(r)),
        h('td', { class: 'name' }, r.syscall),
        h('td', { class: 'num' }, b.toLocaleString('en')),
        h('td', { class: 'num' }, a.toLocaleString('en')),
        h('td', { class: `num delta${signClass(a - b)}` }, formatSigned(a - b)),
        h('td', { class: 'errors' }, errorsText(r)),
      );
      if (target) {
        first = false;
        tr.addEventListener('click', () => this.events.reveal(target.file, target.line));
      }
      body.append(tr);
    }
    this.sites.replaceChildren(h('thead', {}, head), body);
  }

  private onSitesKey(e: KeyboardEvent): void {
    const rows = Array.from(this.sites.tBodies[0]?.rows ?? []).filter((r) => r.classList.contains('site-link'));
    const k = rows.indexOf(e.target as HTMLTableRowElement);
    if (k < 0) return;
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, k + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, k - 1);
    else if (e.key === 'Enter' || e.key === ' ') {
      rows[k].click();
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    rows[k].tabIndex = -1;
    rows[next].tabIndex = 0;
    rows[next].focus();
  }
}

const ROW = 20;

/** The differential flame graph (diffModelView.ts builds the tree; flameGraph.ts lays it out). */
class DiffFlameView {
  readonly element: HTMLElement;
  private root: DiffFlameNode | null = null;
  private focusNode: DiffFlameNode | null = null;
  private selected?: DiffFlameNode;
  private hovered?: DiffFlameNode;
  private rects: Array<FlameRect<DiffFlameNode>> = [];
  private readonly canvas: HTMLCanvasElement;
  private readonly info: HTMLElement;
  private readonly tooltip: HTMLElement;
  private frame = 0;
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
    if (this.frame || !this.visible) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
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
    const H = this.canvas.height;
    const dpr = W / Math.max(1, this.canvas.clientWidth);
    const colors = this.colors;
    ctx.fillStyle = css(colors.background);
    ctx.fillRect(0, 0, W, H);
    this.rects = layoutTree(focus, 0.5 / Math.max(1, W), (n) => n.width);
    ctx.font = `${Math.round(Math.min(12, colors.fontSize - 1) * dpr)}px ${colors.fontFamily}`;
    ctx.textBaseline = 'middle';
    const neutral = mix(colors.muted, colors.background, 0.25);
    const palette = { more: colors.more, fewer: colors.fewer, neutral };
    for (const r of this.rects) {
      const n = r.node;
      const x = r.x0 * W;
      const w = Math.max(1, (r.x1 - r.x0) * W - dpr);
      const y = n.depth * ROW * dpr;
      const hgt = (ROW - 1) * dpr;
      ctx.fillStyle = css(diffColor(n, palette));
      ctx.fillRect(x, y, w, hgt);
      if (n === this.selected || n === this.hovered) {
        ctx.strokeStyle = css(n === this.selected ? colors.focus : colors.foreground, n === this.selected ? 1 : 0.6);
        ctx.lineWidth = (n === this.selected ? 2 : 1) * dpr;
        ctx.strokeRect(x + dpr, y + dpr, w - 2 * dpr, hgt - 2 * dpr);
      }
      if (w > 30 * dpr) {
        ctx.fillStyle = css(colors.dark ? { r: 0, g: 0, b: 0 } : { r: 255, g: 255, b: 255 }, 0.9);
        const d = n.after.calls - n.before.calls;
        const text = fitText(ctx, `${n.label} ${d ? `${n.before.calls}→${n.after.calls} (${formatSigned(d)})` : n.after.calls}`, w - 6 * dpr);
        if (text) ctx.fillText(text, x + 3 * dpr, y + hgt / 2);
      }
    }
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
    c.addEventListener('pointermove', (e) => {
      const n = this.at(e);
      if (n !== this.hovered) {
        this.hovered = n;
        this.requestRender();
      }
      if (!n) {
        this.tooltip.hidden = true;
        return;
      }
      const d = n.after.calls - n.before.calls;
      this.tooltip.replaceChildren(
        h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, n.label), ' ', h('span', { class: `delta${signClass(d)}` }, `${n.before.calls.toLocaleString('en')} → ${n.after.calls.toLocaleString('en')} calls (${formatSigned(d)})`)),
        h('div', { class: 'tt-line' }, `time ${formatDuration(n.before.dur_ns)} → ${formatDuration(n.after.dur_ns)} (${formatSignedDuration(n.after.dur_ns - n.before.dur_ns)})`),
        h('div', { class: 'tt-line tt-muted' }, n.kind === 'syscall' ? 'syscall' : n.kind === 'root' ? 'every call path' : 'function'),
      );
      this.tooltip.hidden = false;
      placeTooltip(this.tooltip, this.element, e);
    });
    c.addEventListener('pointerleave', () => {
      this.hovered = undefined;
      this.tooltip.hidden = true;
      this.requestRender();
    });
    c.addEventListener('keydown', (e) => {
      const n = this.selected ?? this.focusNode;
      if (!n) return;
      const next = flameNeighbour(n, e.key);
      if (next !== null) {
        e.preventDefault();
        if (next) this.choose(next);
        return;
      }
      switch (e.key) {
        case 'Enter':
        case 'z':
        case 'Z':
          this.zoom(n);
          e.preventDefault();
          return;
        case 'Escape':
          if (this.focusNode?.parent) this.zoom(this.focusNode.parent);
          e.preventDefault();
          return;
        default:
          return;
      }
    });
    c.addEventListener('focus', () => {
      if (!this.selected && this.focusNode) this.choose(this.focusNode);
    });
  }
}
