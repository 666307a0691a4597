// The debug session's breakpoints, in DAP's terms, and the one question the
// session asks of them: does this held task stop, log, or go on?
//   function breakpoints  syscalls: a name, a %class, a /regex (the -e trace= syntax)
//   source breakpoints    a line that makes a syscall (anywhere in the user frames of its stack)
//   exception filters     "failed" (condition: an errno list) and "signals"
// Conditions use the viewer's query language (core/session/syscallQuery.ts), hit
// conditions are VS Code's (`3`, `>3`, `%2`), log messages interpolate
// {name} {args} {path} {ret} {errno} {pid} {tid} {file} {line} {function}.
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';

import type { HeldFrame, HeldTask } from '../core/session/heldTask';
import { HoldReason, type NativeStopConfig } from '../core/session/nativeAddon';
import { syscallPath } from '../core/format/syscallPathArgument';
import { matchesCall, parseQuery, type QueriedCall, type Term } from '../core/session/syscallQuery';
import { FilterError, parseTraceFilter } from '../core/session/syscallFilter';
import type { SyscallTable } from '../core/session/syscallTable';

export const FAILED_FILTER = 'failed';
export const SIGNALS_FILTER = 'signals';

/** What initialize advertises (exceptionBreakpointFilters). */
export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: FAILED_FILTER,
    label: 'Failed syscalls',
    description: 'Stop at the return of a system call that failed',
    supportsCondition: true,
    conditionDescription: 'errno names, e.g. ENOENT,EACCES (empty: any failure)',
  },
  { filter: SIGNALS_FILTER, label: 'Signals', description: 'Stop when a signal is about to be delivered' },
];

type HitTest = (hits: number) => boolean;

/** VS Code's hit conditions: `N` or `=N` (the Nth hit), `>N`, `>=N`, `<N`, `<=N`, `%N` (every Nth). */
export function parseHitCondition(text: string): HitTest | string {
  const m = /^\s*(>=|<=|>|<|={1,3}|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) return `hit condition "${text}": expected a number, optionally after >, >=, <, <=, = or %`;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>': return (h) => h > n;
    case '>=': return (h) => h >= n;
    case '<': return (h) => h < n;
    case '<=': return (h) => h <= n;
    case '%': return n === 0 ? () => false : (h) => h % n === 0;
    default: return (h) => h === n;
  }
}

interface Armed {
  id: number;
  condition?: Term[];
  hit?: HitTest;
  logMessage?: string;
  hits: number;
}

interface LineBreakpoint extends Armed {
  /** `file:line`, the file as the program's DWARF names it (what stacks show). */
  key: string;
}

interface SyscallBreakpoint extends Armed {
  /** null: every syscall. */
  nrs: Set<number> | null;
}

/** What a held task means to the breakpoints. */
export interface Verdict {
  /** The stop to report, if any. */
  stop?: { reason: 'breakpoint' | 'function breakpoint' | 'exception'; description: string; hitBreakpointIds: number[]; text?: string };
  /** Log point messages to print, in order. */
  logs: string[];
}

export interface CodeLines {
  (file: string): { lines: number[]; file: string } | { error: string };
}

export class BreakpointTable {
  private nextId = 1;
  private readonly lines = new Map<string, LineBreakpoint[]>(); // by the client's source path
  private syscalls: SyscallBreakpoint[] = [];
  private failed?: { errnos: Set<string> | null };
  private signals = false;

  constructor(
    private readonly table: SyscallTable,
    private readonly codeLines: CodeLines,
  ) {}

