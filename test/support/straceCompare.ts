// Differential comparison of renacer's text output against strace's.
//
// Both tracers run the same command (strace -o A -s 32 [-f] -- CMD and
// renacer --no-trace-file -o B [-f] -- CMD); their outputs are parsed into
// per-task sequences and compared two ways:
//
//  1. syscallMatch: the share of syscalls whose (name, result) sequence
//     agrees, per task. Tasks are matched across the two runs by their place
//     in the process tree (the root, its 1st child, that child's 2nd child…)
//     since pids differ; sequences are aligned with a diff so that one extra
//     or missing call costs one call, not everything after it. Results are
//     compared as strace prints them: the number, the errno name, or "?".
//  2. lineMatch: the share of rendered lines that are identical, after
//     normalising what legitimately differs between two runs of the same
//     program (addresses, pids, clock readings, random bytes, ephemeral
//     ports, CPU times). Meaningful for single-process runs, where the whole
//     output is one sequence.
//
// Both shares are 2·|common| / (|strace| + |renacer|): a call missing on
// either side lowers them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const RENACER = path.join(ROOT, 'bin/renacer.js');
export const STRACE = process.env.STRACE ?? '/usr/bin/strace';

export type LineKind = 'syscall' | 'signal' | 'exit' | 'other';

export interface TraceLine {
  kind: LineKind;
  /** The task (pid/tid as the tracer printed it; -1 until known). */
  pid: number;
  /** The line without pid prefix and without strace's alignment padding. */
  text: string;
  /** syscall lines: the name. */
  name?: string;
  /** syscall lines: what follows " = " ("0", "-1 ENOENT (…)", "?"). */
  result?: string;
}

export interface ParsedTrace {
  lines: TraceLine[];
  /** Task identity (place in the process tree) -> that task's lines. */
  tasks: Map<string, TraceLine[]>;
  /** Every pid seen: prefixes and pid-returning calls. */
  pids: Set<number>;
}

// Calls whose successful result is a pid/tid (for set_tid_address the
// caller's tid; for rt_sigreturn the register the handler interrupted,
// often a pid that wait4 had just returned).
const PID_RESULTS = new Set([
  'getpid', 'getppid', 'gettid', 'getpgrp', 'getpgid', 'getsid', 'setsid', 'set_tid_address',
  'clone', 'clone3', 'fork', 'vfork', 'wait4', 'waitpid', 'rt_sigreturn',
]);
const FORKS = new Set(['clone', 'clone3', 'fork', 'vfork']);
// Calls whose result is a clock reading.
const CLOCK_RESULTS = new Set(['time', 'times']);

/** Splits "name(args) = result" at the last ") = " (strace pads before "="). */
export function splitSyscall(text: string): { name: string; call: string; result: string } | undefined {
  const m = /^([a-z_0-9]+|syscall_0x[0-9a-f]+)\(/.exec(text);
  if (!m) return undefined;
  const re = /\) *= /g;
  let last: RegExpExecArray | null = null;
  for (let r = re.exec(text); r; r = re.exec(text)) last = r;
  if (!last) return undefined;
  return { name: m[1], call: text.slice(0, last.index + 1), result: text.slice(last.index + last[0].length) };
}

function classify(pid: number, text: string): TraceLine {
  if (text.startsWith('--- ')) return { kind: 'signal', pid, text };
  if (text.startsWith('+++ ')) return { kind: 'exit', pid, text };
  const s = splitSyscall(text);
  if (!s) return { kind: 'other', pid, text };
  return { kind: 'syscall', pid, text: `${s.call} = ${s.result}`, name: s.name, result: s.result };
}

