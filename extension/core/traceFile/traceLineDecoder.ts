// Feeds trace-file lines (README "Trace files") into a SyscallRecordSink
// (the viewer's TraceShard, the diff's SiteTally) through JSON.parse. The
// fast path is the native scanner (traceRangeScanner.ts), which reads every
// whole member; what reaches this decoder is what it hands back (lines of
// another shape) and whatever follows a member it could not inflate.
import type { SyscallEvent } from '../session/events';
import { syscallPath } from '../format/syscallPathArgument';
import { parseTraceFileLine, type TraceFileEnd } from './traceFile';
import { SYSCALL_UNFINISHED, type SiteSource, type SyscallRecordSink } from './syscallRecordSink';

/** Whether a line is a syscall event (the same answer the decoder acts on). */
export function isSyscallLine(line: string): boolean {
  if (line.startsWith('{"type":"syscall","pid":')) return true;
  if (!line.startsWith('{') || !line.includes('syscall')) return false;
  try {
    return (JSON.parse(line) as { type?: unknown }).type === 'syscall';
  } catch {
    return false;
  }
}

export class TraceLineDecoder {
  /** The end record, once seen. */
  end?: TraceFileEnd;

  constructor(
    private readonly shard: SyscallRecordSink,
    private readonly origin: bigint,
  ) {}

  /**
   * The line buf[begin, end) (after the session header; UTF-8, no newline).
   * Throws SyntaxError for a line that is not JSON.
   */
  line(buf: Buffer, begin = 0, end = buf.length): void {
    if (begin === end) return;
    this.text(buf.toString('utf8', begin, end));
  }

  private text(line: string): void {
    const item = parseTraceFileLine(line, this.origin);
    if (item === null) return;
    if (item.type === 'end') {
      this.end = item;
    } else if (item.type === 'process') {
      this.shard.addProcessEvent(item);
    } else if (this.shard.full) {
      this.shard.countSyscall();
    } else {
      const ev: SyscallEvent = item;
      const b = this.shard;
      let stack: SyscallEvent['stack'];
      if (line.includes('"stack"')) {
        const s = (JSON.parse(line) as { stack?: SyscallEvent['stack'] }).stack;
        if (Array.isArray(s)) stack = s;
      }
      const site = b.siteId({ source: ev.source, original: ev.original, stack });
      const flags = ev.ret === null ? SYSCALL_UNFINISHED : 0;
      b.addSyscall(ev.pid, ev.tid, b.nameId(ev.name), b.errnoId(ev.errno), ev.startNs, ev.endNs - ev.startNs, site, b.pathId(syscallPath(ev.name, ev.args)), flags, ev.ret ?? NaN);
    }
  }
}

/** A site from the bytes after dur_ns (`,"source":{…}…}`). */
export function parseSite(text: string): SiteSource {
  const o = JSON.parse(`{${text.slice(1)}`) as SiteSource;
  return { source: o.source, original: o.original, stack: Array.isArray(o.stack) ? o.stack : undefined };
}
