// Streams a trace to the Debug Console: strace lines in batches, a source
// link on every line whose source is known, a collapsible group per run of
// lines from one process when several are traced.
import { OutputEvent, Source } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';

import type { TraceEvent, TraceSink } from '../../core/events';
import { formatProcessEvent, formatSyscall } from '../../core/format/textFormat';
import type { ProgramOutput } from '../../core/programOutput';

export const DEFAULT_CONSOLE_LIMIT = 10_000;

export class DebugConsoleSink implements TraceSink {
  private shown = 0;
  private hidden = 0;
  private chunk: string[] = [];
  private live = new Set<number>();
  private groupPid = 0;
  private processes = new Set<number>();
  private several = false;

  constructor(
    private readonly send: (e: DebugProtocol.Event) => void,
    private readonly opts: { timing?: boolean; limit?: number; output?: () => ProgramOutput | undefined } = {},
  ) {}

  onEvents(events: TraceEvent[]): void {
    const limit = this.opts.limit ?? DEFAULT_CONSOLE_LIMIT;
    for (const ev of events) {
      if (ev.type === 'process') {
        if (ev.kind === 'spawn' || ev.kind === 'fork') {
          this.live.add(ev.tid);
          if (!ev.thread) this.processes.add(ev.pid);
        }
        const text = formatProcessEvent(ev);
        if (text) this.line(ev.pid, `${this.prefix(ev.tid)}${text}`);
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
        this.groupFor(ev.pid);
        this.send(out);
      } else {
        this.line(ev.pid, text);
      }
    }
    this.flushChunk();
  }

  onEnd(): void {
    this.flushChunk();
    this.endGroup();
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

  private line(pid: number, text: string): void {
    if (this.processes.size > 1 && pid !== this.groupPid) {
      this.flushChunk();
      this.groupFor(pid);
    }
    this.chunk.push(text);
  }

  // Runs of lines from one process form a group once several processes are traced.
  private groupFor(pid: number): void {
    if (this.processes.size <= 1 || pid === this.groupPid) return;
    this.endGroup();
    const start = new OutputEvent(`process ${pid}\n`, 'console') as DebugProtocol.OutputEvent;
    start.body.group = 'start';
    this.send(start);
    this.groupPid = pid;
  }

  private endGroup(): void {
    if (!this.groupPid) return;
    const end = new OutputEvent('', 'console') as DebugProtocol.OutputEvent;
    end.body.group = 'end';
    this.send(end);
    this.groupPid = 0;
  }

  private flushChunk(): void {
    if (!this.chunk.length) return;
    this.send(new OutputEvent(this.chunk.join('\n') + '\n', 'console'));
    this.chunk = [];
  }
}
