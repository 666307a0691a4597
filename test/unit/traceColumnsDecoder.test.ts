// Trace file → the viewer's columns: every syscall's fields exactly as the
// trace file reader (readTraceFile) sees them, whether a line takes the fast
// path or JSON.parse, whether the file decodes on one thread or in ranges;
// processes and threads; the limit; a file cut short; a syscall read back by
// its ordinal; and the span ids the viewer shows equal the ones export sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import type { ProcessEvent, SessionInfo, SyscallEvent, TraceEvent } from '../../extension/core/session/events';
import { runResource } from '../../extension/core/otel/otelResource';
import { SpanBuilder } from '../../extension/core/otel/spanBuilder';
import { SpanBudget } from '../../extension/core/otel/spanBudget';
import type { RenacerSpan } from '../../extension/core/otel/spanModel';
import { requestOverheadBytes } from '../../extension/core/otel/spanSize';
import { syscallSpanIds, SyscallEventLookup } from '../../viewer/syscallEventLookup';
import { SYSCALL_UNFINISHED } from '../../viewer/traceColumns';
import { decodeRange, decodeTraceFile, type DecodeResult } from '../../viewer/traceColumnsDecoder';
import { traceContextFromRecord, traceContextRecord, newRunTraceContext } from '../../extension/core/otel/traceContext';
import { readTraceFile, TraceFileError, TraceFileWriter } from '../../extension/core/traceFile/traceFile';
import { tempDir } from '../support/fixtures';
import { SITES, SYNTHETIC_TRACE_CONTEXT, writeSyntheticTrace } from '../support/syntheticTrace';

