// `renacer dap` over stdio, driven by the official DAP test client.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

import { DapEvent, type DapEventBodies } from '../../extension/core/protocol/debugAdapterProtocol';
import { compileFixture, REPO, tempDir } from '../support/fixtures';
import { waitFor } from '../support/renacerCli';

const CLI = path.join(REPO, 'dist', 'cli.mjs');

// DebugClient spawns `runtime [executable]`: point it at a tiny launcher that adds `dap`.
const LAUNCHER = path.join(REPO, 'test', '.build', 'dap-launcher.js');
fs.mkdirSync(path.dirname(LAUNCHER), { recursive: true });
fs.writeFileSync(LAUNCHER, `process.argv.splice(2, 0, 'dap'); import(${JSON.stringify(CLI)}).then((m) => m.run());\n`);

async function adapter(fn: (dc: DebugClient, output: DebugProtocol.OutputEvent[]) => Promise<void>): Promise<void> {
  const dc = new DebugClient(process.execPath, LAUNCHER, 'renacer');
  const output: DebugProtocol.OutputEvent[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e));
  await dc.start();
  try {
    await fn(dc, output);
  } finally {
    await dc.stop().catch(() => {});
  }
}

const text = (output: DebugProtocol.OutputEvent[], category?: string) =>
  output.filter((e) => !category || e.body.category === category).map((e) => e.body.output).join('');

test('launch: syscalls stream to the Debug Console, program output is forwarded, exit code and trace file reported', async () => {
  const prog = compileFixture('fork_exec.c');
  const dir = tempDir();
  await adapter(async (dc, output) => {
    const traceFileEvent = dc.waitForEvent(DapEvent.traceFile, 30_000);
    const exited = dc.waitForEvent('exited', 30_000);
    const terminated = dc.waitForEvent('terminated', 30_000);
    await Promise.all([
      dc.configurationSequence(),
      dc.launch({ program: prog, args: ['/bin/true'], cwd: dir, source: false } as DebugProtocol.LaunchRequestArguments),
    ]);
    const exit = (await exited) as DebugProtocol.ExitedEvent;
    await terminated;
    assert.equal(exit.body.exitCode, 0);
    const console = text(output, 'console');
    assert.match(console, /execve\(/);
    assert.match(console, /\+\+\+ exited with 0 \+\+\+/);
    assert.match(console, /Renacer: \d+ syscalls traced; the program exited with 0/);
    assert.equal(text(output, 'stdout'), 'parent done\n', "the program's own stdout, not mixed with the protocol");
    const tf = (await traceFileEvent) as DebugProtocol.Event;
    assert.ok(fs.existsSync(tf.body.path), 'the trace file exists');
    assert.ok(tf.body.path.startsWith(path.join(dir, '.renacer')));
  });
});

test('threads of the traced program appear in the threads request; terminate kills a launched program', async () => {
  const prog = compileFixture('sleeper.c');
  const dir = tempDir();
  await adapter(async (dc, output) => {
    await Promise.all([
      dc.configurationSequence(),
      dc.launch({ program: prog, args: [path.join(dir, 'beat')], cwd: dir, source: false } as DebugProtocol.LaunchRequestArguments),
    ]);
    await waitFor(() => /nanosleep/.test(text(output, 'console')), 10_000, 'traced calls');
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.length, 1);
    assert.match(threads.body.threads[0].name, /^sleeper \d+\/\d+$/);
    const pid = threads.body.threads[0].id;
    const terminated = dc.waitForEvent('terminated', 10_000);
    await dc.terminateRequest({});
    await terminated;
    assert.ok(!fs.existsSync(`/proc/${pid}`) || /\) [ZX] /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')), 'the program is gone');
  });
});

