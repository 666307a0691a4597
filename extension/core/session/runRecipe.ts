// One recipe for a trace run, whichever face starts it: the CLI (`renacer …`)
// and the debug adapter (`renacer dap`) map their options into a RunRequest
// and read events out of the sinks they add; everything in between — trace
// context and export, transpiler maps, the trace file, and the order of the
// sinks — is decided here, once.
import type { SessionInfo, TraceSink } from './events';
export { FACE_DEFAULTS } from './faceDefaults';
import type { ControlEvent } from './heldTask';
import { tracerFlags, type NativeStopConfig, type TracerFlags } from './nativeAddon';
import { SourceNoticeSink } from '../source/sourceNotices';
import { TraceFileWriter, defaultTraceFilePath } from '../traceFile/traceFile';
import { TraceSession, type LaunchTarget } from './traceSession';
import { setupTracing, type OtlpCliOptions, type TracingSetup } from '../otel/tracingSetup';
import { loadTranspilerMap, type TranspilerMap } from '../source/transpilerMap';
import { TranspilerMapSink } from '../source/transpilerMapSink';

export interface RunRequest extends TracerFlags {
  launch?: LaunchTarget;
  attach?: number[];
  followForks: boolean;
  /** Syscall numbers to trace; null means all. */
  traced: Set<number> | null;
  stringLimit: number;
  /** Map syscalls to source lines; `fullStack` keeps every user frame on each event. */
  source?: { userRoots: string[]; fullStack?: boolean };
  /** Transpiler map files (relative to `cwd`); any implies `source`. */
  transpilerMaps: string[];
  /** Trace lines in step with the program (the output is a terminal the program also writes to). */
  lockstep?: boolean;
  /** Give the program pipes for stdout/stderr (TraceSession.output). */
  captureOutput?: boolean;
  /** The trace file: false for none; `path` absent means renacer-PID-TIME.jsonl.gz in `cwd`. */
  traceFile: false | { path?: string };
  cwd: string;
  otlp: OtlpCliOptions;
  /** Where OTEL_EXPORTER_OTLP_*, TRACEPARENT and TRACESTATE are read. */
  env: Record<string, string | undefined>;
  version: string;
  /** A message for the user (warnings, notices). */
  say: (msg: string) => void;
  /** Debugging: initial stops, and where held tasks are reported. */
  stops?: NativeStopConfig;
  onControl?: (ev: ControlEvent) => void;
  /** How the trace file is named to the user (in the export failure hint). */
  showPath?: (file: string) => string;
}

export interface Run {
  tracing: TracingSetup;
  traceFile?: TraceFileWriter;
  /**
   * The session, with the face's own sinks: they see events completed
   * (source notices taken off, maps applied), before the trace file and export.
   */
  createSession(faceSinks: TraceSink[], stops?: NativeStopConfig, tty?: string): TraceSession;
}

/**
 * Prepares a run. Throws TracingUsageError (flags that do not fit together)
 * and TranspilerMapError (a corrupt or mismatched map) before anything runs.
 * When `tracing.runWithoutTracing` the caller runs the program untraced instead.
 */
export function prepareRun(req: RunRequest): Run {
  const maps: TranspilerMap[] = req.transpilerMaps.map((file) => loadTranspilerMap(file, req.cwd));
  const source = req.source ?? (maps.length ? { userRoots: [req.cwd] } : undefined);
  const tracing = setupTracing(req.otlp, { env: req.env, version: req.version, say: req.say });
  const launch = req.launch ? { ...req.launch, env: tracing.childEnv(req.launch.env) } : undefined;
  const traceFile = req.traceFile
    ? new TraceFileWriter(req.traceFile.path ?? ((info: SessionInfo) => defaultTraceFilePath(req.cwd, info.pid)), tracing.traceFileHeader)
    : undefined;
  const createSession = (faceSinks: TraceSink[], stops = req.stops, tty?: string): TraceSession => {
    const sinks: TraceSink[] = [
      // First: they complete the events every later sink reads.
      ...(source ? [new SourceNoticeSink((notice) => req.say(notice))] : []),
      ...(maps.length ? [new TranspilerMapSink(maps)] : []),
      ...faceSinks,
      ...(traceFile ? [traceFile] : []),
    ];
    const exportSink = tracing.createSink(() => traceFile?.path && (req.showPath ? req.showPath(traceFile.path) : traceFile.path));
    if (exportSink) sinks.push(exportSink);
    return new TraceSession(
      {
        launch,
        attach: req.attach?.length ? req.attach : undefined,
        ...tracerFlags(req),
        traced: req.traced,
        stringLimit: req.stringLimit,
        source,
        captureOutput: tty ? false : req.captureOutput,
        lockstep: req.lockstep,
        tty,
        stops,
        onControl: req.onControl,
      },
      sinks,
    );
  };
  return { tracing, traceFile, createSession };
}