function tmp(t: { after(fn: () => void): void }): string {
  const dir = tempDir('renacer-columns-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every syscall as the columns say it, next to readTraceFile's events. */
function assertSameSyscalls(file: string, r: DecodeResult): void {
  const events = readTraceFile(file).events.filter((e): e is SyscallEvent => e.type === 'syscall');
  const { columns: c, tables: t } = r.trace;
  assert.equal(c.count, events.length);
  events.forEach((ev, i) => {
    const where = `syscall ${i} (${ev.name})`;
    assert.equal(t.names[c.name[i]], ev.name, where);
    assert.equal(c.start[i], ev.startNs, where);
    assert.equal(c.dur[i], ev.endNs - ev.startNs, where);
    assert.equal(t.errnos[c.errno[i]], ev.errno ?? '', where);
    const thread = t.threads[c.thread[i]];
    assert.equal(thread.tid, ev.tid, where);
    assert.equal(t.processes[thread.process].pid, ev.pid, where);
    assert.equal((c.flags[i] & SYSCALL_UNFINISHED) !== 0, ev.ret === null, where);
    const site = t.sites[c.site[i]];
    const at = ev.original ?? ev.source;
    assert.equal(site.file >= 0 ? t.files[site.file] : undefined, at?.file, where);
    if (at) assert.equal(site.line, at.line, where);
  });
}

test('a synthetic trace decodes to exactly what readTraceFile reads', async (t) => {
  const file = path.join(tmp(t), 'trace.jsonl.gz');
  const s = writeSyntheticTrace(file, { syscalls: 5000, processes: 3, threadsPerProcess: 2, batch: 300 });
  const r = await decodeTraceFile(file);
  assertSameSyscalls(file, r);
  const { columns: c, tables: tb } = r.trace;
  assert.equal(tb.totalSyscalls, 5000);
  assert.equal(tb.processes.length, 3);
  assert.equal(tb.threads.length, 6);
  assert.deepEqual(tb.processes.map((p) => p.pid), [1000, 1100, 1200]);
  assert.deepEqual(tb.processes.map((p) => p.parent), [undefined, 0, 0], 'forked children under the first process');
  assert.equal(tb.processes[1].exe, '/work/app/build/server', 'a forked child runs its parent\'s executable');
  assert.equal(tb.processes[0].exitCode, 0);
  assert.ok(tb.end && tb.end.exitStatus === 0 && !r.unfinished);
  assert.equal([...c.errno].filter((e) => tb.errnos[e] === 'ENOENT').length, s.enoent);
  // Paths come from the quoted argument of the calls that take one.
  const opened = [...c.path].filter((p, i) => p > 0 && tb.names[c.name[i]] === 'openat').length;
  assert.equal(opened, [...c.name].filter((n) => tb.names[n] === 'openat').length);
  assert.ok(tb.paths.some((p) => p.startsWith('/etc/app/conf.d/')));
  // Frames: the syscall's own line, then the callers it was inlined into.
  const readSite = tb.sites.find((st) => st.line === SITES.readChunk.line && tb.files[st.file].endsWith('io.c'))!;
  assert.deepEqual(readSite.frames.map((f) => tb.frames[f].function), ['read_chunk', 'copy_file', 'main']);
  // Grouped by thread, each group in entry order.
  for (let th = 0; th < tb.threads.length; th++) {
    const group = c.threadOrder.subarray(c.threadStart[th], c.threadStart[th + 1]);
    assert.equal(group.length, tb.threads[th].syscalls);
    for (let k = 1; k < group.length; k++) assert.ok(c.start[group[k]] >= c.start[group[k - 1]]);
    for (const i of group) assert.equal(c.thread[i], th);
  }
  assert.equal(tb.traceContext?.traceId, SYNTHETIC_TRACE_CONTEXT.trace_id);
});

test('decoding in ranges gives the same columns, tables and seek index as one pass', async (t) => {
  const file = path.join(tmp(t), 'trace.jsonl.gz');
  // Large enough to be cut (more than 2 MB compressed).
  writeSyntheticTrace(file, { syscalls: 120_000, processes: 2, threadsPerProcess: 3, batch: 2048 });
  assert.ok(fs.statSync(file).size > 2 << 20, `file of ${fs.statSync(file).size} bytes`);
  const one = await decodeTraceFile(file);
  let ranges = 0;
  const three = await decodeTraceFile(file, {
    parallelism: 3,
    decodeElsewhere: async (r) => {
      ranges++;
      return decodeRange(r);
    },
  });
  assert.equal(ranges, 2, 'two ranges decoded elsewhere, one here');
  for (const k of ['start', 'dur', 'name', 'thread', 'errno', 'site', 'path', 'flags', 'threadOrder', 'threadStart'] as const) {
    assert.deepEqual(three.trace.columns[k], one.trace.columns[k], k);
  }
  assert.deepEqual(three.trace.tables, one.trace.tables);
  assert.deepEqual(three.members, one.members);
});

test('a line in another shape (JSON.parse path) decodes like a line the writer wrote', async (t) => {
  const dir = tmp(t);
  const info: SessionInfo = { program: '/bin/x', argv: ['/bin/x'], pid: 7, attached: false, originWallNs: 1_764_000_000_123_456_789n, cwd: '/' };
  const events: TraceEvent[] = [
    { type: 'process', kind: 'spawn', pid: 7, tid: 7, timeNs: 10, path: '/bin/x' },
    { type: 'syscall', pid: 7, tid: 7, nr: 257, name: 'openat', args: ['AT_FDCWD', '"/a \\"b\\"/c"', 'O_RDONLY'], ret: -1, errno: 'ENOENT', startNs: 100, endNs: 250, source: { file: '/s/m.c', line: 3, column: 1, function: 'main' } },
    { type: 'syscall', pid: 7, tid: 7, nr: 9, name: 'mmap', args: ['NULL', '4096'], ret: 0x7f0000000000, retText: '0x7f0000000000', startNs: 300, endNs: 310 },
    { type: 'syscall', pid: 7, tid: 7, nr: 231, name: 'exit_group', args: ['0'], ret: null, startNs: 400, endNs: 400 },
  ];
  const fast = path.join(dir, 'fast.jsonl.gz');
  const w = new TraceFileWriter(fast);
  w.onStart(info);
  w.onEvents(events);
  w.onEnd({ exitStatus: 0, syscalls: 3, endNs: 500 });
  // The same events with their keys in reverse order: no line fits the fast path.
  const slow = path.join(dir, 'slow.jsonl.gz');
  const lines = zlib.gunzipSync(fs.readFileSync(fast)).toString('utf8').trimEnd().split('\n');
  const reshaped = lines.map((l, i) => {
    if (i === 0) return l;
    const o = JSON.parse(l.replace(/"(start_ns|time_ns)":(\d+)/, '"$1":"$2"')) as Record<string, unknown>;
    const entries = Object.entries(o).reverse();
    return JSON.stringify(Object.fromEntries(entries)).replace(/"(start_ns|time_ns)":"(\d+)"/, '"$1":$2');
  });
  fs.writeFileSync(slow, zlib.gzipSync(reshaped.join('\n') + '\n'));
  const a = await decodeTraceFile(fast);
  const b = await decodeTraceFile(slow);
  assertSameSyscalls(fast, a);
  assertSameSyscalls(slow, b);
  for (const k of ['start', 'dur', 'name', 'thread', 'errno', 'site', 'path', 'flags'] as const) assert.deepEqual(b.trace.columns[k], a.trace.columns[k], k);
  assert.deepEqual(b.trace.tables.paths, a.trace.tables.paths);
  assert.deepEqual(a.trace.tables.paths, ['', '/a "b"/c']);
});

test('the limit keeps the first calls and counts the rest', async (t) => {
  const file = path.join(tmp(t), 'trace.jsonl.gz');
  writeSyntheticTrace(file, { syscalls: 3000, batch: 500 });
  const all = await decodeTraceFile(file);
  const r = await decodeTraceFile(file, { limit: 1000 });
  assert.equal(r.trace.columns.count, 1000);
  assert.equal(r.trace.tables.totalSyscalls, 3000);
  assert.deepEqual(r.trace.columns.start, all.trace.columns.start.subarray(0, 1000));
  assert.deepEqual(r.trace.columns.site, all.trace.columns.site.subarray(0, 1000));
});

test('a file cut short loses at most its last member, and says it is unfinished', async (t) => {
  const dir = tmp(t);
  const file = path.join(dir, 'trace.jsonl.gz');
  writeSyntheticTrace(file, { syscalls: 2000, batch: 200 });
  const whole = await decodeTraceFile(file);
  const raw = fs.readFileSync(file);
  const cut = path.join(dir, 'cut.jsonl.gz');
  fs.writeFileSync(cut, raw.subarray(0, raw.length - 3000));
  const r = await decodeTraceFile(cut);
  assert.equal(r.unfinished, true);
  assert.equal(r.trace.tables.end, undefined);
  assert.ok(r.trace.columns.count >= 2000 - 200 - 1 && r.trace.columns.count < 2000, `${r.trace.columns.count} syscalls kept`);
  assert.deepEqual(r.trace.columns.start, whole.trace.columns.start.subarray(0, r.trace.columns.count));
  // The last syscall kept reads back from the member that was cut.
  const last = r.trace.columns.count - 1;
  const lookup = new SyscallEventLookup(cut, r.members, BigInt(r.trace.tables.session.originWallNs));
  assert.equal((await lookup.syscall(last))?.startNs, r.trace.columns.start[last]);
});

test('what is not a trace file is a TraceFileError saying so', async (t) => {
  const dir = tmp(t);
  const plain = path.join(dir, 'plain.jsonl.gz');
  fs.writeFileSync(plain, '{"type":"session"}\n');
  await assert.rejects(decodeTraceFile(plain), (e: Error) => e instanceof TraceFileError && /not a renacer trace file/.test(e.message));
  const other = path.join(dir, 'other.gz');
  fs.writeFileSync(other, zlib.gzipSync('hello\n'));
  await assert.rejects(decodeTraceFile(other), (e: Error) => e instanceof TraceFileError && /not a renacer trace file/.test(e.message));
  await assert.rejects(decodeTraceFile(path.join(dir, 'missing.jsonl.gz')), (e: Error) => e instanceof TraceFileError && /ENOENT/.test(e.message));
});

test('a syscall read back by its ordinal is the event the file holds', async (t) => {
  const file = path.join(tmp(t), 'trace.jsonl.gz');
  writeSyntheticTrace(file, { syscalls: 4000, batch: 333 });
  const r = await decodeTraceFile(file);
  const events = readTraceFile(file).events.filter((e): e is SyscallEvent => e.type === 'syscall');
  const lookup = new SyscallEventLookup(file, r.members, BigInt(r.trace.tables.session.originWallNs));
  for (const i of [0, 1, 332, 333, 334, 1999, 3998, 3999]) assert.deepEqual(await lookup.syscall(i), events[i], `syscall ${i}`);
  assert.equal(await lookup.syscall(4000), undefined);
});

test('span ids in the viewer are the ids export gives the spans', async (t) => {
  const dir = tmp(t);
  const ctx = newRunTraceContext();
  const info: SessionInfo = { program: '/usr/bin/make', argv: ['make'], pid: 100, attached: false, originWallNs: 1_700_000_000_000_000_000n, cwd: '/src' };
  let time = 100;
  const sc = (pid: number, tid = pid): SyscallEvent => {
    time += 10;
    return { type: 'syscall', pid, tid, nr: 0, name: 'read', args: ['3'], ret: 0, startNs: time, endNs: time + 5 };
  };
  const proc = (e: Omit<ProcessEvent, 'type' | 'timeNs'>): ProcessEvent => ({ type: 'process', timeNs: (time += 10), ...e });
  // Forks, a thread, exec, exits, and pid 300 used again by a new process.
  const events: TraceEvent[] = [
    proc({ kind: 'spawn', pid: 100, tid: 100, path: '/usr/bin/make' }),
    sc(100),
    proc({ kind: 'fork', pid: 100, tid: 101, parentPid: 100, parentTid: 100, thread: true }),
    sc(100, 101),
    proc({ kind: 'fork', pid: 300, tid: 300, parentPid: 100, parentTid: 100, thread: false }),
    sc(300),
    proc({ kind: 'exec', pid: 300, tid: 300, path: '/usr/bin/cc' }),
    sc(300),
    proc({ kind: 'exit', pid: 300, tid: 300, exitCode: 0 }),
    sc(400),
    proc({ kind: 'fork', pid: 300, tid: 300, parentPid: 100, parentTid: 100, thread: false }),
    sc(300),
    proc({ kind: 'exit', pid: 300, tid: 300, exitCode: 0 }),
    sc(100, 101),
    proc({ kind: 'exit', pid: 100, tid: 101, exitCode: 0 }),
    proc({ kind: 'exit', pid: 100, tid: 100, exitCode: 0 }),
  ];
  const file = path.join(dir, 'trace.jsonl.gz');
  const w = new TraceFileWriter(file, { trace_context: traceContextRecord(ctx) });
  w.onStart(info);
  w.onEvents(events);
  w.onEnd({ exitStatus: 0, syscalls: 7, endNs: time + 10 });

  const spans: RenacerSpan[] = [];
  const resource = runResource({ service_name: null, host_name: 'h', resource_attributes: {} }, info, { name: 'renacer', version: '0' });
  const scope = { name: 'renacer', version: '0' };
  const b = new SpanBuilder({ context: traceContextFromRecord(traceContextRecord(ctx))!, resource, scope, budget: new SpanBudget(null, requestOverheadBytes(ctx, resource, scope)), emit: (s) => spans.push(s) });
  b.start(info);
  b.add(readTraceFile(file).events);
  b.finish({ endNs: time + 10, exitStatus: 0 });
  const syscallSpans = spans.filter((s) => s.name === 'read');

  const r = await decodeTraceFile(file);
  const { columns: c, tables: tb } = r.trace;
  assert.equal(tb.processes.length, 4, 'pid 300 twice, and pid 400 seen only through a syscall');
  assert.equal(syscallSpans.length, c.count);
  for (let i = 0; i < c.count; i++) {
    const ids = syscallSpanIds(tb.traceContext!, i, tb.processes[tb.threads[c.thread[i]].process].spanOrdinal);
    assert.equal(ids.traceId, ctx.traceId);
    assert.equal(ids.spanId, syscallSpans[i].spanId, `span of syscall ${i}`);
    assert.equal(ids.parentSpanId, syscallSpans[i].parentSpanId, `process span of syscall ${i}`);
  }
});
