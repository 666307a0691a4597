// strace's tampering, `-e inject=SET:error=E|retval=V|delay_enter=D|delay_exit=D[:when=EXPR]`
// and `-e fault=SET[:error=E][:when=EXPR]`, on the engine the debugger's
// fault injection uses: the tracer holds a task at the entry of a call in
// SET (native stops), and the call is skipped with the chosen result
// (setOutcome) or delayed, then let go. The outcome is marked injected, so
// the text says ` (INJECTED)` and the trace file and span record it.
import { errnoNumber, signalNumber } from './errnoNames';
import type { TraceEvent, TraceSink } from './events';
import type { ControlEvent } from './heldTask';
import type { NativeSession } from './nativeAddon';
import { FilterError, parseTraceFilter } from './syscallFilter';
import type { SyscallTable } from './syscallTable';

export class InjectionError extends Error {}

export interface InjectionRule {
  /** Syscall numbers the rule applies to. */
  syscalls: Set<number>;
  error?: number;
  retval?: number;
  delayEnterUs?: number;
  delayExitUs?: number;
  /** Delivered as the call returns (strace's signal=). */
  signal?: number;
  /** Which calls (1-based, per syscall per task): first, then every `step` after it, up to `last`. */
  first: number;
  step: number;
  last: number;
}

/** `10`, `10us`, `2ms`, `1s`: microseconds. */
function delayUs(v: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|ms|us|ns)?$/.exec(v);
  if (!m) throw new InjectionError(`${what}: invalid delay '${v}'`);
  return Number(m[1]) * { s: 1e6, ms: 1e3, us: 1, ns: 1e-3 }[(m[2] ?? 'us') as 's' | 'ms' | 'us' | 'ns'];
}

/** `when=N`, `N+`, `N+S`, `N..M`, `N..M+S`. */
function parseWhen(v: string): Pick<InjectionRule, 'first' | 'step' | 'last'> {
  const m = /^(\d+)(?:\.\.(\d+))?(\+(\d+)?)?$/.exec(v);
  if (!m || Number(m[1]) < 1) throw new InjectionError(`invalid when= value '${v}' (N, N+, N+STEP, N..M)`);
  const first = Number(m[1]);
  const last = m[2] !== undefined ? Number(m[2]) : m[3] ? Infinity : first;
  if (last < first) throw new InjectionError(`invalid when= value '${v}': the last call comes before the first`);
  return { first, last: m[2] === undefined && !m[3] ? first : last, step: m[4] !== undefined ? Math.max(1, Number(m[4])) : 1 };
}

/** One `inject=` or `fault=` value (after the `=`). */
export function parseInjection(kind: 'inject' | 'fault', value: string, table: SyscallTable): InjectionRule {
  const [set, ...opts] = value.split(':');
  let syscalls: Set<number> | null;
  try {
    syscalls = parseTraceFilter([set], table).traced;
  } catch (e) {
    if (e instanceof FilterError) throw new InjectionError(`${kind}=${value}: ${e.message}`);
    throw e;
  }
  const rule: InjectionRule = { syscalls: syscalls ?? new Set(table.entries.map((e) => e.nr)), first: 1, step: 1, last: Infinity };
  for (const opt of opts) {
    const eq = opt.indexOf('=');
    const key = eq < 0 ? opt : opt.slice(0, eq);
    const v = eq < 0 ? '' : opt.slice(eq + 1);
    if (key === 'error') {
      const n = /^\d+$/.test(v) ? Number(v) : errnoNumber(v);
      if (!n || n > 4095) throw new InjectionError(`${kind}=${value}: invalid error code '${v}'`);
      rule.error = n;
    } else if (key === 'retval' && kind === 'inject') {
      if (!/^-?\d+$/.test(v)) throw new InjectionError(`${kind}=${value}: invalid retval '${v}'`);
      rule.retval = Number(v);
    } else if (key === 'delay_enter' && kind === 'inject') rule.delayEnterUs = delayUs(v, `${kind}=${value}`);
    else if (key === 'delay_exit' && kind === 'inject') rule.delayExitUs = delayUs(v, `${kind}=${value}`);
    else if (key === 'when') Object.assign(rule, parseWhen(v));
    else if (key === 'signal' && kind === 'inject') {
      const sig = signalNumber(v);
      if (sig === undefined) throw new InjectionError(`${kind}=${value}: invalid signal '${v}'`);
      rule.signal = sig;
    }
    else throw new InjectionError(`${kind}=${value}: invalid ${kind} option '${opt}'`);
  }
  if (kind === 'fault' && rule.error === undefined) rule.error = errnoNumber('ENOSYS');
  if (kind === 'inject' && rule.error === undefined && rule.retval === undefined && rule.delayEnterUs === undefined && rule.delayExitUs === undefined && rule.signal === undefined) {
    throw new InjectionError(`inject=${value}: needs error=, retval=, signal=, delay_enter= or delay_exit=`);
  }
  if (rule.error !== undefined && rule.retval !== undefined) throw new InjectionError(`${kind}=${value}: error= and retval= are mutually exclusive`);
  return rule;
}