/** Parses `strace -o FILE [-f]` output, joining "<unfinished ...>" / "<... resumed>" halves. */
export function parseStrace(output: string, followForks: boolean): ParsedTrace {
  const lines: TraceLine[] = [];
  const pending = new Map<number, number>(); // pid -> index in lines of its unfinished call
  for (const raw of output.split('\n')) {
    if (raw === '') continue;
    let pid = 0;
    let text = raw;
    if (followForks) {
      const m = /^(\d+) +(.*)$/.exec(raw);
      if (m) {
        pid = Number(m[1]);
        text = m[2];
      }
    }
    const resumed = /^<\.\.\. ([a-z_0-9]+) resumed>(.*)$/.exec(text);
    if (resumed) {
      const at = pending.get(pid);
      pending.delete(pid);
      // A task killed inside the call: "<... read resumed> <unfinished ...>) = ?".
      const rest = resumed[2].replace(/^ <unfinished \.\.\.>/, '');
      if (at !== undefined) {
        lines[at] = classify(pid, lines[at].text + rest);
        continue;
      }
      lines.push(classify(pid, `${resumed[1]}(${rest.replace(/^, /, '')}`));
      continue;
    }
    if (text.endsWith(' <unfinished ...>')) {
      pending.set(pid, lines.length);
      lines.push({ kind: 'other', pid, text: text.slice(0, -' <unfinished ...>'.length) });
      continue;
    }
    lines.push(classify(pid, text));
  }
  // A call left unfinished (the task vanished): strace shows no result.
  for (const at of pending.values()) lines[at] = classify(lines[at].pid, `${lines[at].text}) = ?`);
  return assignTasks(lines, lines.length ? lines[0].pid : 0);
}

/**
 * Parses renacer's text output. renacer prefixes "[pid N] " only while
 * more than one task is traced, so an unprefixed line belongs to the one
 * task alive at that point.
 */
export function parseRenacer(output: string): ParsedTrace {
  const raw: Array<{ pid: number | undefined; text: string }> = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const m = /^\[pid +(\d+)\] (.*)$/.exec(line);
    raw.push(m ? { pid: Number(m[1]), text: m[2] } : { pid: undefined, text: line });
  }
  // Pass 1: children are the results of fork-like calls; the root is the
  // one prefixed pid that is nobody's child.
  const children = new Set<number>();
  const prefixed = new Set<number>();
  for (const r of raw) {
    if (r.pid !== undefined) prefixed.add(r.pid);
    const s = splitSyscall(r.text);
    if (s && FORKS.has(s.name) && /^\d+$/.test(s.result)) children.add(Number(s.result));
  }
  const roots = [...prefixed].filter((p) => !children.has(p));
  const root = roots.length ? roots[0] : -1;
  // Pass 2: attribute unprefixed lines to the single live task.
  const live = new Set<number>([root]);
  const lines: TraceLine[] = [];
  for (const r of raw) {
    let pid = r.pid;
    if (pid === undefined) pid = live.size === 1 ? [...live][0] : root;
    else live.add(pid);
    const line = classify(pid, r.text);
    lines.push(line);
    if (line.kind === 'syscall' && FORKS.has(line.name!) && /^\d+$/.test(line.result!)) live.add(Number(line.result));
    if (line.kind === 'exit') live.delete(pid);
  }
  return assignTasks(lines, root);
}

// Names each task by its place in the process tree: "r" for the root,
// "r.2" for the root's second child, "r.2.1"… so that tasks of two runs match.
function assignTasks(lines: TraceLine[], root: number): ParsedTrace {
  const pids = new Set<number>();
  const identity = new Map<number, string>([[root, 'r']]);
  const forks = new Map<number, number>();
  for (const l of lines) {
    if (l.pid > 0) pids.add(l.pid);
    if (l.kind !== 'syscall' || !/^\d+$/.test(l.result!)) continue;
    const n = Number(l.result);
    if (PID_RESULTS.has(l.name!) && n > 0) pids.add(n);
    if (FORKS.has(l.name!) && n > 0) {
      const k = (forks.get(l.pid) ?? 0) + 1;
      forks.set(l.pid, k);
      identity.set(n, `${identity.get(l.pid) ?? `?${l.pid}`}.${k}`);
    }
  }
  const tasks = new Map<string, TraceLine[]>();
  for (const l of lines) {
    const id = identity.get(l.pid) ?? `?${l.pid}`;
    if (!tasks.has(id)) tasks.set(id, []);
    tasks.get(id)!.push(l);
  }
  return { lines, tasks, pids };
}

// -- normalisation ---------------------------------------------------------

