// strace's text format:
//   openat(AT_FDCWD, "/x", O_RDONLY)       = -1 ENOENT (No such file or directory)
//   [pid  4242] write(1, "hi\n", 3)        = 3 <0.000012>
//   --- SIGCHLD {si_signo=SIGCHLD, …} ---
//   +++ exited with 0 +++
import { errnoMessage } from '../session/errnoNames';
import type { ProcessEvent, SessionInfo, SyscallEvent, TraceEvent, TraceSink } from '../session/events';
import type { OutputWriter } from './outputWriter';
import { formatAbsolute, formatRelative, hexStringsIn, statusOf, type StraceLineOptions } from './straceLineOptions';

export interface TextFormatOptions {
  /** -T: append the time spent in the call. */
  timing?: boolean;
  /** --source: append `[file:line in function]` when known. */
  source?: boolean;
  /** Show source files under this directory relative to it (the CLI passes its cwd). */
  relativeTo?: string;
  /**
   * How lines name their task, as strace does: 'terminal' (stderr) prefixes
   * `[pid N] ` while more than one task is traced; 'file' (-o FILE with -f,
   * or several -p) prefixes every line with `N `.
   */
  pidPrefix?: 'terminal' | 'file' | 'none';
  /** strace's output flags: timestamps, -n, -a, which lines, quiet messages. */
  lines?: StraceLineOptions;
}

/** strace's return-value text, after " = ". */
export function formatReturn(ev: SyscallEvent): string {
  return `${plainReturn(ev)}${ev.injected ? ' (INJECTED)' : ''}${ev.delayed ? ' (DELAYED)' : ''}`;
}

function plainReturn(ev: SyscallEvent): string {
  if (ev.ret === null) return '?';
  if (ev.errno !== undefined) {
    const message = errnoMessage(ev.errno);
    // Kernel-internal restart codes never reach the program: strace shows '?'.
    const shown = ev.errno.startsWith('ERESTART') || ev.errno === 'ENOIOCTLCMD' ? '?' : '-1';
    return `${shown} ${ev.errno} (${message})`;
  }
  return ev.retText ?? String(ev.ret);
}

