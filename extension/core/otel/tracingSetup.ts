// The distributed-tracing part of a run, whichever face starts it (CLI,
// debug adapter): the trace context it joins, the TRACEPARENT the program
// receives, the trace file's header record, the OTLP export sink. The sink's
// code (OpenTelemetry's exporters and serializers, exportSinkFactory.ts) is
// loaded only for a run whose spans go somewhere: a plain strace-like run
// starts without it.
import type { TraceSink } from '../session/events';
import { OtlpConfigError, redactUrl, resolveOtlpTarget, type OtlpProtocol, type OtlpTarget } from './otlpTarget';
import { resourceRecord, type ResourceRecord, type SdkIdentity } from './otelResource';
import type { SpanExportReport } from './spanExportSink';
import {
  newRunTraceContext,
  propagationEnv,
  resolveParentContext,
  traceContextRecord,
  type ParentContext,
  type RunTraceContext,
} from './traceContext';
import type { LaunchTarget } from '../session/traceSession';
import { runUntraced } from './untracedRun';

/** What a run's OpenTelemetry set-up is asked for (the CLI's flags, or a launch configuration's attributes). */
export interface OtlpCliOptions {
  endpoint?: string;
  protocol?: OtlpProtocol;
  /** `--otlp-headers`; never printed. */
  headers: Record<string, string>;
  serviceName?: string;
  /** Bytes per trace; null: no limit. */
  budgetBytes: number | null;
  traceParent?: string;
  traceState?: string;
  propagate: boolean;
  traceWhenUnsampled: boolean;
}

type Env = Record<string, string | undefined>;

/** A usage error found after parsing (flags that do not fit together). */
export class TracingUsageError extends Error {}

export interface TracingDeps {
  env: Env;
  version: string;
  /** Prints `renacer: MSG` on stderr. */
  say: (msg: string) => void;
}

export interface TracingSetup {
  context: RunTraceContext;
  /** Where spans go; undefined: nowhere (no endpoint, or an unsampled trace). */
  target?: OtlpTarget;
  /** Unsampled with --no-trace-when-unsampled: run the program without ptrace. */
  runWithoutTracing: boolean;
  /** The program's environment: TRACEPARENT/TRACESTATE naming the run's root span (unless --no-propagate). */
  childEnv(env: Env): Env;
  /** Fields for the trace file header: the run's trace context and resource. */
  traceFileHeader: { trace_context: ReturnType<typeof traceContextRecord>; otel: ResourceRecord };
  /** Loads the export sink's code when spans go somewhere (before createSink). */
  loadExport(): Promise<void>;
  /** The OTLP export sink, or undefined when nothing is exported. */
  createSink(traceFilePath: () => string | undefined): TraceSink | undefined;
  /** Runs the program (if any) without tracing; resolves with the exit status. */
  runUntraced(launch: LaunchTarget | undefined): Promise<number>;
}

export function sdkIdentity(version: string): SdkIdentity {
  return { name: 'renacer', version };
}

/** One line about what was exported, when there is something to say. */
export function describeExport(report: SpanExportReport, target: OtlpTarget): string | undefined {
  const c = report.counts;
  if (report.failure !== undefined) return undefined; // already warned
  const where = redactUrl(target.url);
  let line = `exported ${report.delivered} spans to ${where}`;
  if (c.aggregatedSyscalls > 0) {
    line +=
      `; ${c.aggregatedSyscalls} of ${c.syscalls} syscalls were past the export budget of ${report.budgetBytes} bytes` +
      ` and went out as ${c.aggregateSpans} aggregate spans (counts and durations per site; the trace file has each call)`;
  }
  if (report.budgetBytes !== null && report.spentBytes > report.budgetBytes) {
    line += `; the trace came to ~${report.spentBytes} bytes, over the budget (many processes or sites)`;
  }
  return line;
}

