// The details pane: what is selected — a syscall (arguments, result, errno,
// duration, process and thread, source line, call stack, trace and span
// ids) or a flame-graph box. What the columns hold shows at once; the rest
// (arguments, result, stack, ids) arrives from the host, which reads the
// call back from the trace file.
import type { SyscallDetails } from '../viewer/traceViewerProtocol';
import { h } from './dom';
import type { FlameNode } from './flameGraph';
import { formatDuration } from './timeAxis';
import { baseName, type TraceModel } from './traceModel';

export interface DetailsEvents {
  reveal(file: string, line: number, column?: number): void;
}

/** strace's line for a call: `openat(AT_FDCWD, "/x", O_RDONLY) = -1 ENOENT (No such file or directory)`. */
export function straceLine(name: string, d: SyscallDetails): string {
  let result: string;
  if (d.ret === null) result = '?';
  else if (d.errno !== undefined) {
    // Kernel-internal restart codes never reach the program: strace shows '?'.
    const shown = d.errno.startsWith('ERESTART') || d.errno === 'ENOIOCTLCMD' ? '?' : '-1';
    result = `${shown} ${d.errno}${d.errnoMessage ? ` (${d.errnoMessage})` : ''}`;
  } else result = d.retText ?? String(d.ret);
  return `${name}(${d.args.join(', ')}) = ${result}`;
}

export class DetailsPane {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private showing = -1;

  constructor(
    private readonly model: TraceModel,
    private readonly events: DetailsEvents,
  ) {
    this.body = h('div', { class: 'details-body' });
    this.element = h('aside', { class: 'details', 'aria-label': 'Details of the selection', 'aria-live': 'polite' }, h('h2', {}, 'Details'), this.body);
    this.clear();
  }

  clear(): void {
    this.showing = -1;
    this.body.replaceChildren(h('p', { class: 'muted' }, 'Select a syscall in the timeline or a box in the flame graph.'));
  }

  private link(file: string, line: number, column?: number, label = `${baseName(file)}:${line}`): HTMLElement {
    const b = h('button', { class: 'link', title: `Show ${file}:${line} in the editor` }, label);
    b.addEventListener('click', () => this.events.reveal(file, line, column));
    return b;
  }

  private field(name: string, ...value: Array<Node | string>): HTMLElement[] {
    return [h('dt', {}, name), h('dd', {}, ...value)];
  }

  /** A syscall: what the columns know now; `details` (from the host) when it arrives. */
  showCall(i: number, details?: SyscallDetails, error?: string): void {
    const m = this.model;
    const c = m.columns;
    const t = m.tables;
    this.showing = i;
    const name = m.name(i);
    const errno = m.errno(i);
    const site = t.sites[c.site[i]];
    const fields: HTMLElement[] = [];
    const title = h('p', { class: 'strace' }, details ? straceLine(name, details) : `${name}(…)`);
    fields.push(...this.field('Duration', formatDuration(c.dur[i])));
    const wall = details ? new Date(Number(BigInt(details.startWallNs) / 1_000_000n)).toISOString().replace('T', ' ').replace('Z', ' UTC') : '';
    fields.push(...this.field('Start', `+${formatDuration(c.start[i] - t.startNs)}`, wall ? h('span', { class: 'muted' }, ` (${wall})`) : ''));
    if (details) {
      const result = details.ret === null ? 'did not return' : details.errno ? `-1` : (details.retText ?? String(details.ret));
      fields.push(...this.field('Result', result));
    }
    if (errno) fields.push(...this.field('Error', h('span', { class: 'error' }, errno), details?.errnoMessage ? ` ${details.errnoMessage}` : ''));
    const path = m.path(i);
    if (path) fields.push(...this.field('Path', path));
    if (details && details.args.length) {
      fields.push(...this.field('Arguments', h('ol', { class: 'args' }, ...details.args.map((a) => h('li', {}, h('code', {}, a))))));
    }
    const thread = t.threads[c.thread[i]];
    fields.push(...this.field('Process', m.processLabel(thread.process)));
    fields.push(...this.field('Thread', String(thread.tid)));
    if (site && site.file >= 0) {
      fields.push(...this.field('Source', this.link(t.files[site.file], site.line, undefined, m.siteLabel(c.site[i]))));
    } else {
      // With source lines on, a call without one came from no user code: the
      // dynamic loader, libc's start-up, or a library without debug info.
      const traced = t.sites.some((x) => x.file >= 0);
      fields.push(
        ...this.field(
          'Source',
          h('span', { class: 'muted' }, traced ? 'no user code on its stack (the dynamic loader ld.so, libc start-up, or a library without debug info)' : 'unknown (trace with --source to see lines)'),
        ),
      );
    }
    if (details?.original && details.source) {
      fields.push(...this.field('Generated', this.link(details.source.file, details.source.line, details.source.column)));
    }
    const stack = details?.stack?.length ? details.stack.flatMap((f) => [f, ...(f.inlined ?? [])]) : site ? site.frames.map((k) => {
      const f = t.frames[k];
      return { file: t.files[f.file], line: f.line, column: f.column, function: f.function };
    }) : [];
    if (stack.length > 1) {
      fields.push(
        ...this.field(
          'Call stack',
          h('ol', { class: 'stack' }, ...stack.map((f) => h('li', {}, h('span', { class: 'fn' }, f.function ?? '??'), ' ', this.link(f.file, f.line, f.column)))),
        ),
      );
    }
    if (details?.span) {
      fields.push(...this.field('Trace id', h('code', { class: 'id' }, details.span.traceId)));
      fields.push(...this.field('Span id', h('code', { class: 'id' }, details.span.spanId)));
      fields.push(...this.field('Parent span', h('code', { class: 'id' }, details.span.parentSpanId), h('span', { class: 'muted' }, ' (process span)')));
    } else if (details && !t.traceContext) {
      fields.push(...this.field('Span', h('span', { class: 'muted' }, 'the trace file records no trace context')));
    }
    if (error) fields.push(...this.field('Note', h('span', { class: 'error' }, error)));
    this.body.replaceChildren(title, h('dl', {}, ...fields));
  }

  /** Whether the pane still shows call `i` (a late reply for another call is dropped). */
  isShowing(i: number): boolean {
    return this.showing === i;
  }

  showFlameNode(n: FlameNode): void {
    const t = this.model.tables;
    this.showing = -1;
    const fields: HTMLElement[] = [];
    fields.push(...this.field('Time', formatDuration(n.valueNs)));
    fields.push(...this.field('Calls', n.calls.toLocaleString('en')));
    if (n.errors) fields.push(...this.field('Failed', h('span', { class: 'error' }, n.errors.toLocaleString('en'))));
    if (n.file !== undefined && n.line !== undefined) fields.push(...this.field('Source', this.link(t.files[n.file], n.line, n.column)));
    const path: string[] = [];
    for (let a = n.parent; a && a.kind !== 'root'; a = a.parent) path.unshift(a.label);
    if (path.length) fields.push(...this.field('Called from', path.join(' › ')));
    const top = [...n.children].slice(0, 8);
    if (top.length) {
      fields.push(...this.field('Heaviest below', h('ol', { class: 'stack' }, ...top.map((k) => h('li', {}, `${k.label} ${formatDuration(k.valueNs)}`)))));
    }
    this.body.replaceChildren(h('p', { class: 'strace' }, n.label), h('dl', {}, ...fields));
  }
}
