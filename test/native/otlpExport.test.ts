// End to end: real programs traced through the CLI (ptrace), spans exported
// over OTLP to a real receiver on 127.0.0.1 that decodes them with the
// official schema (test/support/otlpReceiver.ts). No mocks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { readTraceFile } from '../../extension/core/traceFile/traceFile';
import { startReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlpReceiver';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/renacer.js');
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;
const TRACESTATE = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';

let tmp: string;
let receiver: OtlpReceiver;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  startNs: bigint;
  endNs: bigint;
}

function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 120_000): Promise<Run> {
  const fullEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, RENACER_QUIET_TRACE_FILE: '1', ...env })) {
    if (v !== undefined && !k.startsWith('OTEL_') && k !== 'TRACEPARENT' && k !== 'TRACESTATE') fullEnv[k] = v;
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) fullEnv[k] = v;
  const startNs = BigInt(Date.now()) * 1_000_000n;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: tmp, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, startNs, endNs: BigInt(Date.now() + 1) * 1_000_000n });
    });
  });
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function spansOfTrace(r: OtlpReceiver, traceId: string, from = 0): ReceivedSpan[] {
  return r.spans.slice(from).filter((s) => s.traceId === traceId);
}

/** The TRACEPARENT the traced program printed (its `env`). */
function childTraceparent(stdout: string): string | undefined {
  return /^TRACEPARENT=(.*)$/m.exec(stdout)?.[1];
}

/** Every assertion the issue lists for a run joined to the caller's trace. */
function checkJoinedTrace(run: Run, spans: ReceivedSpan[], opts: { tracestate?: string; processes?: number } = {}): ReceivedSpan {
  assert.ok(spans.length > 3, `only ${spans.length} spans`);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  assert.equal(byId.size, spans.length, 'span ids are unique');
  // Exactly one span is a child of the caller's span: Renacer's root span.
  const roots = spans.filter((s) => s.parentSpanId === CALLER_SPAN);
  assert.equal(roots.length, 1, 'exactly one span parented by the caller');
  const root = roots[0];
  // Every span's parent chain reaches the root.
  for (const s of spans) {
    let cur: ReceivedSpan | undefined = s;
    for (let hops = 0; cur && cur !== root; hops++) {
      assert.ok(hops < 100, 'parent chain loops');
      cur = byId.get(cur.parentSpanId);
    }
    assert.equal(cur, root, `span ${s.name} ${s.spanId} does not reach the root`);
  }
  for (const s of spans) {
    assert.equal(s.traceId, CALLER_TRACE);
    assert.ok(s.startTimeUnixNano >= run.startNs && s.endTimeUnixNano <= run.endNs, `${s.name} outside the run`);
    assert.ok(s.startTimeUnixNano <= s.endTimeUnixNano, `${s.name} ends before it starts`);
    if (opts.tracestate !== undefined) assert.equal(s.traceState, opts.tracestate);
    assert.equal(s.resource['service.name'], 'sh');
    assert.equal(typeof s.resource['process.pid'], 'number');
    assert.equal(s.resource['host.name'], os.hostname());
    assert.equal(s.resource['telemetry.sdk.name'], 'renacer');
    assert.equal(s.resource['telemetry.sdk.language'], 'nodejs');
  }
  const processes = spans.filter((s) => s.attributes['renacer.process.syscalls'] !== undefined);
  assert.ok(processes.some((p) => p.parentSpanId === root.spanId), 'the launched process is a child of the root span');
  for (const p of processes) {
    const parent = byId.get(p.parentSpanId)!;
    if (parent !== root) assert.equal(parent.attributes['process.pid'], p.attributes['process.parent_pid'], 'process spans follow fork ancestry');
  }
  const syscalls = spans.filter((s) => s.attributes['syscall.args'] !== undefined);
  for (const s of syscalls) {
    for (const k of ['syscall.name', 'syscall.result', 'thread.id', 'process.pid']) assert.ok(s.attributes[k] !== undefined, `${s.name} has no ${k}`);
    assert.equal(s.name, s.attributes['syscall.name']);
    const parent = byId.get(s.parentSpanId)!;
    assert.equal(parent.attributes['process.pid'], s.attributes['process.pid'], 'a syscall span is a child of its process span');
    if (s.attributes['error.type'] !== undefined) assert.equal(s.status.code, 2);
  }
  assert.ok(syscalls.some((s) => s.attributes['error.type'] !== undefined && s.status.code === 2), 'a failed syscall carries error.type and status ERROR');
  if (opts.processes !== undefined) assert.ok(processes.length >= opts.processes, `${processes.length} process spans`);
  // Conservation: the root span counts what was traced.
  assert.equal(root.attributes['renacer.syscalls.traced'], syscalls.length + Number(root.attributes['renacer.syscalls.aggregated']));
  // The program saw a TRACEPARENT naming the root span.
  assert.equal(childTraceparent(run.stdout), `00-${CALLER_TRACE}-${root.spanId}-01`);
  if (opts.tracestate !== undefined) assert.match(run.stdout, new RegExp(`^TRACESTATE=${opts.tracestate}$`, 'm'));
  return root;
}

