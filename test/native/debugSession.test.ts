// The debug session debugs: breakpoints on syscalls, lines and failures stop
// a real program, and the stopped UI (threads, stack, variables) shows where
// and why. Driven over plain DAP with the official test client.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

import { readTraceFile } from '../../extension/core/traceFile/traceFile';
import { compileFixture, REPO, tempDir } from '../support/fixtures';
import { waitFor } from '../support/renacerCli';

const CLI = path.join(REPO, 'dist', 'cli.mjs');
const LAUNCHER = path.join(REPO, 'test', '.build', 'dap-launcher.js');
fs.mkdirSync(path.dirname(LAUNCHER), { recursive: true });
fs.writeFileSync(LAUNCHER, `process.argv.splice(2, 0, 'dap'); import(${JSON.stringify(CLI)}).then((m) => m.run());\n`);

const SRC = path.join(REPO, 'test', 'fixtures', 'debug_target.c');
const line = (mark: string): number => {
  const n = fs.readFileSync(SRC, 'utf8').split('\n').findIndex((l) => l.includes(`MARK:${mark}`)) + 1;
  assert.ok(n > 0, `marker ${mark}`);
  return n;
};

interface Breakpoints {
  lines?: DebugProtocol.SourceBreakpoint[];
  functions?: DebugProtocol.FunctionBreakpoint[];
  exceptions?: DebugProtocol.SetExceptionBreakpointsArguments;
}

interface Session {
  dc: DebugClient;
  output: DebugProtocol.OutputEvent[];
  set: { lines?: DebugProtocol.Breakpoint[]; functions?: DebugProtocol.Breakpoint[]; exceptions?: DebugProtocol.Breakpoint[] };
  caps: DebugProtocol.Capabilities;
  adapterPid?: number;
}

async function debug(
  launch: Record<string, unknown>,
  bps: Breakpoints,
  fn: (s: Session) => Promise<void>,
  request: 'launch' | 'attach' = 'launch',
): Promise<void> {
  const dc = new DebugClient(process.execPath, LAUNCHER, 'renacer');
  const output: DebugProtocol.OutputEvent[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e));
  await dc.start();
  try {
    const init = await dc.initializeRequest();
    const started = request === 'launch' ? dc.launch(launch as DebugProtocol.LaunchRequestArguments) : dc.attachRequest(launch as DebugProtocol.AttachRequestArguments);
    await dc.waitForEvent('initialized', 10_000);
    const s: Session = { dc, output, set: {}, caps: init.body ?? {} };
    if (bps.lines) s.set.lines = (await dc.setBreakpointsRequest({ source: { path: SRC }, breakpoints: bps.lines })).body.breakpoints;
    if (bps.functions) s.set.functions = (await dc.setFunctionBreakpointsRequest({ breakpoints: bps.functions })).body.breakpoints;
    if (bps.exceptions) s.set.exceptions = (await dc.setExceptionBreakpointsRequest(bps.exceptions)).body?.breakpoints;
    await dc.configurationDoneRequest();
    await started;
    await fn(s);
  } finally {
    await dc.stop().catch(() => {});
  }
}

type Stopped = DebugProtocol.StoppedEvent | { event: 'terminated' };

/** The next stop, or the end of the session. */
async function next(dc: DebugClient, timeoutMs = 20_000): Promise<Stopped> {
  const stopped = dc.waitForEvent('stopped', timeoutMs) as Promise<DebugProtocol.StoppedEvent>;
  const ended = dc.waitForEvent('terminated', timeoutMs).then(() => ({ event: 'terminated' as const }));
  const r = await Promise.race([stopped, ended]);
  stopped.catch(() => {});
  ended.catch(() => {});
  return r;
}

async function frames(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId })).body.stackFrames;
}

async function syscallVars(dc: DebugClient, frameId: number): Promise<Map<string, DebugProtocol.Variable>> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const scope = scopes.find((s) => s.name.startsWith('Syscall'));
  assert.ok(scope, `a Syscall scope in ${scopes.map((s) => s.name)}`);
  const vars = (await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
  return new Map(vars.map((v) => [v.name, v]));
}

