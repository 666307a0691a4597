// `renacer dap`: the Debug Adapter Protocol face of the engine, a debugger
// whose unit is the system call. VS Code starts it as a child process (the
// ptrace loop never runs in the extension host). The run itself is the
// engine's (core/runRecipe.ts); this file only translates: launch/attach
// arguments in; breakpoints, stops, stacks and variables out; the trace
// streamed to the Debug Console, with custom events the extension turns into
// annotations and a status-bar count.
import {
  Event,
  ExitedEvent,
  InitializedEvent,
  LoggingDebugSession,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
  Thread,
  ThreadEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { errnoInfo, errnoNumber } from '../../core/errnoNames';
import type { SessionResult, TraceEvent } from '../../core/events';
import type { HeldTask, ControlEvent } from '../../core/heldTask';
import { attachOptions, launchOptions, LaunchConfigError, type AttachArgs, type LaunchArgs } from '../../core/launchArgs';
import { LineStatsIndex } from '../../core/lineStats';
import { HoldReason, loadAddon } from '../../core/nativeAddon';
import type { OtlpProtocol } from '../../core/otlpTarget';
import { ProgramOutput } from '../../core/programOutput';
import { prepareRun, type Run } from '../../core/runRecipe';
import { DEFAULT_TRACE_BUDGET_BYTES } from '../../core/spanBudget';
import { syscallTable } from '../../core/syscallTable';
import { traceParentProblem, traceStateProblem } from '../../core/traceContext';
import type { TraceOptions, TraceSession } from '../../core/traceSession';
import { TracingUsageError, type OtlpCliOptions } from '../../core/tracingSetup';
import { TranspilerMapError } from '../../core/transpilerMap';
import { BreakpointTable, describeCall, EXCEPTION_FILTERS, userFrames } from './breakpointTable';
import { DebugConsoleSink } from './debugConsoleSink';
import { procText, shownFrames, StopViews, taskName } from './stopViews';

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

/** A stop to report (or reported): which task, and why. */
interface Stop {
  reason: string;
  tid: number;
  description: string;
  text?: string;
  hitBreakpointIds?: number[];
}

interface Step {
  mode: 'over' | 'out';
  /** Step Out: the user frames at the start; done at a stop with fewer. */
  depth: number;
}

export class RenacerDebugSession extends LoggingDebugSession {
  private trace?: TraceSession;
  private readonly tasks = new Map<number, Task>();
  private readonly lineStats = new LineStatsIndex();
  private syscalls = 0;
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
  /** Tasks the tracer holds, by tid, with what it reported. */
  private readonly held = new Map<number, HeldTask>();
  /** A stop waiting for every task to be held (all-stop). */
  private interrupting?: Stop;
  /** The stop the client was told of, until it resumes. */
  private stopped?: Stop;
  /** Stops that happened while another was in progress: reported on the next resume, as gdb does. */
  private readonly pendingStops: Stop[] = [];
  private readonly steps = new Map<number, Step>();
  private clientRunsTerminals = false;
  /** `console: "integratedTerminal"`: the file the terminal's shell waits on (removed at the end). */
  private terminalDir?: string;

  constructor() {
    super();
    this.configurationDone = new Promise((r) => (this.markConfigurationDone = r));
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.clientRunsTerminals = args.supportsRunInTerminalRequest === true;
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
    let opts: TraceOptions;
    try {
      opts = options();
    } catch (e) {
      this.fail(response, 1001, e instanceof LaunchConfigError ? e.message : (e as Error).stack ?? String(e));
      return;
    }
    // An explicit traceParent (launch configuration or setting) must be valid: say what is wrong.
    const tpProblem = args.traceParent ? traceParentProblem(args.traceParent) : undefined;
    const tsProblem = args.traceState ? traceStateProblem(args.traceState) : undefined;
    if (tpProblem || tsProblem) {
      const from = args.traceParentSource ?? 'launch configuration';
      this.fail(response, 1004, tpProblem ? `traceParent (${from}): ${tpProblem}` : `traceState (${from}): ${tsProblem}`);
      return;
    }
    const list = 'transpilerMap' in args ? args.transpilerMap : undefined;
    let run: Run;
    try {
      run = prepareRun({
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
        say: (m) => this.console(`Renacer: ${m}\n`),
        onControl: (ev) => this.onControl(ev),
      });
    } catch (e) {
      if (e instanceof TranspilerMapError) this.fail(response, 1006, `transpilerMap: ${e.message}`);
      else if (e instanceof TracingUsageError) this.fail(response, 1005, e.message);
      else throw e;
      return;
    }
    this.run = run;
    this.program = opts.launch?.path ?? (opts.attach?.[0] ? procText(opts.attach[0], 'exe') || undefined : undefined);
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    if (this.disconnected) {
      this.sendErrorResponse(response, { id: 1003, format: 'Renacer: the session was closed before it started', showUser: false });
      return;
    }
    const ctx = run.tracing.context;
    this.console(
      `Renacer: trace context from ${args.traceParentSource ?? (args.traceParent ? 'launch configuration' : 'new trace')}; ` +
        `trace id ${ctx.traceId}${ctx.parentSpanId ? `, parent span ${ctx.parentSpanId}` : ''}${ctx.sampled ? '' : ' (not sampled: nothing is exported)'}` +
        `${run.tracing.target ? `; exporting to ${run.tracing.target.url}` : ''}\n`,
    );
    let tty: string | undefined;
    if (opts.launch && 'console' in args && args.console === 'integratedTerminal') {
      if (!this.clientRunsTerminals) this.console('Renacer: this client cannot open a terminal (runInTerminal); the program\'s output comes here\n');
      else {
        try {
          tty = await this.openTerminal(cwd, path.basename(opts.launch.path));
        } catch (e) {
          this.console(`Renacer: no terminal for the program (${(e as Error).message}); its output comes here\n`);
        }
      }
    }
    await run.tracing.loadExport();
    // The breakpoints set during configuration: their syscalls join the seccomp filter.
    this.trace = run.createSession(
      [
        { onEvents: (evs) => this.track(evs) },
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
        this.finish({ exitStatus: null, syscalls: this.syscalls, endNs: 0 });
      },
    );
  }

  /**
   * A terminal for a program that needs a tty (DAP runInTerminal): its shell
   * writes the name of its tty and waits while a file exists; the program
   * gets that tty as stdin, stdout and stderr.
   */
  private async openTerminal(cwd: string, name: string): Promise<string> {
    this.terminalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-tty-'));
    const file = path.join(this.terminalDir, 'tty');
    const script = 'tty > "$1.tmp" && mv "$1.tmp" "$1" && while [ -e "$1" ]; do sleep 1; done';
    await new Promise<void>((resolve, reject) =>
      this.runInTerminalRequest({ kind: 'integrated', title: `Renacer: ${name}`, cwd, args: ['/bin/sh', '-c', script, 'renacer-terminal', file] }, 10_000, (r) =>
        r.success ? resolve() : reject(new Error(r.message || 'the client refused')),
      ),
    );
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(file)) {
      if (Date.now() > deadline) throw new Error('the terminal did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    const tty = fs.readFileSync(file, 'utf8').trim();
    if (!tty.startsWith('/dev/')) throw new Error(`the terminal has no tty (${tty})`);
    return tty;
  }

  private closeTerminal(): void {
    if (this.terminalDir) fs.rmSync(this.terminalDir, { recursive: true, force: true });
    this.terminalDir = undefined;
  }

  /** What the program wrote and no traced call claimed, before saying the session is over. */
  private async drainOutput(): Promise<void> {
    if (!this.output) return;
    await this.output.ended(OUTPUT_DRAIN_MS);
    for (const o of this.output.unclaimed(true)) this.sendEvent(new OutputEvent(o.text, o.stream));
    this.output.close();
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
        if (ev.formerTid !== undefined) this.tasks.delete(ev.formerTid);
      } else if (ev.kind === 'exit' || ev.kind === 'detach') {
        this.tasks.delete(ev.tid);
        this.held.delete(ev.tid);
        this.sendEvent(new ThreadEvent('exited', ev.tid));
      }
    }
  }

  // ---- Stops ---------------------------------------------------------------

  private get allStopped(): boolean {
    return this.interrupting !== undefined || this.stopped !== undefined;
  }

  private onControl(ev: ControlEvent): void {
    const control = this.trace?.control;
    if (!control || this.disconnected) return;
    if (ev.kind === 'allHeld') {
      if (this.interrupting) this.report(this.interrupting);
      return;
    }
    this.held.set(ev.tid, ev);
    if ((ev.reasons & ~HoldReason.Interrupt) === 0) return; // one of an all-stop's tasks
    let stop: Stop | undefined;
    const step = this.steps.get(ev.tid);
    if (ev.reasons & HoldReason.Step && step && (step.mode === 'over' || userFrames(ev.stack).length < step.depth)) {
      this.steps.delete(ev.tid);
      stop = { reason: 'step', tid: ev.tid, description: `Stepped to ${ev.phase === 'exit' ? 'the return of ' : ''}${describeCall(ev, this.table)}` };
    }
    const verdict = this.breakpoints.evaluate(ev);
    for (const line of verdict.logs) this.sendEvent(new OutputEvent(`${line}\n`, 'console'));
    if (verdict.stop) {
      // A breakpoint ends a step, as in any debugger.
      this.steps.delete(ev.tid);
      stop = { ...verdict.stop, tid: ev.tid };
    }
    if (!stop) {
      if (this.allStopped) return; // stays held with the others
      this.held.delete(ev.tid);
      control.resume(ev.tid, this.steps.has(ev.tid));
      return;
    }
    if (this.allStopped) {
      this.pendingStops.push(stop);
      return;
    }
    this.interrupting = stop;
    control.interruptAll();
  }

  private report(stop: Stop): void {
    this.interrupting = undefined;
    this.stopped = stop;
    const held = this.held.get(stop.tid);
    if (stop.reason === 'pause' && held) {
      const top = shownFrames(held.stack)[0];
      stop.description =
        held.nr !== undefined ? `Paused in ${describeCall(held, this.table)}` : `Paused${top?.function ? ` in ${top.function}` : ''}`;
    }
    const e = new StoppedEvent(stop.reason, stop.tid, stop.text) as DebugProtocol.StoppedEvent;
    e.body.description = stop.description;
    e.body.allThreadsStopped = true;
    if (stop.hitBreakpointIds?.length) e.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(e);
  }

  /** Lets every task go; a stop that happened meanwhile is reported instead (nothing runs). */
  private resumeAll(stepTid = 0): void {
    const control = this.trace?.control;
    this.views.reset();
    this.stopped = undefined;
    while (this.pendingStops.length) {
      const next = this.pendingStops.shift()!;
      if (!this.held.has(next.tid)) continue;
      if (stepTid) this.steps.delete(stepTid);
      this.report(next);
      return;
    }
    this.held.clear();
    control?.resumeAll(stepTid, stepTid !== 0);
  }

  protected continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.resumeAll();
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
  }

  protected nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.step(args.threadId, { mode: 'over', depth: 0 });
    this.sendResponse(response);
  }

  protected stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    // The unit is the syscall: there is nothing smaller to step into.
    this.step(args.threadId, { mode: 'over', depth: 0 });
    this.sendResponse(response);
  }

  protected stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    const held = this.held.get(args.threadId);
    this.step(args.threadId, { mode: 'out', depth: held ? userFrames(held.stack).length : 0 });
    this.sendResponse(response);
  }

  private step(tid: number, step: Step): void {
    if (!this.held.has(tid)) return;
    this.steps.set(tid, step);
    this.resumeAll(tid);
  }

  protected pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    if (!this.allStopped && this.trace) {
      const tid = this.tasks.has(args.threadId) ? args.threadId : this.mainPid;
      this.interrupting = { reason: 'pause', tid, description: 'Paused' };
      this.trace.control.interruptAll();
    }
    this.sendResponse(response);
  }

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [...this.tasks.values()].map((t) => new Thread(t.tid, taskName(t.pid, t.tid, t.name))) };
    this.sendResponse(response);
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    response.body = this.views.stackTrace(this.stopped ? this.held.get(args.threadId) : undefined, args.startFrame ?? 0, args.levels ?? 0);
    this.sendResponse(response);
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const tid = this.views.frameTask(args.frameId);
    const held = tid === undefined ? undefined : this.held.get(tid);
    response.body = { scopes: held ? this.views.scopes(held) : [] };
    this.sendResponse(response);
  }

  protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const scope = this.views.scopeOf(args.variablesReference);
    const held = scope && this.held.get(scope.tid);
    response.body = { variables: held ? this.views.variables(held, scope.kind) : [] };
    this.sendResponse(response);
  }

  protected setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    const scope = this.views.scopeOf(args.variablesReference);
    const held = scope && this.held.get(scope.tid);
    const control = this.trace?.control;
    const refuse = (message: string) => this.sendErrorResponse(response, { id: 2001, format: message, showUser: true });
    if (!held || !control || scope.kind !== 'syscall') return refuse('Only the syscall\'s "errno" and "result" can be set (fault injection).');
    if (held.phase !== 'entry' && held.phase !== 'exit') return refuse('The outcome of a call can be set at its entry or its return, not while it is blocked.');
    const value = args.value.trim();
    if (args.name === 'errno') {
      const n = /^\d+$/.test(value) ? Number(value) : errnoNumber(value);
      if (!n || n <= 0 || n > 4095) return refuse(`"${value}" is not an errno name or number (e.g. ENOENT, EACCES, 5)`);
      const name = errnoInfo(n)[0];
      control.setOutcome(held.tid, 'errno', n);
      if (held.phase === 'exit') Object.assign(held, { ret: -n, errno: name, retText: undefined, injected: true });
      else held.planned = { errno: name };
      response.body = { value: held.phase === 'exit' ? name : `${name} (will fail without running the call)` };
    } else if (args.name === 'result') {
      if (!/^-?\d+$/.test(value) && !/^0x[0-9a-f]+$/i.test(value)) return refuse(`"${value}" is not an integer`);
      const v = Number(value);
      if (v < 0) return refuse('Set "errno" to make the call fail; "result" is what a successful call returns.');
      control.setOutcome(held.tid, 'retval', v);
      if (held.phase === 'exit') Object.assign(held, { ret: v, errno: undefined, retText: undefined, injected: true });
      else held.planned = { retval: v };
      response.body = { value: String(v) };
    } else {
      return refuse('Only the syscall\'s "errno" and "result" can be set (fault injection).');
    }
    this.sendResponse(response);
  }

  protected readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const tid = this.stopped?.tid;
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
    if (lines.length) this.sendEvent(new Event(EVENT_LINE_STATS, { lines }));
    this.sendEvent(new Event(EVENT_PROGRESS, { syscalls: this.syscalls, tasks: this.tasks.size }));
  }

  private finish(result: SessionResult): void {
    if (this.timer) clearInterval(this.timer);
    this.closeTerminal();
    this.publishLive();
    const file = this.run?.traceFile?.path;
    if (file) this.sendEvent(new Event(EVENT_TRACE_FILE, { path: file }));
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
