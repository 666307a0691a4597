// One trace run: launches (or attaches to) a program under the native tracer
// and turns its event batches into TraceEvents for the sinks.
import { errnoInfo, signalName } from './errnoNames';
import type {
  ProcessEvent,
  SessionInfo,
  SessionResult,
  SyscallEvent,
  TraceEvent,
  TraceSink,
} from './events';
import {
  EventField,
  NativeEventFlag,
  NativeEventKind,
  EVENT_FIELDS,
  loadAddon,
  type NativeEndResult,
  type NativeSession,
} from './nativeAddon';
import { heldTaskOf, type ControlEvent } from './heldTask';
import { syscallTable } from './syscallTable';
import { tracerFlags, type NativeStopConfig, type TracerFlags } from './nativeAddon';

export interface LaunchTarget {
  /** Resolved path of the program. */
  path: string;
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** Run the program as this user (strace -u): its uid, gid and supplementary groups. */
  user?: { uid: number; gid: number; groups: number[] };
}

export interface TraceOptions extends TracerFlags {
  launch?: LaunchTarget;
  attach?: number[];
  /** Syscall numbers to trace; null/undefined means all. */
  traced?: Set<number> | null;
  /** strace -s: the longest string shown (default 32). */
  stringLimit?: number;
  /** Map syscalls to source lines. */
  source?: { userRoots?: string[]; fullStack?: boolean };
  /** Give the program pipes for stdout/stderr (see TraceSession.output). */
  captureOutput?: boolean;
  /** Each event reaches the sinks before the tracee goes on (output to a terminal). */
  lockstep?: boolean;
  /** A terminal device for the program's stdio (a debug session's integrated terminal). */
  tty?: string;
  /** Debugging: where the tracer holds tasks from the start. */
  stops?: NativeStopConfig;
  /** Debugging: held tasks, in order with the events (every event before a hold has reached the sinks). */
  onControl?: (ev: ControlEvent) => void;
}

const FIELDS = EVENT_FIELDS;
const STRINGS = 3;

export class TraceSession {
  private native?: NativeSession;
  private info?: SessionInfo;
  private chain: Promise<void> = Promise.resolve();
  private failure?: unknown;
  private stopRequested = false;

  constructor(
    private readonly options: TraceOptions,
    private readonly sinks: TraceSink[],
  ) {}

