// What the stopped UI shows of held tasks: CALL STACK frames and the
// VARIABLES scopes (Syscall, Registers, Process). Ids are handed out per
// stop and forgotten on resume, as DAP requires.
import { Handles, Scope, Source, StackFrame, type Variable } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { errnoMessage } from '../core/session/errnoNames';
import type { HeldFrame, HeldTask } from '../core/session/heldTask';
import { syscallPath } from '../core/format/syscallPathArgument';
import type { SyscallTable } from '../core/session/syscallTable';
import { describeCall } from './breakpointTable';

type Ref = { kind: 'syscall' | 'registers' | 'process'; tid: number };

/** Frames to show: from the innermost user frame down (the libc wrapper above it says nothing a user wrote); all of them when no frame is user code. */
export function shownFrames(stack: readonly HeldFrame[]): HeldFrame[] {
  const first = stack.findIndex((f) => f.kind >= 2 && f.file && f.line);
  return first < 0 ? [...stack] : stack.slice(first);
}

/** The path of the executable a task runs, its cwd, its command line: read while it is stopped. */
export function procText(pid: number, what: 'exe' | 'cwd' | 'cmdline' | 'comm'): string {
  try {
    if (what === 'exe' || what === 'cwd') return fs.readlinkSync(`/proc/${pid}/${what}`);
    const t = fs.readFileSync(`/proc/${pid}/${what}`, 'utf8');
    return what === 'cmdline' ? t.split('\0').filter((s) => s !== '').join(' ') : t.trim();
  } catch {
    return '';
  }
}

export class StopViews {
  private frames = new Handles<{ tid: number; index: number }>();
  private refs = new Handles<Ref>();

  constructor(private readonly table: SyscallTable) {}

  /** A resume: every id handed out so far is void. */
  reset(): void {
    this.frames.reset();
    this.refs.reset();
  }

  stackTrace(held: HeldTask | undefined, startFrame = 0, levels = 0): DebugProtocol.StackTraceResponse['body'] {
    if (!held) return { stackFrames: [], totalFrames: 0 };
    const shown = shownFrames(held.stack);
    const frames: DebugProtocol.StackFrame[] = shown.map((f, i) => this.frame(held.tid, i, f));
    if (frames.length === 0) {
      // No stack could be unwound: the program counter is all we know.
      const sf = new StackFrame(this.frames.create({ tid: held.tid, index: -1 }), `?? ${held.regs.rip ?? ''}`) as DebugProtocol.StackFrame;
      sf.instructionPointerReference = held.regs.rip;
      frames.push(sf);
    }
    const end = levels > 0 ? startFrame + levels : frames.length;
    return { stackFrames: frames.slice(startFrame, end), totalFrames: frames.length };
  }

  private frame(tid: number, index: number, f: HeldFrame): DebugProtocol.StackFrame {
    // A symbol-table name: without its version (`@@GLIBC_2.34`), with the offset into it.
    const fn = f.function?.replace(/@.*$/, '');
    const name = fn ? (f.file ? fn : `${fn}+0x${(f.offset ?? 0).toString(16)} (${path.basename(f.module)})`) : `?? (${path.basename(f.module)})`;
    const id = this.frames.create({ tid, index });
    const sf = new StackFrame(id, f.inlined ? `${name} [inlined]` : name) as DebugProtocol.StackFrame;
    if (f.file && f.line) {
      sf.source = new Source(path.basename(f.file), f.file);
      sf.line = f.line;
      sf.column = f.column ?? 1;
      if (f.kind < 2) sf.source.presentationHint = 'deemphasize';
    } else {
      sf.line = 0;
      sf.column = 0;
      sf.moduleId = f.module;
    }
    sf.instructionPointerReference = f.pc;
    if (f.kind < 2 || f.system) sf.presentationHint = 'subtle';
    return sf;
  }

  /** The task a frame id belongs to (undefined once resumed). */
  frameTask(frameId: number): number | undefined {
    return this.frames.get(frameId)?.tid;
  }

  scopes(held: HeldTask): DebugProtocol.Scope[] {
    const scopes: DebugProtocol.Scope[] = [];
    if (held.nr !== undefined) scopes.push(new Scope(`Syscall: ${this.table.name(held.nr)}`, this.refs.create({ kind: 'syscall', tid: held.tid }), false));
    scopes.push(new Scope('Registers', this.refs.create({ kind: 'registers', tid: held.tid }), true));
    scopes.push(new Scope('Process', this.refs.create({ kind: 'process', tid: held.tid }), true));
    return scopes;
  }

  /** The held task a variables reference belongs to, and which scope. */
  scopeOf(ref: number): Ref | undefined {
    return this.refs.get(ref);
  }

  variables(held: HeldTask, kind: Ref['kind']): DebugProtocol.Variable[] {
    const v = (name: string, value: string, extra: Partial<DebugProtocol.Variable> = {}): Variable =>
      ({ name, value, variablesReference: 0, ...extra }) as Variable;
    if (kind === 'registers') return Object.entries(held.regs).map(([name, value]) => v(name, value, { memoryReference: value }));
    if (kind === 'process') {
      return [
        v('pid', String(held.pid)),
        v('tid', String(held.tid)),
        v('executable', procText(held.pid, 'exe')),
        v('cwd', procText(held.pid, 'cwd')),
        v('command line', procText(held.pid, 'cmdline')),
        v('thread name', procText(held.tid, 'comm')),
      ];
    }
    const nr = held.nr ?? -1;
    const name = this.table.name(nr);
    const out: DebugProtocol.Variable[] = [
      v('call', describeCall(held, this.table)),
      v('name', name),
      v('number', String(nr)),
      v('stopped at', held.phase === 'entry' ? 'entry (the call has not run yet)' : held.phase === 'exit' ? 'return' : 'inside the call (blocked; the kernel restarts it on resume)'),
    ];
    held.args.forEach((a, i) => out.push(v(`arg${i}`, a, { type: held.rawArgs[i], memoryReference: held.rawArgs[i] })));
    const p = syscallPath(name, held.args);
    if (p !== undefined) out.push(v('path', p));
    if (held.phase === 'exit') {
      const shown = held.errno ? '-1' : held.retText ?? String(held.ret);
      out.push(v('result', shown, { type: String(held.ret) }));
      out.push(v('errno', held.errno ?? '0', held.errno ? { type: errnoMessage(held.errno) } : {}));
      if (held.errno) out.push(v('message', errnoMessage(held.errno)));
    } else if (held.phase === 'entry') {
      const planned = held.planned;
      out.push(v('result', planned?.retval !== undefined ? `${planned.retval} (will be returned without running the call)` : '(not run yet)'));
      out.push(v('errno', planned?.errno ? `${planned.errno} (will fail without running the call)` : '(not run yet)'));
    }
    if (held.injected) out.push(v('injected', 'true'));
    return out;
  }
}