/** Continues after every stop until the end; returns the stops seen. */
async function runToEnd(dc: DebugClient, onStop: (e: DebugProtocol.StoppedEvent) => Promise<void> = async () => {}, limit = 50): Promise<DebugProtocol.StoppedEvent[]> {
  const seen: DebugProtocol.StoppedEvent[] = [];
  let coming = next(dc);
  for (let i = 0; i < limit; i++) {
    const e = await coming;
    if (!('body' in e)) return seen;
    seen.push(e);
    await onStop(e);
    // Listen before asking: the next stop may come before the response.
    coming = next(dc);
    await dc.continueRequest({ threadId: e.body.threadId! });
  }
  throw new Error(`more than ${limit} stops`);
}

const text = (output: DebugProtocol.OutputEvent[], category?: string) =>
  output.filter((e) => !category || e.body.category === category).map((e) => e.body.output).join('');

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

const prog = () => compileFixture('debug_target.c');

test('the capabilities advertise what the debugger does', async () => {
  await debug({ program: prog(), args: ['/etc/hostname', '1'] }, {}, async ({ dc, caps }) => {
    assert.equal(caps.supportsFunctionBreakpoints, true);
    assert.equal(caps.supportsConditionalBreakpoints, true);
    assert.equal(caps.supportsHitConditionalBreakpoints, true);
    assert.equal(caps.supportsLogPoints, true);
    assert.equal(caps.supportsSetVariable, true);
    assert.ok(caps.exceptionBreakpointFilters?.some((f) => f.filter === 'failed' && f.supportsCondition));
    assert.equal((await runToEnd(dc)).length, 0);
  });
});

