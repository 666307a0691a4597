import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import type { SessionInfo, TraceEvent } from '../../extension/core/session/events';
import { readTraceFile, TraceFileError, TraceFileWriter, traceFileEnded } from '../../extension/core/traceFile/traceFile';
import { tempDir } from '../support/fixtures';

const info: SessionInfo = {
  program: '/bin/demo', argv: ['demo', '-v'], pid: 4242, attached: false, cwd: '/tmp', originWallNs: 1_764_000_000_123_456_789n,
};
const events: TraceEvent[] = [
  { type: 'process', kind: 'spawn', pid: 4242, tid: 4242, timeNs: 5, path: '/bin/demo' },
  { type: 'syscall', pid: 4242, tid: 4242, nr: 257, name: 'openat', args: ['AT_FDCWD', '"/x, y"', 'O_RDONLY'], ret: -1, errno: 'ENOENT', startNs: 1_234_567, endNs: 1_240_000 },
  { type: 'syscall', pid: 4242, tid: 4243, nr: 9, name: 'mmap', args: ['NULL'], ret: 139_999_000_000_000, retText: '0x7f53c8a3c000', startNs: 2_000_000, endNs: 2_000_100,
    source: { file: '/src/main.c', line: 42, column: 5, function: 'load', inlined: [{ file: '/src/util.h', line: 7, function: 'helper' }] } },
  { type: 'process', kind: 'exit', pid: 4242, tid: 4242, timeNs: 3_000_000, signal: 'SIGSEGV', coreDumped: true },
];

test('a trace file round-trips events exactly, times to the nanosecond', () => {
  const file = path.join(tempDir(), 'sub', 't.jsonl.gz');
  const w = new TraceFileWriter(file, { trace_id: 'abc' });
  w.onStart(info);
  w.onEvents(events.slice(0, 2));
  w.onEvents(events.slice(2));
  w.onEnd({ exitStatus: 139, syscalls: 2, endNs: 3_000_001, stops: 4 });
  const back = readTraceFile(file);
  assert.equal(back.header.trace_id, 'abc');
  assert.deepEqual(back.info, info);
  assert.deepEqual(back.events, events);
  assert.equal(back.end?.exit_status, 139);
  assert.equal(back.end?.end_ns, (info.originWallNs + 3_000_001n).toString());
});

test('a file cut short by a crash keeps every complete batch', () => {
  const file = path.join(tempDir(), 't.jsonl.gz');
  const w = new TraceFileWriter(file);
  w.onStart(info);
  w.onEvents(events.slice(0, 2));
  const goodSize = fs.statSync(file).size;
  w.onEvents(events.slice(2));
  // The crash: the last member is half written, and no end record.
  fs.truncateSync(file, goodSize + 20);
  const back = readTraceFile(file);
  assert.deepEqual(back.events, events.slice(0, 2));
  assert.equal(back.end, undefined);
});

test('not a trace file: a clear error', () => {
  const dir = tempDir();
  const junk = path.join(dir, 'junk.gz');
  fs.writeFileSync(junk, 'not gzip at all');
  assert.throws(() => readTraceFile(junk), (e: Error) => e instanceof TraceFileError && /not a renacer trace file/.test(e.message));
});

test('traceFileEnded tells a finished file from one still being written', () => {
  const file = path.join(tempDir(), 't.jsonl.gz');
  const w = new TraceFileWriter(file);
  w.onStart(info);
  w.onEvents(events);
  assert.equal(traceFileEnded(file), false);
  w.onEnd({ exitStatus: 0, syscalls: 2, endNs: 1 });
  assert.equal(traceFileEnded(file), true);
});
