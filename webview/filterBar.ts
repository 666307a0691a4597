// The bar above the views: the search box (query syntax in traceFilter.ts)
// and the process and source-file pickers, which filter every view.
import { h } from './dom';
import { parseQuery } from '../extension/core/session/syscallQuery';
import type { Filter } from './traceFilter';
import { baseName, type TraceModel } from './traceModel';

const TYPING_PAUSE_MS = 150;

export class FilterBar {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly process: HTMLSelectElement;
  private readonly file: HTMLSelectElement;
  private readonly count: HTMLElement;
  private readonly problem: HTMLElement;
  private timer = 0;

  constructor(
    model: TraceModel,
    private readonly onChange: (f: Filter) => void,
  ) {
    this.input = h('input', {
      type: 'search',
      class: 'search',
      placeholder: 'Search: openat  errno:ENOENT  path:/etc  pid:4242  file:main.c  failed',
      'aria-label': 'Search and filter syscalls (name, errno:, path:, pid:, tid:, file:, at:FILE:LINE, failed; - negates)',
      spellcheck: 'false',
    });
    this.process = h('select', { class: 'picker', 'aria-label': 'Process' }, h('option', { value: '-1' }, 'All processes'));
    model.tables.processes.forEach((_, i) => this.process.append(h('option', { value: String(i) }, model.processLabel(i))));
    this.file = h('select', { class: 'picker', 'aria-label': 'Source file' }, h('option', { value: '-1' }, 'All source files'));
    const files = model.tables.files.map((f, i) => ({ f, i })).filter(({ i }) => model.tables.sites.some((s) => s.file === i));
    files.sort((a, b) => baseName(a.f).localeCompare(baseName(b.f)));
    for (const { f, i } of files) this.file.append(h('option', { value: String(i), title: f }, baseName(f)));
    this.file.disabled = files.length === 0;
    this.count = h('span', { class: 'match-count', 'aria-live': 'polite' });
    this.problem = h('span', { class: 'query-problem', role: 'status' });
    this.element = h('div', { class: 'filter-bar', role: 'search' }, this.input, this.process, this.file, this.count, this.problem);
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.changed(), TYPING_PAUSE_MS);
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        clearTimeout(this.timer);
        this.changed();
      } else if (e.key === 'Escape' && this.input.value) {
        this.input.value = '';
        this.changed();
        e.stopPropagation();
      }
    });
    this.process.addEventListener('change', () => this.changed());
    this.file.addEventListener('change', () => this.changed());
  }

  get filter(): Filter {
    return { text: this.input.value.trim(), process: Number(this.process.value), file: Number(this.file.value) };
  }

  /** Sets the filter as if typed and picked (the host's "reveal this line" does). */
  set(f: Filter): void {
    this.input.value = f.text;
    this.process.value = String(f.process);
    this.file.value = String(f.file);
    this.changed();
  }

  setCount(shown: number, total: number): void {
    this.count.textContent = shown === total ? `${total.toLocaleString('en')} syscalls` : `${shown.toLocaleString('en')} of ${total.toLocaleString('en')} syscalls`;
  }

  focusSearch(): void {
    this.input.focus();
    this.input.select();
  }

  private changed(): void {
    const f = this.filter;
    const { errors } = parseQuery(f.text);
    this.problem.textContent = errors.join('; ');
    this.onChange(f);
  }
}