/** Whether the `n`th call (1-based) is one the rule picks. */
export function picks(rule: InjectionRule, n: number): boolean {
  return n >= rule.first && n <= rule.last && (n - rule.first) % rule.step === 0;
}

/**
 * Applies the rules to the tasks the tracer holds at their calls' entries
 * (and, for delay_exit, exits). Each (task, syscall) counts its own calls.
 */
export class SyscallInjector implements TraceSink {
  private readonly counts = new Map<string, number>();
  private readonly exitDelays = new Map<number, number>();
  /** Tasks whose current call was held back: its event is marked delayed (placed first among the sinks). */
  private readonly delayed = new Map<number, number>();

  constructor(
    private readonly rules: InjectionRule[],
    private readonly control: () => NativeSession | undefined,
  ) {}

  /** The syscalls to hold at (the native stop config's `syscalls`). */
  get syscalls(): number[] {
    return [...new Set(this.rules.flatMap((r) => [...r.syscalls]))];
  }

  onControl(ev: ControlEvent): void {
    const control = this.control();
    if (!control || ev.kind !== 'hold') return;
    if (ev.phase === 'exit' && this.exitDelays.has(ev.tid)) {
      const us = this.exitDelays.get(ev.tid)!;
      this.exitDelays.delete(ev.tid);
      afterAtLeast(us, () => control.resume(ev.tid));
      return;
    }
    if (ev.phase !== 'entry' || ev.nr === undefined) {
      control.resume(ev.tid);
      return;
    }
    const key = `${ev.tid}:${ev.nr}`;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    // strace: the first rule for the syscall decides.
    const rule = this.rules.find((r) => r.syscalls.has(ev.nr!));
    if (!rule || !picks(rule, n)) {
      control.resume(ev.tid);
      return;
    }
    if (rule.error !== undefined) control.setOutcome(ev.tid, 'errno', rule.error);
    else if (rule.retval !== undefined) control.setOutcome(ev.tid, 'retval', rule.retval);
    if (rule.delayExitUs !== undefined) this.exitDelays.set(ev.tid, rule.delayExitUs);
    if (rule.delayEnterUs !== undefined || rule.delayExitUs !== undefined) this.delayed.set(ev.tid, ev.nr);
    const go = () => control.resume(ev.tid, rule.delayExitUs !== undefined, rule.signal);
    if (rule.delayEnterUs !== undefined) afterAtLeast(rule.delayEnterUs, go);
    else go();
  }

  onEvents(events: TraceEvent[]): void {
    if (!this.delayed.size) return;
    for (const ev of events) {
      if (ev.type !== 'syscall' || this.delayed.get(ev.tid) !== ev.nr) continue;
      ev.delayed = true;
      this.delayed.delete(ev.tid);
    }
  }
}

/**
 * Runs `fn` once at least `us` microseconds have passed: a timer can fire
 * early (the event loop's clock is read once per turn, in whole
 * milliseconds), and a delay strace users set is a lower bound.
 */
function afterAtLeast(us: number, fn: () => void): void {
  const due = performance.now() + us / 1e3;
  const check = () => {
    const left = due - performance.now();
    if (left > 0) setTimeout(check, Math.ceil(left));
    else fn();
  };
  setTimeout(check, us / 1e3);
}
