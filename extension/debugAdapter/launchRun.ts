// A launch or attach configuration made into the engine's Run
// (core/session/runRecipe.ts), or the error the client is shown instead, with the
// DAP error id it goes out under.
import * as path from 'node:path';

import { LaunchConfigError, type AttachArgs, type LaunchArgs } from '../core/session/launchArgs';
import type { OtlpProtocol } from '../core/otel/otlpTarget';
import { prepareRun, type Run, type RunRequest } from '../core/session/runRecipe';
import { DEFAULT_TRACE_BUDGET_BYTES } from '../core/otel/spanBudget';
import { traceParentProblem, traceStateProblem } from '../core/otel/traceContext';
import type { TraceOptions } from '../core/session/traceSession';
import { TracingUsageError, type OtlpCliOptions } from '../core/otel/tracingSetup';
import { TranspilerMapError } from '../core/source/transpilerMap';

declare const RENACER_VERSION: string | undefined;
const VERSION = typeof RENACER_VERSION === 'string' ? RENACER_VERSION : '0.0.0-dev';

export interface Refusal {
  id: number;
  refused: string;
}

/** The launch configuration's OpenTelemetry attributes as the CLI's options. */
function otlpOptionsOf(args: LaunchArgs | AttachArgs): OtlpCliOptions {
  return {
    endpoint: args.otlpEndpoint || undefined,
    protocol: (args.otlpProtocol || undefined) as OtlpProtocol | undefined,
    // Auth headers come only from the environment (the extension puts its
    // SecretStorage value in OTEL_EXPORTER_OTLP_HEADERS), never from launch.json.
    headers: {},
    serviceName: args.otlpServiceName || undefined,
    budgetBytes: DEFAULT_TRACE_BUDGET_BYTES,
    traceParent: args.traceParent || undefined,
    traceState: args.traceState || undefined,
    propagate: true,
    traceWhenUnsampled: true,
  };
}

export function prepareDebugRun(
  options: () => TraceOptions,
  args: LaunchArgs | AttachArgs,
  cwd: string,
  hooks: Pick<RunRequest, 'say' | 'onControl'>,
): { opts: TraceOptions; run: Run } | Refusal {
  let opts: TraceOptions;
  try {
    opts = options();
  } catch (e) {
    return { id: 1001, refused: e instanceof LaunchConfigError ? e.message : (e as Error).stack ?? String(e) };
  }
  // An explicit traceParent (launch configuration or setting) must be valid: say what is wrong.
  const tpProblem = args.traceParent ? traceParentProblem(args.traceParent) : undefined;
  const tsProblem = args.traceState ? traceStateProblem(args.traceState) : undefined;
  if (tpProblem || tsProblem) {
    const from = args.traceParentSource ?? 'launch configuration';
    return { id: 1004, refused: tpProblem ? `traceParent (${from}): ${tpProblem}` : `traceState (${from}): ${tsProblem}` };
  }
  const list = 'transpilerMap' in args ? args.transpilerMap : undefined;
  try {
    const run = prepareRun({
      launch: opts.launch,
      attach: opts.attach,
      followForks: opts.followForks ?? true,
      traced: opts.traced ?? null,
      stringLimit: opts.stringLimit ?? 32,
      source: opts.source ? { userRoots: opts.source.userRoots ?? [cwd], fullStack: opts.source.fullStack } : undefined,
      transpilerMaps: list === undefined ? [] : Array.isArray(list) ? list : [list],
      captureOutput: opts.captureOutput,
      traceFile: { path: args.traceFile ? path.resolve(cwd, args.traceFile) : undefined },
      cwd,
      otlp: otlpOptionsOf(args),
      // The extension already chose among launch config, setting and editor
      // environment; only the OTEL_EXPORTER_OTLP_* variables come from here.
      env: { ...process.env, TRACEPARENT: undefined, TRACESTATE: undefined },
      version: VERSION,
      say: hooks.say,
      onControl: hooks.onControl,
    });
    return { opts, run };
  } catch (e) {
    if (e instanceof TranspilerMapError) return { id: 1006, refused: `transpilerMap: ${e.message}` };
    if (e instanceof TracingUsageError) return { id: 1005, refused: e.message };
    throw e;
  }
}

/** The Debug Console's line on where the trace context came from and where spans go. */
export function traceContextLine(args: LaunchArgs | AttachArgs, run: Run): string {
  const ctx = run.tracing.context;
  return (
    `Renacer: trace context from ${args.traceParentSource ?? (args.traceParent ? 'launch configuration' : 'new trace')}; ` +
    `trace id ${ctx.traceId}${ctx.parentSpanId ? `, parent span ${ctx.parentSpanId}` : ''}${ctx.sampled ? '' : ' (not sampled: nothing is exported)'}` +
    `${run.tracing.target ? `; exporting to ${run.tracing.target.url}` : ''}\n`
  );
}