test('a line breakpoint stops once per call of the line, with the stack and the path argument', async () => {
  const dir = tempDir();
  await debug({ program: prog(), args: ['/etc/hostname', '3'], cwd: dir }, { lines: [{ line: line('open_config') }] }, async ({ dc, set }) => {
    assert.equal(set.lines?.[0].verified, true);
    const stops = await runToEnd(dc, async (e) => {
      assert.equal(e.body.reason, 'breakpoint');
      assert.equal(e.body.allThreadsStopped, true);
      assert.match(e.body.description ?? '', /openat\(AT_FDCWD, "\/etc\/hostname"/);
      const f = await frames(dc, e.body.threadId!);
      assert.equal(f[0].source?.path, SRC);
      assert.equal(f[0].line, line('open_config'));
      assert.equal(f[0].name, 'open_config');
      const caller = f.find((x) => x.name === 'main');
      assert.ok(caller, `a caller frame in main: ${f.map((x) => x.name)}`);
      assert.equal(caller.line, line('main_call'));
      const system = f.filter((x) => !x.source);
      assert.ok(system.length > 0 && system.every((x) => x.presentationHint === 'subtle'), 'system frames are de-emphasised');
      const vars = await syscallVars(dc, f[0].id);
      assert.equal(vars.get('name')?.value, 'openat');
      assert.equal(vars.get('path')?.value, '/etc/hostname');
      assert.equal(vars.get('arg1')?.value, '"/etc/hostname"');
      // The raw pointer is a memory reference: the path's bytes in the stopped task.
      const mem = await dc.customRequest('readMemory', { memoryReference: vars.get('arg1')!.memoryReference, count: 13 });
      assert.equal(Buffer.from(mem.body.data, 'base64').toString(), '/etc/hostname');
      const threads = (await dc.threadsRequest()).body.threads;
      assert.equal(threads.length, 2, 'main and the worker');
      assert.ok(threads.every((t) => /^debug_target \d+\/\d+$/.test(t.name)), threads.map((t) => t.name).join());
    });
    assert.equal(stops.length, 3);
  });
});

test('a line without code is unverified; an unknown syscall and a bad condition give unverified breakpoints, never a stuck session', async () => {
  await debug(
    { program: prog(), args: ['/etc/hostname', '1'] },
    {
      lines: [{ line: 1 }, { line: line('open_config'), condition: 'bogus:1' }, { line: line('open_config'), hitCondition: 'often' }],
      functions: [{ name: 'nosuchcall' }, { name: 'openat', condition: 'pid:abc' }],
      exceptions: { filters: [], filterOptions: [{ filterId: 'failed', condition: 'enoent' }] },
    },
    async ({ dc, set }) => {
      assert.deepEqual(set.lines?.map((b) => b.verified), [false, false, false]);
      assert.match(set.lines![0].message ?? '', /no code on line 1/);
      assert.match(set.lines![1].message ?? '', /unknown field "bogus:"/);
      assert.match(set.lines![2].message ?? '', /hit condition/);
      assert.deepEqual(set.functions?.map((b) => b.verified), [false, false]);
      assert.match(set.functions![0].message ?? '', /nosuchcall/);
      assert.match(set.functions![1].message ?? '', /numbers/);
      assert.equal(set.exceptions?.[0].verified, false);
      assert.equal((await runToEnd(dc)).length, 0, 'nothing stops; the program runs to its end');
    },
  );
});

test('a syscall breakpoint on read stops where the program reads', async () => {
  await debug({ program: prog(), args: ['/etc/hostname', '1'] }, { functions: [{ name: 'read' }] }, async ({ dc, set }) => {
    assert.equal(set.functions?.[0].verified, true);
    let sawMain = false;
    const stops = await runToEnd(dc, async (e) => {
      assert.equal(e.body.reason, 'function breakpoint');
      const f = await frames(dc, e.body.threadId!);
      if (f[0].source?.path === SRC) {
        assert.equal(f[0].line, line('main_read'));
        sawMain = true;
      }
      assert.equal((await syscallVars(dc, f[0].id)).get('name')?.value, 'read');
    });
    assert.ok(stops.length >= 1);
    assert.ok(sawMain, 'a stop at the program\'s own read');
  });
});

test('"Failed syscalls" stops at the failing open with ENOENT in view; its condition narrows by errno', async () => {
  await debug(
    { program: prog(), args: ['/etc/hostname', '1'] },
    { exceptions: { filters: [], filterOptions: [{ filterId: 'failed', condition: 'ENOENT' }] } },
    async ({ dc }) => {
      let atMissing = 0;
      await runToEnd(dc, async (e) => {
        assert.equal(e.body.reason, 'exception');
        const f = await frames(dc, e.body.threadId!);
        const vars = await syscallVars(dc, f[0].id);
        assert.equal(vars.get('errno')?.value, 'ENOENT');
        assert.equal(vars.get('result')?.value, '-1');
        if (f[0].line === line('missing') && f[0].source?.path === SRC) {
          atMissing++;
          assert.equal(vars.get('path')?.value, '/nonexistent/renacer-debug');
          assert.equal(vars.get('message')?.value, 'No such file or directory');
        }
      });
      assert.equal(atMissing, 1);
    },
  );
});

test('hit condition 3 on a line run five times stops once; a condition path:/etc/ stops only under /etc', async () => {
  await debug({ program: prog(), args: ['/etc/hostname', '5'] }, { lines: [{ line: line('open_config'), hitCondition: '3' }] }, async ({ dc }) => {
    assert.equal((await runToEnd(dc)).length, 1);
  });
  const dir = tempDir();
  const local = path.join(dir, 'local.txt');
  fs.writeFileSync(local, 'x');
  await debug({ program: prog(), args: [local, '2'], cwd: dir }, { functions: [{ name: 'openat', condition: 'path:/etc/' }] }, async ({ dc }) => {
    const stops = await runToEnd(dc, async (e) => {
      const f = await frames(dc, e.body.threadId!);
      assert.match((await syscallVars(dc, f[0].id)).get('path')?.value ?? '', /^\/etc\//);
    });
    assert.ok(stops.length >= 1, 'the loader opens /etc/ld.so.cache');
  });
});

test('a log point prints once per call and never stops', async () => {
  await debug(
    { program: prog(), args: ['/etc/hostname', '3'] },
    { lines: [{ line: line('open_config'), logMessage: 'opening {path} with {name}' }] },
    async ({ dc, output }) => {
      assert.equal((await runToEnd(dc)).length, 0);
      const logged = text(output).split('\n').filter((l) => l === 'opening /etc/hostname with openat');
      assert.equal(logged.length, 3);
    },
  );
});

test('Step Over from an entry stops at its return with the result; setting errno at the entry makes the call fail', async () => {
  await debug({ program: prog(), args: ['/etc/hostname', '2'] }, { lines: [{ line: line('open_config') }] }, async ({ dc, output }) => {
    let e = await next(dc);
    assert.ok('body' in e);
    const tid = e.body.threadId!;
    let coming = next(dc);
    await dc.nextRequest({ threadId: tid });
    e = await coming;
    assert.ok('body' in e);
    assert.equal(e.body.reason, 'step');
    assert.equal(e.body.threadId, tid);
    let f = await frames(dc, tid);
    let vars = await syscallVars(dc, f[0].id);
    assert.match(vars.get('stopped at')?.value ?? '', /return/);
    assert.match(vars.get('result')?.value ?? '', /^\d+$/, 'the file descriptor');
    coming = next(dc);
    await dc.continueRequest({ threadId: tid });
    // The second round: fail it.
    e = await coming;
    assert.ok('body' in e);
    f = await frames(dc, e.body.threadId!);
    const scope = (await dc.scopesRequest({ frameId: f[0].id })).body.scopes.find((s) => s.name.startsWith('Syscall'))!;
    const set = await dc.setVariableRequest({ variablesReference: scope.variablesReference, name: 'errno', value: 'ENOENT' });
    assert.match(set.body.value, /ENOENT/);
    vars = await syscallVars(dc, f[0].id);
    assert.match(vars.get('errno')?.value ?? '', /ENOENT/);
    const rest = runToEnd(dc);
    await dc.continueRequest({ threadId: e.body.threadId! });
    assert.equal((await rest).length, 0);
    assert.match(text(output, 'stdout'), /open \/etc\/hostname: No such file or directory/);
    assert.match(text(output, 'console'), /openat\(AT_FDCWD, "\/etc\/hostname", O_RDONLY\) = -1 ENOENT \(No such file or directory\) \(INJECTED\)/);
  });
});

test('Pause stops a running program, every thread listed, the worker in its own function', async () => {
  await debug({ program: prog(), args: ['/etc/hostname', '1', '30'] }, {}, async ({ dc, output }) => {
    await waitFor(() => /missing: -1/.test(text(output, 'stdout')), 10_000, 'the program reaches its sleep');
    const threads = (await dc.threadsRequest()).body.threads;
    assert.equal(threads.length, 2);
    const stopped = next(dc);
    await dc.pauseRequest({ threadId: threads[0].id });
    const e = await stopped;
    assert.ok('body' in e);
    assert.equal(e.body.reason, 'pause');
    assert.equal(e.body.allThreadsStopped, true);
    const worker = threads.find((t) => t.id !== threads[0].id)!;
    const wf = await frames(dc, worker.id);
    assert.ok(wf.some((f) => f.name === 'worker' && f.source?.path === SRC), `the worker's stack: ${wf.map((f) => f.name)}`);
    const mf = await frames(dc, threads[0].id);
    assert.ok(mf.some((f) => f.name === 'main' && f.line === line('long_sleep')), `main's stack: ${mf.map((f) => `${f.name}:${f.line}`)}`);
    const terminated = dc.waitForEvent('terminated', 10_000);
    await dc.terminateRequest({});
    await terminated;
  });
});

test('100 pause/continue cycles on a 4-thread program: every syscall reaches the trace file once', async () => {
  const dir = tempDir();
  const traceFile = path.join(dir, 'cycles.jsonl.gz');
  const rounds = 10_000;
  await debug({ program: compileFixture('debug_threads.c'), args: [String(rounds)], cwd: dir, traceFile, source: false }, {}, async ({ dc, output }) => {
    await waitFor(() => /getppid/.test(text(output, 'console')), 10_000, 'the threads run');
    let cycles = 0;
    for (; cycles < 100; cycles++) {
      const stopped = next(dc);
      await dc.pauseRequest({ threadId: 0 });
      const e = await stopped;
      if (!('body' in e)) break;
      assert.equal(e.body.reason, 'pause');
      await dc.continueRequest({ threadId: e.body.threadId! });
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(cycles, 100, 'the program outlived the cycles');
    assert.equal((await runToEnd(dc)).length, 0);
  });
  const { events } = readTraceFile(traceFile);
  const calls = events.filter((e) => e.type === 'syscall');
  assert.equal(calls.filter((e) => e.name === 'getppid').length, 4 * rounds);
  const sleeps = calls.filter((e) => e.name === 'clock_nanosleep' || e.name === 'nanosleep');
  assert.equal(sleeps.length, 4 * rounds, 'a sleep cut short by a pause is one call, restarted');
  assert.ok(sleeps.every((e) => e.ret === 0), 'no ERESTART results');
});

test('Stop while stopped at a breakpoint kills a launched program', async () => {
  await debug({ program: prog(), args: ['/etc/hostname', '3'] }, { lines: [{ line: line('open_config') }] }, async ({ dc }) => {
    const e = await next(dc);
    assert.ok('body' in e);
    const pid = (await dc.threadsRequest()).body.threads[0].id;
    const terminated = dc.waitForEvent('terminated', 10_000);
    await dc.terminateRequest({});
    await terminated;
    await waitFor(() => !alive(pid), 5_000, 'the program is gone');
  });
});

test('disconnect while stopped detaches an attached program, which keeps running', async () => {
  const dir = tempDir();
  const child = spawn(prog(), ['/etc/hostname', '1', '30'], { cwd: dir, stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 300));
    await debug({ processId: child.pid, cwd: dir }, { functions: [{ name: 'clock_nanosleep' }, { name: 'nanosleep' }] }, async ({ dc, output }) => {
      const e = await next(dc);
      assert.ok('body' in e, 'the worker sleeps again soon');
      await dc.disconnectRequest({});
      assert.match(text(output), /detached from process \d+; it keeps running/);
    }, 'attach');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(alive(child.pid!), 'still running');
    const state = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    assert.match(state, /TracerPid:\s+0/, 'no longer traced');
    assert.doesNotMatch(state, /State:\s+t/, 'not left stopped');
  } finally {
    child.kill('SIGKILL');
  }
});

test('SIGKILL of the adapter while stopped: a launched program dies, an attached one runs on', async () => {
  const dir = tempDir();
  // Launched.
  {
    const dc = new DebugClient(process.execPath, LAUNCHER, 'renacer');
    await dc.start();
    let pid = 0;
    try {
      await dc.initializeRequest();
      const started = dc.launch({ program: prog(), args: ['/etc/hostname', '3'], cwd: dir } as DebugProtocol.LaunchRequestArguments);
      await dc.waitForEvent('initialized', 10_000);
      await dc.setBreakpointsRequest({ source: { path: SRC }, breakpoints: [{ line: line('open_config') }] });
      await dc.configurationDoneRequest();
      await started;
      await dc.waitForEvent('stopped', 20_000);
      pid = (await dc.threadsRequest()).body.threads[0].id;
      adapterProcess(dc).kill('SIGKILL');
      await waitFor(() => !alive(pid), 5_000, 'the launched program is killed with its tracer');
    } catch (e) {
      await dc.stop().catch(() => {});
      throw e;
    }
  }
  // Attached.
  const child = spawn(prog(), ['/etc/hostname', '1', '30'], { cwd: dir, stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const dc = new DebugClient(process.execPath, LAUNCHER, 'renacer');
    await dc.start();
    try {
      await dc.initializeRequest();
      const started = dc.attachRequest({ processId: child.pid } as DebugProtocol.AttachRequestArguments);
      await dc.waitForEvent('initialized', 10_000);
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'clock_nanosleep' }, { name: 'nanosleep' }] });
      await dc.configurationDoneRequest();
      await started;
      await dc.waitForEvent('stopped', 20_000);
      adapterProcess(dc).kill('SIGKILL');
    } catch (e) {
      await dc.stop().catch(() => {});
      throw e;
    }
    await waitFor(() => /TracerPid:\s+0/.test(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')), 5_000, 'the kernel detaches it');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(alive(child.pid!));
    assert.doesNotMatch(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'), /State:\s+t/, 'not left stopped');
  } finally {
    child.kill('SIGKILL');
  }
});

function adapterProcess(dc: DebugClient): { kill(sig: NodeJS.Signals): void } {
  const p = (dc as unknown as { _adapterProcess?: { kill(sig: NodeJS.Signals): void } })._adapterProcess;
  assert.ok(p, 'the test client spawned the adapter');
  return p;
}

test('the program\'s output sits in the Debug Console just before the write that printed it', async () => {
  await debug({ program: prog(), args: ['/etc/hostname', '3'] }, {}, async ({ dc, output }) => {
    assert.equal((await runToEnd(dc)).length, 0);
    const events = output.map((e) => ({ category: e.body.category, text: e.body.output }));
    for (let i = 0; i < 3; i++) {
      const printed = events.findIndex((e) => e.category === 'stdout' && e.text.includes(`round ${i} read`));
      const call = events.findIndex((e) => e.category === 'console' && e.text.includes(`write(1, "round ${i} read`));
      assert.ok(printed >= 0 && call >= 0, `round ${i}: both shown`);
      assert.equal(call, printed + 1, `round ${i}: the output comes right before its write line`);
    }
  });
});

test('console "integratedTerminal": the program gets a terminal through runInTerminal, and the trace goes on', async () => {
  const dc = new DebugClient(process.execPath, LAUNCHER, 'renacer');
  const output: DebugProtocol.OutputEvent[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e));
  // The test client ignores reverse requests: answer runInTerminal as an
  // editor does, with a terminal (a pty from script(1)).
  const client = dc as unknown as { dispatch(body: string): void; outputStream: NodeJS.WritableStream };
  const dispatch = client.dispatch.bind(dc);
  let terminal: ReturnType<typeof spawn> | undefined;
  let shown = '';
  client.dispatch = (body: string) => {
    const msg = JSON.parse(body) as { type: string; command?: string; seq: number; arguments?: DebugProtocol.RunInTerminalRequestArguments };
    if (msg.type !== 'request' || msg.command !== 'runInTerminal') return dispatch(body);
    const quoted = msg.arguments!.args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    terminal = spawn('script', ['-qfec', quoted, '/dev/null'], { cwd: msg.arguments!.cwd, stdio: ['pipe', 'pipe', 'inherit'] });
    terminal.stdout!.on('data', (d: Buffer) => (shown += d.toString()));
    const json = JSON.stringify({ type: 'response', seq: 0, request_seq: msg.seq, command: 'runInTerminal', success: true, body: { processId: terminal.pid } });
    client.outputStream.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  };
  await dc.start();
  try {
    await dc.initializeRequest({ adapterID: 'renacer', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true, supportsRunInTerminalRequest: true });
    const exited = dc.waitForEvent('exited', 30_000) as Promise<DebugProtocol.ExitedEvent>;
    const started = dc.launchRequest({ program: '/usr/bin/tty', console: 'integratedTerminal', source: false } as DebugProtocol.LaunchRequestArguments);
    await dc.waitForEvent('initialized', 10_000);
    await dc.configurationDoneRequest();
    await started;
    assert.equal((await exited).body.exitCode, 0, 'tty(1) found a terminal on its stdin');
    await waitFor(() => /\/dev\/pts\/\d+/.test(shown), 5_000, 'the program printed in the terminal');
    assert.match(text(output, 'console'), /ioctl\(0, TCGETS/, 'its syscalls are still traced');
    assert.doesNotMatch(text(output, 'stdout'), /\/dev\/pts/, 'its output went to the terminal, not the Debug Console');
    await waitFor(() => terminal!.exitCode !== null, 5_000, 'the terminal\'s shell ends with the session');
  } finally {
    terminal?.kill('SIGKILL');
    await dc.stop().catch(() => {});
  }
});

test('Go: a syscall breakpoint stops in the user\'s Go code, with main.loadConfig and the goroutines\' main.worker on the CALL STACK', async (t) => {
  const { goBuild, makeBuild, cleanup } = await import('./sourceHarness');
  const b = makeBuild('renacer-dap-go-');
  t.after(() => cleanup(b));
  if (!b.has('go')) {
    t.skip('needs go on PATH (Debian: golang-go, see scripts/setup-debian.sh)');
    return;
  }
  const [exe] = goBuild(b, 'go_dap', false);
  const main = path.join(b.dir, 'source_go', 'main.go');
  const lineOf = (marker: string) => fs.readFileSync(main, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;
  await debug({ program: path.join(b.dir, exe), cwd: b.dir }, { functions: [{ name: 'openat' }] }, async ({ dc }) => {
    const seen: Array<{ thread: number; frames: DebugProtocol.StackFrame[] }> = [];
    await runToEnd(dc, async (e) => {
      seen.push({ thread: e.body.threadId!, frames: await frames(dc, e.body.threadId!) });
    });
    const atConfig = seen.find((s) => s.frames[0]?.source?.path === main && s.frames[0].line === lineOf('os.Open(path)'));
    assert.ok(atConfig, JSON.stringify(seen.map((s) => s.frames.slice(0, 2).map((f) => `${f.name} ${f.source?.path}:${f.line}`))));
    assert.match(atConfig.frames[0].name, /main\.loadConfig/);
    assert.ok(atConfig.frames.some((f) => /main\.main/.test(f.name) && f.source?.path === main), 'main.main calls it');
    const workers = seen.filter((s) => s.frames[0]?.source?.path === main && /main\.worker/.test(s.frames[0].name));
    assert.equal(workers.length, 4, 'each goroutine\'s open of /dev/null');
    assert.ok(new Set(workers.map((w) => w.thread)).size >= 2, 'goroutines on several threads');
  });
});
