// The Diff tab: this trace (AFTER) against an earlier run of the program
// (BEFORE), as `renacer diff` tells it (extension/core/diff/). The totals,
// the `-c` table with its differences (click a header to sort), the call
// sites whose calls or failures changed (click one, or Enter, to show its
// line), and a differential flame graph of the call paths of both runs
// (diffFlameView.ts). The logic without the DOM is in diffModelView.ts. The
// filter bar does not apply here: the diff is of the whole runs.
import type { TraceDiff } from '../extension/core/diff/diffModel';
import { DiffFlameView } from './diffFlameView';
import {
  buildDiffFlameTree,
  changedSites,
  DEFAULT_SORT,
  errorsText,
  formatChange,
  formatSigned,
  formatSignedDuration,
  signClass,
  siteLabel,
  siteTarget,
  sortDeltaRows,
  syscallDeltaRows,
  type DeltaKey,
  type SyscallDeltaRow,
} from './diffModelView';
import { h } from './dom';
import { TableSort, type SortColumn } from './tableSort';
import type { ThemeColors } from './themeColors';
import { formatDuration } from './timeAxis';
import { baseName } from './traceModel';

export interface DiffEvents {
  /** Show a source line in the editor. */
  reveal(file: string, line: number): void;
}

const COLUMNS: Array<SortColumn<DeltaKey>> = [
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

export class DiffView {
  readonly element: HTMLElement;
  private diff: TraceDiff | null = null;
  private rows: SyscallDeltaRow[] = [];
  private sort = new TableSort(DEFAULT_SORT.key, DEFAULT_SORT.descending);
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
    this.sort = new TableSort(DEFAULT_SORT.key, DEFAULT_SORT.descending);
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
    const head = this.sort.headerRow(COLUMNS, () => this.renderTable());
    const count = (n: number) => n.toLocaleString('en');
    const body = h('tbody');
    for (const r of sortDeltaRows(this.rows, this.sort.key, this.sort.descending)) {
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
