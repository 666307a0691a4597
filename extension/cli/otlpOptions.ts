// The distributed-tracing flags of `renacer` (and of `renacer export`); what
// they set up for a run is core/otel/tracingSetup.ts.
import { Command, CommanderError, Option } from 'commander';

import { OTLP_PROTOCOLS, checkEndpoint, parseHeaders, type OtlpProtocol } from '../core/otel/otlpTarget';
import { DEFAULT_TRACE_BUDGET_BYTES, parseBudget } from '../core/otel/spanBudget';
import { traceParentProblem, traceStateProblem } from '../core/otel/traceContext';
import type { OtlpCliOptions } from '../core/otel/tracingSetup';

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

