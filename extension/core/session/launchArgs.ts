// The "renacer" launch/attach configuration: what a user writes in
// launch.json, validated and turned into trace options. Shared by the debug
// adapter (which runs it) and the extension (which resolves it first).
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as dotenv from 'dotenv';

import { resolveProgram } from './programPath';
import { parseTraceFilter } from './syscallFilter';
import { syscallTable } from './syscallTable';
import { FACE_DEFAULTS } from './faceDefaults';
import type { TraceOptions } from './traceSession';

/** Attributes both requests share. */
export interface CommonTraceArgs {
  /** Map syscalls to source lines (default true). */
  source?: boolean;
  /** Keep every user frame of each call's stack in the trace file (callers in the flame graph and hovers). */
  fullStack?: boolean;
  /** strace -e trace= expression(s), e.g. "%file,%network". */
  filter?: string | string[];
  followForks?: boolean;
  /** Show the time of each call in the Debug Console (-T). */
  timing?: boolean;
  traceParent?: string;
  traceState?: string;
  /** Where the extension found traceParent: shown in the Debug Console. */
  traceParentSource?: string;
  otlpEndpoint?: string;
  otlpProtocol?: string;
  otlpServiceName?: string;
  traceFile?: string;
  /** At most this many syscall lines in the Debug Console (the trace file has all). */
  consoleLimit?: number;
  stringLimit?: number;
  cwd?: string;
}

export interface LaunchArgs extends CommonTraceArgs {
  request?: 'launch';
  program: string;
  args?: string[];
  env?: Record<string, string | null>;
  envFile?: string;
  transpilerMap?: string | string[];
  /** Where the program's stdin/stdout/stderr go: the Debug Console (default) or a terminal, for programs that need a tty. */
  console?: 'internalConsole' | 'integratedTerminal';
}

export interface AttachArgs extends CommonTraceArgs {
  request?: 'attach';
  processId: number | string;
}

export class LaunchConfigError extends Error {}

// The attributes a user writes, once per request, checked against the
// manifest's configurationAttributes (test/unit/launchAttributes.test.ts):
// a type and the manifest cannot drift apart. `request` is the request
// itself, `traceParentSource` is the extension's own note to the adapter.
type Written<T> = Exclude<keyof T, 'request' | 'traceParentSource'>;
const COMMON: Record<Written<CommonTraceArgs>, true> = {
  source: true, fullStack: true, filter: true, followForks: true, timing: true, traceParent: true, traceState: true,
  otlpEndpoint: true, otlpProtocol: true, otlpServiceName: true, traceFile: true, consoleLimit: true, stringLimit: true, cwd: true,
};
export const LAUNCH_ATTRIBUTES: Record<Written<LaunchArgs>, true> = {
  ...COMMON, program: true, args: true, env: true, envFile: true, transpilerMap: true, console: true,
};
export const ATTACH_ATTRIBUTES: Record<Written<AttachArgs>, true> = { ...COMMON, processId: true };

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The environment of the launched program: ours, then envFile, then env (null removes). */
export function programEnv(args: LaunchArgs, base: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  if (args.envFile) {
    const file = path.resolve(args.cwd ?? process.cwd(), args.envFile);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new LaunchConfigError(`envFile ${file}: ${(e as Error).message}`);
    }
    Object.assign(env, dotenv.parse(text));
  }
  for (const [k, v] of Object.entries(args.env ?? {})) {
    if (v === null) delete env[k];
    else env[k] = String(v);
  }
  return env;
}

function commonOptions(args: LaunchArgs | AttachArgs, cwd: string): TraceOptions {
  const filter = asList(args.filter);
  let traced: Set<number> | null = null;
  try {
    traced = parseTraceFilter(filter, syscallTable()).traced;
  } catch (e) {
    throw new LaunchConfigError(`filter: ${(e as Error).message}`);
  }
  return {
    followForks: args.followForks ?? FACE_DEFAULTS.debugAdapter.followForks,
    traced,
    stringLimit: args.stringLimit ?? 32,
    source: (args.source ?? FACE_DEFAULTS.debugAdapter.source) || args.fullStack ? { userRoots: [cwd], ...(args.fullStack ? { fullStack: true } : {}) } : undefined,
  };
}

export function launchOptions(args: LaunchArgs, base: NodeJS.ProcessEnv = process.env): TraceOptions {
  if (!args.program || typeof args.program !== 'string') {
    throw new LaunchConfigError('"program" is required: the executable to trace');
  }
  const cwd = path.resolve(args.cwd ?? path.dirname(path.resolve(args.program)));
  if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) throw new LaunchConfigError(`cwd ${cwd} is not a directory`);
  const env = programEnv({ ...args, cwd }, base);
  let program: string;
  try {
    program = resolveProgram(args.program, env.PATH, cwd);
  } catch (e) {
    throw new LaunchConfigError(`program: ${(e as Error).message}`);
  }
  const argv = [args.program, ...(args.args ?? []).map(String)];
  // The child execs after chdir(cwd): an absolute path keeps a relative `program` meaning what it meant here.
  return { ...commonOptions(args, cwd), launch: { path: program, argv, env, cwd }, captureOutput: true };
}

export function attachOptions(args: AttachArgs): TraceOptions {
  const pid = Number(args.processId);
  if (!Number.isInteger(pid) || pid <= 0) throw new LaunchConfigError(`"processId" must be a process id, got ${JSON.stringify(args.processId)}`);
  if (!fs.existsSync(`/proc/${pid}`)) throw new LaunchConfigError(`no process ${pid}`);
  const cwd = args.cwd ?? safeCwd(pid);
  return { ...commonOptions(args, cwd), attach: [pid] };
}

function safeCwd(pid: number): string {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return process.cwd();
  }
}
