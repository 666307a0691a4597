// The events a trace session produces. Every consumer (text/JSON/CSV output,
// the -c summary, the trace file, span export, the editor) reads these.
//
// Times are nanoseconds on the session's clock: monotonic, counted from the
// session's origin. `SessionInfo.originWallNs` anchors that clock to the wall
// clock, so an absolute time is originWallNs + BigInt(t).

/** A source location resolved for a stack frame (issue: source correlation). */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
  function?: string;
  /** The line `function` is declared on (DWARF): a line's place within its function is `line - function_line`. */
  function_line?: number;
  /** Inlined callers, innermost first, when the frame is an inline expansion. */
  inlined?: Array<{ file: string; line: number; column?: number; function?: string; function_line?: number }>;
}

/** A location in the language a transpiler generated the code from. */
export interface OriginalLocation {
  file: string;
  line: number;
  function?: string;
  language?: string;
  context?: string;
  decisionId?: string;
}

export interface SyscallEvent {
  type: 'syscall';
  /** Thread group id (what `ps` calls the PID). */
  pid: number;
  /** Kernel task id of the calling thread. */
  tid: number;
  nr: number;
  name: string;
  /** Arguments rendered as strace renders them. */
  args: string[];
  /**
   * What the program sees: the return value, -1 when the call failed (see
   * `errno`), or null when the call never returned (exit_group, a task killed
   * while inside a syscall).
   */
  ret: number | null;
  /** strace's rendering of the return value when it is not the plain number (`0x7f…`, `0 (Timeout)`). */
  retText?: string;
  /** errno name on failure, e.g. 'ENOENT'. */
  errno?: string;
  startNs: number;
  /** Exit time; equals startNs when the call never returned. */
  endNs: number;
  source?: SourceLocation;
  /** The user call stack, innermost first (with --source when the resolver reports it). */
  stack?: SourceLocation[];
  original?: OriginalLocation;
  /** The outcome was set by renacer (fault injection: the debugger's setVariable, `-e inject=`). */
  injected?: boolean;
  /** renacer held the call back (`-e inject=…:delay_enter=`/`delay_exit=`; strace's ` (DELAYED)`). */
  delayed?: boolean;
  /** strace -k's lines for the call's stack, ` > /lib/libc.so.6(read+0x11) [0x10c7a1]`; not in the trace file. */
  backtrace?: string[];
  /** strace -e read=/write=: the bytes moved, as strace's hex dump lines (` | 00000  68 69 0a …  hi. |`); not in the trace file. */
  dump?: string[];
  /** renacer let the task go inside this call (strace -b execve): it never returns to the trace. */
  detached?: boolean;
  /** The address after the syscall instruction (strace -i); not in the trace file. */
  ip?: number;
}

export type ProcessEventKind =
  | 'spawn' // the launched program (or an attached process) enters the trace
  | 'fork' // a new process or thread (`thread: true`) appeared
  | 'exec' // a process replaced its image
  | 'signal' // a signal was delivered
  | 'stopped' // group-stop (SIGSTOP, SIGTSTP…)
  | 'exit' // a task exited (`exitCode`) or was killed (`signal`)
  | 'detach'; // renacer let go of an attached task, which keeps running

export interface ProcessEvent {
  type: 'process';
  kind: ProcessEventKind;
  pid: number;
  tid: number;
  timeNs: number;
  /** fork: the pid/tid of the task that created this one. */
  parentPid?: number;
  parentTid?: number;
  /** fork: true for a thread (CLONE_THREAD). */
  thread?: boolean;
  /** exec/spawn: the program path. */
  path?: string;
  /** exec: the tid that called execve when a non-leader thread exec'd. */
  formerTid?: number;
  /** exit: the exit code. */
  exitCode?: number;
  /** signal/stopped/exit-by-signal: the signal name, e.g. 'SIGSEGV'. */
  signal?: string;
  /** exit-by-signal: core dumped. */
  coreDumped?: boolean;
  /** signal: strace's rendering of the siginfo, `{si_signo=SIGCHLD, …}`. */
  siginfo?: string;
  /** signal: strace -k's lines for the task's stack when it was delivered; not in the trace file. */
  backtrace?: string[];
  /** signal: where the task was when it was delivered (strace -i); not in the trace file. */
  ip?: number;
}

export type TraceEvent = SyscallEvent | ProcessEvent;

export interface SessionInfo {
  /** Path of the traced program (after PATH lookup), or the attached pid's exe. */
  program: string;
  argv: string[];
  /** The launched or attached process. */
  pid: number;
  attached: boolean;
  /** Wall-clock time (ns since the Unix epoch) of the session clock's origin. */
  originWallNs: bigint;
  cwd: string;
}

export interface SessionResult {
  /** The traced program's exit status: its exit code, 128+signal when killed, null when attached and detached. */
  exitStatus: number | null;
  /** Why the session ended early, if it did ('interrupted' on Ctrl-C / SIGTERM). */
  interrupted?: boolean;
  syscalls: number;
  /** ptrace stops the tracees paid for (0 for a task that never made a traced call). */
  stops?: number;
  endNs: number;
}

/**
 * A consumer of a session's events. Batches arrive in order. When onEvents
 * returns a promise, the session waits for it before delivering more, and the
 * tracer (and so the traced program) waits with it: nothing is dropped.
 */
export interface TraceSink {
  onStart?(info: SessionInfo): void | Promise<void>;
  onEvents(events: TraceEvent[]): void | Promise<void>;
  onEnd?(result: SessionResult): void | Promise<void>;
}

/** Absolute wall-clock ns of a session time, exact (BigInt). */
export function wallNs(info: SessionInfo, t: number): bigint {
  return info.originWallNs + BigInt(Math.round(t));
}
