// `renacer dap`: the Debug Adapter Protocol face of the engine. VS Code starts
// it as a child process (the ptrace loop never runs in the extension host);
// it traces the launch/attach target and streams to the Debug Console, the
// Call Stack (processes and threads), and custom events the extension turns
// into annotations and a status-bar count.
import { Event, ExitedEvent, InitializedEvent, LoggingDebugSession, OutputEvent, TerminatedEvent, Thread, ThreadEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as net from 'node:net';
import * as path from 'node:path';

import type { SessionResult, TraceEvent, TraceSink } from '../../core/events';
import { attachOptions, launchOptions, LaunchConfigError, type AttachArgs, type LaunchArgs } from '../../core/launchArgs';
import { LineStatsIndex } from '../../core/lineStats';
import { defaultTraceFilePath, TraceFileWriter } from '../../core/traceFile';
import { TraceSession, type TraceOptions } from '../../core/traceSession';
import { traceParentProblem, traceStateProblem } from '../../core/traceContext';
import { DEFAULT_TRACE_BUDGET_BYTES } from '../../core/spanBudget';
import type { OtlpProtocol } from '../../core/otlpExporter';
import { setupTracing, type OtlpCliOptions, type TracingSetup } from '../otlpOptions';
import { SourceNoticeSink } from '../../core/sourceNotices';
import { loadTranspilerMap, type TranspilerMap } from '../../core/transpilerMap';
import { TranspilerMapSink } from '../../core/transpilerMapSink';
import { DebugConsoleSink } from './debugConsoleSink';

declare const RENACER_VERSION: string | undefined;
const VERSION = typeof RENACER_VERSION === 'string' ? RENACER_VERSION : '0.0.0-dev';

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

/** Custom events (the extension listens for these). */
export const EVENT_LINE_STATS = 'renacer.lineStats';
export const EVENT_PROGRESS = 'renacer.progress';
export const EVENT_TRACE_FILE = 'renacer.traceFile';

const LIVE_INTERVAL_MS = 200;
const OUTPUT_DRAIN_MS = 500;

interface Task {
  pid: number;
  tid: number;
  name: string;
}

export class RenacerDebugSession extends LoggingDebugSession {
  private trace?: TraceSession;
  private readonly tasks = new Map<number, Task>();
  private readonly lineStats = new LineStatsIndex();
  private syscalls = 0;
  private timer?: NodeJS.Timeout;
  private configurationDone!: Promise<void>;
  private markConfigurationDone!: () => void;
  private traceFile?: TraceFileWriter;
  private ended?: Promise<void>;
  private readonly outputDrained: Promise<void>[] = [];
  private readonly outputPipes: net.Socket[] = [];
  private disconnected = false;

  constructor() {
    super();
    this.configurationDone = new Promise((r) => (this.markConfigurationDone = r));
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
      supportTerminateDebuggee: true,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.markConfigurationDone();
  }

  protected async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments & LaunchArgs): Promise<void> {
    await this.startTrace(response, () => launchOptions(args), args, args.cwd ?? path.dirname(path.resolve(args.program ?? '.')));
  }

  protected async attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments & AttachArgs): Promise<void> {
    await this.startTrace(response, () => attachOptions(args), args, args.cwd ?? process.cwd());
  }

  private async startTrace(
    response: DebugProtocol.Response,
    options: () => TraceOptions,
    args: LaunchArgs | AttachArgs,
    cwd: string,
  ): Promise<void> {
    let opts: TraceOptions;
    try {
      opts = options();
    } catch (e) {
      const msg = e instanceof LaunchConfigError ? e.message : (e as Error).stack ?? String(e);
      this.sendErrorResponse(response, { id: 1001, format: `Renacer: ${msg}`, showUser: true });
      return;
    }
    // An explicit traceParent (launch configuration or setting) must be valid: say what is wrong.
    const tpProblem = args.traceParent ? traceParentProblem(args.traceParent) : undefined;
    const tsProblem = args.traceState ? traceStateProblem(args.traceState) : undefined;
    if (tpProblem || tsProblem) {
      const from = args.traceParentSource ?? 'launch configuration';
      this.sendErrorResponse(response, { id: 1004, format: `Renacer: ${tpProblem ? `traceParent (${from}): ${tpProblem}` : `traceState (${from}): ${tsProblem}`}`, showUser: true });
      return;
    }
    let tracing: TracingSetup;
    try {
      tracing = setupTracing(otlpOptionsOf(args), {
        // The extension already chose among launch config, setting and editor
        // environment; only the OTEL_EXPORTER_OTLP_* variables come from here.
        env: { ...process.env, TRACEPARENT: undefined, TRACESTATE: undefined },
        version: VERSION,
        say: (m) => this.console(`Renacer: ${m}\n`),
      });
    } catch (e) {
      this.sendErrorResponse(response, { id: 1005, format: `Renacer: ${(e as Error).message}`, showUser: true });
      return;
    }
    if (opts.launch) opts.launch.env = tracing.childEnv(opts.launch.env);
    // Transpiler maps: a corrupt or mismatched one is a clear error, before anything runs.
    const maps: TranspilerMap[] = [];
    try {
      const list = 'transpilerMap' in args ? args.transpilerMap : undefined;
      for (const file of list === undefined ? [] : Array.isArray(list) ? list : [list]) maps.push(loadTranspilerMap(file, cwd));
    } catch (e) {
      this.sendErrorResponse(response, { id: 1006, format: `Renacer: transpilerMap: ${(e as Error).message}`, showUser: true });
      return;
    }
    if (maps.length && !opts.source) opts.source = { userRoots: [cwd] };
    await this.configurationDone;
    if (this.disconnected) {
      this.sendErrorResponse(response, { id: 1003, format: 'Renacer: the session was closed before it started', showUser: false });
      return;
    }
    const ctx = tracing.context;
    this.console(
      `Renacer: trace context from ${args.traceParentSource ?? (args.traceParent ? 'launch configuration' : 'new trace')}; ` +
        `trace id ${ctx.traceId}${ctx.parentSpanId ? `, parent span ${ctx.parentSpanId}` : ''}${ctx.sampled ? '' : ' (not sampled: nothing is exported)'}` +
        `${tracing.target ? `; exporting to ${tracing.target.url}` : ''}\n`,
    );
    this.traceFile = new TraceFileWriter(
      args.traceFile ? path.resolve(cwd, args.traceFile) : (info) => defaultTraceFilePath(cwd, info.pid),
      tracing.traceFileHeader,
    );
    const sinks: TraceSink[] = [
      // First: they complete the events every later sink reads.
      ...(opts.source ? [new SourceNoticeSink((notice) => this.console(`Renacer: ${notice}\n`))] : []),
      ...(maps.length ? [new TranspilerMapSink(maps)] : []),
      { onEvents: (evs) => this.track(evs) },
      this.lineStats,
      new DebugConsoleSink((e) => this.sendEvent(e), { timing: args.timing, limit: args.consoleLimit }),
      this.traceFile,
    ];
    const exportSink = tracing.createSink(() => this.traceFile?.path);
    if (exportSink) sinks.push(exportSink);
    this.trace = new TraceSession(opts, sinks);
    try {
      const info = await this.trace.start();
      this.pipeOutput(this.trace.output.stdout, 'stdout');
      this.pipeOutput(this.trace.output.stderr, 'stderr');
      this.console(`Renacer: tracing ${info.attached ? `process ${info.pid}` : `${info.argv.join(' ')} (pid ${info.pid})`}\n`);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1002, format: `Renacer: ${(e as Error).message}`, showUser: true });
      return;
    }
    this.sendResponse(response);
    this.timer = setInterval(() => this.publishLive(), LIVE_INTERVAL_MS);
    this.ended = this.trace.finished().then(
      async (r) => {
        await this.drainOutput();
        this.finish(r);
      },
      async (e) => {
        await this.drainOutput();
        this.console(`Renacer: ${(e as Error).message}\n`);
        this.finish({ exitStatus: null, syscalls: this.syscalls, endNs: 0 });
      },
    );
  }

  private pipeOutput(fd: number | undefined, category: 'stdout' | 'stderr'): void {
    if (fd === undefined) return;
    const sock = new net.Socket({ fd, readable: true, writable: false });
    sock.setEncoding('utf8');
    sock.on('data', (text: string) => this.sendEvent(new OutputEvent(text, category)));
    this.outputDrained.push(
      new Promise<void>((resolve) => {
        sock.on('end', resolve);
        sock.on('close', resolve);
        sock.on('error', () => {
          sock.destroy();
          resolve();
        });
      }),
    );
    this.outputPipes.push(sock);
  }

  /**
   * What the program wrote before it ended is still in the pipes: forward it
   * before saying the session is over. A descendant that outlives the program
   * may hold the pipes open, so wait a little, not forever.
   */
  private async drainOutput(): Promise<void> {
    await Promise.race([Promise.all(this.outputDrained), new Promise((r) => setTimeout(r, OUTPUT_DRAIN_MS))]);
    for (const p of this.outputPipes) p.destroy();
  }

  private track(events: TraceEvent[]): void {
    for (const ev of events) {
      if (ev.type === 'syscall') {
        this.syscalls++;
        continue;
      }
      if (ev.kind === 'spawn' || ev.kind === 'fork') {
        const name = ev.path ? path.basename(ev.path) : this.tasks.get(ev.parentTid ?? -1)?.name ?? 'task';
        this.tasks.set(ev.tid, { pid: ev.pid, tid: ev.tid, name });
        this.sendEvent(new ThreadEvent('started', ev.tid));
      } else if (ev.kind === 'exec') {
        const t = this.tasks.get(ev.tid);
        if (t && ev.path) t.name = path.basename(ev.path);
      } else if (ev.kind === 'exit' || ev.kind === 'detach') {
        this.tasks.delete(ev.tid);
        this.sendEvent(new ThreadEvent('exited', ev.tid));
      }
    }
  }

  private publishLive(): void {
    const lines = this.lineStats.takeChanged();
    if (lines.length) this.sendEvent(new Event(EVENT_LINE_STATS, { lines }));
    this.sendEvent(new Event(EVENT_PROGRESS, { syscalls: this.syscalls, tasks: this.tasks.size }));
  }

  private finish(result: SessionResult): void {
    if (this.timer) clearInterval(this.timer);
    this.publishLive();
    if (this.traceFile?.path) this.sendEvent(new Event(EVENT_TRACE_FILE, { path: this.traceFile.path }));
    const status = result.exitStatus;
    this.console(
      `Renacer: ${result.syscalls.toLocaleString('en')} syscalls traced` +
        (status === null ? '' : `; the program exited with ${status}`) +
        (this.traceFile?.path ? `; trace file ${this.traceFile.path}` : '') +
        '\n',
    );
    if (status !== null) this.sendEvent(new ExitedEvent(status));
    this.sendEvent(new TerminatedEvent());
  }

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const threads = [...this.tasks.values()].map(
      (t) => new Thread(t.tid, t.tid === t.pid ? `${t.name} (pid ${t.pid})` : `${t.name} thread ${t.tid} (pid ${t.pid})`),
    );
    response.body = { threads };
    this.sendResponse(response);
  }

  protected async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    this.disconnected = true;
    this.markConfigurationDone();
    await this.stopTrace();
    this.sendResponse(response);
    // The client is gone: so is the adapter (the base class exits the process).
    this.shutdown();
  }

  protected async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.stopTrace();
    this.sendResponse(response);
  }

  private async stopTrace(): Promise<void> {
    this.trace?.stop();
    await this.ended;
  }

  private console(text: string): void {
    this.sendEvent(new OutputEvent(text, 'console'));
  }
}

export function runDebugAdapter(): void {
  LoggingDebugSession.run(RenacerDebugSession);
}
