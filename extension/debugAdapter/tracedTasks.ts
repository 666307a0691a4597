// The traced tasks as DAP threads, kept from the trace's spawn, fork, exec
// and exit events, and the count of their syscalls (the status bar's).
import { Thread, ThreadEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';

import type { TraceEvent, TraceSink } from '../core/session/events';
import { procText } from './stopViews';

interface Task {
  pid: number;
  tid: number;
  name: string;
}

/** The thread's name as the kernel has it now (after exec, prctl), then `pid/tid`. */
function taskName(pid: number, tid: number, fallback: string): string {
  const comm = procText(tid, 'comm') || fallback;
  return `${comm} ${pid}/${tid}`;
}

export class TracedTasks implements TraceSink {
  private readonly tasks = new Map<number, Task>();
  private count = 0;

  constructor(
    private readonly sendEvent: (e: DebugProtocol.Event) => void,
    private readonly exited: (tid: number) => void,
  ) {}

  onEvents(events: TraceEvent[]): void {
    for (const ev of events) {
      if (ev.type === 'syscall') {
        this.count++;
        continue;
      }
      if (ev.kind === 'spawn' || ev.kind === 'fork') {
        const name = ev.path ? path.basename(ev.path) : this.tasks.get(ev.parentTid ?? -1)?.name ?? 'task';
        this.tasks.set(ev.tid, { pid: ev.pid, tid: ev.tid, name });
        this.sendEvent(new ThreadEvent('started', ev.tid));
      } else if (ev.kind === 'exec') {
        const t = this.tasks.get(ev.tid);
        if (t && ev.path) t.name = path.basename(ev.path);
        if (ev.formerTid !== undefined) this.tasks.delete(ev.formerTid);
      } else if (ev.kind === 'exit' || ev.kind === 'detach') {
        this.tasks.delete(ev.tid);
        this.exited(ev.tid);
        this.sendEvent(new ThreadEvent('exited', ev.tid));
      }
    }
  }

  get syscalls(): number {
    return this.count;
  }

  get size(): number {
    return this.tasks.size;
  }

  has(tid: number): boolean {
    return this.tasks.has(tid);
  }

  threads(): Thread[] {
    return [...this.tasks.values()].map((t) => new Thread(t.tid, taskName(t.pid, t.tid, t.name)));
  }
}
