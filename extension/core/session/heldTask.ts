// What the tracer reports when it holds a task for the debugger (a Hold event,
// native/src/tracer_control.cc), and when every task is held (AllHeld).
import { errnoInfo, signalName } from './errnoNames';
import { HoldReason, NativeEventFlag } from './nativeAddon';

/** One frame of a held task's stack (native/src/stop_report.h), innermost first. */
export interface HeldFrame {
  pc: string;
  module: string;
  function?: string;
  /** pc − the symbol's start, when the name came from the symbol table. */
  offset?: number;
  file?: string;
  line?: number;
  column?: number;
  /** 3 user code, 2 other non-system code, 1 system, 0 unknown (native CodeKind). */
  kind: number;
  /** An inline expansion inside the next frame. */
  inlined?: boolean;
  /** In a system library. */
  system?: boolean;
}

export interface HeldTask {
  kind: 'hold';
  pid: number;
  tid: number;
  /** Where in a syscall: at its entry (not run yet), its exit, inside it (interrupted while blocked), or outside any. */
  phase: 'entry' | 'exit' | 'inside' | 'outside';
  /** HoldReason bits. */
  reasons: number;
  /** The syscall (phase other than 'outside'). */
  nr?: number;
  /** Rendered as strace does, at entry or exit. */
  args: string[];
  /** At exit: the raw result (negative errno on failure). */
  ret?: number;
  retText?: string;
  errno?: string;
  injected: boolean;
  /** HoldReason.Signal: the signal about to be delivered. */
  signal?: string;
  regs: Record<string, string>;
  rawArgs: string[];
  stack: HeldFrame[];
  timeNs: number;
  /** Set by the debugger at an entry stop: what the call returns instead of running. */
  planned?: { errno?: string; retval?: number };
}

export interface AllHeld {
  kind: 'allHeld';
  timeNs: number;
}

export type ControlEvent = HeldTask | AllHeld;

interface StopReport {
  regs?: Record<string, string>;
  args?: string[];
  stack?: HeldFrame[];
}

/** A Hold event's fields (see native_event.h) as a HeldTask. */
export function heldTaskOf(f: {
  flags: number;
  pid: number;
  tid: number;
  a: number;
  b: number;
  ret: number;
  t0: number;
  s1: string;
  s2: string;
  s3: string;
}): HeldTask {
  const report = (f.s3 ? JSON.parse(f.s3) : {}) as StopReport;
  const phase =
    f.flags & NativeEventFlag.ExitStop ? 'exit'
      : f.flags & NativeEventFlag.EntryStop ? 'entry'
        : f.flags & NativeEventFlag.InSyscall ? 'inside'
          : 'outside';
  const held: HeldTask = {
    kind: 'hold',
    pid: f.pid,
    tid: f.tid,
    phase,
    reasons: f.b,
    args: f.s1 === '' ? [] : f.s1.split('\0'),
    injected: (f.flags & NativeEventFlag.Injected) !== 0,
    regs: report.regs ?? {},
    rawArgs: report.args ?? [],
    stack: report.stack ?? [],
    timeNs: f.t0,
  };
  if (f.b & HoldReason.Signal) held.signal = signalName(f.a);
  else if (phase !== 'outside') held.nr = f.a;
  if (phase === 'exit') {
    held.ret = f.ret;
    if (f.flags & NativeEventFlag.Error) held.errno = errnoInfo(-f.ret)[0];
    if (f.s2) held.retText = f.s2;
  }
  return held;
}
