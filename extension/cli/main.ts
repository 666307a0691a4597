// `renacer` entry point: parse the command line, run one trace session, exit
// with the traced program's status.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tty from 'node:tty';

import type { TraceSink } from '../core/session/events';
import { CsvFormatSink } from '../core/format/csvFormat';
import { JsonFormatSink } from '../core/format/jsonFormat';
import { SeparateFilesSink, TextFormatSink } from '../core/format/textFormat';
import { OutputWriter } from '../core/format/outputWriter';
import { ProgramNotFoundError, resolveProgram } from '../core/session/programPath';
import { SyscallSummary } from '../core/format/syscallSummary';
import { FilterError, parseTraceFilter } from '../core/session/syscallFilter';
import { syscallTable } from '../core/session/syscallTable';
import { prepareRun, type Run } from '../core/session/runRecipe';
import { TracingUsageError } from '../core/otel/tracingSetup';
import { InjectionError, parseInjection, SyscallInjector, type InjectionRule } from '../core/session/syscallInjection';
import type { LaunchTarget, TraceSession } from '../core/session/traceSession';
import { UserAccountError, userAccount } from '../core/session/userAccount';
import { TranspilerMapError } from '../core/source/transpilerMap';
import { parseCli, UsageError, type CliOptions } from './cliOptions';
import { InterruptPolicy } from './interruptPolicy';

declare const RENACER_VERSION: string | undefined;
const VERSION = typeof RENACER_VERSION === 'string' ? RENACER_VERSION : '0.0.0-dev';

const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

/** strace -P: each path and, when it differs, the real path it resolves into (said unless -e quiet=path-resolution). */
function withRealPaths(paths: string[], tell: boolean): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    out.add(p);
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      continue;
    }
    if (real === p) continue;
    if (tell) say(`Requested path ${JSON.stringify(p)} resolved into ${JSON.stringify(real)}`);
    out.add(real);
  }
  return [...out];
}

function say(msg: string): void {
  process.stderr.write(`renacer: ${msg}\n`);
}

function usage(msg: string): number {
  say(msg);
  process.stderr.write("Try 'renacer --help' for more information.\n");
  return EXIT_USAGE;
}

