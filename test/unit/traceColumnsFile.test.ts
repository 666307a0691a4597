// The columns file (traceColumnsFile.ts): whatever the times are, they come
// back exactly — gaps and durations that fit 32 bits, and the ones that do
// not (over 4.3 s, negative, fractional, out of order), which are escaped —
// whole or cut into parts; and bytes that are not a columns file for this
// trace are refused, not misread.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { allocateColumns, COLUMN_KEYS, groupByThread } from '../../viewer/traceColumns';
import { decodeColumnsFile, encodeColumnsFile, splitColumnsFile } from '../../viewer/traceColumnsFile';

function columns(times: Array<[thread: number, start: number, dur: number]>, threads: number) {
  const c = allocateColumns(times.length, threads);
  times.forEach(([t, s, d], i) => {
    c.thread[i] = t;
    c.start[i] = s;
    c.dur[i] = d;
    c.name[i] = (i * 7) % 300;
    c.errno[i] = i % 3;
    c.site[i] = i * 100_003;
    c.path[i] = 0xffffffff - i;
    c.flags[i] = i % 2;
  });
  groupByThread(c, threads);
  return c;
}

function assertSame(a: ReturnType<typeof columns>, b: ReturnType<typeof columns>) {
  for (const k of COLUMN_KEYS) assert.deepEqual(b[k], a[k], k);
}

test('times that fit and times that do not come back exactly', () => {
  const c = columns(
    [
      [0, 0, 5],
      [1, 10, 2 ** 32 + 7], // a call longer than 4.3 s
      [0, 100, 1.5], // a fractional duration
      [0, 101.5 + 2 ** 33, 3], // a gap longer than 4.3 s
      [1, 20, 1], // before the thread's previous end (a negative gap)
      [2, 2 ** 52, 0], // far from the origin
      [0, 2 ** 33 + 200.25, 4], // a fractional entry time
      [2, 2 ** 52 + 1, -1], // a negative duration (not produced, but exact all the same)
      [1, 4e9, 4294967294], // just below the escape value
      [1, 4e9 + 4294967294 + 4294967294, 4294967295], // the escape value itself as a gap and as a duration
    ],
    3,
  );
  assertSame(c, decodeColumnsFile(encodeColumnsFile(c), c.count, 3));
});

test('a large regular trace round-trips, whole and in parts, in 25 bytes a call', () => {
  const n = 50_000;
  const times: Array<[number, number, number]> = [];
  const end = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const t = i % 4;
    const s = end[t] + 100 + ((i * 7919) % 5000);
    const d = 200 + ((i * 104729) % 90_000);
    times.push([t, s, d]);
    end[t] = s + d;
  }
  const c = columns(times, 4);
  const bytes = encodeColumnsFile(c);
  assert.equal(bytes.length, 20 + 25 * n, 'no escapes, no padding');
  assertSame(c, decodeColumnsFile(bytes, n, 4));
  for (const parts of [1, 3, 4, 7]) assertSame(c, decodeColumnsFile(splitColumnsFile(bytes, parts), n, 4));
});

test("bytes that are not this trace's columns are refused", () => {
  const c = columns([[0, 1, 2], [0, 5, 1]], 1);
  const bytes = encodeColumnsFile(c);
  assert.throws(() => decodeColumnsFile(new Uint8Array(100), 2, 1), /not a columns file/);
  assert.throws(() => decodeColumnsFile(bytes, 3, 1), /holds 2 syscalls of 1 threads, not 3 of 1/);
  assert.throws(() => decodeColumnsFile(bytes, 2, 2), /holds 2 syscalls of 1 threads/);
  assert.throws(() => decodeColumnsFile(bytes.subarray(0, bytes.length - 1), 2, 1), /does not hold 2 syscalls/);
  const wrongThread = bytes.slice();
  wrongThread[20 + 8 * 2] = 9; // thread column, first call
  assert.throws(() => decodeColumnsFile(wrongThread, 2, 1), /names thread 9 of 1/);
  const empty = columns([], 0);
  assertSame(empty, decodeColumnsFile(encodeColumnsFile(empty), 0, 0));
});
