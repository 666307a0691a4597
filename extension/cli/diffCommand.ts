// `renacer diff BEFORE AFTER`: what changed in a program's system calls
// between two runs, by source line (extension/core/diff/). Exit status for
// CI: 1 when a --fail-on condition holds, 0 when none does, 2 for usage
// errors and for a trace file that is missing, corrupt or cut short.
import * as fs from 'node:fs';

import { Command, Option } from 'commander';

import { TraceFileError } from '../core/traceFile/traceFile';
import { jsonReport, textReport } from '../core/diff/diffReport';
import { failures, FailOnError, parseFailOn, type FailCondition } from '../core/diff/failOn';
import { diffTraceFiles } from '../core/diff/traceDiff';
import { EXIT_USAGE, parseSubcommand } from './subcommandParse';

const EXIT_FAIL_ON = 1;

function buildDiffCommand(): Command {
  return new Command('renacer diff')
    .description('Compare two trace files: per call site (source line and syscall), calls, failures, time and bytes before and after.')
    .usage('BEFORE AFTER [--all] [--format text|json] [--fail-on LIST]')
    .helpOption('-h, --help')
    .argument('<before>', 'the earlier run\'s trace file (.renacer/trace-*.jsonl.gz)')
    .argument('<after>', 'the later run\'s trace file')
    .option('--all', 'show unchanged sites too (--format json always has them)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--fail-on <list>', 'exit 1 when any holds: new-errors, new-sites, calls:+N%, time:+N%, syscall:NAME:+N')
    .option('-o, --output <file>', 'write the report to FILE instead of stdout');
}

export interface DiffDeps {
  say: (msg: string) => void;
  writeOut: (s: string) => void;
  cwd: string;
}

/** Runs `renacer diff …` (argv after `diff`); resolves with the exit status. */
export function runDiffCommand(argv: string[], deps: DiffDeps): number {
  const cmd = buildDiffCommand();
  const done = parseSubcommand(cmd, argv, deps.say, deps.writeOut);
  if (done !== undefined) return done;
  const [before, after] = cmd.args;
  const o = cmd.opts<{ all?: boolean; format: 'text' | 'json'; failOn?: string; output?: string }>();
  let conditions: FailCondition[] = [];
  try {
    if (o.failOn !== undefined) conditions = parseFailOn(o.failOn);
  } catch (e) {
    if (e instanceof FailOnError) {
      deps.say(e.message);
      return EXIT_USAGE;
    }
    throw e;
  }
  let diff;
  try {
    diff = diffTraceFiles(before, after);
  } catch (e) {
    if (e instanceof TraceFileError) {
      deps.say(e.message);
      return EXIT_USAGE;
    }
    throw e;
  }
  for (const w of diff.warnings) deps.say(`warning: ${w}`);
  const report = o.format === 'json' ? jsonReport(diff) : textReport(diff, { all: o.all, relativeTo: deps.cwd });
  if (o.output) fs.writeFileSync(o.output, report);
  else deps.writeOut(report);
  // A run that was cut short cannot pass a gate: its figures are partial.
  if (diff.before.truncated || diff.after.truncated) return EXIT_USAGE;
  const tripped = failures(diff, conditions, deps.cwd);
  for (const t of tripped) deps.say(`fail-on ${t}`);
  return tripped.length ? EXIT_FAIL_ON : 0;
}
