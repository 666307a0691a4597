// `renacer lsp` with a real client this project did not write: Debian's
// Neovim, headless, set up with the README's recipe
// (examples/neovim/renacer.lua). The Lua side is test/support/neovimLspCheck.lua.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { LspCommand } from '../../extension/core/protocol/languageServerProtocol';
import { REPO, tempDir } from '../support/fixtures';
import { RENACER } from '../support/renacerCli';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const skip = nvim.status === 0 ? false : 'nvim is not installed (scripts/setup-debian.sh installs it)';

interface Seen {
  started: boolean;
  attached: boolean;
  diagnostics: Array<{ lnum: number; col: number; end_col: number; code: string; message: string }>;
  signs: number;
  hover?: string;
  lenses: Array<{ line: number; title?: string; command?: string }>;
  lensMessage?: string;
  badLoad: { err?: string };
  badMessage?: string;
  aliveAfterBad: boolean;
  goodLoad?: { file: string; files: number; lines: number | unknown[] };
  diagnosticsAfterReload: number;
  exit?: { code: number; signal: number };
  errors: string[];
  errmsg: string;
}

test('Neovim attaches with the README recipe: diagnostics placed, hover, lens command, a bad trace reported and recovered, clean exit', { skip, timeout: 120_000 }, () => {
  const ws = tempDir('renacer-nvim-');
  const src = path.join(ws, 'demo.c');
  fs.copyFileSync(path.join(REPO, 'examples', 'demo', 'demo.c'), src);
  fs.mkdirSync(path.join(ws, 'build'));
  execFileSync('gcc', ['-O2', '-g', '-o', path.join(ws, 'build', 'demo'), src]);
  // A run, as a user makes one: its trace lands in .renacer/ (the server finds the newest).
  execFileSync(process.execPath, [RENACER, '--source', '-o', '/dev/null', '--', './build/demo'], { cwd: ws, stdio: 'ignore' });
  const traces = fs.readdirSync(path.join(ws, '.renacer')).filter((f) => f.endsWith('.jsonl.gz'));
  assert.equal(traces.length, 1);
  const trace = path.join(ws, '.renacer', traces[0]);
  const bad = path.join(ws, 'broken.jsonl.gz');
  fs.writeFileSync(bad, 'not a trace\n');
  const line = fs.readFileSync(src, 'utf8').split('\n').findIndex((l) => l.includes('@syscall openat')) + 1;
  const result = path.join(ws, 'seen.json');
  const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(REPO, 'test', 'support', 'neovimLspCheck.lua')}`], {
    cwd: ws,
    env: { ...process.env, RECIPE: path.join(REPO, 'examples', 'neovim', 'renacer.lua'), SRC: src, LINE: String(line), TRACE: trace, BAD: bad, RESULT: result },
    encoding: 'utf8',
    timeout: 90_000,
  });
  assert.ok(fs.existsSync(result), `nvim wrote its findings (status ${r.status}): ${r.stderr}`);
  const seen = JSON.parse(fs.readFileSync(result, 'utf8')) as Seen;
  assert.deepEqual(seen.errors, [], 'no error raised in Neovim');
  assert.equal(seen.errmsg, '');
  assert.ok(seen.started && seen.attached);
  const enoent = seen.diagnostics.filter((d) => d.code === 'ENOENT');
  assert.equal(enoent.length, 1, JSON.stringify(seen.diagnostics));
  assert.equal(enoent[0].lnum, line - 1);
  const text = fs.readFileSync(src, 'utf8').split('\n')[line - 1];
  assert.equal(enoent[0].end_col, text.length, 'the range ends at the line\'s real end');
  assert.ok(seen.signs >= 1, 'a sign is placed');
  assert.match(seen.hover ?? '', /openat/);
  assert.match(seen.hover ?? '', /ENOENT/);
  assert.ok((seen.hover ?? '').split('\n').every((l) => l.length <= 80), `hover lines fit 80 columns:\n${seen.hover}`);
  assert.doesNotMatch(seen.hover ?? '', /\|---/, 'no tables in a terminal float');
  const lens = seen.lenses.find((l) => l.line === line - 1);
  assert.ok(lens, JSON.stringify(seen.lenses));
  assert.equal(lens.command, LspCommand.showLine);
  assert.match(seen.lensMessage ?? '', /demo\.c:\d+: openat 2×, 1 ENOENT/);
  assert.match(seen.badLoad.err ?? '', /broken\.jsonl\.gz/);
  assert.match(seen.badMessage ?? '', /broken\.jsonl\.gz/, 'the message names the file');
  assert.equal(seen.aliveAfterBad, true);
  assert.equal(seen.goodLoad?.file, trace);
  assert.equal(typeof seen.goodLoad?.lines, 'number', 'a summary, not the whole trace');
  assert.ok(seen.diagnosticsAfterReload >= 1);
  assert.equal(seen.exit?.code, 0, 'the server exits cleanly on shutdown');
});
