// Events → spans: the tree (root, processes by fork ancestry, syscalls),
// attributes, the byte budget and per-site aggregates, and the byte estimate
// against the official serialiser.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';

import type { SessionInfo, SyscallEvent, TraceEvent } from '../../extension/core/session/events';
import { runResource } from '../../extension/core/otel/otelResource';
import { SpanBuilder } from '../../extension/core/otel/spanBuilder';
import { SpanBudget } from '../../extension/core/otel/spanBudget';
import type { RenacerSpan } from '../../extension/core/otel/spanModel';
import { requestOverheadBytes, spanBytes } from '../../extension/core/otel/spanSize';
import { newRunTraceContext, resolveParentContext } from '../../extension/core/otel/traceContext';

const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const info: SessionInfo = { program: '/usr/bin/make', argv: ['make', '-j2'], pid: 100, attached: false, originWallNs: 1_700_000_000_999_999_999n, cwd: '/src' };
const sdk = { name: 'renacer', version: '9.9.9' };
const scope = { name: 'renacer', version: '9.9.9' };

function build(events: TraceEvent[], budgetBytes: number | null = null, ctx = newRunTraceContext(resolveParentContext({ traceParent: CALLER, traceState: 'k=v', env: {} }, () => {}))) {
  const resource = runResource({ service_name: null, host_name: 'host-1', resource_attributes: { 'deployment.environment': 'ci' } }, info, sdk);
  const spans: RenacerSpan[] = [];
  const budget = new SpanBudget(budgetBytes, requestOverheadBytes(ctx, resource, scope));
  const b = new SpanBuilder({ context: ctx, resource, scope, budget, emit: (s) => spans.push(s) });
  b.start(info);
  b.add(events);
  b.finish({ endNs: 1_000_000, exitStatus: 0 });
  return { spans, counts: b.counts, ctx, budget };
}

let t = 100;
function sc(pid: number, name: string, extra: Partial<SyscallEvent> = {}): SyscallEvent {
  t += 10;
  return { type: 'syscall', pid, tid: pid, nr: 0, name, args: ['3', '"x"'], ret: 0, startNs: t, endNs: t + 5, ...extra };
}

const FAMILY: TraceEvent[] = [
  { type: 'process', kind: 'spawn', pid: 100, tid: 100, timeNs: 50, path: '/usr/bin/make' },
  sc(100, 'openat', { ret: -1, errno: 'ENOENT' }),
  { type: 'process', kind: 'fork', pid: 100, tid: 101, timeNs: 200, parentPid: 100, parentTid: 100, thread: true },
  sc(100, 'read', { tid: 101 }),
  { type: 'process', kind: 'fork', pid: 200, tid: 200, timeNs: 300, parentPid: 100, parentTid: 100, thread: false },
  { type: 'process', kind: 'exec', pid: 200, tid: 200, timeNs: 310, path: '/usr/bin/cc' },
  sc(200, 'write', { source: { file: '/src/main.c', line: 42, column: 5, function: 'main' }, original: { file: 'main.py', line: 7, function: 'run', language: 'python', decisionId: 'd-1' } }),
  { type: 'process', kind: 'fork', pid: 300, tid: 300, timeNs: 400, parentPid: 200, parentTid: 200, thread: false },
  sc(300, 'getpid'),
  { type: 'process', kind: 'exit', pid: 300, tid: 300, timeNs: 500, signal: 'SIGSEGV', coreDumped: true },
  { type: 'process', kind: 'exit', pid: 200, tid: 200, timeNs: 600, exitCode: 1 },
  { type: 'process', kind: 'exit', pid: 100, tid: 101, timeNs: 700, exitCode: 0 },
  { type: 'process', kind: 'exit', pid: 100, tid: 100, timeNs: 710, exitCode: 0 },
];

