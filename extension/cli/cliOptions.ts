// The `renacer` command line: strace's flags where strace has them.
import { Command, CommanderError, Option } from 'commander';

import { FACE_DEFAULTS } from '../core/session/faceDefaults';
import {
  absoluteFromCount,
  applyOutputQualifier,
  parseAbsoluteTimestamps,
  parseRelativeTimestamps,
  quietFromCount,
  StraceFlagError,
  type StraceLineOptions,
} from '../core/format/straceLineOptions';
import type { DecodeFdKind } from '../core/session/nativeAddon';
import type { OtlpCliOptions } from '../core/otel/tracingSetup';
import { parseSummaryColumns, parseSummarySort, type SummaryColumn, type SummarySort } from '../core/format/syscallSummary';
import { addOtlpOptions, otlpOptionsFrom } from './otlpOptions';

export class UsageError extends Error {}

export type OutputFormat = 'text' | 'json' | 'csv';

export interface CliOptions {
  followForks: boolean;
  /** -b execve: let a task go at its execve. */
  detachOnExecve: boolean;
  /** --syscall-limit N: let every task go after N reported calls. */
  syscallLimit?: number;
  /** -P PATH (repeatable): only the calls that touch these paths, each also as its real path. */
  tracePaths: string[];
  /** -X: named constants as names (abbrev), numbers (raw) or both (verbose). */
  constStyle?: 'abbrev' | 'raw' | 'verbose';
  /** -v: structures and argument arrays printed whole (-e abbrev=none). */
  verbose: boolean;
  /** -e read=SET / -e write=SET: descriptors whose data is dumped in hex. */
  readFds?: number[] | 'all';
  writeFds?: number[] | 'all';
  /** -ff / --output-separately (with -o FILE): one file per task, FILE.TID. */
  outputSeparately: boolean;
  expressions: string[];
  stringLimit: number;
  timing: boolean;
  summaryOnly: boolean;
  summary: boolean;
  /** -S: the -c table's order. */
  summarySort: SummarySort;
  /** -U: the -c table's columns (undefined: strace's default). */
  summaryColumns?: SummaryColumn[];
  /** -O: ns subtracted from each call's time in the -c table. */
  summaryOverheadNs: number;
  output?: string;
  attach: number[];
  format: OutputFormat;
  source: boolean;
  /** -k: each call's stack as strace prints it; 'source' (-kk, --stack-trace=source): with each frame's file:line. */
  stackTraces: boolean | 'source';
  /** --full-stack: every user frame of each call's stack (implies --source). */
  fullStack: boolean;
  /** --transpiler-map FILE (repeatable); implies --source. */
  transpilerMaps: string[];
  traceFile?: string;
  writeTraceFile: boolean;
  command: string[];
  /** Trace context and OTLP export (otlpOptions.ts). */
  otlp: OtlpCliOptions;
  /** strace's output flags (timestamps, -n, -a, -z/-Z, -e status=/signal=/quiet=, -q). */
  lines: StraceLineOptions;
  /** -A: append to the -o file. */
  appendOutput: boolean;
  /** -E: VAR=VAL to set, VAR to remove, in order. */
  envChanges: string[];
  /** -u: the user to run the program as. */
  user?: string;
  /** -y / -yy / --decode-fds=SET: what each descriptor refers to (empty: plain numbers). */
  decodeFds: DecodeFdKind[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new UsageError(`${name}: '${value}' is not a non-negative integer`);
    return Number(value);
  };
}

const count = (_: unknown, previous: number) => previous + 1;

function pids(value: string, previous: number[]): number[] {
  const out = [...previous];
  for (const part of value.split(/[\s,]+/).filter(Boolean)) {
    if (!/^\d+$/.test(part) || Number(part) <= 0) throw new UsageError(`-p: invalid process id '${part}'`);
    out.push(Number(part));
  }
  return out;
}

/** strace's descriptor SET of -e read= / -e write=: numbers, `all`, `none`, a leading `!` inverting (over 0..1023). */
function descriptorSet(spec: string, flag: string): number[] | 'all' | undefined {
  let s = spec;
  let invert = false;
  for (; s.startsWith('!'); s = s.slice(1)) invert = !invert;
  let fds: number[] | 'all';
  if (s === 'all') fds = 'all';
  else if (s === 'none') fds = [];
  else {
    fds = s.split(',').map((t) => {
      if (!/^\d+$/.test(t) || Number(t) >= 1 << 20) throw new UsageError(`invalid descriptor '${t}' in -e ${flag}=${spec}`);
      return Number(t);
    });
  }
  if (!invert) return fds.length === 0 ? undefined : fds;
  if (fds === 'all') return undefined;
  const out = new Set(fds);
  return Array.from({ length: 1024 }, (_, i) => i).filter((i) => !out.has(i));
}

