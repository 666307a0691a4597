// The spans Renacer exports: a light ReadableSpan (what the official OTLP
// serialisers read) and the attribute names they carry.
//
// Not the SDK's Span: an SDK span object weighs ~2.5 KB and drags the span
// processor pipeline along. These hold only their own fields and share the
// run's trace id, flags, tracestate, resource and scope; they live from the
// moment their syscall is seen until their batch is serialised.
import { SpanKind, SpanStatusCode, type Attributes, type HrTime, type Link, type SpanContext, type SpanStatus, type TraceState } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';

/** Attribute names (OpenTelemetry semantic conventions where one exists). */
export const Attr = {
  syscallName: 'syscall.name',
  syscallArgs: 'syscall.args',
  syscallResult: 'syscall.result',
  errorType: 'error.type',
  threadId: 'thread.id',
  processPid: 'process.pid',
  processParentPid: 'process.parent_pid',
  processExecutableName: 'process.executable.name',
  processExecutablePath: 'process.executable.path',
  processCommandArgs: 'process.command_args',
  processExitCode: 'process.exit.code',
  // code.* (current semantic conventions) …
  codeFilePath: 'code.file.path',
  codeLineNumber: 'code.line.number',
  codeColumnNumber: 'code.column.number',
  codeFunctionName: 'code.function.name',
  // … and the names older backends and dashboards still query.
  codeFilepathOld: 'code.filepath',
  codeLinenoOld: 'code.lineno',
  codeColumnOld: 'code.column',
  codeFunctionOld: 'code.function',
  transpilerSourceLanguage: 'transpiler.source_language',
  transpilerOriginalFile: 'transpiler.original_file',
  transpilerOriginalLine: 'transpiler.original_line',
  transpilerOriginalFunction: 'transpiler.original_function',
  transpilerDecisionId: 'transpiler.decision_id',
  transpilerContext: 'transpiler.context',
  // Renacer's own.
  processSignal: 'renacer.process.signal',
  processCoreDumped: 'renacer.process.core_dumped',
  processThreads: 'renacer.process.threads',
  processSyscalls: 'renacer.process.syscalls',
  aggregated: 'renacer.aggregated',
  aggregatedCount: 'renacer.aggregated.count',
  aggregatedDurationNs: 'renacer.aggregated.duration_ns',
  aggregatedErrorCount: 'renacer.aggregated.error_count',
  aggregatedErrorTypes: 'renacer.aggregated.error_types',
  aggregatedErrorCounts: 'renacer.aggregated.error_counts',
  syscallsTraced: 'renacer.syscalls.traced',
  syscallsExported: 'renacer.syscalls.exported',
  syscallsAggregated: 'renacer.syscalls.aggregated',
  aggregateSpans: 'renacer.aggregate_spans',
  budgetBytes: 'renacer.export.budget_bytes',
  exitStatus: 'renacer.exit_status',
  interrupted: 'renacer.interrupted',
  truncated: 'renacer.trace_file.truncated',
  injected: 'renacer.injected',
  delayed: 'renacer.delayed',
} as const;

/** What every span of one run shares. */
export interface SpanRun {
  traceId: string;
  traceFlags: number;
  traceState?: TraceState;
  resource: Resource;
  scope: InstrumentationScope;
}

export const STATUS_UNSET: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const NO_LINKS: Link[] = [];
const NO_EVENTS: TimedEvent[] = [];

export class RenacerSpan implements ReadableSpan {
  constructor(
    readonly run: SpanRun,
    readonly spanId: string,
    /** The parent span's id; the caller's span for the root span. */
    readonly parentSpanId: string | undefined,
    readonly name: string,
    readonly startTime: HrTime,
    readonly endTime: HrTime,
    readonly attributes: Attributes,
    readonly status: SpanStatus = STATUS_UNSET,
    readonly events: TimedEvent[] = NO_EVENTS,
    readonly droppedEventsCount = 0,
    /** True when the parent lives in another process (the caller's span). */
    readonly parentIsRemote = false,
  ) {}

  get kind(): SpanKind {
    return SpanKind.INTERNAL;
  }

  spanContext(): SpanContext {
    const run = this.run;
    return { traceId: run.traceId, spanId: this.spanId, traceFlags: run.traceFlags, traceState: run.traceState, isRemote: false };
  }

  get parentSpanContext(): SpanContext | undefined {
    if (this.parentSpanId === undefined) return undefined;
    const run = this.run;
    return { traceId: run.traceId, spanId: this.parentSpanId, traceFlags: run.traceFlags, isRemote: this.parentIsRemote };
  }

  get links(): Link[] {
    return NO_LINKS;
  }

  get duration(): HrTime {
    let s = this.endTime[0] - this.startTime[0];
    let n = this.endTime[1] - this.startTime[1];
    if (n < 0) {
      s -= 1;
      n += 1e9;
    }
    return [s, n];
  }

  get ended(): boolean {
    return true;
  }

  get resource(): Resource {
    return this.run.resource;
  }

  get instrumentationScope(): InstrumentationScope {
    return this.run.scope;
  }

  get droppedAttributesCount(): number {
    return 0;
  }

  get droppedLinksCount(): number {
    return 0;
  }
}

/** A TraceState whose serialisation is computed once (the serialiser asks once per span). */
export class FixedTraceState implements TraceState {
  constructor(private readonly inner: TraceState, private readonly text = inner.serialize()) {}
  set(key: string, value: string): TraceState {
    return this.inner.set(key, value);
  }
  unset(key: string): TraceState {
    return this.inner.unset(key);
  }
  get(key: string): string | undefined {
    return this.inner.get(key);
  }
  serialize(): string {
    return this.text;
  }
}

/** Session-clock ns → OpenTelemetry HrTime, exactly (the origin is split once). */
export class SpanClock {
  private readonly originSec: number;
  private readonly originNs: number;

  constructor(originWallNs: bigint) {
    this.originSec = Number(originWallNs / 1_000_000_000n);
    this.originNs = Number(originWallNs % 1_000_000_000n);
  }

  hrTime(ns: number): HrTime {
    const t = this.originNs + Math.round(ns);
    const carry = Math.floor(t / 1e9);
    return [this.originSec + carry, t - carry * 1e9];
  }
}
