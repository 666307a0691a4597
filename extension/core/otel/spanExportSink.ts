// The OTLP export sink: spans stream out of the session as it runs, in
// batches, with at most MAX_IN_FLIGHT requests outstanding. When the
// collector is behind, onEvents returns a promise and the session (and with
// it the traced program) waits: backpressure instead of a queue that grows or
// drops. A collector that cannot be reached costs one warning and nothing
// else: export stops, the program runs on, the trace file keeps everything.
import type { InstrumentationScope } from '@opentelemetry/core';

import type { SessionInfo, SessionResult, TraceEvent, TraceSink } from '../session/events';
import type { BatchExporter } from './otlpExporter';
import { redactUrl } from './otlpTarget';
import { runResource, type ResourceRecord, type SdkIdentity } from './otelResource';
import { SpanBuilder, type RunEnd, type SpanCounts } from './spanBuilder';
import { BATCH_SPANS, SpanBudget } from './spanBudget';
import type { RenacerSpan } from './spanModel';
import { requestOverheadBytes } from './spanSize';
import type { RunTraceContext } from './traceContext';

export const MAX_IN_FLIGHT = 2;
/** A partial batch waits at most this long before it is sent (a slow program's spans still show up). */
const FLUSH_INTERVAL_MS = 1000;

export interface SpanExportOptions {
  context: RunTraceContext;
  resource: ResourceRecord;
  sdk: SdkIdentity;
  /** `--otlp-service-name` at export time (else what the resource record says). */
  serviceName?: string;
  /** Bytes per trace, or null for no limit. */
  budgetBytes: number | null;
  exporter: BatchExporter;
  /** Resolves with a problem when the collector is unreachable (see probeCollector). */
  reachable?: Promise<string | undefined>;
  warn: (msg: string) => void;
  /** What to tell the user after an export failure (e.g. how to send the trace file later). */
  failureHint?: () => string;
  /** Called once the run's export is over (delivered, or given up). */
  onReport?: (report: SpanExportReport) => void;
  batchSpans?: number;
  maxInFlight?: number;
}

export interface SpanExportReport {
  counts: SpanCounts;
  /** Spans the collector acknowledged. */
  delivered: number;
  /** Why export stopped, when it did. */
  failure?: string;
  budgetBytes: number | null;
  /** Bytes accounted against the budget. */
  spentBytes: number;
}

export class SpanExportSink implements TraceSink {
  private builder?: SpanBuilder;
  private budget?: SpanBudget;
  private pending: RenacerSpan[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure?: string;
  private delivered = 0;
  private timer?: NodeJS.Timeout;
  private probed = false;
  private readonly batchSpans: number;
  private readonly maxInFlight: number;

  constructor(private readonly opts: SpanExportOptions) {
    this.batchSpans = opts.batchSpans ?? BATCH_SPANS;
    this.maxInFlight = opts.maxInFlight ?? MAX_IN_FLIGHT;
  }

  onStart(info: SessionInfo): void {
    const o = this.opts;
    const resource = runResource(o.resource, info, o.sdk, o.serviceName);
    const scope: InstrumentationScope = { name: o.sdk.name, version: o.sdk.version };
    this.budget = new SpanBudget(o.budgetBytes, requestOverheadBytes(o.context, resource, scope));
    this.builder = new SpanBuilder({
      context: o.context,
      resource,
      scope,
      budget: this.budget,
      emit: (span) => this.pending.push(span),
    });
    this.builder.start(info);
  }

  onEvents(events: TraceEvent[]): void | Promise<void> {
    if (this.failure !== undefined) return;
    this.builder!.add(events);
    return this.drain(false);
  }

  async onEnd(result: SessionResult): Promise<void> {
    const report = await this.end({ endNs: result.endNs, exitStatus: result.exitStatus, interrupted: result.interrupted });
    this.opts.onReport?.(report);
  }

  /** Finishes the run's spans, sends what is left and waits for every request. */
  async end(end: RunEnd): Promise<SpanExportReport> {
    if (this.failure === undefined && this.builder) {
      this.builder.finish(end);
      await this.drain(true);
    }
    await Promise.all(this.inFlight);
    clearTimeout(this.timer);
    await this.opts.exporter.shutdown().catch(() => {});
    return this.report();
  }

  get traceId(): string {
    return this.opts.context.traceId;
  }

  report(): SpanExportReport {
    return {
      counts: this.builder?.counts ?? { syscalls: 0, exportedSyscalls: 0, aggregatedSyscalls: 0, aggregateSpans: 0, processSpans: 0, spans: 0 },
      delivered: this.delivered,
      failure: this.failure,
      budgetBytes: this.opts.budgetBytes,
      spentBytes: this.budget?.spent ?? 0,
    };
  }

  /** Sends full batches (every batch when `final`); waits while MAX_IN_FLIGHT requests are out. */
  private drain(final: boolean): void | Promise<void> {
    while (this.failure === undefined && (this.pending.length >= this.batchSpans || (final && this.pending.length > 0))) {
      if (!this.probed || this.inFlight.size >= this.maxInFlight) return this.drainAsync(final);
      this.send();
    }
    if (this.failure === undefined && this.pending.length > 0 && !this.timer) {
      this.timer = setTimeout(() => this.flushPartial(), FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  private async drainAsync(final: boolean): Promise<void> {
    if (!this.probed) {
      const problem = this.opts.reachable ? await this.opts.reachable : undefined;
      this.probed = true;
      if (problem !== undefined) this.fail(problem);
    }
    while (this.failure === undefined && this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    return this.drain(final) ?? undefined;
  }

  private flushPartial(): void {
    this.timer = undefined;
    if (this.failure === undefined && this.probed && this.pending.length > 0 && this.inFlight.size < this.maxInFlight) this.send();
  }

  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.length <= this.batchSpans ? this.pending : this.pending.slice(0, this.batchSpans);
    this.pending = batch === this.pending ? [] : this.pending.slice(this.batchSpans);
    const request: Promise<void> = this.opts.exporter.export(batch).then(
      () => {
        this.delivered += batch.length;
      },
      (e: Error) => this.fail(e.message),
    ).finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
  }

  private fail(problem: string): void {
    if (this.failure !== undefined) return;
    this.failure = problem;
    this.pending = [];
    clearTimeout(this.timer);
    const target = this.opts.exporter.target;
    const where = redactUrl(target.url);
    const sent = this.delivered ? ` after ${this.delivered} spans` : '';
    const hint = this.opts.failureHint?.();
    this.opts.warn(`warning: OTLP export to ${where} (${target.protocol}) failed${sent}: ${problem}.${hint ? ` ${hint}` : ''}`);
  }
}
