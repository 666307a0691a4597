// Runs the real `renacer` command line (bin/renacer.js) as a child process.
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO } from './fixtures';

export const RENACER = path.join(REPO, 'bin', 'renacer.js');

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): CliRun {
  const r = spawnSync(process.execPath, [RENACER, ...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    input: opts.input,
    maxBuffer: 1 << 30,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Starts renacer without waiting (for Ctrl-C and attach tests). */
export function startCli(args: string[], opts: SpawnOptions = {}) {
  return spawn(process.execPath, [RENACER, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

/** Parses a `--format json` output file into objects. */
export function readJsonLines(file: string): Array<Record<string, any>> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** Lines of strace-style text output, without renacer's own notices. */
export function traceLines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('renacer:'));
}

/** Waits until `pred` holds, polling (for processes observed from outside). */
export async function waitFor(pred: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
