// The debug session's all-stop rules, as gdb's: when one task stops every
// task is held; a stop that happens meanwhile waits for the next resume.
// Steps (over, out) are per task and end at a stop or a breakpoint.
import { OutputEvent, StoppedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';

import type { ControlEvent, HeldTask } from '../core/session/heldTask';
import { HoldReason, type NativeSession } from '../core/session/nativeAddon';
import type { SyscallTable } from '../core/session/syscallTable';
import { describeCall, userFrames, type BreakpointTable } from './breakpointTable';
import { shownFrames, type StopViews } from './stopViews';

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

export class AllStop {
  /** Tasks the tracer holds, by tid, with what it reported. */
  private readonly held = new Map<number, HeldTask>();
  /** A stop waiting for every task to be held (all-stop). */
  private interrupting?: Stop;
  /** The stop the client was told of, until it resumes. */
  private stopped?: Stop;
  /** Stops that happened while another was in progress: reported on the next resume. */
  private readonly pendingStops: Stop[] = [];
  private readonly steps = new Map<number, Step>();

  constructor(
    private readonly table: SyscallTable,
    private readonly breakpoints: BreakpointTable,
    private readonly views: StopViews,
    /** The tracer's control, once it runs. */
    private readonly control: () => NativeSession | undefined,
    private readonly sendEvent: (e: DebugProtocol.Event) => void,
  ) {}

  /** What a held task reported (its stack, registers, syscall). */
  task(tid: number): HeldTask | undefined {
    return this.held.get(tid);
  }

  /** The task of the stop the client was told of, until it resumes. */
  get stoppedTid(): number | undefined {
    return this.stopped?.tid;
  }

  taskExited(tid: number): void {
    this.held.delete(tid);
  }

  private get allStopped(): boolean {
    return this.interrupting !== undefined || this.stopped !== undefined;
  }

  onControl(ev: ControlEvent): void {
    const control = this.control();
    if (!control) return;
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
  resumeAll(stepTid = 0): void {
    const control = this.control();
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

  /** Next and Step In: the unit is the syscall, so both run to the task's next one. */
  stepOver(tid: number): void {
    this.step(tid, { mode: 'over', depth: 0 });
  }

  stepOut(tid: number): void {
    const held = this.held.get(tid);
    this.step(tid, { mode: 'out', depth: held ? userFrames(held.stack).length : 0 });
  }

  private step(tid: number, step: Step): void {
    if (!this.held.has(tid)) return;
    this.steps.set(tid, step);
    this.resumeAll(tid);
  }

  /** Stops every task, the stop reported as `tid`'s. */
  pause(tid: number): void {
    if (this.allStopped) return;
    const control = this.control();
    if (!control) return;
    this.interrupting = { reason: 'pause', tid, description: 'Paused' };
    control.interruptAll();
  }
}
