// The OTLP export sink for a run or a trace file: the part of tracing that
// needs OpenTelemetry's exporters and serializers, kept in its own module so
// that only runs whose spans go somewhere load it (tracingSetup.ts).
import { createBatchExporter, probeCollector, routeOtelDiagnostics } from './otlpExporter';
import type { OtlpTarget } from './otlpTarget';
import type { ResourceRecord } from './otelResource';
import { SpanExportSink, type SpanExportReport } from './spanExportSink';
import type { RunTraceContext } from './traceContext';
import { sdkIdentity, type OtlpCliOptions, type TracingDeps } from './tracingSetup';

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
