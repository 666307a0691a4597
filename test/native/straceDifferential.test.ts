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
// (RENACER_DIFF_VERBOSE=1 prints each case's first mismatches.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  compareCommand,
  compareTraces,
  describeMismatches,
  parseRenacer,
  parseStrace,
  percent,
  ROOT,
  runStrace,
  STRACE,
  type CommandComparison,
} from '../support/straceCompare';

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
  fs.existsSync(path.join(ROOT, 'dist/cli.mjs')) ? undefined : 'the CLI bundle (node scripts/build.mjs)',
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
  stringLimit?: number;
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
  { name: "bash -c 'ls / | sort | head -2' (-f)", command: () => ['bash', '-c', 'ls / | sort | head -2'], followForks: true },
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
  {
    // Short strings and arrays cut at -s.
    name: 'decode_family.c fixture, -s 4',
    command: () => [path.join(bin, 'decode_family')],
    followForks: false,
    stringLimit: 4,
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
        stringLimit: k.stringLimit,
        cwd: work,
        env,
        setup: k.setup ? () => k.setup!(work) : undefined,
      });
      results.push({ name: k.name, follow: k.followForks, c });
      if (process.env.RENACER_DIFF_VERBOSE) console.log(`${k.name}\n${describeMismatches(c)}`);
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

// The comparison itself: it must join strace's split lines, attribute
// renacer's unprefixed lines, and fail on rendering differences that the
// normalisation must not hide.
describe('strace comparison', () => {
  test('joins <unfinished ...> and <... resumed> halves per pid', () => {
    const t = parseStrace(
      [
        '100 clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>',
        '101 getpid()    = 101',
        '100 <... clone resumed>, child_tidptr=0x7f0000001000) = 101',
        '101 exit_group(0)                     = ?',
        '101 +++ exited with 0 +++',
        '100 wait4(-1,  <unfinished ...>',
        '100 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 101',
      ].join('\n'),
      true,
    );
    const root = t.tasks.get('r')!.filter((l) => l.kind === 'syscall');
    assert.deepEqual(root.map((l) => l.text), [
      'clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f0000001000) = 101',
      'wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 101',
    ]);
    assert.deepEqual(t.tasks.get('r.1')!.map((l) => l.text), ['getpid() = 101', 'exit_group(0) = ?', '+++ exited with 0 +++']);
  });

  test('gives renacer\'s unprefixed lines to the one live task', () => {
    const t = parseRenacer(
      [
        'execve("/bin/sh", ["sh"], 0x7ffd00000000 /* 3 vars */) = 0',
        '[pid   201] set_robust_list(0x7f0000000a20, 24) = 0',
        '[pid   200] clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f0000000a10) = 201',
        '[pid   201] exit_group(0) = ?',
        '[pid   201] +++ exited with 0 +++',
        'wait4(-1, NULL, 0, NULL) = 201',
      ].join('\n'),
    );
    assert.deepEqual(t.tasks.get('r')!.map((l) => l.name), ['execve', 'clone', 'wait4']);
    assert.deepEqual(t.tasks.get('r.1')!.map((l) => l.name ?? l.kind), ['set_robust_list', 'exit_group', 'exit']);
  });

  test('does not normalise away a rendering difference', { skip: fs.existsSync(STRACE) ? false : `needs ${STRACE}` }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-diff-self-'));
    try {
      const out = runStrace(['ls', '-la', '/'], path.join(dir, 'strace.txt'), { env });
      const same = compareTraces(parseStrace(out, false), parseStrace(out, false));
      assert.equal(same.lineMatch, 1);
      // Numbers where strace prints names: (1) still matches, (2) must not.
      const numeric = out.replace(/O_RDONLY\|O_CLOEXEC/g, '0x80000').replace(/PROT_READ/g, '0x1');
      const c = compareTraces(parseStrace(out, false), parseStrace(numeric, false));
      assert.equal(c.syscallMatch, 1);
      assert.ok(c.lineMatch < LINE_TARGET, `(2) is ${percent(c.lineMatch)} with flags printed as numbers`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
