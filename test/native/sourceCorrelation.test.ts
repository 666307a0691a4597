// --source end to end: the fixtures test/fixtures/source_* are compiled into
// a temporary directory, traced with `renacer --source --format json`, and
// every syscall a line marks (`// @syscall NAME…`) must be attributed to
// exactly that file:line (sourceHarness.ts has the rules).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { SyscallEvent, TraceEvent } from '../../extension/core/session/events';
import { TraceSession } from '../../extension/core/session/traceSession';
import { CASES, checkAttribution, cleanup, goBuild, makeBuild, REPO, traceSource, type Build } from './sourceHarness';

const CLI = path.join(REPO, 'bin', 'renacer.js');

let b: Build;
before(() => {
  b = makeBuild();
});
after(() => cleanup(b));

describe('source correlation: each marked syscall is attributed to its line', () => {
  for (const c of CASES) {
    it(c.name, (t) => {
      const missing = (c.needs ?? []).filter((tool) => !b.has(tool));
      if (missing.length) {
        t.skip(`needs ${missing.join(', ')} on PATH${missing.includes('go') ? ' (Debian: golang-go, see scripts/setup-debian.sh)' : ''}`);
        return;
      }
      const argv = c.build(b);
      const run = traceSource(b.dir, argv, { follow: c.follow });
      assert.equal(run.status, 0, `renacer exited ${run.status}: ${run.stderr}`);
      const r = checkAttribution(run, c.sources.map((s) => path.join(b.dir, s)), b.dir);
      t.diagnostic(`${r.right}/${r.expected} marked syscalls on their line`);
      assert.deepEqual(r.problems, [], r.problems.join('\n'));
      assert.ok(r.expected > 0);
      assert.doesNotMatch(run.stderr, /no source lines/, 'a module with debug info was reported without');
    });
  }
});