  setSourceBreakpoints(source: string, bps: readonly DebugProtocol.SourceBreakpoint[]): DebugProtocol.Breakpoint[] {
    const file = path.resolve(source);
    const found = this.codeLines(file);
    const armed: LineBreakpoint[] = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const bp of bps) {
      const id = this.nextId++;
      const common = this.arm(id, bp.condition, bp.hitCondition, bp.logMessage);
      if (typeof common === 'string') {
        out.push({ id, verified: false, line: bp.line, message: common });
        continue;
      }
      if ('error' in found) {
        // Not in the program's line tables (a library's source, a stripped
        // program): armed by path all the same, should a stack show it.
        armed.push({ ...common, key: `${file}:${bp.line}` });
        out.push({ id, verified: false, line: bp.line, message: found.error });
        continue;
      }
      if (found.lines.length === 0) {
        armed.push({ ...common, key: `${file}:${bp.line}` });
        out.push({ id, verified: false, line: bp.line, message: `${path.basename(file)} is not part of the program's debug info` });
        continue;
      }
      if (!found.lines.includes(bp.line)) {
        const next = found.lines.find((l) => l > bp.line);
        out.push({
          id,
          verified: false,
          line: bp.line,
          message: `no code on line ${bp.line}: it can make no system call${next ? ` (the next line with code is ${next})` : ''}`,
        });
        continue;
      }
      armed.push({ ...common, key: `${found.file}:${bp.line}` });
      out.push({ id, verified: true, line: bp.line });
    }
    if (armed.length) this.lines.set(file, armed);
    else this.lines.delete(file);
    return out;
  }

  setFunctionBreakpoints(bps: readonly DebugProtocol.FunctionBreakpoint[]): DebugProtocol.Breakpoint[] {
    this.syscalls = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const bp of bps) {
      const id = this.nextId++;
      const common = this.arm(id, bp.condition, bp.hitCondition);
      if (typeof common === 'string') {
        out.push({ id, verified: false, message: common });
        continue;
      }
      let nrs: Set<number> | null;
      try {
        nrs = parseTraceFilter([bp.name.trim()], this.table).traced;
      } catch (e) {
        out.push({ id, verified: false, message: e instanceof FilterError ? e.message : String(e) });
        continue;
      }
      if (nrs && nrs.size === 0) {
        out.push({ id, verified: false, message: `"${bp.name}" names no system call` });
        continue;
      }
      this.syscalls.push({ ...common, nrs });
      out.push({ id, verified: true });
    }
    return out;
  }

  setExceptionBreakpoints(args: DebugProtocol.SetExceptionBreakpointsArguments): DebugProtocol.Breakpoint[] {
    const options: DebugProtocol.ExceptionFilterOptions[] = [
      ...(args.filterOptions ?? []),
      ...args.filters.map((filterId) => ({ filterId })),
    ];
    this.failed = undefined;
    this.signals = false;
    const out: DebugProtocol.Breakpoint[] = [];
    for (const o of options) {
      if (o.filterId === SIGNALS_FILTER) {
        this.signals = true;
        out.push({ verified: true });
      } else if (o.filterId === FAILED_FILTER) {
        const names = (o.condition ?? '').split(/[\s,]+/).filter((s) => s !== '');
        const bad = names.filter((n) => !/^E[A-Z0-9]+$/.test(n));
        if (bad.length) {
          out.push({ verified: false, message: `not errno names: ${bad.join(', ')} (expected e.g. ENOENT,EACCES)` });
          continue;
        }
        this.failed = { errnos: names.length ? new Set(names) : null };
        out.push({ verified: true });
      } else {
        out.push({ verified: false, message: `unknown exception filter "${o.filterId}"` });
      }
    }
    return out;
  }

  /** Where the tracer must hold tasks for these breakpoints to be decided. */
  stopConfig(): NativeStopConfig {
    const syscalls = new Set<number>();
    for (const bp of this.syscalls) for (const nr of bp.nrs ?? this.table.entries.map((e) => e.nr)) syscalls.add(nr);
    const lines = new Set<string>();
    for (const list of this.lines.values()) for (const bp of list) lines.add(bp.key);
    return { syscalls: [...syscalls], failed: this.failed !== undefined, signals: this.signals, lines: [...lines] };
  }

  /** Decides a held task (reasons other than step and interrupt are the breakpoints'). */
  evaluate(held: HeldTask): Verdict {
    const verdict: Verdict = { logs: [] };
    const call = queriedCall(held, this.table);
    const hitIds: number[] = [];
    if (held.reasons & HoldReason.Line) {
      const keys = new Set(userFrames(held.stack).map((f) => `${f.file}:${f.line}`));
      for (const list of this.lines.values())
        for (const bp of list) if (keys.has(bp.key) && this.fires(bp, call, held, verdict)) hitIds.push(bp.id);
      if (hitIds.length) verdict.stop = { reason: 'breakpoint', description: `Breakpoint at ${describeCall(held, this.table)}`, hitBreakpointIds: hitIds };
    }
    if (held.reasons & HoldReason.Syscall && held.nr !== undefined) {
      const fnIds: number[] = [];
      for (const bp of this.syscalls) if ((bp.nrs === null || bp.nrs.has(held.nr)) && this.fires(bp, call, held, verdict)) fnIds.push(bp.id);
      if (fnIds.length && !verdict.stop) {
        verdict.stop = { reason: 'function breakpoint', description: `Syscall breakpoint: ${describeCall(held, this.table)}`, hitBreakpointIds: fnIds };
      } else if (fnIds.length) verdict.stop!.hitBreakpointIds.push(...fnIds);
    }
    if (held.reasons & HoldReason.Failed && this.failed && held.errno && (!this.failed.errnos || this.failed.errnos.has(held.errno))) {
      verdict.stop ??= {
        reason: 'exception',
        description: `${this.table.name(held.nr ?? -1)} failed: ${held.errno}`,
        hitBreakpointIds: [],
        text: `${describeCall(held, this.table)} = -1 ${held.errno}`,
      };
    }
    if (held.reasons & HoldReason.Signal && this.signals) {
      verdict.stop ??= { reason: 'exception', description: `Signal ${held.signal}`, hitBreakpointIds: [], text: `${held.signal} is about to be delivered` };
    }
    return verdict;
  }

  private arm(id: number, condition?: string, hitCondition?: string, logMessage?: string): Armed | string {
    const armed: Armed = { id, hits: 0 };
    if (condition?.trim()) {
      const q = parseQuery(condition);
      if (q.errors.length) return `condition "${condition}": ${q.errors.join('; ')}`;
      armed.condition = q.terms;
    }
    if (hitCondition?.trim()) {
      const hit = parseHitCondition(hitCondition);
      if (typeof hit === 'string') return hit;
      armed.hit = hit;
    }
    if (logMessage) armed.logMessage = logMessage;
    return armed;
  }

  /** Counts a hit whose condition holds; true when it stops (a log point logs instead). */
  private fires(bp: Armed, call: QueriedCall, held: HeldTask, verdict: Verdict): boolean {
    if (bp.condition && !matchesCall(bp.condition, call)) return false;
    bp.hits++;
    if (bp.hit && !bp.hit(bp.hits)) return false;
    if (bp.logMessage !== undefined) {
      verdict.logs.push(interpolate(bp.logMessage, held, call, this.table));
      return false;
    }
    return true;
  }
}

