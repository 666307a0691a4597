// `renacer dap`: the Debug Adapter Protocol face of the engine, a debugger
// whose unit is the system call. VS Code starts it as a child process (the
// ptrace loop never runs in the extension host). The run itself is the
// engine's (core/session/runRecipe.ts); this file only translates: launch/attach
// arguments in; breakpoints, stops, stacks and variables out; the trace
// streamed to the Debug Console, with custom events the extension turns into
// annotations and a status-bar count (core/protocol/debugAdapterProtocol.ts
// names them and their bodies).
import {
  Event,
  ExitedEvent,
  InitializedEvent,
  LoggingDebugSession,
  OutputEvent,
  TerminatedEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';

import { DapEvent, type DapEventBodies, type DapEventName } from '../core/protocol/debugAdapterProtocol';
import type { SessionResult } from '../core/session/events';
import { attachOptions, launchOptions, type AttachArgs, type LaunchArgs } from '../core/session/launchArgs';
import { LineStatsIndex } from '../core/source/lineStats';
import { loadAddon } from '../core/session/nativeAddon';
import { ProgramOutput } from '../core/session/programOutput';
import type { Run } from '../core/session/runRecipe';
import { syscallTable } from '../core/session/syscallTable';
import type { TraceOptions, TraceSession } from '../core/session/traceSession';
import { AllStop } from './allStop';
import { BreakpointTable, EXCEPTION_FILTERS } from './breakpointTable';
import { DebugConsoleSink } from './debugConsoleSink';
import { injectOutcome, ONLY_OUTCOME } from './faultInjection';
import { prepareDebugRun, traceContextLine } from './launchRun';
import { ProgramTerminal } from './programTerminal';
import { procText, StopViews } from './stopViews';
import { TracedTasks } from './tracedTasks';

const LIVE_INTERVAL_MS = 200;
const OUTPUT_DRAIN_MS = 500;

export class RenacerDebugSession extends LoggingDebugSession {
  private trace?: TraceSession;
  private readonly lineStats = new LineStatsIndex();
  private timer?: NodeJS.Timeout;
  private configurationDone!: Promise<void>;
  private markConfigurationDone!: () => void;
  private run?: Run;
  private ended?: Promise<void>;
  private output?: ProgramOutput;
  private disconnected = false;
  private mainPid = 0;
  /** The ELF file line breakpoints are checked against. */
  private program?: string;
  private readonly table = syscallTable();
  private readonly breakpoints = new BreakpointTable(this.table, (file) =>
    this.program ? loadAddon().codeLines(this.program, file) : { error: 'the program is not known yet' },
  );
  private readonly views = new StopViews(this.table);
  private readonly stops = new AllStop(this.table, this.breakpoints, this.views, () => this.trace?.control, (e) => this.sendEvent(e));
  private readonly tasks = new TracedTasks((e) => this.sendEvent(e), (tid) => this.stops.taskExited(tid));
  private readonly terminal = new ProgramTerminal(
    (args, timeout, cb) => this.runInTerminalRequest(args, timeout, cb),
    (text) => this.console(text),
  );

  constructor() {
    super();
    this.configurationDone = new Promise((r) => (this.markConfigurationDone = r));
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.terminal.clientCanOpen = args.supportsRunInTerminalRequest === true;
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
      supportTerminateDebuggee: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsSetVariable: true,
      supportsExceptionFilterOptions: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
      supportsReadMemoryRequest: true,
    };
    // `initialized` goes out once launch/attach names the program: line
    // breakpoints are checked against its debug info.
    this.sendResponse(response);
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

  private fail(response: DebugProtocol.Response, id: number, message: string): void {
    this.sendErrorResponse(response, { id, format: `Renacer: ${message}`, showUser: true });
    // Nothing will run: let the client leave its configuration phase.
    this.sendEvent(new InitializedEvent());
  }

  private async startTrace(
    response: DebugProtocol.Response,
    options: () => TraceOptions,
    args: LaunchArgs | AttachArgs,
    cwd: string,
  ): Promise<void> {
    const prepared = prepareDebugRun(options, args, cwd, {
      say: (m) => this.console(`Renacer: ${m}\n`),
      onControl: (ev) => {
        if (!this.disconnected) this.stops.onControl(ev);
      },
    });
    if ('refused' in prepared) {
      this.fail(response, prepared.id, prepared.refused);
      return;
    }
    const { opts, run } = prepared;
    this.run = run;
    this.program = opts.launch?.path ?? (opts.attach?.[0] ? procText(opts.attach[0], 'exe') || undefined : undefined);
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    if (this.disconnected) {
      this.sendErrorResponse(response, { id: 1003, format: 'Renacer: the session was closed before it started', showUser: false });
      return;
    }
    this.console(traceContextLine(args, run));
    const tty =
      opts.launch && 'console' in args && args.console === 'integratedTerminal' ? await this.terminal.open(cwd, path.basename(opts.launch.path)) : undefined;
    await run.tracing.loadExport();
    // The breakpoints set during configuration: their syscalls join the seccomp filter.
    this.trace = run.createSession(
      [
        this.tasks,
        this.lineStats,
        new DebugConsoleSink((e) => this.sendEvent(e), { timing: args.timing, limit: args.consoleLimit, output: () => this.output }),
      ],
      this.breakpoints.stopConfig(),
      tty,
    );
    try {
      const info = await this.trace.start();
      this.mainPid = info.pid;
      this.output = new ProgramOutput(this.trace.output);
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
        this.finish({ exitStatus: null, syscalls: this.tasks.syscalls, endNs: 0 });
      },
    );
  }

  /** What the program wrote and no traced call claimed, before saying the session is over. */
  private async drainOutput(): Promise<void> {
    if (!this.output) return;
    await this.output.ended(OUTPUT_DRAIN_MS);
    for (const o of this.output.unclaimed(true)) this.sendEvent(new OutputEvent(o.text, o.stream));
    this.output.close();
  }

  // ---- Stops ---------------------------------------------------------------

  protected continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.stops.resumeAll();
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
  }

  protected nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.stops.stepOver(args.threadId);
    this.sendResponse(response);
  }

  protected stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    // The unit is the syscall: there is nothing smaller to step into.
    this.stops.stepOver(args.threadId);
    this.sendResponse(response);
  }

  protected stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.stops.stepOut(args.threadId);
    this.sendResponse(response);
  }

  protected pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    this.stops.pause(this.tasks.has(args.threadId) ? args.threadId : this.mainPid);
    this.sendResponse(response);
  }

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: this.tasks.threads() };
    this.sendResponse(response);
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    response.body = this.views.stackTrace(this.stops.stoppedTid !== undefined ? this.stops.task(args.threadId) : undefined, args.startFrame ?? 0, args.levels ?? 0);
    this.sendResponse(response);
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const tid = this.views.frameTask(args.frameId);
    const held = tid === undefined ? undefined : this.stops.task(tid);
    response.body = { scopes: held ? this.views.scopes(held) : [] };
    this.sendResponse(response);
  }

  protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const scope = this.views.scopeOf(args.variablesReference);
    const held = scope && this.stops.task(scope.tid);
    response.body = { variables: held ? this.views.variables(held, scope.kind) : [] };
    this.sendResponse(response);
  }

  protected setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    const scope = this.views.scopeOf(args.variablesReference);
    const held = scope && this.stops.task(scope.tid);
    const control = this.trace?.control;
    const set = held && control && scope.kind === 'syscall' ? injectOutcome(held, control, args.name, args.value) : { refused: ONLY_OUTCOME };
    if ('refused' in set) return this.sendErrorResponse(response, { id: 2001, format: set.refused, showUser: true });
    response.body = { value: set.value };
    this.sendResponse(response);
  }

  protected readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const tid = this.stops.stoppedTid;
    if (!tid || !this.trace || !/^0x[0-9a-f]+$/i.test(args.memoryReference)) {
      this.sendErrorResponse(response, { id: 2002, format: 'Memory can be read while the program is stopped, at an address', showUser: false });
      return;
    }
    const address = BigInt(args.memoryReference) + BigInt(args.offset ?? 0);
    const data = this.trace.control.readMemory(tid, address, args.count);
    response.body = {
      address: `0x${address.toString(16)}`,
      data: data.toString('base64'),
      unreadableBytes: args.count - data.length,
    };
    this.sendResponse(response);
  }

  // ---- Breakpoints ---------------------------------------------------------

  protected setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const source = args.source.path;
    response.body = {
      breakpoints: source
        ? this.breakpoints.setSourceBreakpoints(source, args.breakpoints ?? (args.lines ?? []).map((line) => ({ line })))
        : (args.breakpoints ?? []).map(() => ({ verified: false, message: 'a source with a path is needed' })),
    };
    this.applyStops();
    this.sendResponse(response);
  }

  protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    response.body = { breakpoints: this.breakpoints.setFunctionBreakpoints(args.breakpoints) };
    this.applyStops();
    this.sendResponse(response);
  }

  protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    response.body = { breakpoints: this.breakpoints.setExceptionBreakpoints(args) };
    this.applyStops();
    this.sendResponse(response);
  }

  /** Breakpoints changed while running: they take effect at once. */
  private applyStops(): void {
    if (this.trace?.sessionInfo) this.trace.control.configureStops(this.breakpoints.stopConfig());
  }

  // ---- Live state and the end ---------------------------------------------

  private publishLive(): void {
    for (const o of this.output?.unclaimed() ?? []) this.sendEvent(new OutputEvent(o.text, o.stream));
    const lines = this.lineStats.takeChanged();
    if (lines.length) this.sendCustomEvent(DapEvent.lineStats, { lines });
    this.sendCustomEvent(DapEvent.progress, { syscalls: this.tasks.syscalls, tasks: this.tasks.size });
  }

  private sendCustomEvent<N extends DapEventName>(event: N, body: DapEventBodies[N]): void {
    this.sendEvent(new Event(event, body));
  }

  private finish(result: SessionResult): void {
    if (this.timer) clearInterval(this.timer);
    this.terminal.close();
    this.publishLive();
    const file = this.run?.traceFile?.path;
    if (file) this.sendCustomEvent(DapEvent.traceFile, { path: file });
    const status = result.exitStatus;
    this.console(
      `Renacer: ${result.syscalls.toLocaleString('en')} syscalls traced` +
        (status === null ? '' : `; the program exited with ${status}`) +
        (file ? `; trace file ${file}` : '') +
        '\n',
    );
    if (status === null && this.trace?.sessionInfo?.attached) this.console(`Renacer: detached from process ${this.mainPid}; it keeps running\n`);
    if (status !== null) this.sendEvent(new ExitedEvent(status));
    this.sendEvent(new TerminatedEvent());
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

  /** A launched program is killed, an attached one detached (held tasks too: never left stopped). */
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
