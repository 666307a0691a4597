// The `renacer` command line: strace's flags where strace has them.
import { Command, CommanderError, Option } from 'commander';

import { FACE_DEFAULTS } from '../core/faceDefaults';
import type { OtlpCliOptions } from '../core/tracingSetup';
import { addOtlpOptions, otlpOptionsFrom } from './otlpOptions';

export class UsageError extends Error {}

export type OutputFormat = 'text' | 'json' | 'csv';

export interface CliOptions {
  followForks: boolean;
  expressions: string[];
  stringLimit: number;
  timing: boolean;
  summaryOnly: boolean;
  summary: boolean;
  output?: string;
  attach: number[];
  format: OutputFormat;
  source: boolean;
  /** --full-stack: every user frame of each call's stack (implies --source). */
  fullStack: boolean;
  /** --transpiler-map FILE (repeatable); implies --source. */
  transpilerMaps: string[];
  traceFile?: string;
  writeTraceFile: boolean;
  command: string[];
  /** Trace context and OTLP export (otlpOptions.ts). */
  otlp: OtlpCliOptions;
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

function pids(value: string, previous: number[]): number[] {
  const out = [...previous];
  for (const part of value.split(/[\s,]+/).filter(Boolean)) {
    if (!/^\d+$/.test(part) || Number(part) <= 0) throw new UsageError(`-p: invalid process id '${part}'`);
    out.push(Number(part));
  }
  return out;
}

export function buildCommand(version: string): Command {
  const cmd = new Command('renacer')
    .description('Trace the system calls of PROGRAM (or of a running process) and tie each to its source line.')
    .usage('[options] -- PROGRAM [ARGS...] | [options] -p PID')
    .version(version, '-V, --version')
    .helpOption('-h, --help')
    .passThroughOptions()
    .allowExcessArguments(true)
    .argument('[command...]', 'the program to run and its arguments')
    .option('-f, --follow-forks', 'trace child processes and threads as they are created', FACE_DEFAULTS.cli.followForks)
    .option('-e, --expr <expr>', 'qualifier: trace=SET (names, %class, /regex/, !negation); repeatable', collect, [])
    .option('-s, --string-limit <n>', 'the longest string to print (default 32)', positiveInt('-s'), 32)
    .option('-T, --syscall-times', 'show the time spent in each syscall', false)
    .option('-c, --summary-only', 'count time, calls and errors per syscall; print a table at the end', false)
    .option('-C, --summary', 'like -c, and print the syscalls too', false)
    .option('-o, --output <file>', 'write the trace output to FILE instead of stderr')
    .option('-p, --attach <pid>', 'attach to a running process (repeatable, or comma-separated)', pids, [])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv']).default('text'))
    .option('--source', 'map each syscall to the source line that made it', FACE_DEFAULTS.cli.source)
    .option('--full-stack', 'keep each syscall\'s whole user call stack (callers too) in the trace file; implies --source', false)
    .option('--transpiler-map <file>', 'map generated code back to its original language (Renacer JSON map or Source Map v3; repeatable; implies --source)', collect, [])
    .option('--trace-file <path>', 'where to write the trace file (default .renacer/trace-*.jsonl.gz)')
    .option('--no-trace-file', 'do not write a trace file');
  addOtlpOptions(cmd);
  return cmd;
}

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
  const options: CliOptions = {
    followForks: o.followForks,
    expressions: o.expr,
    stringLimit: o.stringLimit,
    timing: o.syscallTimes,
    summaryOnly: o.summaryOnly,
    summary: o.summary,
    output: o.output,
    attach: o.attach,
    format: o.format,
    source: o.source || o.fullStack || o.transpilerMap.length > 0,
    fullStack: o.fullStack === true,
    transpilerMaps: o.transpilerMap,
    traceFile: typeof o.traceFile === 'string' ? o.traceFile : undefined,
    writeTraceFile: o.traceFile !== false,
    command,
    otlp: otlpOptionsFrom(o),
  };
  if (options.attach.length === 0 && command.length === 0) {
    throw new UsageError('must have PROGRAM [ARGS] or -p PID');
  }
  if (options.attach.length > 0 && command.length > 0) {
    throw new UsageError('-p PID and a PROGRAM are mutually exclusive');
  }
  return options;
}