/** A syscall result as (1) compares it: the number, the errno, or "?". */
export function resultKey(line: TraceLine, pids: Set<number>): string {
  const r = line.result ?? '';
  const err = /^(?:-1|\?) (E[A-Z0-9_]+)/.exec(r);
  if (err) return err[1];
  if (r.startsWith('?')) return '?';
  const num = /^(0x[0-9a-f]+|-?\d+)/.exec(r);
  if (!num) return r;
  if (/^0x[0-9a-f]{6,}$/.test(num[1])) return 'ADDR';
  // The number, whether printed in hex ("0x2 (PR_SPEC_ENABLE)") or not.
  const value = BigInt(num[1]).toString();
  if (PID_RESULTS.has(line.name!) && pids.has(Number(value))) return 'PID';
  if (CLOCK_RESULTS.has(line.name!)) return 'T';
  return value;
}

/**
 * Rewrites the values of a rendered line that differ between two runs of
 * the same program, and nothing else.
 */
export function normaliseLine(text: string, pids: Set<number>): string {
  let t = text;
  // Addresses move with ASLR.
  t = t.replace(/0x[0-9a-f]{6,}/g, 'ADDR');
  // Process and thread ids.
  // A factor of a product (strace's `8192*1024`) is a constant, never a pid.
  t = t.replace(/(?<!\*)\b\d{2,7}\b(?!\*)/g, (n) => (pids.has(Number(n)) ? 'PID' : n));
  // Random bytes.
  t = t.replace(/^getrandom\("[^"]*"/, 'getrandom("RANDOM"');
  // CPU time a child used.
  t = t.replace(/(si_[us]time)=\d+(?: \/\* [^*]* \*\/)?/g, '$1=T');
  t = t.replace(/(ru_[us]time)=\{tv_sec=\d+, tv_usec=\d+\}/g, '$1={T}');
  t = t.replace(/\{tms_utime=\d+, tms_stime=\d+, tms_cutime=\d+, tms_cstime=\d+\}/g, '{TMS}');
  // Clock readings: the time left of a timeout, the current time.
  t = t.replace(/left \{tv_sec=\d+, tv_(n|u)sec=\d+\}/g, 'left {T}');
  t = t.replace(/^(clock_gettime\([A-Z_]+, |gettimeofday\()\{tv_sec=\d+, tv_(n|u)sec=\d+\}/, '$1{T}');
  t = t.replace(/^(time\((?:NULL|\[\d+[^\]]*\])\) = )\d+ \([^)]*\)/, '$1T');
  t = t.replace(/^(times\(.*\) = )\d+$/, '$1T');
  // System-wide state another process may change between the runs.
  t = t.replace(/^sysinfo\(\{[^}]*\}\)/, 'sysinfo({SYSINFO})');
  t = t.replace(/(f_bfree|f_bavail|f_ffree|f_files)=\d+/g, '$1=N');
  // Inode, device and time fields of stat structs (in strace -v output).
  t = t.replace(/((?:st|stx)_(?:ino|dev|nlink|blocks|[amcb]time(?:_nsec)?)|stx_dev_(?:major|minor))=[^,}]+/g, '$1=N');
  // Ephemeral ports the kernel assigns.
  t = t.replace(/htons\((\d+)\)/g, (m, p) => (Number(p) >= 32768 ? 'htons(PORT)' : m));
  return t;
}

// -- alignment ---------------------------------------------------------------

/**
 * Length of the longest common subsequence, with the aligned pairs when the
 * sequences are close enough for Myers' algorithm to stay cheap.
 */
export function align<T>(a: T[], b: T[], eq: (x: T, y: T) => boolean = (x, y) => x === y): {
  common: number;
  pairs?: Array<[number, number]>;
} {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const limit = Math.min(max, 3000);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d]: the diagonals -d-1..d+1 of V before step d, for backtracking.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && eq(a[x], b[y])) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return { common: (n + m - d) / 2, pairs: backtrack(trace, n, m, d) };
    }
  }
  return { common: lcsLength(a, b, eq) };
}

function backtrack(trace: Int32Array[], n: number, m: number, d: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (; d > 0; d--) {
    const v = trace[d];
    const at = (k: number) => v[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) pairs.push([--x, --y]);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) pairs.push([--x, --y]);
  return pairs.reverse();
}