const DECODE_FDS: DecodeFdKind[] = ['path', 'socket', 'dev', 'pidfd'];

/** strace's --decode-fds=SET: kinds separated by commas, `all`, `none`, each leading `!` inverting. */
function decodeFds(spec: string): DecodeFdKind[] {
  let s = spec;
  let invert = false;
  for (; s.startsWith('!'); s = s.slice(1)) invert = !invert;
  const tokens = s === 'all' ? DECODE_FDS : s === 'none' ? [] : s.split(',').filter(Boolean);
  if (s !== 'none' && tokens.length === 0) throw new UsageError(`--decode-fds: invalid value '${spec}'`);
  for (const t of tokens) if (!DECODE_FDS.includes(t as DecodeFdKind)) throw new UsageError(`--decode-fds: invalid value '${t}' (path, socket, dev, pidfd, all, none)`);
  return DECODE_FDS.filter((k) => tokens.includes(k) !== invert);
}

export function buildCommand(version: string): Command {
  const cmd = new Command('renacer')
    .description('Trace the system calls of PROGRAM (or of a running process) and tie each to its source line.')
    .usage('[options] -- PROGRAM [ARGS...] | [options] -p PID')
    .version(version, '-V, --version')
    .addHelpOption(new Option('-h, --help', 'print this help').helpGroup('Miscellaneous:'))
    // The descriptions say the defaults a person needs (commander would add "(default: false)" and repeat "(default 32)").
    .configureHelp({ optionDescription: (option) => option.description })
    .passThroughOptions()
    .allowExcessArguments(true)
    .argument('[command...]', 'the program to run and its arguments')
    .option('-b, --detach-on <syscall>', 'detach from a task at this syscall (execve: the new program runs untraced)', (v: string) => {
      if (v !== 'execve') throw new UsageError(`-b: only execve is supported ('${v}')`);
      return v;
    })
    .option('--syscall-limit <n>', 'detach from every task after N syscalls are reported (those -e trace= selects)', (v: string) => {
      if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`--syscall-limit: invalid limit '${v}' (a number above 0)`);
      return Number(v);
    })
    .option('-f, --follow-forks', 'trace child processes and threads as they are created (-ff: with -o FILE, each task\'s lines in FILE.TID)', count, FACE_DEFAULTS.cli.followForks ? 1 : 0)
    .option('--output-separately', 'with -o FILE, each task\'s lines in FILE.TID (implies -f)', false)
    .option('-P, --trace-path <path>', 'trace only the syscalls that touch PATH, through a path or a descriptor (repeatable)', collect, [])
    .option('-e, --expr <expr>', 'qualifier: trace=SET (names, %class, /regex/, !negation), status=, signal=, quiet=, raw=, abbrev=, read=, write=, inject=, fault=; repeatable', collect, [])
    .option('-s, --string-limit <n>', 'the longest string to print (default 32)', positiveInt('-s'), 32)
    .option('-T, --syscall-times', 'show the time spent in each syscall', false)
    .option('-c, --summary-only', 'count time, calls and errors per syscall; print a table at the end', false)
    .option('-C, --summary', 'like -c, and print the syscalls too', false)
    .option('-S, --summary-sort-by <sortby>', 'sort the -c table by time, min-time, max-time, avg-time, calls, errors, name or nothing', (v: string) => {
      const s = parseSummarySort(v);
      if (!s) throw new UsageError(`-S: invalid sortby '${v}' (time, min-time, max-time, avg-time, calls, errors, name, nothing)`);
      return s;
    })
    .option('-U, --summary-columns <columns>', 'the -c table\'s columns: time-percent, total-time, min-time, max-time, avg-time, calls, errors, name', (v: string) => {
      try {
        return parseSummaryColumns(v);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    })
    .option('-O, --summary-syscall-overhead <overhead>', 'subtract OVERHEAD (seconds, or with a unit: 10us) from each call\'s time in the -c table', (v: string) => {
      const m = /^(\d+(?:\.\d+)?)(s|ms|us|ns)?$/.exec(v);
      if (!m) throw new UsageError(`-O: invalid overhead '${v}'`);
      const scale = { s: 1e9, ms: 1e6, us: 1e3, ns: 1 }[(m[2] ?? 'us') as 's' | 'ms' | 'us' | 'ns'];
      return Math.round(Number(m[1]) * scale);
    })
    .option('-w, --summary-wall-clock', 'the -c table sums wall-clock time in the calls (renacer\'s only way: always on)', false)
    .option('-o, --output <file>', 'write the trace output to FILE instead of stderr')
    .option('-A, --output-append-mode', 'open the -o file for appending', false)
    .option('-t', 'prefix each line with the time of day (-tt: with microseconds, -ttt: seconds since the epoch)', count, 0)
    .option('--absolute-timestamps [spec]', 'timestamps: [format:]{none,time,unix}[,precision:{s,ms,us,ns}]')
    .option('--timestamps [spec]', 'the same as --absolute-timestamps')
    .option('-r', 'prefix each line with the time since the previous one', false)
    .option('--relative-timestamps [precision]', 'the same as -r, with a precision (s, ms, us, ns)')
    .option('-n, --syscall-number', 'print the syscall number', false)
    .option('-k, --stack-traces', 'print the stack of each syscall, as strace -k prints it (-kk: with each frame\'s source file:line)', count, 0)
    .option('--stack-trace [mode]', 'the same as -k (symbol) or -kk (source)', (v: string) => {
      if (v !== 'symbol' && v !== 'source') throw new UsageError(`--stack-trace: invalid mode '${v}' (symbol, source)`);
      return v;
    })
    .option('-i, --instruction-pointer', 'print the instruction pointer at the time of the syscall', false)
    .option('-y', 'print the path each file descriptor refers to (-yy: also sockets\' addresses, devices\' numbers, pidfds\' processes)', count, 0)
    .option('--decode-fds [set]', 'what to print after each file descriptor: path, socket, dev, pidfd (comma-separated), all or none (default: path)')
    .option('-v, --no-abbrev', 'print structures and argument arrays whole (execve\'s environment, stat\'s every field): -e abbrev=none')
    .addOption(new Option('-X, --const-print-style <format>', 'named constants and flags as names (abbrev), numbers (raw) or both (verbose)').choices(['raw', 'abbrev', 'verbose']))
    .option('-x', 'print strings with non-ASCII bytes in hex (-xx: every string)', count, 0)
    .option('--strings-in-hex [which]', 'the same as -x (non-ascii) or -xx (all)')
    .option('-a, --columns <n>', 'align results at column N (default 40)', positiveInt('-a'))
    .option('-z, --successful-only', 'print only syscalls that returned without an error code', false)
    .option('-Z, --failed-only', 'print only syscalls that returned with an error code', false)
    .option('-q', 'suppress messages about attaching and detaching (-qq: and exit statuses, -qqq: all)', count, 0)
    .option('--trace <set>', 'the same as -e trace=SET', (v: string, prev: string[]) => [...prev, `trace=${v}`], [])
    .option('--status <set>', 'the same as -e status=SET', (v: string, prev: string[]) => [...prev, `status=${v}`], [])
    .option('--signal <set>', 'the same as -e signal=SET', (v: string, prev: string[]) => [...prev, `signal=${v}`], [])
    .option('--quiet <set>', 'the same as -e quiet=SET', (v: string, prev: string[]) => [...prev, `quiet=${v}`], [])
    .option('--inject <spec>', 'the same as -e inject=SET:error=E|retval=V|delay_enter=D|delay_exit=D[:when=EXPR]', (v: string, prev: string[]) => [...prev, `inject=${v}`], [])
    .option('--raw <set>', 'the same as -e raw=SET: print these syscalls undecoded', (v: string, prev: string[]) => [...prev, `raw=${v}`], [])
    .option('--read <set>', 'the same as -e read=SET: dump in hex what is read from these descriptors', (v: string, prev: string[]) => [...prev, `read=${v}`], [])
    .option('--write <set>', 'the same as -e write=SET: dump in hex what is written to these descriptors', (v: string, prev: string[]) => [...prev, `write=${v}`], [])
    .option('--fault <spec>', 'the same as -e fault=SET[:error=E][:when=EXPR]', (v: string, prev: string[]) => [...prev, `fault=${v}`], [])
    .option('-u, --user <username>', 'run the program as USERNAME (its uid, gid and groups)')
    .option('-E, --env <var[=val]>', 'put VAR=VAL in the program\'s environment, or remove VAR (repeatable)', collect, [])
    .option('-I, --interruptible <n>', 'accepted for strace\'s sake: renacer never blocks signals while it decodes', (v: string) => {
      if (!/^([1-4]|anywhere|waiting|never|never_tstp)$/.test(v)) throw new UsageError(`-I: invalid interruptible value '${v}'`);
      return v;
    })
    .option('-D', 'accepted for strace\'s sake (-DD, -DDD too): renacer\'s tracer stays the program\'s parent; the output is the same', count, 0)
    .option('--daemonize [how]', 'the same as -D (grandchild), -DD (pgroup) or -DDD (session)', (v: string) => {
      if (!/^(grandchild|pgroup|pgrp|session)$/.test(v)) throw new UsageError(`--daemonize: invalid value '${v}' (grandchild, pgroup, session)`);
      return v;
    })
    .option('--seccomp-bpf', 'accepted for strace\'s sake: renacer always filters with seccomp-bpf', false)
    .option('--kill-on-exit', 'kill the tracees when renacer exits (renacer always does for a program it started)', false)
    .option('-p, --attach <pid>', 'attach to a running process (repeatable, or comma-separated)', pids, [])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv']).default('text'))
    .option('--source', 'map each syscall to the source line that made it', FACE_DEFAULTS.cli.source)
    .option('--full-stack', 'keep each syscall\'s whole user call stack (callers too) in the trace file; implies --source', false)
    .option('--transpiler-map <file>', 'map generated code back to its original language (Renacer JSON map or Source Map v3; repeatable; implies --source)', collect, [])
    .option('--trace-file <path>', 'where to write the trace file (default .renacer/trace-*.jsonl.gz)')
    .option('--no-trace-file', 'do not write a trace file');
  addOtlpOptions(cmd);
  const rank = (o: Option) => {
    const i = GROUP_ORDER.indexOf(HELP_GROUPS[o.attributeName()]);
    return i < 0 ? GROUP_ORDER.length : i;
  };
  for (const option of cmd.options) option.helpGroup(HELP_GROUPS[option.attributeName()] ?? 'Renacer (beyond strace):');
  // Sections in strace's order (help lists a group where its first option is).
  (cmd.options as Option[]).sort((a, b) => rank(a) - rank(b));
  return cmd;
}

