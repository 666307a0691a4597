// One trace on screen: the filter bar, the tabs (timeline, statistics,
// flame graph, and the diff against an earlier run when the host sent one)
// and the details pane, kept in step — a filter applies to
// every view, a selection anywhere fills the details pane and can show its
// line in the editor, and the host can ask to show a source line's calls.
import type { TraceDiff } from '../extension/core/diff/diffModel';
import type { SyscallDetails } from '../viewer/traceViewerProtocol';
import { DetailsPane } from './detailsPane';
import { DiffView } from './diffView';
import { h } from './dom';
import { FilterBar } from './filterBar';
import { FlameGraphView } from './flameGraphView';
import type { HostBridge } from './hostBridge';
import { StatsView } from './statsView';
import { ThreadCalls } from './threadCalls';
import { TimelineView } from './timelineView';
import { formatDuration } from './timeAxis';
import { buildMask, countMask, NO_FILTER, type Filter } from './traceFilter';
import { paletteIndex, readThemeColors, type Rgb, type ThemeColors } from './themeColors';
import { baseName, type TraceModel } from './traceModel';

type Tab = 'timeline' | 'stats' | 'flame' | 'diff';
const TABS: Array<{ id: Tab; label: string }> = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'stats', label: 'Statistics' },
  { id: 'flame', label: 'Flame graph' },
  // Only with a diff (setDiff).
  { id: 'diff', label: 'Diff' },
];

export class TraceViewerApp {
  readonly element: HTMLElement;
  private colors: ThemeColors;
  private nameColors: Rgb[];
  private readonly filterBar: FilterBar;
  private readonly timeline: TimelineView;
  private readonly stats: StatsView;
  private readonly flame: FlameGraphView;
  private readonly diff: DiffView;
  private readonly details: DetailsPane;
  private readonly tabButtons = new Map<Tab, HTMLButtonElement>();
  private readonly panels = new Map<Tab, HTMLElement>();
  private tab: Tab = 'timeline';
  private mask: Uint8Array | null = null;
  private readonly status: HTMLElement;

