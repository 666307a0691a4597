// Compiles test programs from test/fixtures during the test run (cached by
// source mtime under test/.build).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures');
const BUILD = path.join(REPO, 'test', '.build');

export interface CompileOptions {
  /** Extra compiler flags (default -O2 -g). */
  flags?: string[];
  /** Output name suffix, to build one source several ways. */
  variant?: string;
  libs?: string[];
}

export function compileFixture(name: string, opts: CompileOptions = {}): string {
  const src = path.join(FIXTURES, name);
  const isCpp = /\.(cc|cpp)$/.test(name);
  const base = name.replace(/\.[^.]+$/, '') + (opts.variant ? `-${opts.variant}` : '');
  const out = path.join(BUILD, base);
  fs.mkdirSync(BUILD, { recursive: true });
  const fresh = fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs;
  if (!fresh) {
    const flags = opts.flags ?? ['-O2', '-g'];
    execFileSync(isCpp ? 'g++' : 'gcc', [...flags, '-o', out + '.tmp', src, '-lpthread', ...(opts.libs ?? [])], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    fs.renameSync(out + '.tmp', out);
  }
  return out;
}

/** A fresh temporary directory, removed by the caller's `t.after`. */
export function tempDir(prefix = 'renacer-test-'): string {
  return fs.mkdtempSync(path.join(fs.realpathSync(require('node:os').tmpdir()), prefix));
}
