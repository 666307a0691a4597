// The distributed-tracing flags of `renacer` (and of `renacer export`), and
// what they set up for a run: the trace context it joins, the TRACEPARENT the
// program receives, the trace file's header record, the OTLP export sink.
import { Command, CommanderError, Option } from 'commander';

import type { TraceSink } from '../core/events';
import {
  OTLP_PROTOCOLS,
  OtlpConfigError,
  checkEndpoint,
  createBatchExporter,
  parseHeaders,
  probeCollector,
  redactUrl,
  resolveOtlpTarget,
  routeOtelDiagnostics,
  type OtlpProtocol,
  type OtlpTarget,
} from '../core/otlpExporter';
import { resourceRecord, type ResourceRecord, type SdkIdentity } from '../core/otelResource';
import { DEFAULT_TRACE_BUDGET_BYTES, parseBudget } from '../core/spanBudget';
import { SpanExportSink, type SpanExportReport } from '../core/spanExportSink';
import {
  newRunTraceContext,
  propagationEnv,
  resolveParentContext,
  traceContextRecord,
  traceParentProblem,
  traceStateProblem,
  type ParentContext,
  type RunTraceContext,
} from '../core/traceContext';
import type { LaunchTarget } from '../core/traceSession';
import { runUntraced } from '../core/untracedRun';

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

/** A usage error raised while commander parses (it passes other errors' messages through untouched). */
function usage(message: string): CommanderError {
  return new CommanderError(2, 'renacer.invalidOption', message);
}

function headersArg(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  try {
    return { ...(previous ?? {}), ...parseHeaders(value) };
  } catch (e) {
    throw usage(`invalid --otlp-headers: ${(e as Error).message} (expected key=value,key2=value2)`);
  }
}

/** The flags that choose where spans go (shared with `renacer export`). */
export function addOtlpExportOptions(cmd: Command): Command {
  return cmd
    .option('--otlp-endpoint <url>', 'export spans over OTLP to this collector (base URL; /v1/traces is appended for HTTP)', (v: string) => {
      try {
        return checkEndpoint(v);
      } catch (e) {
        throw usage(`invalid --otlp-endpoint: ${(e as Error).message}`);
      }
    })
    .addOption(new Option('--otlp-protocol <protocol>', 'OTLP protocol (default http/protobuf; grpc for port 4317)').choices([...OTLP_PROTOCOLS]))
    .option('--otlp-headers <k=v,...>', 'headers sent with every export request (repeatable)', headersArg)
    .option('--otlp-service-name <name>', 'service.name of the spans (default: OTEL_SERVICE_NAME, else the program name)')
    .option('--otlp-trace-budget <bytes>', `bytes of spans one trace may export before syscalls are aggregated per site (default ${DEFAULT_TRACE_BUDGET_BYTES}; 'unlimited')`, (v: string) => {
      try {
        // Commander turns a parser's null into '': keep a word for "no limit".
        return parseBudget(v) ?? 'unlimited';
      } catch (e) {
        throw usage(`invalid --otlp-trace-budget: ${(e as Error).message}`);
      }
    });
}

/** Every distributed-tracing flag of a tracing run. */
export function addOtlpOptions(cmd: Command): Command {
  return addOtlpExportOptions(cmd)
    .option('--trace-parent <traceparent>', 'W3C traceparent of the caller (default: $TRACEPARENT)', (v: string) => {
      const problem = traceParentProblem(v);
      if (problem) throw usage(`invalid --trace-parent '${v}': ${problem}`);
      return v;
    })
    .option('--trace-state <tracestate>', 'W3C tracestate of the caller (default: $TRACESTATE)', (v: string) => {
      const problem = traceStateProblem(v);
      if (problem) throw usage(`invalid --trace-state '${v}': ${problem}`);
      return v;
    })
    .option('--no-propagate', 'do not hand the program a TRACEPARENT naming the run')
    .option('--no-trace-when-unsampled', 'run the program without tracing when the caller\'s trace is not sampled');
}

/** The parsed values (commander's `opts()`) of addOtlpOptions/addOtlpExportOptions. */
export function otlpOptionsFrom(o: Record<string, unknown>): OtlpCliOptions {
  return {
    endpoint: o.otlpEndpoint as string | undefined,
    protocol: o.otlpProtocol as OtlpProtocol | undefined,
    headers: (o.otlpHeaders as Record<string, string> | undefined) ?? {},
    serviceName: o.otlpServiceName as string | undefined,
    budgetBytes: o.otlpTraceBudget === undefined ? DEFAULT_TRACE_BUDGET_BYTES : o.otlpTraceBudget === 'unlimited' ? null : (o.otlpTraceBudget as number),
    traceParent: o.traceParent as string | undefined,
    traceState: o.traceState as string | undefined,
    propagate: o.propagate !== false,
    traceWhenUnsampled: o.traceWhenUnsampled !== false,
  };
}

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
  /** The OTLP export sink, or undefined when nothing is exported. */
  createSink(traceFilePath: () => string | undefined): TraceSink | undefined;
  /** Runs the program (if any) without tracing; resolves with the exit status. */
  runUntraced(launch: LaunchTarget | undefined): Promise<number>;
}

export function sdkIdentity(version: string): SdkIdentity {
  return { name: 'renacer', version };
}

/** The export sink for a target (also used by `renacer export`). */
export function createExportSink(
  o: OtlpCliOptions,
  target: OtlpTarget,
  context: RunTraceContext,
  resource: ResourceRecord,
  deps: TracingDeps,
  failureHint?: () => string,
  onReport?: (report: SpanExportReport) => void,
): SpanExportSink {
  routeOtelDiagnostics((m) => deps.say(`warning: ${m}`));
  const exporter = createBatchExporter(target, { headers: o.headers, userAgent: `renacer/${deps.version}` });
  return new SpanExportSink({
    context,
    resource,
    sdk: sdkIdentity(deps.version),
    serviceName: o.serviceName,
    budgetBytes: o.budgetBytes,
    exporter,
    reachable: probeCollector(target),
    warn: deps.say,
    failureHint,
    onReport,
  });
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
  return {
    context,
    target: exportTarget,
    runWithoutTracing: !context.sampled && !o.traceWhenUnsampled,
    // The program joins the run's trace when OpenTelemetry is in play (a
    // caller's context, or spans going to a collector). A plain strace-like
    // run leaves the program's environment exactly as it was.
    childEnv: (env) => (o.propagate && (inTrace || target !== undefined) ? propagationEnv(context, env) : env),
    traceFileHeader: { trace_context: traceContextRecord(context), otel: resource },
    createSink(traceFilePath) {
      if (!exportTarget) return undefined;
      const hint = () => {
        const file = traceFilePath();
        if (!file) return 'Not exporting the rest of this run, and no trace file is being written (--no-trace-file): its spans are not exported.';
        const how =
          exportTarget.endpointSource === 'flag'
            ? ` --otlp-endpoint ${redactUrl(exportTarget.url)}${exportTarget.protocolSource === 'flag' ? ` --otlp-protocol ${exportTarget.protocol}` : ''}`
            : ' (with the same OTEL_EXPORTER_OTLP_* environment)';
        return `Not exporting the rest of this run; the program runs on and the trace file keeps every syscall. Send it later with: renacer export ${file}${how}`;
      };
      return createExportSink(o, exportTarget, context, resource, deps, hint, (report) => {
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
