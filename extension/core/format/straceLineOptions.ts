// What strace's output flags change in its lines, beyond the call itself:
// the timestamps in front (-t, -tt, -ttt, -r, --absolute-timestamps,
// --relative-timestamps), the syscall number (-n), the instruction pointer
// (-i), the result column (-a),
// which lines are printed (-z, -Z, -e status=, -e signal=) and which
// messages are kept quiet (-q, -qq, -qqq, -e quiet=). Parsed here from the
// flags' values, applied by textFormat.ts.

export type Precision = 's' | 'ms' | 'us' | 'ns';
export type SyscallStatus = 'successful' | 'failed' | 'unfinished' | 'unavailable' | 'detached';
export type QuietMessage = 'attach' | 'exit' | 'path-resolution' | 'personality' | 'thread-execve' | 'superseded';

export interface StraceLineOptions {
  /** Wall-clock time of each line's event: time of day (local) or seconds since the epoch. */
  absolute?: { format: 'time' | 'unix'; precision: Precision };
  /** The time since the previous line's (-r). */
  relative?: Precision;
  /** -n: the syscall number in front of each line. */
  syscallNumbers?: boolean;
  /** -i: the instruction pointer in front of each line. */
  instructionPointer?: boolean;
  /** -a: the column results are aligned to (default 40). */
  column?: number;
  /** Calls printed by their outcome (null: all). */
  statuses?: Set<SyscallStatus> | null;
  /** Signals whose `--- SIG… ---` lines are printed (null: all). */
  signals?: Set<string> | null;
  quiet?: Set<QuietMessage>;
  /** -x: strings with non-ASCII bytes in hex; -xx: every string in hex. */
  hexStrings?: 'non-ascii' | 'all';
}

export class StraceFlagError extends Error {}

const PRECISIONS: Precision[] = ['s', 'ms', 'us', 'ns'];

function precision(v: string, flag: string): Precision {
  if ((PRECISIONS as string[]).includes(v)) return v as Precision;
  throw new StraceFlagError(`${flag}: invalid precision '${v}' (s, ms, us or ns)`);
}

/** `-t` given `count` times: time, time with µs, seconds since the epoch with µs. */
export function absoluteFromCount(count: number): StraceLineOptions['absolute'] {
  if (count <= 0) return undefined;
  if (count === 1) return { format: 'time', precision: 's' };
  if (count === 2) return { format: 'time', precision: 'us' };
  return { format: 'unix', precision: 'us' };
}

/** `--absolute-timestamps=[[format:]{none,time,unix}][,[precision:]{s,ms,us,ns}]` (no value: time). */
export function parseAbsoluteTimestamps(value: string | true): StraceLineOptions['absolute'] {
  if (value === true || value === '') return { format: 'time', precision: 's' };
  let format: 'none' | 'time' | 'unix' = 'time';
  let prec: Precision = 's';
  for (const part of value.split(',')) {
    const [k, v] = part.includes(':') ? (part.split(':', 2) as [string, string]) : [undefined, part];
    if ((k === undefined || k === 'format') && (v === 'none' || v === 'time' || v === 'unix')) format = v;
    else if ((k === undefined || k === 'precision') && (PRECISIONS as string[]).includes(v)) prec = v as Precision;
    else throw new StraceFlagError(`--absolute-timestamps: invalid value '${part}' (format:{none,time,unix}, precision:{s,ms,us,ns})`);
  }
  return format === 'none' ? undefined : { format, precision: prec };
}

export function parseRelativeTimestamps(value: string | true): Precision {
  return value === true || value === '' ? 'us' : precision(value, '--relative-timestamps');
}

const STATUSES: SyscallStatus[] = ['successful', 'failed', 'unfinished', 'unavailable', 'detached'];
const QUIET: QuietMessage[] = ['attach', 'exit', 'path-resolution', 'personality', 'thread-execve', 'superseded'];

/** strace's SET syntax: `a,b`, `!a`, `all`, `none`. Returns null for everything. */
function parseSet<T extends string>(expr: string, known: readonly T[], what: string, normalise = (s: string) => s): Set<T> | null {
  let negate = false;
  let e = expr;
  while (e.startsWith('!')) {
    negate = !negate;
    e = e.slice(1);
  }
  let chosen: Set<T>;
  if (e === 'all') chosen = new Set(known);
  else if (e === 'none' || e === '') chosen = new Set();
  else {
    chosen = new Set();
    for (const raw of e.split(',')) {
      const v = normalise(raw.trim());
      if (!(known as readonly string[]).includes(v)) throw new StraceFlagError(`invalid ${what} '${raw}'`);
      chosen.add(v as T);
    }
  }
  if (negate) chosen = new Set(known.filter((k) => !chosen.has(k)));
  return chosen.size === known.length ? null : chosen;
}