function lcsLength<T>(a: T[], b: T[], eq: (x: T, y: T) => boolean): number {
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = eq(a[i - 1], b[j - 1]) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

// -- comparison -----------------------------------------------------------------

export interface Mismatch {
  strace?: string;
  renacer?: string;
}

export interface Comparison {
  /** (1): share of syscalls whose per-task (name, result) sequence matches. */
  syscallMatch: number;
  /** (2): share of identical normalised lines (all tasks' lines in output order). */
  lineMatch: number;
  straceSyscalls: number;
  renacerSyscalls: number;
  /** Lines of (2) that found no identical counterpart, strace's and renacer's. */
  lineMismatches: Mismatch[];
  /** Calls of (1) that found no counterpart. */
  syscallMismatches: Mismatch[];
}

function share(common: number, total: number): number {
  return total === 0 ? 1 : (2 * common) / total;
}

export function compareTraces(strace: ParsedTrace, renacer: ParsedTrace): Comparison {
  // (1) per task.
  let common = 0;
  let total = 0;
  let straceSyscalls = 0;
  let renacerSyscalls = 0;
  const syscallMismatches: Mismatch[] = [];
  const ids = new Set([...strace.tasks.keys(), ...renacer.tasks.keys()]);
  for (const id of ids) {
    const a = (strace.tasks.get(id) ?? []).filter((l) => l.kind === 'syscall');
    const b = (renacer.tasks.get(id) ?? []).filter((l) => l.kind === 'syscall');
    const ka = a.map((l) => `${l.name}=${resultKey(l, strace.pids)}`);
    const kb = b.map((l) => `${l.name}=${resultKey(l, renacer.pids)}`);
    const r = align(ka, kb);
    common += r.common;
    total += a.length + b.length;
    straceSyscalls += a.length;
    renacerSyscalls += b.length;
    if (r.pairs) collectMismatches(ka.map((k, i) => `[${id}] ${k}  ${a[i].text}`), kb.map((k, i) => `[${id}] ${k}  ${b[i].text}`), r.pairs, syscallMismatches);
  }
  const syscallMatch = share(common, total);

  // (2) whole output.
  // Both runs' pids: a constant that equals a pid of one run is then rewritten in both.
  const pids = new Set([...strace.pids, ...renacer.pids]);
  const na = strace.lines.filter((l) => l.kind !== 'other').map((l) => normaliseLine(l.text, pids));
  const nb = renacer.lines.filter((l) => l.kind !== 'other').map((l) => normaliseLine(l.text, pids));
  const r2 = align(na, nb);
  const lineMismatches: Mismatch[] = [];
  if (r2.pairs) collectMismatches(na, nb, r2.pairs, lineMismatches);
  return {
    syscallMatch,
    lineMatch: share(r2.common, na.length + nb.length),
    straceSyscalls,
    renacerSyscalls,
    lineMismatches,
    syscallMismatches,
  };
}

// The unaligned stretches between aligned pairs, paired up side by side.
function collectMismatches(a: string[], b: string[], pairs: Array<[number, number]>, out: Mismatch[]): void {
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    const sa = a.slice(i, pi);
    const sb = b.slice(j, pj);
    for (let k = 0; k < Math.max(sa.length, sb.length); k++) out.push({ strace: sa[k], renacer: sb[k] });
    i = pi + 1;
    j = pj + 1;
  }
}

// -- running ----------------------------------------------------------------------

export interface RunOptions {
  followForks?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run before each tracer run, to give both the same starting state. */
  setup?: () => void;
  /** -s for both tracers (default 32, both tracers' default). */
  stringLimit?: number;
  timeoutMs?: number;
}

function runTracer(argv0: string, args: string[], outFile: string, opts: RunOptions, what: string): string {
  const r = spawnSync(argv0, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    // The traced program sees the same stdio under both tracers.
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: opts.timeoutMs ?? 120_000,
    encoding: 'utf8',
  });
  // A tracer that dies of a signal is fine: strace re-raises the signal
  // that killed the traced program.
  if (r.error) throw new Error(`${what}: ${r.error.message}`);
  if (!fs.existsSync(outFile)) throw new Error(`${what} wrote no output (status ${r.status}): ${r.stderr}`);
  return fs.readFileSync(outFile, 'utf8');
}