before(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-otlp-'));
  receiver = await startReceiver();
});

after(async () => {
  await receiver?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const PROGRAM = ['/bin/sh', '-c', 'echo hi; ls /nonexistent-renacer 2>/dev/null; env'];

describe('export joins the caller\'s trace', () => {
  for (const protocol of ['http/protobuf', 'http/json', 'grpc'] as const) {
    test(protocol, async () => {
      const from = receiver.spans.length;
      const endpoint = protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl;
      const file = path.join(tmp, `join-${protocol.replace('/', '-')}.jsonl.gz`);
      const run = await runCli(
        ['-f', '-o', '/dev/null', '--trace-file', file, '--otlp-endpoint', endpoint, '--otlp-protocol', protocol, '--otlp-headers', 'x-test-token=s3cr3t-value', '--', ...PROGRAM],
        { TRACEPARENT, TRACESTATE },
      );
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^hi$/m);
      assert.equal(run.stderr, '');
      const root = checkJoinedTrace(run, spansOfTrace(receiver, CALLER_TRACE, from), { tracestate: TRACESTATE, processes: 2 });
      assert.equal(root.attributes['renacer.syscalls.aggregated'], 0);
      // Headers reach the collector and nothing else.
      assert.ok(receiver.requests.some((r) => r.transport === protocol && r.headers['x-test-token'] === 's3cr3t-value'));
      assert.ok(!fs.readFileSync(file).includes('s3cr3t-value'));
      const trace = readTraceFile(file);
      assert.ok(!JSON.stringify(trace.header).includes('s3cr3t'));
      assert.equal((trace.header.trace_context as { root_span_id: string }).root_span_id, root.spanId);
      assert.equal(root.attributes['renacer.syscalls.traced'], trace.end?.syscalls);
    });
  }
});

test('the OTEL_EXPORTER_OTLP_* environment configures the export', async () => {
  const from = receiver.spans.length;
  const run = await runCli(['-o', '/dev/null', '--no-trace-file', '--', '/bin/sh', '-c', 'env'], {
    TRACEPARENT,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-env-header=from%20env',
    OTEL_SERVICE_NAME: 'checkout',
  });
  assert.equal(run.code, 0, run.stderr);
  const spans = spansOfTrace(receiver, CALLER_TRACE, from);
  assert.ok(spans.length > 3);
  assert.ok(spans.every((s) => s.resource['service.name'] === 'checkout' && s.transport === 'grpc'));
  assert.equal(receiver.requests.at(-1)!.headers['x-env-header'], 'from env');
});

test('an unsampled caller (flags 00): traced locally, nothing exported', async () => {
  const before = receiver.spanCount;
  const file = path.join(tmp, 'unsampled.jsonl.gz');
  const run = await runCli(['-o', '/dev/null', '--trace-file', file, '--otlp-endpoint', receiver.httpUrl, '--', '/bin/sh', '-c', 'env'], {
    TRACEPARENT: `00-${CALLER_TRACE}-${CALLER_SPAN}-00`,
  });
  assert.equal(run.code, 0, run.stderr);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(receiver.spanCount, before, 'nothing exported');
  const trace = readTraceFile(file);
  assert.ok(trace.events.some((e) => e.type === 'syscall'));
  const ctx = trace.header.trace_context as { trace_id: string; trace_flags: number; root_span_id: string };
  assert.equal(ctx.trace_id, CALLER_TRACE);
  assert.equal(ctx.trace_flags, 0);
  assert.equal(childTraceparent(run.stdout), `00-${CALLER_TRACE}-${ctx.root_span_id}-00`);
});

test('--no-trace-when-unsampled runs an unsampled program without ptrace', async () => {
  const run = await runCli(['--no-trace-when-unsampled', '--', '/bin/sh', '-c', 'grep TracerPid /proc/$$/status; env; exit 3'], {
    TRACEPARENT: `00-${CALLER_TRACE}-${CALLER_SPAN}-00`,
  });
  assert.equal(run.code, 3);
  assert.match(run.stdout, /^TracerPid:\s+0$/m, 'not traced');
  assert.equal(childTraceparent(run.stdout), `00-${CALLER_TRACE}-${CALLER_SPAN}-00`, "the caller's context, unchanged");
  assert.equal(run.stderr, '', 'no trace output');
  assert.ok(!fs.existsSync(path.join(tmp, '.renacer')) || fs.readdirSync(path.join(tmp, '.renacer')).length === 0, 'no trace file');
  // Sampled: traced as usual.
  const sampled = await runCli(['-o', '/dev/null', '--no-trace-file', '--no-trace-when-unsampled', '--', '/bin/sh', '-c', 'grep TracerPid /proc/$$/status'], { TRACEPARENT });
  assert.doesNotMatch(sampled.stdout, /^TracerPid:\s+0$/m);
});

test('--no-propagate leaves the program\'s environment alone', async () => {
  const run = await runCli(['-o', '/dev/null', '--no-trace-file', '--no-propagate', '--', '/bin/sh', '-c', 'env'], { TRACEPARENT });
  assert.equal(childTraceparent(run.stdout), TRACEPARENT);
  const fresh = await runCli(['-o', '/dev/null', '--no-trace-file', '--no-propagate', '--', '/bin/sh', '-c', 'env']);
  assert.equal(childTraceparent(fresh.stdout), undefined);
});

test('a malformed --trace-parent is a usage error; a malformed TRACEPARENT a warning and a new trace', async () => {
  const bad = await runCli(['--trace-parent', `00-${CALLER_TRACE.toUpperCase()}-${CALLER_SPAN}-01`, '--', '/bin/true']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid --trace-parent '00-4BF92F.*': trace-id .* uppercase/);
  const env = await runCli(['-o', '/dev/null', '--no-trace-file', '--', '/bin/sh', '-c', 'env; exit 4'], { TRACEPARENT: `ff-${CALLER_TRACE}-${CALLER_SPAN}-01` });
  assert.equal(env.code, 4);
  assert.equal(env.stderr.trim().split('\n').length, 1);
  assert.match(env.stderr, /warning: ignoring TRACEPARENT='ff-.*': version 'ff' is forbidden; starting a new trace/);
  for (const args of [['--otlp-endpoint', 'localhost:4318'], ['--otlp-endpoint', 'ftp://x'], ['--otlp-protocol', 'thrift'], ['--otlp-headers', 'token'], ['--otlp-trace-budget', 'lots']]) {
    const r = await runCli([...args, '--', '/bin/true']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /otlp/);
  }
  const tp = childTraceparent(env.stdout)!;
  assert.match(tp, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  assert.ok(!tp.includes(CALLER_TRACE));
});

test('collector down: one warning, the program unaffected; renacer export delivers the trace file later', async () => {
  const port = await closedPort();
  const file = path.join(tmp, 'down.jsonl.gz');
  const down = await runCli(['-f', '-o', '/dev/null', '--trace-file', file, '--otlp-endpoint', `http://127.0.0.1:${port}`, '--', '/bin/sh', '-c', 'echo hi; ls /nonexistent-renacer 2>/dev/null; env; exit 7'], {
    TRACEPARENT,
    TRACESTATE,
  });
  assert.equal(down.code, 7, 'the program\'s exit status');
  assert.match(down.stdout, /^hi$/m);
  const lines = down.stderr.trim().split('\n');
  assert.equal(lines.length, 1, down.stderr);
  assert.match(lines[0], /warning: OTLP export to http:\/\/127\.0\.0\.1:\d+\/v1\/traces .*failed.*connection refused.*renacer export /);
  const trace = readTraceFile(file);
  assert.equal(trace.end?.exit_status, 7);

  const from = receiver.spans.length;
  const exp = await runCli(['export', file, '--otlp-endpoint', receiver.httpUrl]);
  assert.equal(exp.code, 0, exp.stderr);
  assert.match(exp.stderr, new RegExp(`exported \\d+ spans to .* \\(trace ${CALLER_TRACE}\\)`));
  const root = checkJoinedTrace(down, spansOfTrace(receiver, CALLER_TRACE, from), { tracestate: TRACESTATE, processes: 2 });
  assert.equal(root.attributes['renacer.syscalls.traced'], trace.end?.syscalls);
  assert.equal(root.attributes['renacer.exit_status'], 7);
  assert.equal(root.status.code, 2);
});

test('renacer export rebuilds the very spans a live run exported', async () => {
  const file = path.join(tmp, 'same.jsonl.gz');
  const from = receiver.spans.length;
  const run = await runCli(['-f', '-o', '/dev/null', '--trace-file', file, '--otlp-endpoint', receiver.httpUrl, '--', ...PROGRAM], { TRACEPARENT });
  assert.equal(run.code, 0, run.stderr);
  const live = spansOfTrace(receiver, CALLER_TRACE, from);
  const mid = receiver.spans.length;
  const exp = await runCli(['export', file, '--otlp-endpoint', receiver.grpcUrl, '--otlp-protocol', 'grpc']);
  assert.equal(exp.code, 0, exp.stderr);
  const again = spansOfTrace(receiver, CALLER_TRACE, mid);
  const key = (s: ReceivedSpan) => `${s.spanId} ${s.parentSpanId} ${s.name} ${s.startTimeUnixNano} ${s.endTimeUnixNano}`;
  assert.deepEqual(again.map(key).sort(), live.map(key).sort());
});

test('Ctrl-C: the program is stopped and what was traced is flushed', async () => {
  const from = receiver.spans.length;
  const fullEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OTEL_')) fullEnv[k] = v;
  const startNs = BigInt(Date.now()) * 1_000_000n;
  const child = spawn(process.execPath, [CLI, '-o', '/dev/null', '--no-trace-file', '--otlp-endpoint', receiver.httpUrl, '--', '/bin/sh', '-c', 'echo started; exec sleep 30'], {
    cwd: tmp,
    env: { ...fullEnv, TRACEPARENT },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  await new Promise<void>((resolve) => child.stdout.on('data', (d) => ((stdout += d), stdout.includes('started') && resolve())));
  await new Promise((r) => setTimeout(r, 200));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const run: Run = { code, stdout, stderr: '', startNs, endNs: BigInt(Date.now() + 1) * 1_000_000n };
  assert.notEqual(code, 0);
  const spans = spansOfTrace(receiver, CALLER_TRACE, from);
  const root = spans.find((s) => s.parentSpanId === CALLER_SPAN)!;
  assert.ok(root, 'the root span was flushed');
  assert.equal(root.attributes['renacer.interrupted'], true);
  assert.ok(spans.some((s) => s.name === 'nanosleep' || s.name === 'clock_nanosleep'), 'the syscall the program was in');
  assert.ok(spans.every((s) => s.startTimeUnixNano >= run.startNs && s.endTimeUnixNano <= run.endNs));
});

test('retries: 503 and 429 over HTTP, UNAVAILABLE over gRPC', async () => {
  for (const [protocol, failFirst] of [
    ['http/protobuf', { count: 2, httpStatus: 503 }],
    ['http/json', { count: 1, httpStatus: 429 }],
    ['grpc', { count: 2 }],
  ] as const) {
    const flaky = await startReceiver({ failFirst });
    try {
      const run = await runCli(['-o', '/dev/null', '--no-trace-file', '--otlp-endpoint', protocol === 'grpc' ? flaky.grpcUrl : flaky.httpUrl, '--otlp-protocol', protocol, '--', '/bin/true'], { TRACEPARENT });
      assert.equal(run.code, 0);
      assert.equal(run.stderr, '', `${protocol}: ${run.stderr}`);
      assert.ok(flaky.spans.some((s) => s.parentSpanId === CALLER_SPAN), `${protocol}: root span delivered after retries`);
    } finally {
      await flaky.stop();
    }
  }
});

test('a large run: past the budget, syscalls become aggregates and the counts add up', async () => {
  const src = path.join(tmp, 'getppid_loop.c');
  const exe = path.join(tmp, 'getppid_loop');
  fs.writeFileSync(src, '#include <unistd.h>\n#include <stdlib.h>\nint main(int c, char **v) { long n = atol(v[1]); for (long i = 0; i < n; i++) getppid(); return 0; }\n');
  execFileSync('gcc', ['-O1', '-o', exe, src]);
  const N = 200_000;
  const file = path.join(tmp, 'large.jsonl.gz');
  const from = receiver.spans.length;
  const fromRequest = receiver.requests.length;
  const run = await runCli(['-o', '/dev/null', '--trace-file', file, '--otlp-endpoint', receiver.httpUrl, '--', exe, String(N)], { TRACEPARENT }, 300_000);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /syscalls were past the export budget of 4000000 bytes and went out as \d+ aggregate spans/);
  const spans = spansOfTrace(receiver, CALLER_TRACE, from);
  const root = spans.find((s) => s.parentSpanId === CALLER_SPAN)!;
  const syscallSpans = spans.filter((s) => s.attributes['syscall.args'] !== undefined).length;
  const aggregates = spans.filter((s) => s.attributes['renacer.aggregated'] === true);
  const aggregated = aggregates.reduce((n, s) => n + Number(s.attributes['renacer.aggregated.count']), 0);
  const traced = readTraceFile(file).end!.syscalls;
  assert.ok(traced >= N);
  assert.equal(syscallSpans + aggregated, traced, 'exported spans + aggregated counts = syscalls traced');
  assert.equal(root.attributes['renacer.syscalls.traced'], traced);
  assert.equal(root.attributes['renacer.syscalls.aggregated'], aggregated);
  assert.equal(root.attributes['renacer.aggregate_spans'], aggregates.length);
  const getppid = aggregates.find((s) => s.attributes['syscall.name'] === 'getppid')!;
  assert.ok(Number(getppid.attributes['renacer.aggregated.count']) > N * 0.8);
  assert.ok(Number(getppid.attributes['renacer.aggregated.duration_ns']) > 0);
  // The trace stays under the 4 MB budget (Tempo's default limit is 5 MB), counted on the decoded requests.
  const bytes = receiver.requests.slice(fromRequest).reduce((n, r) => n + r.decodedBytes, 0);
  assert.ok(bytes > 3_000_000 && bytes <= 4_000_000, `${bytes} bytes exported`);

  // A trace file cut short (the tracer died) exports what it has, counts still conserved.
  const cut = path.join(tmp, 'cut.jsonl.gz');
  fs.writeFileSync(cut, fs.readFileSync(file).subarray(0, Math.floor(fs.statSync(file).size * 0.6)));
  const kept = readTraceFile(cut);
  assert.equal(kept.end, undefined);
  const keptSyscalls = kept.events.filter((e) => e.type === 'syscall').length;
  const mid = receiver.spans.length;
  const exp = await runCli(['export', cut, '--otlp-endpoint', receiver.httpUrl]);
  assert.equal(exp.code, 0, exp.stderr);
  const again = spansOfTrace(receiver, CALLER_TRACE, mid);
  const cutRoot = again.find((s) => s.parentSpanId === CALLER_SPAN)!;
  assert.equal(cutRoot.attributes['renacer.trace_file.truncated'], true);
  assert.equal(cutRoot.attributes['renacer.syscalls.traced'], keptSyscalls);
  const cutAggregated = again.filter((s) => s.attributes['renacer.aggregated'] === true).reduce((n, s) => n + Number(s.attributes['renacer.aggregated.count']), 0);
  assert.equal(again.filter((s) => s.attributes['syscall.args'] !== undefined).length + cutAggregated, keptSyscalls);
});

test("the seed's examples as written: TRACEPARENT=… renacer --otlp-endpoint http://localhost:4317 (gRPC) and :4318 (HTTP)", async (t) => {
  // The collector's default ports on 127.0.0.1, as a local Tempo/Jaeger/Collector has them.
  const receiver = await startReceiver({ ports: { http: 4318, grpc: 4317 } });
  t.after(() => receiver.stop());
  const worker = path.join(tmp, 'worker');
  fs.writeFileSync(worker, '#!/bin/sh\necho working > /dev/null\n', { mode: 0o755 });
  for (const [port, transport, span] of [[4317, 'grpc', 'b7ad6b7169203317'], [4318, 'http/protobuf', 'b7ad6b7169203318']] as const) {
    const before = receiver.spans.length;
    const r = await runCli(['--otlp-endpoint', `http://localhost:${port}`, '--', './worker'], { TRACEPARENT: `00-${CALLER_TRACE}-${span}-01` });
    assert.equal(r.code, 0, r.stderr);
    await receiver.waitForSpans(before + 5);
    const spans = receiver.spans.slice(before).filter((s) => s.traceId === CALLER_TRACE);
    assert.ok(spans.length > 5, `${spans.length} spans over port ${port}`);
    assert.ok(spans.every((s) => s.transport === transport), `port ${port}: ${spans[0]?.transport}`);
    assert.equal(spans.filter((s) => s.parentSpanId === span).length, 1, 'one span is the child of the caller\'s');
  }
});
