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

/** A process event's optional fields and their JSON names, in the order written (the trace file reads them back by it). */
export const PROCESS_FIELDS: ReadonlyArray<readonly [keyof ProcessEvent, string]> = [
  ['parentPid', 'parent_pid'],
  ['parentTid', 'parent_tid'],
  ['thread', 'thread'],
  ['path', 'path'],
  ['formerTid', 'former_tid'],
  ['exitCode', 'exit_code'],
  ['signal', 'signal'],
  ['coreDumped', 'core_dumped'],
  ['siginfo', 'siginfo'],
];

export function processToJson(ev: ProcessEvent, info: SessionInfo): string {
  const o: Record<string, unknown> = { type: 'process', event: ev.kind, pid: ev.pid, tid: ev.tid };
  for (const [field, json] of PROCESS_FIELDS) if (ev[field] !== undefined) o[json] = ev[field];
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