function untracedEnv(o: OtlpCliOptions, parent: ParentContext | undefined, env: Env): Env {
  // Renacer takes no part in an unsampled run it does not trace: the
  // caller's context goes to the program unchanged.
  if (!o.propagate || !parent || parent.source !== 'flag') return env;
  const out: Env = { ...env, TRACEPARENT: parent.traceparent };
  if (parent.traceState) out.TRACESTATE = parent.traceState;
  else delete out.TRACESTATE;
  return out;
}

/**
 * Resolves the run's trace context (flags, then TRACEPARENT/TRACESTATE) and
 * the OTLP target (flags, then OTEL_EXPORTER_OTLP_*). Malformed flags were
 * rejected while parsing; flags that do not fit together throw
 * TracingUsageError; malformed environment values cost a warning.
 */
export function setupTracing(o: OtlpCliOptions, deps: TracingDeps): TracingSetup {
  const parent = resolveParentContext({ traceParent: o.traceParent, traceState: o.traceState, env: deps.env }, (m) => deps.say(`warning: ${m}`));
  const context = newRunTraceContext(parent);
  const resource = resourceRecord(o.serviceName, deps.env);
  let target: OtlpTarget | undefined;
  try {
    target = resolveOtlpTarget({ endpoint: o.endpoint, protocol: o.protocol }, deps.env);
  } catch (e) {
    if (!(e instanceof OtlpConfigError)) throw e;
    // A flag's mistake is a usage error; the environment's costs a warning.
    if (o.endpoint !== undefined) throw new TracingUsageError(`--otlp-endpoint: ${e.message}`);
    deps.say(`warning: ${e.message}; not exporting spans (the trace file keeps the run)`);
  }
  const exportTarget = context.sampled ? target : undefined;
  // A context was handed to us, even a malformed one (the run then starts a
  // new trace, and the program must see that one, not the broken value).
  const inTrace = parent !== undefined || o.traceParent !== undefined || deps.env.TRACEPARENT !== undefined;
  let factory: typeof import('./exportSinkFactory') | undefined;
  return {
    context,
    target: exportTarget,
    runWithoutTracing: !context.sampled && !o.traceWhenUnsampled,
    // The program joins the run's trace when OpenTelemetry is in play (a
    // caller's context, or spans going to a collector). A plain strace-like
    // run leaves the program's environment exactly as it was.
    childEnv: (env) => (o.propagate && (inTrace || target !== undefined) ? propagationEnv(context, env) : env),
    traceFileHeader: { trace_context: traceContextRecord(context), otel: resource },
    async loadExport() {
      if (exportTarget) factory ??= await import('./exportSinkFactory');
    },
    createSink(traceFilePath) {
      if (!exportTarget) return undefined;
      if (!factory) throw new Error('createSink before loadExport');
      const hint = () => {
        const file = traceFilePath();
        if (!file) return 'Not exporting the rest of this run, and no trace file is being written (--no-trace-file): its spans are not exported.';
        const how =
          exportTarget.endpointSource === 'flag'
            ? ` --otlp-endpoint ${redactUrl(exportTarget.url)}${exportTarget.protocolSource === 'flag' ? ` --otlp-protocol ${exportTarget.protocol}` : ''}`
            : ' (with the same OTEL_EXPORTER_OTLP_* environment)';
        return `Not exporting the rest of this run; the program runs on and the trace file keeps every syscall. Send it later with: renacer export ${file}${how}`;
      };
      return factory.createExportSink(o, exportTarget, context, resource, deps, hint, (report) => {
        const line = describeExport(report, exportTarget);
        if (line && report.counts.aggregatedSyscalls > 0) deps.say(line);
      });
    },
    async runUntraced(launch) {
      if (!launch) {
        deps.say('not attaching: the trace is not sampled (--no-trace-when-unsampled)');
        return 0;
      }
      return runUntraced({ ...launch, env: untracedEnv(o, parent, launch.env) });
    },
  };
}
