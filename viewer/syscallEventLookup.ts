// One syscall of a trace file, read back in full (arguments, result, stack)
// by its ordinal, without keeping the trace in memory: the decoder recorded
// where each gzip member starts and the ordinal of its first syscall, so a
// lookup inflates one member (a batch of events, a few hundred KB at most).
// Also the ids the syscall's span has when exported (spanIds.ts), so the
// viewer can link a syscall to Tempo or Jaeger.
import { errnoMessageOf } from '../extension/core/session/errnoMessages';
import type { SourceLocation, SyscallEvent } from '../extension/core/session/events';
import type { MemberIndex } from './traceColumnsDecoder';
import type { TraceContextInfo, TraceTables } from './traceColumns';
import type { SyscallDetails } from './traceViewerProtocol';
import { parseTraceFileLine } from '../extension/core/traceFile/traceFile';
import { readGzipMember } from '../extension/core/traceFile/traceFileMembers';
import { isSyscallLine } from '../extension/core/traceFile/traceLineDecoder';
import { SpanIdGenerator, SpanIdKind } from '../extension/core/otel/spanIds';

/** Inflated members kept (stepping through neighbouring syscalls reads the same member again). */
const CACHED_MEMBERS = 4;

export interface SyscallSpanIds {
  traceId: string;
  spanId: string;
  /** The process span, the syscall span's parent. */
  parentSpanId: string;
}

export class SyscallEventLookup {
  private readonly cache = new Map<number, Promise<string[]>>();

  constructor(
    private readonly file: string,
    private readonly members: MemberIndex,
    private readonly origin: bigint,
  ) {}

  /** The full event of the `ordinal`-th syscall of the file (0-based), or undefined past the end. */
  async syscall(ordinal: number): Promise<(SyscallEvent & { stack?: SourceLocation[] }) | undefined> {
    const m = this.memberOf(ordinal);
    if (m < 0) return undefined;
    const lines = await this.syscallLines(m);
    const line = lines[ordinal - this.members.firstSyscall[m]];
    if (line === undefined) return undefined;
    const ev = parseTraceFileLine(line, this.origin);
    if (!ev || ev.type !== 'syscall') return undefined;
    const stack = (JSON.parse(line) as { stack?: unknown }).stack;
    return Array.isArray(stack) ? { ...ev, stack: stack as SourceLocation[] } : ev;
  }

  /**
   * What the viewer's details pane shows for syscall `ordinal` of process
   * `process` (an index into tables.processes); undefined past the file's end.
   */
  async details(ordinal: number, process: number, tables: TraceTables): Promise<SyscallDetails | undefined> {
    const ev = await this.syscall(ordinal);
    if (!ev) return undefined;
    const d: SyscallDetails = { index: ordinal, args: ev.args, ret: ev.ret, startWallNs: (this.origin + BigInt(Math.round(ev.startNs))).toString() };
    if (ev.retText !== undefined) d.retText = ev.retText;
    if (ev.errno !== undefined) {
      d.errno = ev.errno;
      d.errnoMessage = errnoMessageOf(ev.errno);
    }
    if (ev.source) d.source = ev.source;
    if (ev.stack) d.stack = ev.stack;
    if (ev.original) d.original = ev.original;
    const proc = tables.processes[process];
    if (tables.traceContext && proc) d.span = syscallSpanIds(tables.traceContext, ordinal, proc.spanOrdinal);
    return d;
  }

  private memberOf(ordinal: number): number {
    const first = this.members.firstSyscall;
    let lo = 0;
    let hi = first.length - 1;
    if (hi < 0 || ordinal < 0) return -1;
    // The last member whose first syscall is at or before `ordinal`.
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (first[mid] <= ordinal) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private syscallLines(m: number): Promise<string[]> {
    const hit = this.cache.get(m);
    if (hit) {
      this.cache.delete(m);
      this.cache.set(m, hit);
      return hit;
    }
    const lines = readGzipMember(this.file, this.members.offsets[m], this.members.lengths[m]).then((data) => {
      const text = data.toString('utf8');
      const all = text.split('\n');
      // A member cut short can end in half a line: the decoder dropped it too.
      if (!text.endsWith('\n')) all.pop();
      // The first member starts with the session header.
      return all.filter((l, i) => !(m === 0 && i === 0) && isSyscallLine(l));
    });
    // A failed read is not kept: the next request tries again.
    lines.catch(() => this.cache.delete(m));
    this.cache.set(m, lines);
    if (this.cache.size > CACHED_MEMBERS) this.cache.delete(this.cache.keys().next().value!);
    return lines;
  }
}

/**
 * The span ids of the `ordinal`-th syscall and of its process span
 * (`processSpanOrdinal`), as `renacer export` derives them from the run's
 * seed. Past the run's export budget a syscall is exported inside a
 * per-line aggregate span instead of under this id.
 */
export function syscallSpanIds(ctx: TraceContextInfo, ordinal: number, processSpanOrdinal: number): SyscallSpanIds {
  const ids = new SpanIdGenerator(ctx.spanIdSeed);
  return {
    traceId: ctx.traceId,
    spanId: ids.id(SpanIdKind.Syscall, ordinal),
    parentSpanId: ids.id(SpanIdKind.Process, processSpanOrdinal),
  };
}