/** The frames of user (non-system) code, with a source line. */
export function userFrames(stack: readonly HeldFrame[]): Array<HeldFrame & { file: string; line: number }> {
  return stack.filter((f): f is HeldFrame & { file: string; line: number } => f.kind >= 2 && !!f.file && !!f.line);
}

function queriedCall(held: HeldTask, table: SyscallTable): QueriedCall {
  const name = held.nr === undefined ? '' : table.name(held.nr);
  return {
    name,
    errno: held.errno,
    path: name ? syscallPath(name, held.args) : undefined,
    pid: held.pid,
    tid: held.tid,
    frames: userFrames(held.stack),
  };
}

/** `openat(AT_FDCWD, "/etc/x", O_RDONLY)`. */
export function describeCall(held: HeldTask, table: SyscallTable): string {
  if (held.nr === undefined) return held.signal ?? 'no system call';
  return `${table.name(held.nr)}(${held.args.join(', ')})`;
}

function interpolate(message: string, held: HeldTask, call: QueriedCall, table: SyscallTable): string {
  const top = call.frames[0];
  const values: Record<string, string | undefined> = {
    name: call.name,
    args: held.args.join(', '),
    call: describeCall(held, table),
    path: call.path,
    ret: held.ret === undefined ? '?' : held.errno ? '-1' : held.retText ?? String(held.ret),
    errno: held.errno ?? '',
    pid: String(held.pid),
    tid: String(held.tid),
    file: top?.file,
    line: top ? String(top.line) : undefined,
    function: top?.function,
  };
  return message.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? values[key] ?? '' : whole));
}