  constructor(
    private readonly model: TraceModel,
    private readonly bridge: HostBridge,
    file: string,
    unfinished: boolean,
  ) {
    this.colors = readThemeColors();
    this.nameColors = this.paletteFor(this.colors);
    this.details = new DetailsPane(model, { reveal: (f, line, column) => this.bridge.post({ type: 'reveal', file: f, line, column }) });
    this.timeline = new TimelineView(model, this.colors, this.nameColors, { select: (i, reveal) => this.selectCall(i, reveal) });
    this.stats = new StatsView(model, { showSyscall: (n) => this.showSyscall(n) });
    this.flame = new FlameGraphView(model, this.colors, {
      select: (node, reveal) => {
        this.details.showFlameNode(node);
        if (reveal && node.file !== undefined && node.line !== undefined) {
          this.bridge.post({ type: 'reveal', file: model.tables.files[node.file], line: node.line, column: node.column });
        }
      },
    });
    this.diff = new DiffView(this.colors, { reveal: (f, line) => this.bridge.post({ type: 'reveal', file: f, line }) });
    this.filterBar = new FilterBar(model, (f) => {
      this.applyFilter(f);
      // A search zooms to what it found (at full zoom the matches are hairlines).
      if (f.text) this.fitToMask();
    });
    this.panels.set('timeline', this.timeline.element);
    this.panels.set('stats', this.stats.element);
    this.panels.set('flame', this.flame.element);
    this.panels.set('diff', this.diff.element);

    const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' });
    for (const t of TABS) {
      const b = h('button', { class: 'tab', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}` }, t.label);
      b.addEventListener('click', () => this.showTab(t.id));
      this.tabButtons.set(t.id, b);
      tablist.append(b);
      const panel = this.panels.get(t.id)!;
      panel.id = `panel-${t.id}`;
      panel.setAttribute('aria-labelledby', `tab-${t.id}`);
    }
    this.tabButtons.get('diff')!.hidden = true;
    tablist.addEventListener('keydown', (e) => {
      const tabs = TABS.filter((t) => !this.tabButtons.get(t.id)!.hidden);
      const k = tabs.findIndex((t) => t.id === this.tab);
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        const next = tabs[(k + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length].id;
        this.showTab(next);
        this.tabButtons.get(next)!.focus();
        e.preventDefault();
      }
    });

    const t = model.tables;
    const exit = t.end ? (t.end.exitStatus === null ? 'detached' : `exit ${t.end.exitStatus}`) : unfinished ? 'unfinished' : '';
    const title = h(
      'div',
      { class: 'trace-title' },
      h('strong', {}, baseName(t.session.program) || 'trace'),
      h('span', { class: 'muted' }, ` ${t.session.argv.slice(1).join(' ')}`),
      h('span', { class: 'muted' }, ` · ${formatDuration(t.endNs - t.startNs)} · ${t.processes.length} process${t.processes.length === 1 ? '' : 'es'} · ${t.threads.length} thread${t.threads.length === 1 ? '' : 's'}${exit ? ` · ${exit}` : ''}`),
    );
    const open = h('button', { class: 'icon-button', title: 'Open another trace file' }, 'Open…');
    open.addEventListener('click', () => this.bridge.post({ type: 'open' }));
    const limited = t.totalSyscalls > model.count
      ? h('div', { class: 'banner', role: 'status' }, `Showing the first ${model.count.toLocaleString('en')} of ${t.totalSyscalls.toLocaleString('en')} syscalls (setting renacer.viewer.maxSyscalls).`)
      : unfinished
        ? h('div', { class: 'banner', role: 'status' }, 'This trace has no end record: the run was cut short or is still going. Showing what was written.')
        : '';
    this.status = h('footer', { class: 'status', title: file }, file);
    this.element = h(
      'div',
      { class: 'viewer' },
      h('header', { class: 'toolbar' }, title, open),
      limited,
      this.filterBar.element,
      tablist,
      h('div', { class: 'main' }, h('div', { class: 'panels' }, ...this.panels.values()), this.details.element),
      this.status,
    );

    this.element.addEventListener('keydown', (e) => {
      if ((e.key === 'f' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && !(e.target instanceof HTMLInputElement))) {
        e.preventDefault();
        this.filterBar.focusSearch();
      }
      // n / N (and F3 / Shift+F3): the next / previous match of the search, selected and in view.
      const typing = e.target instanceof HTMLInputElement;
      if ((!typing && (e.key === 'n' || e.key === 'N') && !e.ctrlKey && !e.metaKey) || e.key === 'F3') {
        e.preventDefault();
        this.stepMatch(e.key === 'N' || e.shiftKey ? -1 : 1);
      }
    });
    new MutationObserver(() => this.themeChanged()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  /** Call once the element is in the document. */
  start(state: { tab?: string; query?: string }): void {
    const resize = new ResizeObserver(() => {
      this.timeline.resize();
      this.flame.resize();
      this.diff.resize();
    });
    resize.observe(this.timeline.element);
    resize.observe(this.flame.element);
    resize.observe(this.diff.element);
    const filter = state.query ? { ...NO_FILTER, text: state.query } : NO_FILTER;
    if (state.query) this.filterBar.set(filter);
    else this.applyFilter(filter);
    this.showTab(state.tab === 'stats' || state.tab === 'flame' ? state.tab : 'timeline');
    this.timeline.resize();
    this.timeline.render();
  }

  /**
   * Shows the Diff tab with `diff` (this trace against an earlier run), and
   * switches to it when `select`; null takes the tab away.
   */
  setDiff(diff: TraceDiff | null, select: boolean): void {
    this.diff.setDiff(diff);
    this.tabButtons.get('diff')!.hidden = !diff;
    if (!diff && this.tab === 'diff') this.showTab('timeline');
    else if (diff && (select || this.tab === 'diff')) this.showTab('diff');
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  /** The host asks to show the calls made from a source line. */
  revealLine(file: string, line: number): void {
    this.filterBar.set({ text: `at:${file}:${line}`, process: -1, file: -1 });
    this.showTab('timeline');
    const mask = this.mask;
    if (!mask) return;
    const calls: number[] = [];
    for (let i = 0; i < this.model.count; i++) if (mask[i]) calls.push(i);
    if (calls.length === 0) return;
    this.timeline.fitCalls(calls);
    this.timeline.select(calls[0]);
    this.selectCall(calls[0], false);
    this.timeline.focus();
  }

  /** Zooms the timeline to every call the filter keeps. */
  private fitToMask(): void {
    const mask = this.mask;
    if (!mask) return;
    const calls: number[] = [];
    for (let i = 0; i < this.model.count; i++) if (mask[i]) calls.push(i);
    if (calls.length) this.timeline.fitCalls(calls);
  }

  /** Selects the next (+1) or previous (−1) call the filter keeps, after the selected one. */
  private stepMatch(dir: 1 | -1): void {
    const n = this.model.count;
    const mask = this.mask;
    const from = this.timeline.selectedCall;
    for (let k = 1; k <= n; k++) {
      const i = (((from < 0 ? (dir > 0 ? -1 : 0) : from) + dir * k) % n + n) % n;
      if (mask && !mask[i]) continue;
      this.showTab('timeline');
      this.timeline.select(i);
      this.selectCall(i, false);
      this.setStatus(`${mask ? 'match' : 'call'} ${i + 1} of ${n.toLocaleString('en')}`);
      return;
    }
  }

  private applyFilter(f: Filter): void {
    this.mask = buildMask(this.model, f);
    // A selection the filter hides is no longer selected.
    const sel = this.timeline.selectedCall;
    if (sel >= 0 && this.mask && !this.mask[sel]) {
      this.timeline.select(-1);
      this.details.clear();
    }
    this.filterBar.setCount(countMask(this.mask, this.model.count), this.model.count);
    this.timeline.setCalls(new ThreadCalls(this.model, this.mask), this.mask);
    this.stats.setMask(this.mask);
    this.flame.setMask(this.mask);
    this.bridge.saveState({ query: f.text });
  }

  private showTab(tab: Tab): void {
    this.tab = tab;
    for (const [id, b] of this.tabButtons) {
      b.setAttribute('aria-selected', String(id === tab));
      b.tabIndex = id === tab ? 0 : -1;
    }
    for (const [id, p] of this.panels) p.hidden = id !== tab;
    this.stats.setVisible(tab === 'stats');
    this.flame.setVisible(tab === 'flame');
    this.diff.setVisible(tab === 'diff');
    if (tab === 'timeline') this.timeline.resize();
    if (tab === 'flame') this.flame.resize();
    if (tab === 'diff') this.diff.resize();
    this.bridge.saveState({ tab });
  }

  private showSyscall(name: number): void {
    this.filterBar.set({ ...this.filterBar.filter, text: `name:${this.model.tables.names[name]}` });
    this.showTab('timeline');
    this.fitToMask();
    this.timeline.focus();
  }

  private selectCall(i: number, reveal: boolean): void {
    this.details.showCall(i);
    const site = this.model.site(i);
    if (reveal && site && site.file >= 0) {
      this.bridge.post({ type: 'reveal', file: this.model.tables.files[site.file], line: site.line });
    }
    void this.bridge.details(i, this.model.processOf(i)).then(({ details, error }: { details?: SyscallDetails; error?: string }) => {
      if (this.details.isShowing(i)) this.details.showCall(i, details, error);
    });
  }

  private paletteFor(colors: ThemeColors): Rgb[] {
    return this.model.tables.names.map((n) => colors.palette[paletteIndex(n, colors.palette.length)]);
  }

  private themeChanged(): void {
    this.colors = readThemeColors();
    this.nameColors = this.paletteFor(this.colors);
    this.timeline.setColors(this.colors, this.nameColors);
    this.flame.setColors(this.colors);
    this.diff.setColors(this.colors);
  }
}
