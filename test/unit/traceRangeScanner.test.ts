// The native trace-file scanner (native/src/trace_file_scanner.cc) against
// the reader it speeds up: a range read with it and without it gives the
// same shard — every column, table, process event, member and end record —
// on the writer's own files and on lines it must hand back untouched
// (other shapes, escapes, numbers too long to be exact, lines split across
// members, a member cut short, a corrupt member).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { decodeRange, decodeTraceFile, type RangeRequest } from '../../viewer/traceColumnsDecoder';
import { TraceFileError } from '../../extension/core/traceFile/traceFile';
import { nativeScannerAvailable } from '../../extension/core/traceFile/traceRangeScanner';
import { tempDir } from '../support/fixtures';
import { writeSyntheticTrace } from '../support/syntheticTrace';

const ORIGIN = '1764000000000000000';

function tmp(t: { after(fn: () => void): void }): string {
  const dir = tempDir('renacer-scanner-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function range(file: string, extra: Partial<RangeRequest> = {}): RangeRequest {
  return { file, from: 0, to: fs.statSync(file).size, origin: ORIGIN, limit: Number.MAX_SAFE_INTEGER, ...extra };
}

/** decodeRange with the native scanner and without it: the same result, or the same error. */
function assertSameBothWays(r: RangeRequest): ReturnType<typeof decodeRange> {
  let native: ReturnType<typeof decodeRange> | Error;
  let js: ReturnType<typeof decodeRange> | Error;
  try {
    native = decodeRange(r);
  } catch (e) {
    native = e as Error;
  }
  try {
    js = decodeRange({ ...r, native: false });
  } catch (e) {
    js = e as Error;
  }
  if (js instanceof Error || native instanceof Error) {
    assert.ok(js instanceof Error && native instanceof Error, `one way failed: native ${String(native)}, js ${String(js)}`);
    assert.equal(native.constructor, js.constructor);
    assert.equal(native.message, js.message);
    throw native;
  }
  assert.deepStrictEqual(native, js);
  return native;
}

/** A gzip file of one member per chunk of text. */
function writeMembers(file: string, chunks: string[]): void {
  fs.writeFileSync(file, Buffer.concat(chunks.map((c) => zlib.gzipSync(c))));
}

const HEADER = `{"type":"session","version":1,"program":"/bin/x","argv":["/bin/x"],"pid":7,"attached":false,"cwd":"/","origin_wall_ns":"${ORIGIN}"}`;
const call = (fields: string, tail = '') =>
  `{"type":"syscall","pid":7,"tid":7,${fields},"start_ns":1764000000000000100,"dur_ns":150${tail}}`;
const SOURCE = ',"source":{"file":"/s/m.c","line":3,"column":1,"function":"main"}';

test('the native scanner is built (otherwise the tests below compare the reader with itself)', () => {
  assert.ok(nativeScannerAvailable(), 'build/Release/renacer.node has no TraceFileScanner: run npm run build');
});

test('the writer\'s files: the same shard with and without the native scanner, whole and in ranges', async (t) => {
  const file = path.join(tmp(t), 'trace.jsonl.gz');
  writeSyntheticTrace(file, { syscalls: 30_000, processes: 3, threadsPerProcess: 2, batch: 700 });
  const whole = assertSameBothWays(range(file));
  assert.equal(whole.shard.count, 30_000);
  assert.ok(whole.shard.memberOffsets.length > 40, 'many members');
  assert.ok(whole.shard.paths.length > 1 && whole.shard.sites.length > 1 && whole.shard.errnos.length > 1);
  // A range that starts at a member in the middle, and a limit.
  const mid = whole.shard.memberOffsets[20];
  assertSameBothWays(range(file, { from: mid }));
  assertSameBothWays(range(file, { to: mid }));
  const limited = assertSameBothWays(range(file, { limit: 1234 }));
  assert.equal(limited.shard.count, 1234);
  assert.equal(limited.shard.seen, 30_000);
  // And through the whole decoder, on worker-shaped ranges.
  const a = await decodeTraceFile(file);
  const b = await decodeTraceFile(file, { parallelism: 3, decodeElsewhere: async (r) => decodeRange({ ...r, native: false }) });
  assert.deepStrictEqual(a, b);
});

test('lines of other shapes are handed back and read as JSON, in file order', (t) => {
  const file = path.join(tmp(t), 'odd.jsonl.gz');
  const lines = [
    HEADER,
    '{"type":"process","event":"spawn","pid":7,"tid":7,"path":"/bin/x","time_ns":1764000000000000010}',
    call('"name":"openat","nr":257,"args":["AT_FDCWD","\\"/a],\\\\\\"ret\\\\\\":b\\"","O_RDONLY"],"ret":-1,"errno":"ENOENT"', SOURCE),
    // Escapes and non-ASCII in the name: JSON decides what they are.
    call('"name":"op\\u0065nat","nr":257,"args":["AT_FDCWD","\\"/é\\"","O_RDONLY"],"ret":3'),
    call('"name":"öpen","nr":2,"args":[],"ret":3'),
    // ret_text with escaped quotes, an unfinished call, a negative return.
    call('"name":"mmap","nr":9,"args":["NULL"],"ret":140000000000000,"ret_text":"0x7f \\"q\\" \\\\"', SOURCE),
    call('"name":"exit_group","nr":231,"args":["0"],"ret":null'),
    call('"name":"close","nr":3,"args":["9"],"ret":-9,"errno":"EBADF"'),
    // Numbers too long to be exact as doubles, and keys in another order.
    '{"type":"syscall","pid":7,"tid":7,"name":"read","nr":0,"args":["3"],"ret":1,"start_ns":1764000000000000200,"dur_ns":12345678901234567}',
    '{"pid":7,"type":"syscall","tid":7,"name":"read","nr":0,"args":["3"],"ret":1,"start_ns":1764000000000000300,"dur_ns":5}',
    '',
    call('"name":"read","nr":0,"args":["3"],"ret":0', ',"source":{"file":"/s/m.c","line":9,"column":1,"function":"main"},"stack":[{"file":"/s/m.c","line":9,"column":1,"function":"main"}]'),
    '{"type":"end","exit_status":0,"syscalls":9,"end_ns":1764000000000001000}',
  ];
  const text = lines.join('\n') + '\n';
  // Cut mid-line, so lines run across members.
  const cuts = [0, 200, 201, 555, 900, text.length];
  writeMembers(file, cuts.slice(1).map((c, k) => text.slice(cuts[k], c)).filter((c) => c.length));
  const r = assertSameBothWays(range(file));
  assert.equal(r.shard.seen, 9);
  assert.deepEqual(r.shard.names.slice(0, 3), ['openat', 'öpen', 'mmap']);
  assert.ok(r.shard.paths.includes('/a],"ret":b'), JSON.stringify(r.shard.paths));
  assert.ok(r.shard.paths.includes('/é'));
  assert.equal(r.shard.processEvents.length, 1);
  assert.ok(r.shard.end);
});

test('a member cut short, a corrupt member, a file that is not gzip: the same result or the same error', (t) => {
  const dir = tmp(t);
  const body = [HEADER, ...Array.from({ length: 50 }, (_, k) => call(`"name":"read","nr":0,"args":["${k}"],"ret":1`, SOURCE))].join('\n') + '\n';
  const members = [body.slice(0, 2000), body.slice(2000)].map((c) => zlib.gzipSync(c));
  // Cut inside the last member: what inflates of it is read, a half line dropped.
  const cut = path.join(dir, 'cut.jsonl.gz');
  fs.writeFileSync(cut, Buffer.concat([members[0], members[1].subarray(0, members[1].length - 300)]));
  const r = assertSameBothWays(range(cut));
  assert.ok(r.shard.count > 10 && r.shard.count < 50, `${r.shard.count} calls`);
  // A flipped byte in the middle of the second member.
  const bad = path.join(dir, 'bad.jsonl.gz');
  const flipped = Buffer.from(members[1]);
  flipped[Math.floor(flipped.length / 2)] ^= 0xff;
  fs.writeFileSync(bad, Buffer.concat([members[0], flipped]));
  assert.throws(() => assertSameBothWays(range(bad)));
  const text = path.join(dir, 'plain.jsonl');
  fs.writeFileSync(text, body);
  assert.throws(() => assertSameBothWays(range(text)), TraceFileError);
});