test('the span tree: root under the caller, processes by fork ancestry, threads as attributes', () => {
  const { spans, ctx, counts } = build(FAMILY);
  const root = spans.find((s) => s.spanId === ctx.rootSpanId)!;
  assert.equal(root.parentSpanId, 'b7ad6b7169203331');
  assert.equal(root.parentSpanContext?.isRemote, true);
  assert.equal(root.name, 'renacer make');
  assert.equal(spans.at(-1), root, 'the root span ends last');
  const proc = (pid: number) => spans.find((s) => s.attributes['renacer.process.syscalls'] !== undefined && s.attributes['process.pid'] === pid)!;
  assert.equal(counts.processSpans, 3, 'no span for the thread');
  assert.equal(proc(100).parentSpanId, root.spanId);
  assert.equal(proc(200).parentSpanId, proc(100).spanId);
  assert.equal(proc(300).parentSpanId, proc(200).spanId);
  assert.equal(proc(100).attributes['renacer.process.threads'], 2);
  assert.equal(proc(200).name, 'process cc');
  assert.equal(proc(200).attributes['process.exit.code'], 1);
  assert.equal(proc(200).status.code, 2);
  assert.equal(proc(300).attributes['renacer.process.signal'], 'SIGSEGV');
  assert.equal(proc(200).events[0].name, 'exec');
  for (const s of spans) {
    assert.equal(s.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(s.spanContext().traceState?.serialize(), 'k=v');
  }
  const read = spans.find((s) => s.name === 'read')!;
  assert.equal(read.parentSpanId, proc(100).spanId);
  assert.equal(read.attributes['thread.id'], 101);
  assert.equal(read.attributes['process.pid'], 100);
});

test('syscall attributes: result, errno, code.* (both generations), transpiler.*', () => {
  const { spans } = build(FAMILY);
  const open = spans.find((s) => s.name === 'openat')!;
  assert.deepEqual(open.attributes, { 'syscall.name': 'openat', 'syscall.args': '3, "x"', 'syscall.result': '-1', 'thread.id': 100, 'process.pid': 100, 'error.type': 'ENOENT' });
  assert.deepEqual(open.status, { code: 2, message: 'ENOENT' });
  const write = spans.find((s) => s.name === 'write')!;
  assert.equal(write.attributes['code.file.path'], '/src/main.c');
  assert.equal(write.attributes['code.line.number'], 42);
  assert.equal(write.attributes['code.column.number'], 5);
  assert.equal(write.attributes['code.function.name'], 'main');
  assert.equal(write.attributes['code.filepath'], '/src/main.c');
  assert.equal(write.attributes['code.lineno'], 42);
  assert.equal(write.attributes['code.function'], 'main');
  assert.equal(write.attributes['transpiler.source_language'], 'python');
  assert.equal(write.attributes['transpiler.original_file'], 'main.py');
  assert.equal(write.attributes['transpiler.original_line'], 7);
  assert.equal(write.attributes['transpiler.original_function'], 'run');
  assert.equal(write.attributes['transpiler.decision_id'], 'd-1');
  // Entry/exit times are exact absolute nanoseconds.
  const ns = (h: [number, number]) => BigInt(h[0]) * 1_000_000_000n + BigInt(h[1]);
  const ev = FAMILY.find((e) => e.type === 'syscall' && e.name === 'write') as SyscallEvent;
  assert.equal(ns(write.startTime as [number, number]), info.originWallNs + BigInt(ev.startNs));
  assert.equal(ns(write.endTime as [number, number]), info.originWallNs + BigInt(ev.endNs));
});

test('resource: service.name from the program, process.*, host, sdk, OTEL_RESOURCE_ATTRIBUTES', () => {
  const { spans } = build(FAMILY);
  assert.deepEqual(spans[0].resource.attributes, {
    'deployment.environment': 'ci',
    'service.name': 'make',
    'process.pid': 100,
    'process.executable.name': 'make',
    'process.executable.path': '/usr/bin/make',
    'process.command_args': ['make', '-j2'],
    'host.name': 'host-1',
    'telemetry.sdk.name': 'renacer',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': '9.9.9',
  });
});

test('span ids are the same when the same events are built again', () => {
  const a = build(FAMILY);
  const b = build(FAMILY, null, a.ctx);
  assert.deepEqual(b.spans.map((s) => s.spanId), a.spans.map((s) => s.spanId));
});

test('past the budget: per-site aggregates, counts conserved, bytes within the budget', () => {
  const events: TraceEvent[] = [{ type: 'process', kind: 'spawn', pid: 100, tid: 100, timeNs: 1, path: '/usr/bin/make' }];
  for (let i = 0; i < 20_000; i++) {
    events.push(sc(100, i % 2 ? 'read' : 'write', { source: { file: '/src/a.c', line: i % 3, function: 'f' }, ...(i % 7 === 0 ? { ret: -1, errno: i % 14 ? 'EAGAIN' : 'EINTR' } : {}) }));
  }
  const budget = 200_000;
  const { spans, counts } = build(events, budget);
  const syscallSpans = spans.filter((s) => s.attributes['syscall.args'] !== undefined);
  const aggregates = spans.filter((s) => s.attributes['renacer.aggregated'] === true);
  assert.ok(syscallSpans.length > 100 && syscallSpans.length < 2000);
  assert.equal(aggregates.length, 6, 'one per (syscall, line)');
  const aggregated = aggregates.reduce((n, s) => n + Number(s.attributes['renacer.aggregated.count']), 0);
  assert.equal(syscallSpans.length + aggregated, 20_000);
  assert.deepEqual(counts, { syscalls: 20_000, exportedSyscalls: syscallSpans.length, aggregatedSyscalls: aggregated, aggregateSpans: 6, processSpans: 1, spans: spans.length });
  const errors = aggregates.reduce((n, s) => n + Number(s.attributes['renacer.aggregated.error_count']), 0);
  const failed = events.filter((e) => e.type === 'syscall' && e.errno).length - syscallSpans.filter((s) => s.attributes['error.type']).length;
  assert.equal(errors, failed);
  const withErrors = aggregates.find((s) => Number(s.attributes['renacer.aggregated.error_count']) > 0)!;
  assert.equal(withErrors.status.code, 2);
  const types = withErrors.attributes['renacer.aggregated.error_types'] as string[];
  const perType = withErrors.attributes['renacer.aggregated.error_counts'] as number[];
  assert.ok(types.length > 0 && types.every((e) => e === 'EAGAIN' || e === 'EINTR'));
  assert.equal(perType.reduce((a, b) => a + b, 0), withErrors.attributes['renacer.aggregated.error_count']);
  assert.equal(withErrors.attributes['code.line.number'] !== undefined, true);
  const root = spans.at(-1)!;
  assert.equal(root.attributes['renacer.syscalls.aggregated'], aggregated);
  // What the official serialiser writes for these spans stays within the budget.
  let bytes = 0;
  for (let i = 0; i < spans.length; i += 4096) bytes += ProtobufTraceSerializer.serializeRequest(spans.slice(i, i + 4096))!.length;
  assert.ok(bytes <= budget, `${bytes} bytes`);
  assert.ok(bytes > budget * 0.85, `${bytes} bytes: the budget is used`);
});

test('the byte estimate matches the official serialiser', () => {
  const { spans, ctx } = build(FAMILY);
  const resource = spans[0].resource;
  const estimate = spans.reduce((n, s) => n + spanBytes(s), 0) + requestOverheadBytes(ctx, resource, scope);
  const actual = ProtobufTraceSerializer.serializeRequest(spans)!.length;
  assert.ok(estimate >= actual && estimate - actual <= 16, `estimate ${estimate}, actual ${actual}`);
});