export function runStrace(command: string[], outFile: string, opts: RunOptions = {}): string {
  opts.setup?.();
  const args = ['-o', outFile, '-s', String(opts.stringLimit ?? 32), ...(opts.followForks ? ['-f'] : []), '--', ...command];
  return runTracer(STRACE, args, outFile, opts, 'strace');
}

export function runRenacer(command: string[], outFile: string, opts: RunOptions = {}): string {
  opts.setup?.();
  const args = [RENACER, '--no-trace-file', '-o', outFile, ...(opts.stringLimit !== undefined ? ['-s', String(opts.stringLimit)] : []),
    ...(opts.followForks ? ['-f'] : []), '--', ...command];
  return runTracer(process.execPath, args, outFile, opts, 'renacer');
}

export interface CommandComparison extends Comparison {
  command: string[];
  followForks: boolean;
  straceOutput: string;
  renacerOutput: string;
}

/** Traces `command` with both tracers and compares the outputs. */
export function compareCommand(command: string[], opts: RunOptions = {}): CommandComparison {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-cmp-'));
  try {
    const straceOutput = runStrace(command, path.join(dir, 'strace.txt'), opts);
    const renacerOutput = runRenacer(command, path.join(dir, 'renacer.txt'), opts);
    const follow = opts.followForks ?? false;
    // With -o FILE and -f renacer writes strace's own `PID line` format.
    const cmp = compareTraces(parseStrace(straceOutput, follow), follow ? parseStrace(renacerOutput, true) : parseRenacer(renacerOutput));
    return { ...cmp, command, followForks: follow, straceOutput, renacerOutput };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * strace against itself: two strace runs of `command` compared the same
 * way, the noise floor of the measurement.
 */
export function compareStraceRuns(command: string[], opts: RunOptions = {}): Comparison {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-cmp-'));
  try {
    const follow = opts.followForks ?? false;
    const a = runStrace(command, path.join(dir, 'a.txt'), opts);
    const b = runStrace(command, path.join(dir, 'b.txt'), opts);
    return compareTraces(parseStrace(a, follow), parseStrace(b, follow));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** "97.3%" */
export function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** A readable report of the first mismatches, for a failing assertion. */
export function describeMismatches(c: Comparison, max = 15): string {
  const show = (m: Mismatch[]) =>
    m.slice(0, max).map((x) => `  strace : ${x.strace ?? '(none)'}\n  renacer: ${x.renacer ?? '(none)'}`).join('\n');
  return `syscall mismatches (${c.syscallMismatches.length}):\n${show(c.syscallMismatches)}\n` +
    `line mismatches (${c.lineMismatches.length}):\n${show(c.lineMismatches)}`;
}

// `node --import tsx test/support/straceCompare.ts [-f] [-s N] [-C DIR] [--baseline] -- CMD…`
// prints the figures and the first mismatches for one command (run in DIR);
// with --baseline, strace's agreement with itself instead.
if (require.main === module) {
  const argv = process.argv.slice(2);
  const sep = argv.indexOf('--');
  const flags = sep >= 0 ? argv.slice(0, sep) : [];
  const command = sep >= 0 ? argv.slice(sep + 1) : argv;
  const follow = flags.includes('-f');
  const cwdAt = flags.indexOf('-C');
  const cwd = cwdAt >= 0 ? flags[cwdAt + 1] : undefined;
  const sAt = flags.indexOf('-s');
  const stringLimit = sAt >= 0 ? Number(flags[sAt + 1]) : undefined;
  const opts = { followForks: follow, cwd, stringLimit };
  const c = flags.includes('--baseline') ? compareStraceRuns(command, opts) : compareCommand(command, opts);
  console.log(`${command.join(' ')}: (1) ${percent(c.syscallMatch)} (${c.straceSyscalls} vs ${c.renacerSyscalls} calls), (2) ${percent(c.lineMatch)}`);
  console.log(describeMismatches(c, Number(process.env.MAX_MISMATCHES ?? 40)));
}
