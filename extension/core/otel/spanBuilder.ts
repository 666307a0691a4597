// Turns a session's events into spans, as they come:
//
//   caller's span (remote, when the run joined a trace)
//   └─ root span "renacer PROGRAM"            the whole run
//      └─ process span "process NAME"          one per traced process (not per thread),
//         ├─ process span …                    parented by fork ancestry
//         ├─ syscall span "openat"             real entry/exit times
//         └─ aggregate span "read (aggregated)" per (process, syscall, source line),
//                                              once the export budget is spent
//
// Spans are handed to `emit` the moment they are complete: a syscall span at
// once, a process span (after its aggregates) when the process is gone, the
// root span at the end. Nothing but live processes and their aggregate
// counters stays in memory. Span ids derive from the run's seed and each
// span's ordinal (spanIds.ts), so the same events give the same spans.
import * as path from 'node:path';

import { SpanStatusCode, type Attributes, type SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { TimedEvent } from '@opentelemetry/sdk-trace';
import { TraceState } from '@opentelemetry/core';

import type { ProcessEvent, SessionInfo, SyscallEvent, TraceEvent } from '../session/events';
import { SpanBudget } from './spanBudget';
import { SpanIdGenerator, SpanIdKind } from './spanIds';
import { Attr, FixedTraceState, RenacerSpan, STATUS_UNSET, SpanClock, type SpanRun } from './spanModel';
import { spanBytes } from './spanSize';
import { SyscallSite, addSourceAttributes, addTranspilerAttributes, siteKey } from './syscallAggregate';
import type { RunTraceContext } from './traceContext';

/** Span events (exec, signals) kept per process span; more are counted as dropped. */
const MAX_PROCESS_EVENTS = 64;

export interface SpanCounts {
  /** Syscall events seen. */
  syscalls: number;
  /** Syscalls exported as their own span. */
  exportedSyscalls: number;
  /** Syscalls counted in aggregate spans (exportedSyscalls + aggregatedSyscalls = syscalls). */
  aggregatedSyscalls: number;
  aggregateSpans: number;
  processSpans: number;
  /** Every span emitted, root included. */
  spans: number;
}

export interface RunEnd {
  /** Session time of the end. */
  endNs: number;
  exitStatus: number | null;
  interrupted?: boolean;
  /** The trace file ended without its end record (a crash). */
  truncated?: boolean;
}

export interface SpanBuilderOptions {
  context: RunTraceContext;
  resource: Resource;
  scope: InstrumentationScope;
  budget: SpanBudget;
  emit: (span: RenacerSpan) => void;
}

interface ProcessState {
  pid: number;
  spanId: string;
  parentSpanId: string;
  parentPid?: number;
  startNs: number;
  exe?: string;
  /** Tasks (thread ids) alive in this process. */
  live: Set<number>;
  threads: number;
  syscalls: number;
  exitCode?: number;
  signal?: string;
  coreDumped?: boolean;
  lastNs: number;
  events: TimedEvent[];
  droppedEvents: number;
  sites?: Map<string, SyscallSite>;
}

export class SpanBuilder {
  readonly counts: SpanCounts = { syscalls: 0, exportedSyscalls: 0, aggregatedSyscalls: 0, aggregateSpans: 0, processSpans: 0, spans: 0 };
  private readonly run: SpanRun;
  private readonly ids: SpanIdGenerator;
  private clock?: SpanClock;
  private info?: SessionInfo;
  private readonly procs = new Map<number, ProcessState>();
  private processOrdinal = 0;
  private aggregateOrdinal = 0;
  private aggregating = false;
  private lastNs = 0;

  constructor(private readonly opts: SpanBuilderOptions) {
    const ctx = opts.context;
    this.run = {
      traceId: ctx.traceId,
      traceFlags: ctx.traceFlags,
      traceState: ctx.traceState ? new FixedTraceState(new TraceState(ctx.traceState)) : undefined,
      resource: opts.resource,
      scope: opts.scope,
    };
    this.ids = new SpanIdGenerator(ctx.spanIdSeed);
  }

  /** Whether syscalls are now aggregated (the budget is spent). */
  get isAggregating(): boolean {
    return this.aggregating;
  }

  start(info: SessionInfo): void {
    this.info = info;
    this.clock = new SpanClock(info.originWallNs);
  }

  add(events: TraceEvent[]): void {
    for (const ev of events) {
      if (ev.type === 'syscall') this.syscall(ev);
      else this.process(ev);
    }
  }

  /** Emits what is still open: aggregates, process spans, then the root span. */
  finish(end: RunEnd): void {
    const endNs = Math.max(end.endNs, this.lastNs);
    for (const proc of [...this.procs.values()]) this.endProcess(proc, Math.max(proc.lastNs, endNs));
    this.procs.clear();
    this.emitRoot(end, endNs);
  }

  private emit(span: RenacerSpan, bytes = spanBytes(span)): void {
    this.opts.budget.spend(bytes);
    this.counts.spans++;
    this.opts.emit(span);
  }

  private ensureProcess(pid: number, timeNs: number): ProcessState {
    let proc = this.procs.get(pid);
    if (!proc) {
      proc = {
        pid,
        spanId: this.ids.id(SpanIdKind.Process, this.processOrdinal++),
        parentSpanId: this.opts.context.rootSpanId,
        startNs: timeNs,
        live: new Set([pid]),
        threads: 1,
        syscalls: 0,
        lastNs: timeNs,
        events: [],
        droppedEvents: 0,
      };
      if (pid === this.info?.pid) proc.exe = this.info.program || undefined;
      this.procs.set(pid, proc);
    }
    return proc;
  }

  private syscall(ev: SyscallEvent): void {
    const ordinal = this.counts.syscalls++;
    const proc = this.ensureProcess(ev.pid, ev.startNs);
    proc.syscalls++;
    if (ev.endNs > proc.lastNs) proc.lastNs = ev.endNs;
    if (ev.endNs > this.lastNs) this.lastNs = ev.endNs;
    if (!this.aggregating) {
      const a: Attributes = {
        'syscall.name': ev.name,
        'syscall.args': ev.args.join(', '),
        'syscall.result': ev.retText ?? (ev.ret === null ? '?' : String(ev.ret)),
        'thread.id': ev.tid,
        'process.pid': ev.pid,
      };
      let status = STATUS_UNSET;
      if (ev.errno !== undefined) {
        a[Attr.errorType] = ev.errno;
        status = { code: SpanStatusCode.ERROR, message: ev.errno };
      }
      if (ev.injected) a[Attr.injected] = true;
      if (ev.delayed) a[Attr.delayed] = true;
      if (ev.source) addSourceAttributes(a, ev.source);
      if (ev.original) addTranspilerAttributes(a, ev.original);
      const clock = this.clock!;
      const span = new RenacerSpan(
        this.run,
        this.ids.id(SpanIdKind.Syscall, ordinal),
        proc.spanId,
        ev.name,
        clock.hrTime(ev.startNs),
        clock.hrTime(ev.endNs),
        a,
        status,
      );
      const bytes = spanBytes(span);
      if (this.opts.budget.allowsSyscall(bytes)) {
        this.counts.exportedSyscalls++;
        this.emit(span, bytes);
        return;
      }
      this.aggregating = true;
    }
    this.counts.aggregatedSyscalls++;
    const sites = (proc.sites ??= new Map());
    const key = siteKey(ev);
    let site = sites.get(key);
    if (!site) {
      site = new SyscallSite(ev.name, ev.pid, ev.source, ev.original);
      sites.set(key, site);
    }
    site.add(ev);
  }

  private addEvent(proc: ProcessState, timeNs: number, name: string, attributes: Attributes): void {
    if (proc.events.length >= MAX_PROCESS_EVENTS) {
      proc.droppedEvents++;
      return;
    }
    proc.events.push({ name, time: this.clock!.hrTime(timeNs), attributes, droppedAttributesCount: 0 });
  }

  private process(ev: ProcessEvent): void {
    if (ev.timeNs > this.lastNs) this.lastNs = ev.timeNs;
    switch (ev.kind) {
      case 'spawn': {
        const proc = this.ensureProcess(ev.pid, ev.timeNs);
        if (ev.path) proc.exe = ev.path;
        if (ev.timeNs < proc.startNs) proc.startNs = ev.timeNs;
        break;
      }
      case 'fork': {
        if (ev.thread) {
          const proc = this.ensureProcess(ev.pid, ev.timeNs);
          if (!proc.live.has(ev.tid)) {
            proc.live.add(ev.tid);
            proc.threads++;
          }
          break;
        }
        const child = this.ensureProcess(ev.pid, ev.timeNs);
        if (ev.timeNs < child.startNs) child.startNs = ev.timeNs;
        if (ev.parentPid !== undefined) {
          child.parentPid = ev.parentPid;
          const parent = this.procs.get(ev.parentPid);
          if (parent) {
            child.parentSpanId = parent.spanId;
            child.exe ??= parent.exe;
          }
        }
        break;
      }
      case 'exec': {
        const proc = this.ensureProcess(ev.pid, ev.timeNs);
        if (ev.path) proc.exe = ev.path;
        // execve ends every other thread of the process.
        proc.live = new Set([ev.pid]);
        this.addEvent(proc, ev.timeNs, 'exec', ev.path ? { [Attr.processExecutablePath]: ev.path } : {});
        break;
      }
      case 'signal':
      case 'stopped': {
        const proc = this.procs.get(ev.pid);
        if (proc) this.addEvent(proc, ev.timeNs, ev.kind, { 'signal.name': ev.signal ?? '', 'thread.id': ev.tid });
        break;
      }
      case 'exit':
      case 'detach': {
        const proc = this.procs.get(ev.pid);
        if (!proc) break;
        if (ev.timeNs > proc.lastNs) proc.lastNs = ev.timeNs;
        if (ev.kind === 'exit' && (ev.tid === ev.pid || proc.live.size === 1)) {
          if (ev.signal !== undefined) {
            proc.signal = ev.signal;
            if (ev.coreDumped) proc.coreDumped = true;
          } else if (ev.exitCode !== undefined) {
            proc.exitCode = ev.exitCode;
          }
        }
        proc.live.delete(ev.tid);
        if (proc.live.size === 0) {
          this.procs.delete(ev.pid);
          this.endProcess(proc, ev.timeNs);
        }
        break;
      }
    }
  }

  private endProcess(proc: ProcessState, endNs: number): void {
    const clock = this.clock!;
    if (proc.sites) {
      for (const site of proc.sites.values()) {
        const span = new RenacerSpan(
          this.run,
          this.ids.id(SpanIdKind.Aggregate, this.aggregateOrdinal++),
          proc.spanId,
          `${site.name} (aggregated)`,
          clock.hrTime(site.firstStartNs),
          clock.hrTime(site.lastEndNs),
          site.attributes(),
          site.status(),
        );
        this.counts.aggregateSpans++;
        this.emit(span);
      }
      proc.sites = undefined;
    }
    const exe = proc.exe ? path.basename(proc.exe) : '';
    const a: Attributes = { [Attr.processPid]: proc.pid };
    if (proc.parentPid !== undefined) a[Attr.processParentPid] = proc.parentPid;
    if (proc.exe) {
      a[Attr.processExecutablePath] = proc.exe;
      a[Attr.processExecutableName] = exe;
    }
    a[Attr.processThreads] = proc.threads;
    a[Attr.processSyscalls] = proc.syscalls;
    let status: SpanStatus = STATUS_UNSET;
    if (proc.signal !== undefined) {
      a[Attr.processSignal] = proc.signal;
      if (proc.coreDumped) a[Attr.processCoreDumped] = true;
      status = { code: SpanStatusCode.ERROR, message: `killed by ${proc.signal}` };
    } else if (proc.exitCode !== undefined) {
      a[Attr.processExitCode] = proc.exitCode;
      if (proc.exitCode !== 0) status = { code: SpanStatusCode.ERROR, message: `exit code ${proc.exitCode}` };
    }
    const span = new RenacerSpan(
      this.run,
      proc.spanId,
      proc.parentSpanId,
      `process ${exe || proc.pid}`,
      clock.hrTime(proc.startNs),
      clock.hrTime(Math.max(endNs, proc.startNs)),
      a,
      status,
      proc.events,
      proc.droppedEvents,
    );
    this.counts.processSpans++;
    this.emit(span);
  }

  private emitRoot(end: RunEnd, endNs: number): void {
    const info = this.info!;
    const ctx = this.opts.context;
    const c = this.counts;
    const a: Attributes = {
      [Attr.syscallsTraced]: c.syscalls,
      [Attr.syscallsExported]: c.exportedSyscalls,
      [Attr.syscallsAggregated]: c.aggregatedSyscalls,
      [Attr.aggregateSpans]: c.aggregateSpans,
    };
    if (this.opts.budget.limit !== null) a[Attr.budgetBytes] = this.opts.budget.limit;
    if (end.exitStatus !== null) a[Attr.exitStatus] = end.exitStatus;
    if (end.interrupted) a[Attr.interrupted] = true;
    if (end.truncated) a[Attr.truncated] = true;
    let status: SpanStatus = STATUS_UNSET;
    if (end.exitStatus !== null && end.exitStatus !== 0) status = { code: SpanStatusCode.ERROR, message: `exit status ${end.exitStatus}` };
    const name = info.attached ? `renacer -p ${info.pid}` : `renacer ${path.basename(info.program) || info.pid}`;
    const clock = this.clock!;
    const span = new RenacerSpan(
      this.run,
      ctx.rootSpanId,
      ctx.parentSpanId,
      name,
      clock.hrTime(0),
      clock.hrTime(Math.max(endNs, 0)),
      a,
      status,
      undefined,
      0,
      ctx.parentSpanId !== undefined,
    );
    this.emit(span);
  }
}