/** `--help`'s sections: strace's own (`strace --help`), then what renacer adds. */
const GROUP_SECTIONS: Record<string, string[]> = {
    'General:': ['expr'],
    'Startup:': ['env', 'attach', 'user'],
    'Tracing:': ['detachOn', 'D', 'daemonize', 'followForks', 'interruptible', 'syscallLimit', 'killOnExit'],
    'Filtering:': ['trace', 'signal', 'status', 'tracePath', 'successfulOnly', 'failedOnly'],
    'Output format:': [
      'columns', 'abbrev', 'raw', 'read', 'write', 'quiet', 'decodeFds', 'instructionPointer', 'stackTraces', 'stackTrace',
      'syscallNumber', 'output', 'outputAppendMode', 'outputSeparately', 'q', 'r', 'relativeTimestamps', 'stringLimit',
      'absoluteTimestamps', 'timestamps', 't', 'syscallTimes', 'stringsInHex', 'x', 'y', 'constPrintStyle',
    ],
    'Statistics:': ['summaryOnly', 'summary', 'summarySyscallOverhead', 'summarySortBy', 'summaryColumns', 'summaryWallClock'],
    'Tampering:': ['inject', 'fault'],
    'Miscellaneous:': ['seccompBpf', 'version'],
};
const GROUP_ORDER = Object.keys(GROUP_SECTIONS);
const HELP_GROUPS: Record<string, string> = Object.fromEntries(Object.entries(GROUP_SECTIONS).flatMap(([group, names]) => names.map((n) => [n, group])));

