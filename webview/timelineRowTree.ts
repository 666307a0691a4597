// The timeline's row tree on the left: the rows' layout (timelineLayout.ts)
// with the processes the user collapsed, the row with the keyboard focus,
// and the rows' labels — only the rows on screen have elements. Clicking a
// label focuses its row; its twisty, or a double-click, folds a process.
import { h } from './dom';
import type { ThreadCalls } from './threadCalls';
import { layoutRows, type RowLayout, type TimelineRow } from './timelineLayout';
import type { TraceModel } from './traceModel';

export class TimelineRowTree {
  readonly element: HTMLElement;
  private rowLayout: RowLayout = { rows: [], height: 0 };
  private readonly collapsed = new Set<number>();
  private focused = 0;
  private readonly labels = new Map<number, HTMLElement>();
  private calls!: ThreadCalls;
  private filtered = false;

  /**
   * @param scroller scrolls the rows vertically
   * @param content the scroller's content, as tall as the rows
   * @param requestRender redraws the timeline (the tracks follow the rows)
   */
  constructor(
    private readonly model: TraceModel,
    private readonly scroller: HTMLElement,
    private readonly content: HTMLElement,
    private readonly requestRender: () => void,
  ) {
    this.element = h('div', { class: 'tl-labels', role: 'tree', 'aria-label': 'Processes and threads. Arrow keys move between rows and syscalls, Enter shows the source line' });
    this.element.addEventListener('click', (e) => {
      const el = (e.target as HTMLElement).closest<HTMLElement>('.tl-label');
      if (!el) return;
      const r = Number(el.dataset.row);
      this.focusRow(r);
      const row = this.rowLayout.rows[r];
      if (row?.kind === 'process' && (e.target as HTMLElement).classList.contains('twisty')) this.toggle(row.process);
    });
    this.element.addEventListener('dblclick', (e) => {
      const el = (e.target as HTMLElement).closest<HTMLElement>('.tl-label');
      const row = el ? this.rowLayout.rows[Number(el.dataset.row)] : undefined;
      if (row?.kind === 'process') this.toggle(row.process);
    });
  }

  get layout(): RowLayout {
    return this.rowLayout;
  }

  /** The row with the keyboard focus. */
  get focusedRow(): number {
    return this.focused;
  }

  /** New filter: the calls each thread shows; `filtered`: threads without any are left out. */
  setCalls(calls: ThreadCalls, filtered: boolean): void {
    this.calls = calls;
    this.filtered = filtered;
    this.relayout();
  }

  expandAll(): void {
    this.collapsed.clear();
    this.relayout();
  }

  collapseAll(): void {
    this.model.tables.processes.forEach((_, i) => this.collapsed.add(i));
    this.relayout();
  }

  private relayout(): void {
    const shown = this.calls.shown;
    const filtered = this.filtered;
    this.rowLayout = layoutRows(this.model.tables, this.collapsed, (t) => !filtered || shown[t] > 0);
    this.content.style.height = `${Math.max(this.rowLayout.height, 1)}px`;
    this.focused = Math.min(this.focused, Math.max(0, this.rowLayout.rows.length - 1));
    for (const el of this.labels.values()) el.remove();
    this.labels.clear();
    this.requestRender();
  }

  /** Gives the focused row's label the keyboard focus; false when it has no label. */
  focus(): boolean {
    const el = this.labels.get(this.focused);
    if (el) el.focus();
    return el !== undefined;
  }

  /** Puts the labels of the rows on screen (the rows scrolled by `scrollTop`) where their rows are. */
  render(scrollTop: number): void {
    const height = this.scroller.clientHeight;
    const keep = new Set<number>();
    const rows = this.rowLayout.rows;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      if (row.y + row.height <= scrollTop) continue;
      if (row.y >= scrollTop + height) break;
      keep.add(r);
    }
    // The focused row keeps its element (and so the keyboard focus) even off screen.
    if (rows.length) keep.add(this.focused);
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
        this.element.append(el);
      }
      el.style.top = `${row.y - scrollTop}px`;
      el.style.height = `${row.height}px`;
      el.tabIndex = r === this.focused ? 0 : -1;
      el.setAttribute('aria-selected', String(r === this.focused));
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

  /** Focuses row `r` (clamped to the rows), scrolled into view; `moveFocus`: its label takes the keyboard focus. */
  focusRow(r: number, moveFocus = true): void {
    if (this.rowLayout.rows.length === 0) return;
    this.focused = Math.max(0, Math.min(this.rowLayout.rows.length - 1, r));
    const row = this.rowLayout.rows[this.focused];
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight;
    if (row.y < top) this.scroller.scrollTop = row.y;
    else if (row.y + row.height > top + height) this.scroller.scrollTop = row.y + row.height - height;
    this.render(this.scroller.scrollTop);
    if (moveFocus) this.labels.get(this.focused)?.focus();
    this.requestRender();
  }

  /** Folds (`collapse` true) or unfolds a process's threads; without `collapse`, the other way from now. */
  toggle(process: number, collapse?: boolean): void {
    const now = this.collapsed.has(process);
    const want = collapse ?? !now;
    if (want === now) return;
    if (want) this.collapsed.add(process);
    else this.collapsed.delete(process);
    this.relayout();
    const r = this.rowLayout.rows.findIndex((row) => row.kind === 'process' && row.process === process);
    if (r >= 0) this.focusRow(r);
  }

  /** The row that shows `call`: its thread's, or its process's when collapsed; -1 when none does. */
  rowOfCall(call: number): number {
    const thread = this.model.columns.thread[call];
    const process = this.model.tables.threads[thread].process;
    return this.rowLayout.rows.findIndex((r) => (r.kind === 'thread' ? r.thread === thread : r.collapsed === true && r.process === process));
  }
}
