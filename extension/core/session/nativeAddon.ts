// Loads the native tracer (build/Release/renacer.node) and types its surface.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * strace's flags that the tracer itself carries out, the same from every face
 * (CLI, debug adapter) through the run recipe and the session to the addon.
 */
export interface TracerFlags {
  followForks?: boolean;
  /** strace -b execve: let a task go at its execve (not the launched program's own). */
  detachOnExecve?: boolean;
  /** --syscall-limit: let every task go after this many reported calls. */
  syscallLimit?: number;
  /** strace -P: only the calls that touch one of these paths (through a path or a descriptor). */
  tracePaths?: string[];
  /** strace -e read=SET / -e write=SET: descriptors whose data is dumped in hex ('all': every one). */
  readFds?: number[] | 'all';
  writeFds?: number[] | 'all';
  /** strace -e raw=SET: these syscalls' arguments and results as raw hex numbers ('all': every call). */
  rawCalls?: number[] | 'all';
  /** strace -v / -e abbrev=SET: these syscalls' structures and argument arrays printed whole ('all': every call). */
  wholeCalls?: number[] | 'all';
  /** strace -X: named constants as names (abbrev), numbers (raw) or both (verbose). */
  constStyle?: 'abbrev' | 'raw' | 'verbose';
  /** strace -y / --decode-fds=SET: what each descriptor refers to, after it ("3</etc/hostname>"). */
  decodeFds?: DecodeFdKind[];
  /** strace -k: each syscall's stack, as strace prints it (SyscallEvent.backtrace); 'source' (-kk): with each frame's file:line. */
  backtrace?: boolean | 'source';
}

const TRACER_FLAGS: ReadonlyArray<keyof TracerFlags> = ['followForks', 'detachOnExecve', 'syscallLimit', 'tracePaths', 'readFds', 'writeFds', 'rawCalls', 'wholeCalls', 'constStyle', 'decodeFds', 'backtrace'];

/** The tracer's flags of `o`, and nothing else of it. */
export function tracerFlags(o: TracerFlags): TracerFlags {
  const out: Record<string, unknown> = {};
  for (const k of TRACER_FLAGS) if (o[k] !== undefined) out[k] = o[k];
  return out as TracerFlags;
}

export interface NativeSessionOptions extends TracerFlags {
  path?: string;
  argv?: string[];
  env?: string[];
  cwd?: string;
  /** Become this user before exec (strace -u). */
  user?: { uid: number; gid: number; groups: number[] };
  attach?: number[];
  /** Give the program pipes for stdout/stderr (and /dev/null as stdin). */
  captureOutput?: boolean;
  /** Deliver each event before the tracee goes on: trace lines in order with the program's output on a terminal. */
  lockstep?: boolean;
  /** A terminal device for the program's stdin/stdout/stderr (instead of captureOutput). */
  tty?: string;
  /** Syscall numbers to trace; absent means all. */
  traced?: number[];
  stringLimit?: number;
  /** Resolve each syscall's source line (--source). */
  source?: { userRoots?: string[]; fullStack?: boolean };
  /** Debugging: where to hold tasks from the start (its syscalls join the seccomp filter). */
  stops?: NativeStopConfig;
}

/** strace's --decode-fds kinds (-y is path; -yy all four). */
export type DecodeFdKind = 'path' | 'socket' | 'dev' | 'pidfd';

/** Where the tracer holds tasks for the debugger (native/src/tracer.h StopConfig). */
export interface NativeStopConfig {
  /** Syscall numbers: hold at entry. */
  syscalls: number[];
  /** Hold at the exit of a failed call. */
  failed: boolean;
  /** Hold before a signal is delivered. */
  signals: boolean;
  /** "file:line" (the file as the DWARF names it): hold at entry when the line is on the stack. */
  lines: string[];
}

export interface NativeEndResult {
  exitStatus: number | null;
  exitSignal: number;
  interrupted: boolean;
  syscalls: number;
  /** ptrace stops the tracees paid for. */
  stops: number;
  endNs: number;
  error?: string;
}

export interface NativeSession {
  start(
    onBatch: (numbers: Float64Array, strings: string[]) => void,
    onEnd: (result: NativeEndResult) => void,
  ): { pid: number; originWallNs: bigint; stdoutFd?: number; stderrFd?: number };
  stop(): void;
  ack(): void;
  /** Before start: the initial stops; after: replaces them at once. */
  configureStops(config: NativeStopConfig): void;
  /** Lets one held task go (`step`: hold it again at its next syscall stop). */
  /** `signal`: delivered as the task goes on (from a syscall stop: as the call returns). */
  resume(tid: number, step?: boolean, signal?: number): void;
  /** Lets every held task go, ending an all-stop; `stepTid` is held again at its next syscall stop. */
  resumeAll(stepTid?: number, step?: boolean): void;
  /** Holds every task (all-stop); an AllHeld event follows once they all are. */
  interruptAll(): void;
  /** Fault injection at a held syscall: at entry the call is skipped, at exit its result replaced. */
  setOutcome(tid: number, kind: 'errno' | 'retval', value: number | bigint): void;
  /** Memory of a stopped task (shorter at an unreadable page). */
  readMemory(tid: number, address: bigint, length: number): Buffer;
}

