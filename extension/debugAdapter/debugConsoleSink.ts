// Streams a trace to the Debug Console: strace lines in batches, a source
// link on every line whose source is known, in the order the calls happened
// with `[pid N]` on every line once several tasks run, as strace prints them.
// (Not grouped per process: the processes interleave, so a group per run of
// one process's lines repeated its header at every switch.)
import { OutputEvent, Source } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';

import type { TraceEvent, TraceSink } from '../core/session/events';
import { formatProcessEvent, formatSyscall } from '../core/format/textFormat';
import type { ProgramOutput } from '../core/session/programOutput';

export const DEFAULT_CONSOLE_LIMIT = 10_000;

export class DebugConsoleSink implements TraceSink {
  private shown = 0;
  private hidden = 0;
  private chunk: string[] = [];
  private live = new Set<number>();
  private several = false;

  constructor(
    private readonly send: (e: DebugProtocol.Event) => void,
    private readonly opts: { timing?: boolean; limit?: number; output?: () => ProgramOutput | undefined } = {},
  ) {}

  onEvents(events: TraceEvent[]): void {
    const limit = this.opts.limit ?? DEFAULT_CONSOLE_LIMIT;
    for (const ev of events) {
      if (ev.type === 'process') {
        if (ev.kind === 'spawn' || ev.kind === 'fork') this.live.add(ev.tid);
        const text = formatProcessEvent(ev);
        if (text) this.chunk.push(`${this.prefix(ev.tid)}${text}`);
        if (ev.kind === 'exit' || ev.kind === 'detach') this.live.delete(ev.tid);
        continue;
      }
      // What the program printed with this call comes just before its line.
      const printed = this.opts.output?.()?.writtenBy(ev);
      if (printed) {
        this.flushChunk();
        this.send(new OutputEvent(printed.text, printed.stream));
      }
      if (this.shown >= limit) {
        this.hidden++;
        continue;
      }
      this.shown++;
      const text = `${this.prefix(ev.tid)}${formatSyscall(ev, { timing: this.opts.timing })}`;
      const loc = ev.original ?? ev.source;
      if (loc) {
        this.flushChunk();
        const out = new OutputEvent(`${text}\n`, 'stdout') as DebugProtocol.OutputEvent;
        out.body.category = 'console';
        out.body.source = new Source(path.basename(loc.file), loc.file);
        out.body.line = loc.line;
        if ('column' in loc && loc.column) out.body.column = loc.column;
        this.send(out);
      } else {
        this.chunk.push(text);
      }
    }
    this.flushChunk();
  }

  onEnd(): void {
    this.flushChunk();
    if (this.hidden) {
      this.send(new OutputEvent(`renacer: ${this.hidden.toLocaleString('en')} more syscalls are not shown here; the trace file and the trace viewer have every one.\n`, 'console'));
    }
  }

  // Once a second task has been seen every line names its task, so a pid's
  // lines look alike before and after its siblings come and go.
  private prefix(tid: number): string {
    if (this.live.size > 1) this.several = true;
    return this.several ? `[pid ${String(tid).padStart(5)}] ` : '';
  }

  private flushChunk(): void {
    if (!this.chunk.length) return;
    this.send(new OutputEvent(this.chunk.join('\n') + '\n', 'console'));
    this.chunk = [];
  }
}