export const SIGNALS = [
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE',
  'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ',
  'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
] as const;

function signalName(s: string): string {
  if (/^\d+$/.test(s)) return SIGNALS[Number(s) - 1] ?? s;
  const up = s.toUpperCase();
  return up.startsWith('SIG') ? up : `SIG${up}`;
}

/** Applies one `-e KEY=VALUE` of the output qualifiers to `o`; false when KEY is not one of them. */
export function applyOutputQualifier(o: StraceLineOptions, key: string, value: string): boolean {
  switch (key) {
    case 'status':
      o.statuses = parseSet(value, STATUSES, 'status');
      return true;
    case 'signal':
    case 'signals':
    case 's':
      o.signals = parseSet(value, SIGNALS.map(String), 'signal', signalName);
      return true;
    case 'quiet':
    case 'silent':
    case 'silence':
    case 'q': {
      const set = parseSet(value, QUIET, 'quiet message');
      o.quiet = set ?? new Set(QUIET);
      return true;
    }
    case 'kvm':
      if (value !== 'vcpu') throw new StraceFlagError(`invalid kvm option '${value}' (vcpu)`);
      return true; // renacer traces no KVM vCPU exits: there is nothing to add to the lines
    default:
      return false;
  }
}

/** `-q` given `count` times. */
export function quietFromCount(count: number): Set<QuietMessage> {
  if (count <= 0) return new Set();
  if (count === 1) return new Set(['attach', 'personality']);
  if (count === 2) return new Set(['attach', 'personality', 'exit']);
  return new Set(QUIET);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const SCALE: Record<Precision, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, ns: 1n };
const DIGITS: Record<Precision, number> = { s: 0, ms: 3, us: 6, ns: 9 };

/** `12:00:01`, `12:00:01.123456`, `1796348277.572575`: the wall-clock ns `wallNs` as strace prints it. */
export function formatAbsolute(wallNs: bigint, a: NonNullable<StraceLineOptions['absolute']>): string {
  const secs = wallNs / 1_000_000_000n;
  const frac = (wallNs % 1_000_000_000n) / SCALE[a.precision];
  const fracText = DIGITS[a.precision] ? `.${pad(Number(frac), DIGITS[a.precision])}` : '';
  if (a.format === 'unix') return `${secs}${fracText}`;
  const d = new Date(Number(secs) * 1000);
  return `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}${fracText}`;
}

/** `     0.001445`: seconds right-aligned in six columns, then the fraction. */
export function formatRelative(deltaNs: bigint, p: Precision): string {
  const d = deltaNs < 0n ? 0n : deltaNs;
  const secs = String(d / 1_000_000_000n).padStart(6);
  return DIGITS[p] ? `${secs}.${pad(Number((d % 1_000_000_000n) / SCALE[p]), DIGITS[p])}` : secs;
}

/** A call's outcome, as `-e status=` names it. */
export function statusOf(ev: { ret: number | null; errno?: string; detached?: boolean }): SyscallStatus {
  if (ev.detached) return 'detached';
  if (ev.ret === null) return 'unfinished';
  return ev.errno !== undefined ? 'failed' : 'successful';
}

/** The bytes of a C string literal as strace escapes it (`\n`, `\1`, `\33`, `\x7f`, `\\`, `\"`). */
function unescape(body: string): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 0x5c) {
      if (c > 0x7f) return undefined; // not strace's rendering
      out.push(c);
      continue;
    }
    const n = body[++i];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, '\\': 92, '"': 34, "'": 39, a: 7, b: 8, e: 27 };
    if (n in simple) out.push(simple[n]);
    else if (n === 'x') {
      out.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n >= '0' && n <= '7') {
      let j = i;
      while (j < i + 3 && body[j] >= '0' && body[j] <= '7') j++;
      out.push(parseInt(body.slice(i, j), 8));
      i = j - 1;
    } else return undefined;
  }
  return out;
}

const PRINTABLE_CONTROLS = new Set([9, 10, 11, 12, 13]);

/** An argument with its quoted strings in hex, as `-x` (strings with a non-ASCII byte) or `-xx` (all) prints them. */
export function hexStringsIn(arg: string, mode: 'non-ascii' | 'all'): string {
  return arg.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, body: string) => {
    const bytes = unescape(body);
    if (!bytes) return whole;
    if (mode === 'non-ascii' && bytes.every((b) => (b >= 0x20 && b < 0x7f) || PRINTABLE_CONTROLS.has(b))) return whole;
    return `"${bytes.map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}"`;
  });
}
