// The workspace the extension's end-to-end tests open: examples/demo/demo.c
// built at -O2 -g into build/demo, with a "Renacer: Trace Program" launch
// configuration, as a user's C project would have it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO } from './codeServerHarness';

/** The 1-based number of the first line of `file` with `marker` in it (0: none). */
export const lineOf = (file: string, marker: string) => fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;

export function makeDemoWorkspace(prefix: string): string {
  const ws = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), prefix));
  fs.copyFileSync(path.join(REPO, 'examples', 'demo', 'demo.c'), path.join(ws, 'demo.c'));
  fs.mkdirSync(path.join(ws, 'build'));
  execFileSync('gcc', ['-O2', '-g', '-o', path.join(ws, 'build', 'demo'), path.join(ws, 'demo.c')]);
  fs.mkdirSync(path.join(ws, '.vscode'));
  fs.writeFileSync(
    path.join(ws, '.vscode', 'launch.json'),
    JSON.stringify({
      version: '0.2.0',
      configurations: [
        { type: 'renacer', request: 'launch', name: 'Renacer: Trace Program', program: '${workspaceFolder}/build/demo', cwd: '${workspaceFolder}', source: true },
      ],
    }),
  );
  return ws;
}