function isTerminalPath(file: string): boolean {
  try {
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
    try {
      return tty.isatty(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

export async function main(argv: string[]): Promise<number> {
  // The editor faces of the engine, over stdio: they run until the client goes.
  if (argv[0] === 'dap') {
    (await import('../debugAdapter/renacerDebugSession')).runDebugAdapter();
    return new Promise(() => {});
  }
  if (argv[0] === 'lsp') {
    (await import('../languageServer/renacerLanguageServer')).startLanguageServer();
    return new Promise(() => {});
  }
  if (argv[0] === 'diff') {
    // The report is written before exit resolves: process.exit would cut a pipe's pending writes short.
    const out: string[] = [];
    const { runDiffCommand } = await import('./diffCommand');
    const code = runDiffCommand(argv.slice(1), { say: (m) => say(`diff: ${m}`), writeOut: (s) => out.push(s), cwd: process.cwd() });
    await new Promise<void>((resolve) => (out.length ? process.stdout.write(out.join(''), () => resolve()) : resolve()));
    return code;
  }
  if (argv[0] === 'export') return (await import('./exportCommand')).runExportCommand(argv.slice(1), { env: process.env, version: VERSION, say }, (s) => process.stdout.write(s));
  let opts: CliOptions | null;
  try {
    opts = parseCli(argv, VERSION, (s) => process.stderr.write(s), (s) => process.stdout.write(s));
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
  if (!opts) return 0;
  return runTrace(opts);
}

async function runTrace(opts: CliOptions): Promise<number> {
  const table = syscallTable();
  let traced: Set<number> | null;
  let rawCalls: number[] | 'all' | undefined;
  let wholeCalls: number[] | 'all' | undefined;
  const rules: InjectionRule[] = [];
  try {
    // -e inject= / -e fault= tamper with calls; the rest of -e selects them.
    // -e raw= names calls as -e trace= does.
    const selecting: string[] = [];
    const raw: string[] = [];
    const abbrev: string[] = [];
    for (const q of opts.expressions) {
      const m = /^(inject|fault)=(.*)$/.exec(q);
      const r = /^(?:raw|x)=(.*)$/.exec(q);
      const a = /^(?:abbrev|a)=(.*)$/.exec(q);
      if (m) rules.push(parseInjection(m[1] as 'inject' | 'fault', m[2], table));
      else if (r) raw.push(`trace=${r[1]}`);
      else if (a) abbrev.push(`trace=${a[1]}`);
      else selecting.push(q);
    }
    // -v is -e abbrev=none: what is not abbreviated is printed whole.
    if (opts.verbose) abbrev.push('trace=none');
    if (abbrev.length) {
      const shortened = parseTraceFilter(abbrev, table).traced;
      wholeCalls = shortened === null ? undefined : shortened.size === 0 ? 'all' : table.entries.map((e) => e.nr).filter((nr) => !shortened.has(nr));
    }
    traced = parseTraceFilter(selecting, table).traced;
    if (raw.length) {
      const set = parseTraceFilter(raw, table).traced;
      rawCalls = set === null ? 'all' : set.size ? [...set] : undefined;
    }
  } catch (e) {
    if (e instanceof FilterError || e instanceof InjectionError) return usage(e.message);
    throw e;
  }
  let session: TraceSession | undefined;
  const injector = rules.length ? new SyscallInjector(rules, () => session?.control) : undefined;

  const cwd = process.cwd();
  let launch: LaunchTarget | undefined;
  if (opts.command.length > 0) {
    let resolved: string;
    try {
      resolved = resolveProgram(opts.command[0], process.env.PATH, cwd);
    } catch (e) {
      if (e instanceof ProgramNotFoundError) return usage(e.message);
      throw e;
    }
    // strace execs a name with a slash as given (`execve("./prog", …)`), and a
    // bare name as found in PATH.
    // -E VAR=VAL sets, -E VAR removes, in the order given.
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const change of opts.envChanges) {
      const eq = change.indexOf('=');
      if (eq < 0) delete env[change];
      else env[change.slice(0, eq)] = change.slice(eq + 1);
    }
    launch = { path: opts.command[0].includes('/') ? opts.command[0] : resolved, argv: opts.command, env, cwd };
    if (opts.user !== undefined) {
      try {
        launch.user = userAccount(opts.user);
      } catch (e) {
        if (e instanceof UserAccountError) return usage(e.message);
        throw e;
      }
    }
  }

  const faceSinks = (out: OutputWriter, summary: SyscallSummary | undefined): TraceSink[] => {
    // The injector first: it marks the calls it held back before anything prints them.
    const sinks: TraceSink[] = injector ? [injector] : [];
    if (!opts.summaryOnly) {
      if (opts.format === 'json') sinks.push(new JsonFormatSink(out));
      else if (opts.format === 'csv') sinks.push(new CsvFormatSink(out));
      // strace's -ff without -o is -f: there is no file name to add the tid to.
      else if (opts.outputSeparately && opts.output !== undefined)
        sinks.push(new SeparateFilesSink(opts.output, (f) => OutputWriter.toFile(f, opts.appendOutput), { timing: opts.timing, source: opts.source, relativeTo: cwd, lines: opts.lines }));
      else sinks.push(
          new TextFormatSink(out, {
            timing: opts.timing,
            source: opts.source,
            relativeTo: cwd,
            // strace: `-o FILE` with -f (or several -p) names the task on every line.
            pidPrefix: opts.output !== undefined && (opts.followForks || opts.attach.length > 1) ? 'file' : 'terminal',
            lines: opts.lines,
          }),
        );
    }
    if (summary) sinks.push(summary);
    return sinks;
  };

  // A bad transpiler map or flags that do not fit together: usage errors (exit 2), before anything runs.
  let run: Run;
  try {
    run = prepareRun({
      launch,
      attach: opts.attach,
      followForks: opts.followForks,
      detachOnExecve: opts.detachOnExecve,
      syscallLimit: opts.syscallLimit,
      readFds: opts.readFds,
      rawCalls,
      wholeCalls,
      constStyle: opts.constStyle,
      writeFds: opts.writeFds,
      tracePaths: withRealPaths(opts.tracePaths, !opts.lines.quiet?.has('path-resolution')),
      traced,
      stringLimit: opts.stringLimit,
      decodeFds: opts.decodeFds,
      source: opts.source ? { userRoots: [cwd], fullStack: opts.fullStack } : undefined,
      backtrace: opts.stackTraces,
      transpilerMaps: opts.transpilerMaps,
      traceFile: opts.writeTraceFile ? { path: opts.traceFile ? path.resolve(opts.traceFile) : undefined } : false,
      cwd,
      otlp: opts.otlp,
      env: process.env,
      version: VERSION,
      say,
      showPath: (file) => path.relative(cwd, file) || file,
      // strace's order on a terminal: each line as its call returns, beside the program's own output.
      lockstep: !opts.summaryOnly && (opts.output === undefined ? tty.isatty(2) : isTerminalPath(opts.output)),
      stops: injector ? { syscalls: injector.syscalls, failed: false, signals: false, lines: [] } : undefined,
      onControl: injector ? (ev) => injector.onControl(ev) : undefined,
    });
  } catch (e) {
    if (e instanceof TranspilerMapError || e instanceof TracingUsageError) return usage(e.message);
    throw e;
  }
  if (run.tracing.runWithoutTracing) return run.tracing.runUntraced(launch);
  let out: OutputWriter;
  try {
    // With -ff the tasks' lines go to FILE.TID, and FILE itself is not written (as with strace).
    const separate = opts.outputSeparately && opts.format === 'text' && !opts.summaryOnly;
    out = opts.output && !separate ? OutputWriter.toFile(opts.output, opts.appendOutput) : OutputWriter.toFd(2);
  } catch (e) {
    say(`can't open '${opts.output}': ${(e as Error).message}`);
    return EXIT_FAILURE;
  }
  const summary = opts.summaryOnly || opts.summary ? new SyscallSummary(opts.summarySort, opts.summaryOverheadNs) : undefined;
  await run.tracing.loadExport();
  session = run.createSession(faceSinks(out, summary));
  const traceFile = run.traceFile;

  // Ctrl-C, kill, a closed terminal: stop tracing (a launched program is
  // killed, an attached one detached), flush what we have, exit.
  const stopper = new InterruptPolicy(session, !launch);
  const onSignal = (sig: NodeJS.Signals) => stopper.onSignal(sig);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);

  let info;
  try {
    info = await session.start();
  } catch (e) {
    say((e as Error).message);
    out.close();
    return EXIT_FAILURE;
  }
  const quietAttach = opts.lines.quiet?.has('attach') === true;
  if (info.attached && !quietAttach) for (const pid of opts.attach) say(`Process ${pid} attached`);

  let result;
  try {
    result = await session.finished();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EPIPE') return EXIT_FAILURE;
    throw e;
  } finally {
    stopper.dispose();
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(sig, onSignal);
  }
  if (summary) out.write(summary.format(opts.summaryColumns));
  out.close();
  if (info.attached && !quietAttach) for (const pid of opts.attach) say(`Process ${pid} detached`);
  if (result.error) say(result.error);
  if (traceFile?.path && process.env.RENACER_QUIET_TRACE_FILE !== '1' && opts.output !== undefined) {
    // With -o the terminal is free: say where the full record went.
    say(`trace file: ${path.relative(cwd, traceFile.path) || traceFile.path}`);
  }
  return result.exitStatus ?? 0;
}

export function run(): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      say(`internal error: ${(e as Error).stack ?? e}`);
      process.exit(EXIT_FAILURE);
    },
  );
}
