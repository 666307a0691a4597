// Runs the program without ptrace: for an unsampled trace with
// `--no-trace-when-unsampled`, Renacer steps aside entirely — the program is
// a plain child (libuv resets signal dispositions and the mask before exec),
// and its exit status becomes Renacer's.
import { spawn } from 'node:child_process';
import * as os from 'node:os';

import type { LaunchTarget } from '../session/traceSession';

export function runUntraced(target: LaunchTarget): Promise<number> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(target.env)) if (v !== undefined) env[k] = v;
    const child = spawn(target.path, target.argv.slice(1), { argv0: target.argv[0], env, cwd: target.cwd, stdio: 'inherit' });
    // The terminal sends Ctrl-C to the child too: Renacer only stays alive to
    // report its status. kill/hangup aimed at Renacer are passed on.
    const ignore = () => {};
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forward);
    process.on('SIGHUP', forward);
    const cleanup = () => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
    };
    child.once('error', (e) => {
      cleanup();
      reject(e);
    });
    child.once('exit', (code, signal) => {
      cleanup();
      resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
    });
  });
}
