// `renacer export TRACEFILE --otlp-endpoint URL`: sends a trace file to an
// OTLP collector, later or elsewhere — after a run whose collector was down,
// or for a run traced without one. The spans are rebuilt from the file with
// the trace context and resource recorded in its header, so they are the
// spans the run would have exported (same trace id, same span ids).
import { Command } from 'commander';

import { OtlpConfigError, redactUrl, resolveOtlpTarget } from '../core/otel/otlpTarget';
import { resourceRecord, resourceRecordFromHeader } from '../core/otel/otelResource';
import { newRunTraceContext, traceContextFromRecord } from '../core/otel/traceContext';
import { TraceFileError, streamTraceFile, type TraceFileEnd } from '../core/traceFile/traceFile';
import type { SpanExportSink } from '../core/otel/spanExportSink';
import { createExportSink } from '../core/otel/exportSinkFactory';
import { describeExport, type TracingDeps } from '../core/otel/tracingSetup';
import { addOtlpExportOptions, otlpOptionsFrom } from './otlpOptions';
import { EXIT_USAGE, parseSubcommand } from './subcommandParse';

const EXIT_FAILURE = 1;

function buildExportCommand(): Command {
  const cmd = new Command('renacer export')
    .description('Send a trace file to an OpenTelemetry collector (OTLP); the endpoint also comes from OTEL_EXPORTER_OTLP_* variables.')
    .usage('TRACEFILE [--otlp-endpoint URL] [options]')
    .helpOption('-h, --help')
    .argument('<tracefile>', 'a trace file written by renacer (.renacer/trace-*.jsonl.gz)');
  return addOtlpExportOptions(cmd);
}

/** Runs `renacer export …` (argv after `export`); resolves with the exit status. */
export async function runExportCommand(argv: string[], deps: TracingDeps, writeOut: (s: string) => void): Promise<number> {
  const cmd = buildExportCommand();
  const done = parseSubcommand(cmd, argv, deps.say, writeOut);
  if (done !== undefined) return done;
  const file = cmd.args[0];
  const o = otlpOptionsFrom(cmd.opts());

  let target;
  try {
    target = resolveOtlpTarget({ endpoint: o.endpoint, protocol: o.protocol }, deps.env);
  } catch (e) {
    if (e instanceof OtlpConfigError) {
      deps.say(e.message);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (!target) {
    deps.say('no OTLP endpoint: pass --otlp-endpoint URL or set OTEL_EXPORTER_OTLP_ENDPOINT');
    return EXIT_USAGE;
  }

  let sink: SpanExportSink | undefined;
  let lastNs = 0;
  let end: TraceFileEnd | undefined;
  let origin = 0n;
  try {
    end = await streamTraceFile(file, {
      onHeader(header, info) {
        origin = info.originWallNs;
        let context = traceContextFromRecord(header.trace_context);
        if (!context) {
          deps.say(`note: ${file} records no trace context (written before renacer recorded one): its spans start a new trace`);
          context = newRunTraceContext();
        } else if (!context.sampled) {
          deps.say(`note: ${file} is a run whose trace was not sampled (trace-flags 00); exporting it as asked`);
        }
        const resource = resourceRecordFromHeader(header.otel) ?? resourceRecord(undefined, {});
        sink = createExportSink(o, target, context, resource, deps, () => 'Nothing more is sent; run the same command again once the collector is reachable.');
        sink.onStart(info);
      },
      onEvents(events) {
        const last = events[events.length - 1];
        lastNs = last.type === 'syscall' ? last.endNs : last.timeNs;
        return sink!.onEvents(events);
      },
    });
  } catch (e) {
    if (e instanceof TraceFileError) {
      deps.say(e.message);
      return EXIT_FAILURE;
    }
    throw e;
  }
  const report = await sink!.end({
    endNs: end ? Number(BigInt(end.end_ns) - origin) : lastNs,
    exitStatus: end ? end.exit_status : null,
    interrupted: end?.interrupted,
    truncated: !end,
  });
  if (report.failure !== undefined) return EXIT_FAILURE; // the sink said why
  deps.say(`${describeExport(report, target) ?? `exported ${report.delivered} spans to ${redactUrl(target.url)}`} (trace ${sink!.traceId})`);
  return 0;
}