test('attach traces a running process; disconnect detaches and it keeps running', async (t) => {
  const prog = compileFixture('sleeper.c');
  const dir = tempDir();
  const beat = path.join(dir, 'beat');
  const target = spawn(prog, [beat], { stdio: 'ignore' });
  t.after(() => target.kill('SIGKILL'));
  await waitFor(() => fs.existsSync(beat), 10_000, 'the target to start');
  await adapter(async (dc, output) => {
    await dc.initializeRequest();
    await dc.configurationDoneRequest();
    await dc.attachRequest({ processId: target.pid, source: false } as DebugProtocol.AttachRequestArguments);
    await waitFor(() => /getppid\(\)/.test(text(output, 'console')), 10_000, 'traced calls');
    await dc.disconnectRequest({});
  });
  const lines = () => fs.readFileSync(beat, 'utf8').split('\n').length;
  const before = lines();
  await waitFor(() => lines() > before + 2, 10_000, 'the target to keep running');
  assert.match(fs.readFileSync(`/proc/${target.pid}/status`, 'utf8'), /TracerPid:\s+0\n/);
});

test('a bad launch configuration is a clear error shown to the user', async () => {
  await adapter(async (dc) => {
    await dc.initializeRequest();
    await dc.configurationDoneRequest();
    await assert.rejects(
      dc.launch({ program: '/nonexistent/prog' } as DebugProtocol.LaunchRequestArguments),
      /Renacer: (program: Can't stat|cwd .* is not a directory)/,
    );
    await assert.rejects(
      dc.launch({ program: '/bin/true', filter: 'trace=nosuchcall' } as DebugProtocol.LaunchRequestArguments),
      /Renacer: filter: invalid system call 'nosuchcall'/,
    );
    const corrupt = path.join(tempDir(), 'bad.map.json');
    fs.writeFileSync(corrupt, '{"version": 1, "mappings": [');
    await assert.rejects(
      dc.launch({ program: '/bin/true', transpilerMap: corrupt } as DebugProtocol.LaunchRequestArguments),
      new RegExp(`Renacer: transpilerMap: .*${corrupt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    await assert.rejects(
      dc.launch({ program: '/bin/true', traceParent: '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01' } as DebugProtocol.LaunchRequestArguments),
      /Renacer: traceParent \(launch configuration\): trace-id .* uppercase/,
    );
  });
});

test('with source: Debug Console lines link to the source line; live line stats name the right lines', async () => {
  const dir = tempDir();
  const src = path.join(dir, 'demo.c');
  fs.copyFileSync(path.join(REPO, 'examples', 'demo', 'demo.c'), src);
  const prog = path.join(dir, 'demo');
  require('node:child_process').execFileSync('gcc', ['-O2', '-g', '-o', prog, src]);
  const openLine = fs.readFileSync(src, 'utf8').split('\n').findIndex((l) => l.includes('@syscall openat')) + 1;
  await adapter(async (dc, output) => {
    const stats: any[] = [];
    dc.on(DapEvent.lineStats, (e: DebugProtocol.Event) => stats.push(...(e.body as DapEventBodies[typeof DapEvent.lineStats]).lines));
    const terminated = dc.waitForEvent('terminated', 30_000);
    await Promise.all([dc.configurationSequence(), dc.launch({ program: prog, cwd: dir } as DebugProtocol.LaunchRequestArguments)]);
    await terminated;
    const linked = output.filter((e) => e.body.source?.path === src);
    assert.ok(linked.length > 5, `${linked.length} lines with a source link`);
    const open = linked.find((e) => e.body.line === openLine);
    assert.ok(open, `a Debug Console line links to demo.c:${openLine}`);
    assert.match(open.body.output, /openat\(.*= -1 ENOENT/);
    const st = stats.filter((l) => l.file === src && l.line === openLine).at(-1);
    assert.ok(st, 'live stats for the open line');
    assert.equal(st.calls, 2);
    assert.deepEqual(st.syscalls.map((s: any) => [s.name, s.errors]), [['openat', { ENOENT: 1 }]]);
  });
});