export interface NativeSyscall {
  nr: number;
  name: string;
  nargs: number;
  classes: number;
}

/** What one TraceFileScanner.scan read (native/src/trace_file_scanner.cc): its syscalls, with keys for texts. */
export interface NativeScanBatch {
  /** Bytes of the input in whole members read; the member there is left to the caller. */
  consumed: number;
  count: number;
  pid: Int32Array;
  tid: Int32Array;
  start: Float64Array;
  dur: Float64Array;
  /** Keys: names from 0; errnos, sites and paths from 1 (0: none). */
  name: Uint32Array;
  errno: Uint32Array;
  site: Uint32Array;
  path: Uint32Array;
  /** 1: unfinished (`"ret":null`). */
  flags: Uint8Array;
  /** The return value (NaN when unfinished). */
  ret: Float64Array;
  /** Texts first seen in this batch, in key order; a site's text starts at the `,` after dur_ns. */
  newNames: string[];
  newErrnos: string[];
  newSites: string[];
  newSiteLines: Float64Array;
  /** The `args` array's JSON, with the key of the syscall name it came with. */
  newPaths: string[];
  newPathNames: Float64Array;
  newPathLines: Float64Array;
  /** Per mark, 5 numbers: kind (0 member, 1 line), syscalls before it, then offset and length (member) or slow's [from, to) and the line number (line). */
  marks: Float64Array;
  /** The bytes of the lines not read here, for traceLineDecoder.ts. */
  slow: Buffer;
}

export interface NativeTraceFileScanner {
  scan(bytes: Uint8Array, fileOffset: number): NativeScanBatch;
  /** The start of a line the last member left unfinished (handed over and forgotten). */
  takeCarry(): Buffer;
  /** Lines seen, the header included. */
  readonly lines: number;
  /** The first line, the session header, is still to be skipped. */
  readonly headerPending: boolean;
}

export interface NativeScannerOptions {
  /** The session's origin_wall_ns split at 1e9 (traceLineDecoder.ts's arithmetic). */
  originHi: number;
  originLo: number;
  /** Syscalls whose arguments name a path (their `args` are interned). */
  pathNames: string[];
  skipFirstLine: boolean;
}

export interface NativeAddon {
  Session: new (options: NativeSessionOptions) => NativeSession;
  TraceFileScanner: new (options: NativeScannerOptions) => NativeTraceFileScanner;
  /** gzip with libdeflate on the thread pool (native/src/gzip_worker.cc). */
  gzip(bytes: Uint8Array, level?: number): Promise<Buffer>;
  syscallTable(): NativeSyscall[];
  errnoInfo(errno: number): [string, string];
  /** Every errno's name by number ('' where none is known). */
  errnoNames(): string[];
  signalName(sig: number): string;
  /** Breakpoint verification: the lines of `file` with code in the ELF file `elf`. */
  codeLines(elf: string, file: string): { lines: number[]; file: string } | { error: string };
  eventFields: number;
}

/** Field layout of one event in a batch's Float64Array (see native_event.h). */
export const enum EventField {
  Kind = 0,
  Flags = 1,
  Pid = 2,
  Tid = 3,
  A = 4,
  B = 5,
  Ret = 6,
  T0 = 7,
  T1 = 8,
  /** The address after a syscall's instruction; where a signal was delivered (0: unknown). */
  Ip = 9,
}
/** Numbers per event; the addon's `eventFields` must agree (checked at load). */
export const EVENT_FIELDS = 10;

export const enum NativeEventKind {
  Syscall = 0,
  Spawn = 1,
  Fork = 2,
  Exec = 3,
  Signal = 4,
  Stopped = 5,
  Exit = 6,
  Detach = 7,
  Hold = 8,
  AllHeld = 9,
}

export const enum NativeEventFlag {
  NoReturn = 1,
  CoreDumped = 2,
  Thread = 4,
  Error = 8,
  ExitStop = 16,
  InSyscall = 32,
  Injected = 64,
  EntryStop = 128,
  Detached = 256,
}

/** Why a task is held (bits, native_event.h HoldReason). */
export const enum HoldReason {
  Syscall = 1,
  Line = 2,
  Failed = 4,
  Signal = 8,
  Step = 16,
  Interrupt = 32,
}

let cached: NativeAddon | undefined;

/** Where the addon is: RENACER_ADDON, else build/Release above this file (source tree or bundle). */
export function addonPath(): string {
  if (process.env.RENACER_ADDON) return process.env.RENACER_ADDON;
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'build', 'Release', 'renacer.node');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(
    'renacer: the native tracer (build/Release/renacer.node) is not built; run `npm install` (needs g++ and make)',
  );
}

export function loadAddon(): NativeAddon {
  if (process.platform !== 'linux') {
    throw new Error(`renacer traces Linux programs with ptrace; this is ${process.platform}`);
  }
  if (!cached) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(addonPath()) as NativeAddon;
    if (addon.eventFields !== EVENT_FIELDS) {
      throw new Error(`renacer: the native tracer (${addonPath()}) lays events out in ${addon.eventFields} numbers, this renacer reads ${EVENT_FIELDS}: it is from another version; rebuild it (npm rebuild renacer, or npm install)`);
    }
    cached = addon;
  }
  return cached;
}