  /** Starts tracing. Resolves with the session info once the program runs. */
  async start(): Promise<SessionInfo> {
    const addon = loadAddon();
    const { launch, attach } = this.options;
    const native = new addon.Session({
      path: launch?.path,
      argv: launch?.argv,
      env: launch ? Object.entries(launch.env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`) : undefined,
      cwd: launch?.cwd,
      user: launch?.user,
      attach,
      ...tracerFlags(this.options),
      captureOutput: this.options.captureOutput ?? false,
      tty: this.options.tty,
      lockstep: this.options.lockstep,
      traced: this.options.traced ? [...this.options.traced] : undefined,
      stringLimit: this.options.stringLimit ?? 32,
      source: this.options.source,
      stops: this.options.stops,
    });
    this.native = native;
    let resolveEnd!: (r: NativeEndResult) => void;
    this.ended = new Promise((r) => (resolveEnd = r));
    const started = native.start(
      (numbers, strings) => this.onBatch(numbers, strings),
      (result) => resolveEnd(result),
    );
    this.output = { stdout: started.stdoutFd, stderr: started.stderrFd };
    this.info = {
      program: launch?.path ?? '',
      argv: launch?.argv ?? [],
      pid: started.pid,
      attached: !launch,
      originWallNs: started.originWallNs,
      cwd: launch?.cwd ?? process.cwd(),
    };
    for (const s of this.sinks) await s.onStart?.(this.info);
    return this.info;
  }

  private ended?: Promise<NativeEndResult>;

  /** With captureOutput: read ends of the program's stdout and stderr (the caller closes them). */
  output: { stdout?: number; stderr?: number } = {};

  /** Resolves when the traced program is gone (or detached) and every sink has finished. */
  async finished(): Promise<SessionResult & { error?: string }> {
    if (!this.ended) throw new Error('session not started');
    const end = await this.ended;
    await this.chain;
    const result: SessionResult & { error?: string } = {
      exitStatus: end.exitStatus,
      interrupted: end.interrupted,
      syscalls: end.syscalls,
      stops: end.stops,
      endNs: end.endNs,
      error: end.error,
    };
    for (const s of this.sinks) await s.onEnd?.(result);
    if (this.failure) throw this.failure;
    return result;
  }

  /** Stops tracing: a launched program is killed, an attached one detached. */
  stop(): void {
    this.stopRequested = true;
    this.native?.stop();
  }

  get sessionInfo(): SessionInfo | undefined {
    return this.info;
  }

  /** The debugger's control of the tracer (see NativeSession). */
  get control(): NativeSession {
    if (!this.native) throw new Error('session not started');
    return this.native;
  }

  private onBatch(numbers: Float64Array, strings: string[]): void {
    const control: Array<{ at: number; ev: ControlEvent }> = [];
    const events = decodeBatch(numbers, strings, control);
    // Sinks run in order, one batch at a time; the native side is acked only
    // when every sink is done with the batch, which is the backpressure.
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        let from = 0;
        for (const c of control) {
          if (c.at > from) await this.deliver(events.slice(from, c.at));
          from = c.at;
          this.options.onControl?.(c.ev);
        }
        await this.deliver(from ? events.slice(from) : events);
      } catch (e) {
        this.failure = e;
        this.stop();
      }
    }).finally(() => this.native?.ack());
  }

  private async deliver(events: TraceEvent[]): Promise<void> {
    if (!events.length) return;
    for (const s of this.sinks) {
      const r = s.onEvents(events);
      if (r) await r;
    }
  }
}

// A loop's calls come from a few sites: each site's JSON is parsed once and
// its objects shared by the events (nothing downstream changes them).
const sourceCache = new Map<string, Pick<SyscallEvent, 'source' | 'stack'>>();
function parsedSource(json: string): Pick<SyscallEvent, 'source' | 'stack'> {
  const known = sourceCache.get(json);
  if (known) return known;
  const parsed = JSON.parse(json) as Pick<SyscallEvent, 'source' | 'stack'> & { notices?: unknown };
  // Notices are taken off the event they came with (sourceNotices.ts): never shared.
  if (parsed.notices !== undefined) return parsed;
  if (sourceCache.size >= 4096) sourceCache.clear();
  sourceCache.set(json, parsed);
  return parsed;
}

/**
 * A batch's trace events; debugger events (holds) go to `control`, each with
 * the number of trace events that came before it.
 */
export function decodeBatch(numbers: Float64Array, strings: string[], control?: Array<{ at: number; ev: ControlEvent }>): TraceEvent[] {
  const table = syscallTable();
  const n = numbers.length / FIELDS;
  const out: TraceEvent[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * FIELDS;
    const kind = numbers[o + EventField.Kind];
    const flags = numbers[o + EventField.Flags];
    const pid = numbers[o + EventField.Pid];
    const tid = numbers[o + EventField.Tid];
    const a = numbers[o + EventField.A];
    const b = numbers[o + EventField.B];
    const t0 = numbers[o + EventField.T0];
    const t1 = numbers[o + EventField.T1];
    const s1 = strings[STRINGS * i];
    const s2 = strings[STRINGS * i + 1];
    const s3 = strings[STRINGS * i + 2];
    if (kind === NativeEventKind.Hold) {
      const ret = numbers[o + EventField.Ret];
      control?.push({ at: out.length, ev: heldTaskOf({ flags, pid, tid, a, b, ret, t0, s1, s2, s3 }) });
      continue;
    }
    if (kind === NativeEventKind.AllHeld) {
      control?.push({ at: out.length, ev: { kind: 'allHeld', timeNs: t0 } });
      continue;
    }
    if (kind === NativeEventKind.Syscall) {
      const ev: SyscallEvent = {
        type: 'syscall',
        pid,
        tid,
        nr: a,
        name: table.name(a),
        args: s1 === '' ? [] : s1.split('\0'),
        ret: null,
        startNs: t0,
        endNs: t1,
      };
      if (!(flags & NativeEventFlag.NoReturn)) {
        if (flags & NativeEventFlag.Error) {
          ev.ret = -1;
          ev.errno = errnoInfo(b)[0];
        } else {
          ev.ret = numbers[o + EventField.Ret];
        }
      }
      if (s2 !== '') ev.retText = s2;
      const ip = numbers[o + EventField.Ip];
      if (ip) ev.ip = ip;
      if (flags & NativeEventFlag.Injected) ev.injected = true;
      if (flags & NativeEventFlag.Detached) ev.detached = true;
      // The resolver hands over {source, stack} as JSON (native/src/source_resolver.h).
      if (s3 !== '') Object.assign(ev, parsedSource(s3));
      out.push(ev);
      continue;
    }
    const ev: ProcessEvent = { type: 'process', kind: 'spawn', pid, tid, timeNs: t0 };
    switch (kind) {
      case NativeEventKind.Spawn:
        ev.kind = 'spawn';
        if (s1) ev.path = s1;
        break;
      case NativeEventKind.Fork:
        ev.kind = 'fork';
        ev.parentTid = a;
        ev.parentPid = b;
        ev.thread = (flags & NativeEventFlag.Thread) !== 0;
        break;
      case NativeEventKind.Exec:
        ev.kind = 'exec';
        if (s1) ev.path = s1;
        if (a !== tid) ev.formerTid = a;
        break;
      case NativeEventKind.Signal:
        ev.kind = 'signal';
        ev.signal = signalName(a);
        if (s1) ev.siginfo = s1;
        if (numbers[o + EventField.Ip]) ev.ip = numbers[o + EventField.Ip];
        if (s3) ev.backtrace = JSON.parse(s3) as string[];
        break;
      case NativeEventKind.Stopped:
        ev.kind = 'stopped';
        ev.signal = signalName(a);
        break;
      case NativeEventKind.Exit:
        ev.kind = 'exit';
        if (b) {
          ev.signal = signalName(a);
          if (flags & NativeEventFlag.CoreDumped) ev.coreDumped = true;
        } else {
          ev.exitCode = a;
        }
        break;
      case NativeEventKind.Detach:
        ev.kind = 'detach';
        break;
    }
    out.push(ev);
  }
  return out;
}
