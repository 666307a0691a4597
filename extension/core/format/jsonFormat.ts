// JSON Lines: one object per event. The field names are a public interface
// (README "JSON Lines format"): fields may be added, never renamed.
import type { ProcessEvent, SessionInfo, SyscallEvent, TraceEvent, TraceSink } from '../session/events';
import { wallNs } from '../session/events';
import type { OutputWriter } from './outputWriter';

function sourceJson(ev: SyscallEvent): string {
  let s = '';
  if (ev.source) s += `,"source":${JSON.stringify(ev.source)}`;
  if (ev.stack) s += `,"stack":${JSON.stringify(ev.stack)}`;
  if (ev.original) s += `,"original":${JSON.stringify(ev.original)}`;
  return s;
}

export function syscallToJson(ev: SyscallEvent, info: SessionInfo): string {
  // Written by hand: start_ns is a 19-digit integer JSON.stringify cannot
  // print exactly, and this runs once per syscall.
  let s =
    `{"type":"syscall","pid":${ev.pid},"tid":${ev.tid},"name":"${ev.name}","nr":${ev.nr},` +
    `"args":${JSON.stringify(ev.args)},"ret":${ev.ret === null ? 'null' : ev.ret}`;
  if (ev.errno !== undefined) s += `,"errno":"${ev.errno}"`;
  if (ev.retText !== undefined) s += `,"ret_text":${JSON.stringify(ev.retText)}`;
  if (ev.injected) s += ',"injected":true';
  if (ev.delayed) s += ',"delayed":true';
  s += `,"start_ns":${wallNs(info, ev.startNs)},"dur_ns":${Math.round(ev.endNs - ev.startNs)}`;
  return s + sourceJson(ev) + '}';
}

export function processToJson(ev: ProcessEvent, info: SessionInfo): string {
  const o: Record<string, unknown> = { type: 'process', event: ev.kind, pid: ev.pid, tid: ev.tid };
  if (ev.parentPid !== undefined) o.parent_pid = ev.parentPid;
  if (ev.parentTid !== undefined) o.parent_tid = ev.parentTid;
  if (ev.thread !== undefined) o.thread = ev.thread;
  if (ev.path !== undefined) o.path = ev.path;
  if (ev.formerTid !== undefined) o.former_tid = ev.formerTid;
  if (ev.exitCode !== undefined) o.exit_code = ev.exitCode;
  if (ev.signal !== undefined) o.signal = ev.signal;
  if (ev.coreDumped) o.core_dumped = true;
  if (ev.siginfo !== undefined) o.siginfo = ev.siginfo;
  const body = JSON.stringify(o);
  return `${body.slice(0, -1)},"time_ns":${wallNs(info, ev.timeNs)}}`;
}

export function eventToJson(ev: TraceEvent, info: SessionInfo): string {
  return ev.type === 'syscall' ? syscallToJson(ev, info) : processToJson(ev, info);
}

export class JsonFormatSink implements TraceSink {
  private info?: SessionInfo;

  constructor(private readonly out: OutputWriter) {}

  onStart(info: SessionInfo): void {
    this.info = info;
  }

  onEvents(events: TraceEvent[]): void {
    const info = this.info!;
    for (const ev of events) this.out.write(eventToJson(ev, info) + '\n');
    this.out.flush();
  }

  onEnd(): void {
    this.out.flush();
  }
}
