// renacer's text output against strace 6.1's on ordinary programs.
//
// Each case runs strace and renacer on the same command, in the same
// directory, with the same environment and stdio, and compares the two
// outputs (see test/support/straceCompare.ts for what is compared and what
// is normalised):
//   (1) the share of syscalls whose per-task (name, result) sequence
//       matches: >= 98% everywhere, -f runs included;
//   (2) the share of identical rendered lines: >= 90% on single-process runs.
// strace agrees with itself at about 99.7% on (1) between two runs.
//
// Run: node --import tsx --test test/native/straceDifferential.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { compareCommand, describeMismatches, percent, ROOT, STRACE, type CommandComparison } from '../support/straceCompare';

const SYSCALL_TARGET = 0.98;
const LINE_TARGET = 0.9;

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const missing = [
  fs.existsSync(STRACE) ? undefined : STRACE,
  which('gcc') ? undefined : 'gcc',
  fs.existsSync(path.join(ROOT, 'build/Release/renacer.node')) ? undefined : 'the native addon (npx node-gyp build)',
  fs.existsSync(path.join(ROOT, 'dist/cli.js')) ? undefined : 'the CLI bundle (node scripts/build.mjs)',
].filter(Boolean);

// The same environment for both tracers, without what the test runner adds
// for itself.
const env: NodeJS.ProcessEnv = { ...process.env };
delete env.NODE_TEST_CONTEXT;
delete env.NODE_OPTIONS;

interface Case {
  name: string;
  command: () => string[];
  followForks: boolean;
  /** Brings the work directory to the case's starting state (run before each tracer). */
  setup?: (dir: string) => void;
}

let work: string;
let bin: string;
const results: Array<{ name: string; follow: boolean; c: CommandComparison }> = [];

function resetDir(dir: string): void {
  for (const e of fs.readdirSync(dir)) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
}

const cases: Case[] = [
  { name: 'ls -la /', command: () => ['ls', '-la', '/'], followForks: false },
  {
    name: 'cat a file',
    command: () => ['cat', 'data.txt'],
    followForks: false,
    setup: (dir) => {
      resetDir(dir);
      // Text, a long line, and bytes that need escaping.
      const bytes = Buffer.concat([
        Buffer.from('first line\nsecond line, somewhat longer than thirty-two bytes\n'),
        Buffer.from([0, 1, 0x1b, 0x7f, 0x80, 0xff, 0x22, 0x5c, 0x09, 0x0a]),
      ]);
      fs.writeFileSync(path.join(dir, 'data.txt'), bytes);
    },
  },
  {
    // The interpreter itself (python3 on PATH may be a wrapper script).
    name: "python3 -c 'print(1)'",
    command: () => {
      const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', env });
      return [r.stdout.trim() || 'python3', '-c', 'print(1)'];
    },
    followForks: false,
  },
  { name: "python3 -c 'print(1)' (-f, via PATH)", command: () => ['python3', '-c', 'print(1)'], followForks: true },
  { name: "sh -c 'echo a | wc -c' (-f)", command: () => ['sh', '-c', 'echo a | wc -c'], followForks: true },
  {
    name: 'git init + status (-f)',
    command: () => ['sh', '-c', 'git init -q repo && cd repo && git status'],
    followForks: true,
    setup: resetDir,
  },
  {
    name: 'decode_family.c fixture',
    command: () => [path.join(bin, 'decode_family')],
    followForks: false,
    setup: resetDir,
  },
];

describe('strace differential', { skip: missing.length ? `needs ${missing.join(', ')}` : false }, () => {
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-diff-'));
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-diff-bin-'));
    const cc = spawnSync('gcc', ['-O0', '-o', path.join(bin, 'decode_family'), path.join(ROOT, 'test/fixtures/decode_family.c')], {
      encoding: 'utf8',
    });
    assert.equal(cc.status, 0, `gcc failed: ${cc.stderr}`);
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (bin) fs.rmSync(bin, { recursive: true, force: true });
    if (results.length === 0) return;
    const rows = results.map((r) => `| ${r.name} | ${percent(r.c.syscallMatch)} | ${r.follow ? 'n/a (-f)' : percent(r.c.lineMatch)} |`);
    console.log(['', '| program | (1) syscall/result | (2) identical lines |', '|---|---|---|', ...rows].join('\n'));
  });

  for (const k of cases) {
    test(k.name, { timeout: 300_000 }, () => {
      const c = compareCommand(k.command(), {
        followForks: k.followForks,
        cwd: work,
        env,
        setup: k.setup ? () => k.setup!(work) : undefined,
      });
      results.push({ name: k.name, follow: k.followForks, c });
      assert.ok(c.straceSyscalls > 10, `strace traced too little:\n${c.straceOutput}`);
      assert.ok(
        c.syscallMatch >= SYSCALL_TARGET,
        `(1) ${percent(c.syscallMatch)} < ${percent(SYSCALL_TARGET)}\n${describeMismatches(c)}`,
      );
      if (!k.followForks) {
        assert.ok(c.lineMatch >= LINE_TARGET, `(2) ${percent(c.lineMatch)} < ${percent(LINE_TARGET)}\n${describeMismatches(c)}`);
      }
    });
  }
});