/** Parses argv (without node and script). Throws UsageError; returns null for --help/--version (already printed). */
export function parseCli(argv: string[], version: string, writeErr: (s: string) => void, writeOut: (s: string) => void): CliOptions | null {
  const cmd = buildCommand(version);
  cmd.exitOverride();
  cmd.configureOutput({ writeErr, writeOut, outputError: () => {} });
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return null;
      throw new UsageError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
  const o = cmd.opts();
  const command = cmd.args;
  // strace's output qualifiers (-e status=, signal=, quiet=, kvm=) shape the
  // lines; the rest of -e (trace=) selects what is traced.
  const lines: StraceLineOptions = { quiet: quietFromCount(o.q) };
  const expressions: string[] = [];
  let readFds: number[] | 'all' | undefined;
  let writeFds: number[] | 'all' | undefined;
  try {
    lines.absolute = absoluteFromCount(o.t);
    const abs = o.absoluteTimestamps ?? o.timestamps;
    if (abs !== undefined) lines.absolute = parseAbsoluteTimestamps(abs);
    if (o.relativeTimestamps !== undefined) lines.relative = parseRelativeTimestamps(o.relativeTimestamps);
    else if (o.r) lines.relative = 'us';
    if (o.successfulOnly && o.failedOnly) throw new UsageError('-z and -Z are mutually exclusive');
    if (o.successfulOnly) lines.statuses = new Set(['successful']);
    if (o.failedOnly) lines.statuses = new Set(['failed']);
    for (const q of [...o.expr, ...o.trace, ...o.status, ...o.signal, ...o.quiet, ...o.inject, ...o.fault, ...o.read, ...o.write, ...o.raw]) {
      const eq = q.indexOf('=');
      const key = q.slice(0, eq);
      if (['read', 'reads', 'r'].includes(key)) readFds = descriptorSet(q.slice(eq + 1), 'read');
      else if (['write', 'writes', 'w'].includes(key)) writeFds = descriptorSet(q.slice(eq + 1), 'write');
      else if (eq < 0 || !applyOutputQualifier(lines, key, q.slice(eq + 1))) expressions.push(q);
    }
  } catch (e) {
    if (e instanceof StraceFlagError) throw new UsageError(e.message);
    throw e;
  }
  if (o.syscallNumber) lines.syscallNumbers = true;
  if (o.instructionPointer) lines.instructionPointer = true;
  if (o.x) lines.hexStrings = o.x >= 2 ? 'all' : 'non-ascii';
  if (o.stringsInHex !== undefined) {
    const which = o.stringsInHex === true ? 'all' : o.stringsInHex;
    if (which === 'all') lines.hexStrings = 'all';
    else if (which === 'non-ascii' || which === 'non-ascii-chars') lines.hexStrings = 'non-ascii';
    else if (which !== 'none') throw new UsageError(`--strings-in-hex: invalid value '${which}' (none, non-ascii, all)`);
  }
  if (o.columns !== undefined) lines.column = o.columns;
  if (o.y && o.decodeFds !== undefined) throw new UsageError('-y and --decode-fds cannot be provided simultaneously');
  const fds = o.decodeFds !== undefined ? decodeFds(o.decodeFds === true ? 'path' : o.decodeFds) : o.y ? decodeFds(o.y >= 2 ? 'all' : 'path') : [];
  if (o.stackTraces > 2) throw new UsageError('too many -k options (-k: the stack, -kk: with source lines)');
  for (const v of o.env as string[]) if (v === '' || v.startsWith('=')) throw new UsageError(`-E: invalid environment variable '${v}'`);
  const options: CliOptions = {
    followForks: o.followForks > 0 || o.outputSeparately === true,
    detachOnExecve: o.detachOn !== undefined,
    syscallLimit: o.syscallLimit,
    tracePaths: o.tracePath,
    readFds,
    writeFds,
    verbose: o.abbrev === false,
    constStyle: o.constPrintStyle,
    outputSeparately: o.followForks >= 2 || o.outputSeparately === true,
    expressions,
    stringLimit: o.stringLimit,
    timing: o.syscallTimes,
    summaryOnly: o.summaryOnly,
    summary: o.summary,
    summarySort: o.summarySortBy ?? 'time',
    summaryColumns: o.summaryColumns,
    summaryOverheadNs: o.summarySyscallOverhead ?? 0,
    output: o.output,
    attach: o.attach,
    format: o.format,
    source: o.source || o.fullStack || o.transpilerMap.length > 0,
    stackTraces: o.stackTrace === 'source' || o.stackTraces >= 2 ? 'source' : o.stackTraces > 0 || o.stackTrace !== undefined,
    fullStack: o.fullStack === true,
    transpilerMaps: o.transpilerMap,
    traceFile: typeof o.traceFile === 'string' ? o.traceFile : undefined,
    writeTraceFile: o.traceFile !== false,
    command,
    otlp: otlpOptionsFrom(o),
    lines,
    appendOutput: o.outputAppendMode === true,
    envChanges: o.env,
    user: o.user,
    decodeFds: fds,
  };
  if (options.attach.length === 0 && command.length === 0) {
    throw new UsageError('must have PROGRAM [ARGS] or -p PID');
  }
  if (options.attach.length > 0 && command.length > 0) {
    throw new UsageError('-p PID and a PROGRAM are mutually exclusive');
  }
  return options;
}
