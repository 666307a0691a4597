// The statistics tab: `renacer -c` as a table — time, calls and errors per
// syscall — over what the filter lets through (so it is filtered by process
// and by source file with the pickers above). Click a column header to sort;
// Enter or a click on a row shows that syscall's calls in the timeline.
import { MaskWhenShown } from './deferredWork';
import { h } from './dom';
import { computeStats, sortStats, statsTotals, type StatsKey, type StatsRow } from './syscallStats';
import { formatDuration } from './timeAxis';
import { TableSort, type SortColumn } from './tableSort';
import type { TraceModel } from './traceModel';

export interface StatsEvents {
  /** Show the calls of syscall `name` (a name index). */
  showSyscall(name: number): void;
}

// The syscall first (strace -c puts it last; a reader scans names first).
// '% time' and 'Total' sort the same way; only 'Total' shows the arrow.
const COLUMNS: Array<SortColumn<StatsKey>> = [
  { key: 'name', label: 'Syscall', numeric: false, title: 'Syscall name' },
  { key: 'time', label: '% time', numeric: true, title: 'Share of the time spent in syscalls', twin: true },
  { key: 'time', label: 'Total', numeric: true, title: 'Time spent in the syscall (entry to exit)' },
  { key: 'avg', label: 'Avg', numeric: true, title: 'Average time per call' },
  { key: 'max', label: 'Max', numeric: true, title: 'The slowest call' },
  { key: 'calls', label: 'Calls', numeric: true, title: 'Number of calls' },
  { key: 'errors', label: 'Errors', numeric: true, title: 'Failed calls, by errno' },
];

export class StatsView {
  readonly element: HTMLElement;
  private rows: StatsRow[] = [];
  private readonly sort = new TableSort<StatsKey>('time', true);
  private readonly table: HTMLTableElement;
  private readonly summary: HTMLElement;
  private focused = 0;
  /** The table is computed for the filter's mask only while the tab is shown. */
  private readonly whenShown = new MaskWhenShown((mask) => this.compute(mask));

  constructor(
    private readonly model: TraceModel,
    private readonly events: StatsEvents,
  ) {
    this.table = h('table', { class: 'stats', 'aria-label': 'Time, calls and errors per syscall' });
    this.summary = h('p', { class: 'stats-summary', 'aria-live': 'polite' });
    this.element = h('section', { class: 'stats-panel', role: 'tabpanel', 'aria-label': 'Statistics' }, this.summary, h('div', { class: 'stats-scroll' }, this.table));
    this.table.addEventListener('keydown', (e) => this.onKey(e));
  }

  setMask(mask: Uint8Array | null): void {
    this.whenShown.setMask(mask);
  }

  setVisible(visible: boolean): void {
    this.whenShown.setVisible(visible);
  }

  private compute(mask: Uint8Array | null): void {
    this.rows = computeStats(this.model.columns, mask, this.model.tables.names.length);
    this.render();
  }

  focus(): void {
    this.rowElements()[this.focused]?.focus();
  }

  private rowElements(): HTMLTableRowElement[] {
    return Array.from(this.table.tBodies[0]?.rows ?? []);
  }

  private render(): void {
    const names = this.model.tables.names;
    const sorted = sortStats(this.rows, this.sort.key, this.sort.descending, names);
    const totals = statsTotals(sorted);
    const head = this.sort.headerRow(COLUMNS, () => this.render());
    const body = h('tbody');
    sorted.forEach((r, i) => {
      const errnos = [...r.errnos].sort((a, b) => b[1] - a[1]).map(([e, n]) => `${this.model.tables.errnos[e]} ${n}`).join(', ');
      const tr = h(
        'tr',
        { tabindex: i === this.focused ? 0 : -1, 'data-name': r.name, title: `Show the ${names[r.name]} calls in the timeline` },
        h('td', { class: 'name' }, names[r.name]),
        h('td', { class: 'num' }, totals.totalNs > 0 ? ((100 * r.totalNs) / totals.totalNs).toFixed(2) : '0.00'),
        h('td', { class: 'num' }, formatDuration(r.totalNs)),
        h('td', { class: 'num' }, formatDuration(r.totalNs / r.calls)),
        h('td', { class: 'num' }, formatDuration(r.maxNs)),
        h('td', { class: 'num' }, r.calls.toLocaleString('en')),
        h('td', { class: `num${r.errors ? ' error' : ''}`, title: errnos || undefined }, r.errors ? `${r.errors.toLocaleString('en')} (${errnos})` : ''),
      );
      tr.addEventListener('click', () => {
        this.focused = i;
        this.events.showSyscall(r.name);
      });
      body.append(tr);
    });
    const foot = h(
      'tfoot',
      {},
      h(
        'tr',
        {},
        h('td', { class: 'name' }, 'total'),
        h('td', { class: 'num' }, totals.calls ? '100.00' : '0.00'),
        h('td', { class: 'num' }, formatDuration(totals.totalNs)),
        h('td', { class: 'num' }, totals.calls ? formatDuration(totals.totalNs / totals.calls) : ''),
        h('td'),
        h('td', { class: 'num' }, totals.calls.toLocaleString('en')),
        h('td', { class: 'num' }, totals.errors ? totals.errors.toLocaleString('en') : ''),
      ),
    );
    this.table.replaceChildren(h('thead', {}, head), body, foot);
    this.focused = Math.min(this.focused, Math.max(0, sorted.length - 1));
    const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
    this.summary.textContent = `${plural(totals.calls, 'call', 'calls')} of ${plural(sorted.length, 'syscall', 'syscalls')}, ${formatDuration(totals.totalNs)} in the kernel, ${totals.errors.toLocaleString('en')} failed.`;
  }

  private onKey(e: KeyboardEvent): void {
    const rows = this.rowElements();
    const at = rows.indexOf(e.target as HTMLTableRowElement);
    if (at < 0) return;
    let next = at;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, at + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, at - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else if (e.key === 'Enter') {
      e.preventDefault();
      this.events.showSyscall(Number(rows[at].dataset.name));
      return;
    } else return;
    e.preventDefault();
    rows[at].tabIndex = -1;
    rows[next].tabIndex = 0;
    rows[next].focus();
    this.focused = next;
  }
}