/** ` [src/main.c:42 in load_config]`: files under `relativeTo` are shown relative to it. */
export function formatSource(ev: SyscallEvent, relativeTo?: string): string {
  const loc = ev.original ?? ev.source;
  if (!loc) return '';
  const fn = loc.function ? ` in ${loc.function}` : '';
  let file = loc.file;
  if (relativeTo && file.startsWith(relativeTo.endsWith('/') ? relativeTo : relativeTo + '/')) file = file.slice(relativeTo.length).replace(/^\//, '');
  return ` [${file}:${loc.line}${fn}]`;
}

/** strace pads the call so that ` = ` starts at this column (when it fits). */
export const RESULT_COLUMN = 40;

/**
 * One call as strace prints it. With `resultColumn`, ` = ` is padded out to
 * that column as strace's own output is (the strace text sink passes
 * RESULT_COLUMN less its pid prefix); elsewhere (hovers, the Debug Console)
 * a single space reads better.
 */
export function formatSyscall(ev: SyscallEvent, opts: TextFormatOptions, resultColumn = 0): string {
  const hex = opts.lines?.hexStrings;
  const call = `${ev.name}(${(hex ? ev.args.map((a) => hexStringsIn(a, hex)) : ev.args).join(', ')})`;
  // strace -b execve: the call the task was let go in, as strace leaves it.
  if (ev.detached) return `${call.slice(0, -1)} <detached ...>`;
  const pad = Math.max(1, resultColumn - call.length);
  let line = `${call}${' '.repeat(pad)}= ${formatReturn(ev)}`;
  // A call that never returned has no time (strace prints none either).
  if (opts.timing && ev.ret !== null) line += ` <${((ev.endNs - ev.startNs) / 1e9).toFixed(6)}>`;
  if (opts.source) line += formatSource(ev, opts.relativeTo);
  return line;
}

export function formatProcessEvent(ev: ProcessEvent): string | undefined {
  switch (ev.kind) {
    case 'signal':
      return `--- ${ev.signal} ${ev.siginfo ?? '{}'} ---`;
    case 'stopped':
      return `--- stopped by ${ev.signal} ---`;
    case 'exit':
      if (ev.signal) return `+++ killed by ${ev.signal}${ev.coreDumped ? ' (core dumped)' : ''} +++`;
      return `+++ exited with ${ev.exitCode} +++`;
    default:
      return undefined;
  }
}

export class TextFormatSink implements TraceSink {
  private live = new Set<number>();
  private origin = 0n;
  /** The previous line's event time, for -r (null before the first line). */
  private previous: bigint | null = null;
  /** -k: the stack of each task's call that never returned, printed under its end (as strace does). */
  private readonly unfinishedStacks = new Map<number, string[]>();

  private writeLines(lines: string[]): void {
    for (const line of lines) this.out.write(line + '\n');
  }
  /** Each task's current syscall number, for -n on its signal and exit lines. */
  private readonly lastNr = new Map<number, number>();

  constructor(
    private readonly out: OutputWriter,
    private readonly opts: TextFormatOptions = {},
  ) {}

  onStart(info: SessionInfo): void {
    this.origin = info.originWallNs;
  }

  /** What strace prints before a line: the task, then the timestamp, then the syscall number. */
  private prefix(tid: number, timeNs: number, ip?: number): string {
    const who = this.opts.pidPrefix ?? 'terminal';
    let p = who === 'file' ? `${String(tid).padEnd(5)} ` : who === 'none' || this.live.size <= 1 ? '' : `[pid ${String(tid).padStart(5)}] `;
    const l = this.opts.lines;
    if (!l) return p;
    const wall = this.origin + BigInt(Math.round(timeNs));
    if (l.absolute) p += `${formatAbsolute(wall, l.absolute)} `;
    if (l.relative) {
      p += `${formatRelative(this.previous === null ? 0n : wall - this.previous, l.relative)} `;
      this.previous = wall;
    }
    if (l.syscallNumbers) p += `[${String(this.lastNr.get(tid) ?? 0).padStart(4)}] `;
    if (l.instructionPointer) p += ip ? `[${ip.toString(16).padStart(16, '0')}] ` : '[????????????????] ';
    return p;
  }

  onEvents(events: TraceEvent[]): void {
    const l = this.opts.lines;
    const column = l?.column ?? RESULT_COLUMN;
    for (const ev of events) {
      if (ev.type === 'syscall') {
        if (l?.syscallNumbers) this.lastNr.set(ev.tid, ev.nr);
        if (l?.statuses && !l.statuses.has(statusOf(ev))) continue;
        const prefix = this.prefix(ev.tid, ev.startNs, ev.ip);
        this.out.write(prefix + formatSyscall(ev, this.opts, column - prefix.length) + '\n');
        if (ev.dump) this.writeLines(ev.dump);
        // strace -k: the stack under its call, without the line's prefix;
        // a call that never returns (exit_group) has its stack under the task's end.
        if (ev.backtrace && ev.ret === null) this.unfinishedStacks.set(ev.tid, ev.backtrace);
        else if (ev.backtrace) this.writeLines(ev.backtrace);
        continue;
      }
      if (ev.kind === 'spawn' || ev.kind === 'fork') this.live.add(ev.tid);
      const text = formatProcessEvent(ev);
      const quiet =
        (ev.kind === 'exit' && l?.quiet?.has('exit')) || (ev.kind === 'signal' && ev.signal !== undefined && l?.signals && !l.signals.has(ev.signal));
      if (text !== undefined && !quiet) {
        this.out.write(this.prefix(ev.tid, ev.timeNs, ev.ip) + text + '\n');
        if (ev.backtrace) this.writeLines(ev.backtrace);
      }
      if (ev.kind === 'exit' || ev.kind === 'detach') {
        this.live.delete(ev.tid);
        const stack = this.unfinishedStacks.get(ev.tid);
        if (stack) this.writeLines(stack);
        this.unfinishedStacks.delete(ev.tid);
      }
    }
    this.out.flush();
  }

  onEnd(): void {
    this.out.flush();
  }
}

/**
 * strace's -ff: each task's lines in a file of its own, `PREFIX.TID`, without
 * the task in front of them.
 */
export class SeparateFilesSink implements TraceSink {
  private info?: SessionInfo;
  private readonly tasks = new Map<number, { sink: TextFormatSink; out: OutputWriter }>();

  constructor(
    private readonly prefix: string,
    private readonly open: (file: string) => OutputWriter,
    private readonly opts: TextFormatOptions = {},
  ) {}

  onStart(info: SessionInfo): void {
    this.info = info;
  }

  onEvents(events: TraceEvent[]): void {
    const byTask = new Map<number, TraceEvent[]>();
    for (const ev of events) {
      let list = byTask.get(ev.tid);
      if (!list) byTask.set(ev.tid, (list = []));
      list.push(ev);
    }
    for (const [tid, evs] of byTask) {
      let t = this.tasks.get(tid);
      if (!t) {
        const out = this.open(`${this.prefix}.${tid}`);
        t = { sink: new TextFormatSink(out, { ...this.opts, pidPrefix: 'none' }), out };
        if (this.info) t.sink.onStart(this.info);
        this.tasks.set(tid, t);
      }
      t.sink.onEvents(evs);
    }
  }

  onEnd(): void {
    for (const t of this.tasks.values()) t.out.close();
  }
}