describe('source correlation: details', () => {
  it('reports the inline chain and the function of an inlined helper', () => {
    b.run('gcc', ['-O2', '-g', b.source('source_c.c'), '-o', 'c_inline']);
    const run = traceSource(b.dir, ['./c_inline']);
    const file = path.join(b.dir, 'source_c.c');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const helperLine = lines.findIndex((l) => l.includes('return open(path')) + 1;
    const callLine = lines.findIndex((l) => l.includes('int fd = open_config(argv[0]);')) + 1;
    const ev = run.events.find((e) => e.type === 'syscall' && e.name === 'openat' && e.source?.line === helperLine);
    assert.ok(ev, 'the openat of open_config');
    assert.equal(ev.source.file, file);
    assert.equal(ev.source.function, 'open_config');
    assert.ok(ev.source.column > 0);
    assert.deepEqual(
      ev.source.inlined?.map((f: { line: number; function: string }) => [f.line, f.function]),
      [[callLine, 'main']],
    );
  });

  it('one wrapper called from two lines at the same stack depth, alternately: each call on its own line (the per-site cache is keyed by the return address)', () => {
    // Both calls enter getppid with the same stack pointer; only the return address tells them apart.
    fs.writeFileSync(path.join(b.dir, 'two_sites.c'), '#include <unistd.h>\nint main(void) {\n  for (int i = 0; i < 6; i++) {\n    if (i % 2) getppid();\n    else getppid();\n  }\n  return 0;\n}\n');
    for (const opt of ['-O0', '-O2']) {
      b.run('gcc', [opt, '-g', path.join(b.dir, 'two_sites.c'), '-o', 'two_sites']);
      const run = traceSource(b.dir, ['./two_sites']);
      const lines = run.events.filter((e): e is SyscallEvent => e.type === 'syscall' && e.name === 'getppid').map((e) => e.source?.line);
      assert.deepEqual(lines, [5, 4, 5, 4, 5, 4], `${opt}: ${JSON.stringify(lines)}`);
    }
  });

  it('demangles C++ names without their parameter lists', () => {
    b.run('g++', ['-O2', '-g', b.source('source_cpp.cpp'), '-o', 'cpp_names']);
    const run = traceSource(b.dir, ['./cpp_names']);
    const fns = new Set(run.events.filter((e) => e.type === 'syscall' && e.source).map((e) => e.source.function));
    assert.ok(fns.has('cfg::Sink<long>::put'), [...fns].join(', '));
    assert.ok(fns.has('cfg::Loader::load'), [...fns].join(', '));
    assert.ok(fns.has('main'), [...fns].join(', '));
  });

  it('demangles Rust names without their hash', (t) => {
    if (!b.has('rustc')) {
      t.skip('needs rustc');
      return;
    }
    b.run('rustc', ['-g', '-C', 'opt-level=2', b.source('source_rust.rs'), '-o', 'rust_names']);
    const run = traceSource(b.dir, ['./rust_names']);
    const fns = new Set(run.events.filter((e) => e.type === 'syscall' && e.source).map((e) => e.source.function));
    assert.ok(fns.has('source_rust::slurp') || fns.has('slurp'), [...fns].join(', '));
    for (const f of fns) assert.doesNotMatch(String(f), /::h[0-9a-f]{16}$/);
  });

  it('Go: names functions as Go does, follows goroutines onto their threads and crosses cgo calls', (t) => {
    if (!b.has('go')) {
      t.skip('needs go on PATH (Debian: golang-go, see scripts/setup-debian.sh)');
      return;
    }
    const argv = goBuild(b, 'go_details', true);
    const run = traceSource(b.dir, argv, { follow: true });
    assert.equal(run.status, 0, run.stderr);
    const main = path.join(b.dir, 'source_go', 'main.go');
    const lines = fs.readFileSync(main, 'utf8').split('\n');
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
    const calls = run.events.filter((e) => e.type === 'syscall' && e.source);
    const at = (name: string, line: number, file = main) =>
      calls.filter((e) => e.name === name && e.source.file === file && e.source.line === line);
    assert.equal(at('openat', lineOf('f, err := os.Open(path)'))[0]?.source.function, 'main.loadConfig');
    assert.equal(at('accept4', lineOf('ln.Accept()'))[0]?.source.function, 'main.serve.func1');
    // Four goroutines, each locked to a thread while all four are: four threads.
    const workers = at('openat', lineOf('os.Open("/dev/null")'));
    assert.equal(workers.length, 4);
    assert.ok(workers.every((e) => e.source.function === 'main.worker'));
    assert.equal(new Set(workers.map((e) => e.tid)).size, 4, 'the workers ran on four threads');
    // libc's getppid called straight from Go: its Go caller, below the stack switch.
    const cgo = path.join(b.dir, 'source_go', 'cgo.go');
    const cgoLine = fs.readFileSync(cgo, 'utf8').split('\n').findIndex((l) => l.includes('C.getppid()')) + 1;
    assert.equal(at('getppid', cgoLine, cgo)[0]?.source.function, 'main.fromC');
    // The runtime's own files are not the user's.
    assert.ok(calls.every((e) => !e.source.file.includes('/src/runtime/')));
  });

  it('traces a stripped binary and says once, naming it, how to get source lines', () => {
    b.run('gcc', ['-O2', '-g', b.source('source_c.c'), '-o', 'c_stripped']);
    b.run('strip', ['c_stripped']);
    const run = traceSource(b.dir, ['./c_stripped']);
    assert.equal(run.status, 0, run.stderr);
    const notices = run.stderr.split('\n').filter((l) => l.includes('no source lines for'));
    assert.equal(notices.length, 1, run.stderr);
    assert.match(notices[0], new RegExp(`${path.join(b.dir, 'c_stripped')}`));
    assert.match(notices[0], /-g/);
    assert.match(notices[0], /dbgsym/);
    const calls = run.events.filter((e) => e.type === 'syscall');
    assert.ok(calls.some((e) => e.name === 'clock_gettime'), 'its syscalls are traced');
    assert.ok(!calls.some((e) => e.source), 'and none has a source line');
  });

  it('names the missing separate debug file', () => {
    b.run('gcc', ['-O2', '-g', b.source('source_c.c'), '-o', 'c_lostdebug']);
    b.run('objcopy', ['--only-keep-debug', 'c_lostdebug', 'c_lostdebug.debug']);
    b.run('objcopy', ['--strip-debug', '--add-gnu-debuglink=c_lostdebug.debug', 'c_lostdebug']);
    fs.rmSync(path.join(b.dir, 'c_lostdebug.debug'));
    const run = traceSource(b.dir, ['./c_lostdebug']);
    assert.match(run.stderr, /no source lines for .*c_lostdebug: its separate debug file 'c_lostdebug.debug'/);
  });

  it('reports the whole user stack when asked (SourceOptions.full_stack)', async () => {
    b.run('gcc', ['-O0', '-g', b.source('source_c.c'), '-o', 'c_stack']);
    const events: TraceEvent[] = [];
    const session = new TraceSession(
      {
        launch: { path: path.join(b.dir, 'c_stack'), argv: ['./c_stack'], env: { ...process.env }, cwd: b.dir },
        source: { userRoots: [b.dir], fullStack: true },
      },
      [{ onEvents: (evs) => void events.push(...evs) }],
    );
    await session.start();
    await session.finished();
    const file = path.join(b.dir, 'source_c.c');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const readLine = lines.findIndex((l) => l.includes('long got = read(fd, buf, n);')) + 1;
    const callLine = lines.findIndex((l) => l.includes('long n = slurp(fd, buf, sizeof buf);')) + 1;
    const ev = events.find((e): e is SyscallEvent => e.type === 'syscall' && e.name === 'read' && e.source?.line === readLine);
    assert.ok(ev?.stack, 'the read in slurp has a stack');
    assert.deepEqual(
      ev.stack.map((f) => [f.line, f.function]),
      [
        [readLine, 'slurp'],
        [callLine, 'main'],
      ],
    );
    assert.deepEqual(ev.stack[0], ev.source);
  });

  it('without a frame under the user roots, reports the first frame outside the system paths', async () => {
    b.run('gcc', ['-O2', '-g', b.source('source_c.c'), '-o', 'c_elsewhere']);
    const events: TraceEvent[] = [];
    const session = new TraceSession(
      {
        launch: { path: path.join(b.dir, 'c_elsewhere'), argv: ['./c_elsewhere'], env: { ...process.env }, cwd: b.dir },
        source: { userRoots: ['/nonexistent-user-root'] },
      },
      [{ onEvents: (evs) => void events.push(...evs) }],
    );
    await session.start();
    await session.finished();
    const file = path.join(b.dir, 'source_c.c');
    const calls = events.filter((e): e is SyscallEvent => e.type === 'syscall' && e.name === 'clock_gettime');
    assert.equal(calls.length, 1);
    assert.equal(calls[0].source?.file, file);
  });

  it('prints [file:line in function] in text output', () => {
    b.run('gcc', ['-O0', '-g', b.source('source_tailcall.c'), '-o', 'tail_text']);
    const out = path.join(b.dir, 'tail_text.txt');
    const r = spawnSync(process.execPath, [CLI, '--no-trace-file', '--source', '-o', out, '--', './tail_text'], { cwd: b.dir });
    assert.equal(r.status, 0);
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /openat\(.*\) = \d+ \[.*source_tailcall\.c:\d+ in touch\]/);
  });
});
