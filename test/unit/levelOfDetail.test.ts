// Level of detail: a thread's calls bucketed into pixels through the chunk
// summaries give what visiting every call gives, at every zoom.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { buildThreadLod, bucketThread, callsInRange, firstCallEndingAfter, PixelBuckets, FANOUT, SPREAD_PX } from '../../webview/levelOfDetail';

/** Calls of one thread: in entry order, not overlapping, seeded. */
function calls(n: number, seed = 7) {
  let a = seed;
  const rand = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 4294967296);
  const start = new Float64Array(n);
  const dur = new Float64Array(n);
  const errno = new Uint16Array(n);
  let t = 1000;
  for (let i = 0; i < n; i++) {
    t += Math.floor(rand() * 3000);
    start[i] = t;
    // Mostly short calls, a few long ones, some that never returned (0 ns).
    dur[i] = rand() < 0.02 ? 200_000 + Math.floor(rand() * 1e6) : rand() < 0.01 ? 0 : 100 + Math.floor(rand() * 5000);
    errno[i] = rand() < 0.05 ? 1 : 0;
    t += dur[i];
  }
  return { start, dur, errno, order: Uint32Array.from({ length: n }, (_, i) => i) };
}

/** What each pixel should show, visiting every call. */
function bruteForce(c: ReturnType<typeof calls>, t0: number, nsPerPx: number, width: number) {
  const busy = new Float64Array(width);
  const errors = new Uint32Array(width);
  const pick = new Int32Array(width).fill(-1);
  const pickDur = new Float64Array(width).fill(-1);
  for (let i = 0; i < c.start.length; i++) {
    const s = c.start[i];
    const e = s + c.dur[i];
    for (let x = 0; x < width; x++) {
      const a = t0 + x * nsPerPx;
      const b = a + nsPerPx;
      const inside = c.dur[i] === 0 ? s >= a && s < b : s < b && e > a;
      if (!inside) continue;
      busy[x] += Math.max(0, Math.min(e, b) - Math.max(s, a));
      if (c.errno[i] && (s >= a || x === 0)) errors[x] += s < b ? 1 : 0;
      if (c.dur[i] > pickDur[x]) {
        pickDur[x] = c.dur[i];
        pick[x] = i;
      }
    }
  }
  return { busy, errors, pick };
}

test('chunk summaries: 8, 64, … calls each, with the longest call and the failures', () => {
  const c = calls(5000);
  const lod = buildThreadLod(c.order, c);
  assert.equal(lod.levels.length, 4);
  assert.deepEqual(lod.levels.map((l) => l.count), [1, 2, 3, 4].map((k) => Math.ceil(5000 / FANOUT ** k)));
  const l0 = lod.levels[0];
  for (const k of [0, 7, l0.count - 1]) {
    const from = k * FANOUT;
    const to = Math.min(5000, from + FANOUT);
    let busy = 0;
    let errors = 0;
    let longest = from;
    for (let i = from; i < to; i++) {
      busy += c.dur[i];
      errors += c.errno[i];
      if (c.dur[i] > c.dur[longest]) longest = i;
    }
    assert.equal(l0.busy[k], busy);
    assert.equal(l0.errors[k], errors);
    assert.equal(l0.pick[k], longest);
    assert.equal(l0.minStart[k], c.start[from]);
  }
});

test('zoomed in (no chunk fits in a few pixels) every call is bucketed exactly', () => {
  const c = calls(20_000);
  const lod = buildThreadLod(c.order, c);
  const out = new PixelBuckets();
  const width = 300;
  for (const [t0, t1] of [
    [c.start[5000], c.start[5100]], // a call per three pixels
    [c.start[7000] + 50, c.start[7010]], // a few calls across many pixels
  ]) {
    const nsPerPx = (t1 - t0) / width;
    bucketThread(lod, c, t0, nsPerPx, width, out);
    const want = bruteForce(c, t0, nsPerPx, width);
    for (let x = 0; x < width; x++) {
      assert.ok(Math.abs(out.busy[x] - want.busy[x]) <= 1e-6 * nsPerPx, `busy at ${x}: ${out.busy[x]} vs ${want.busy[x]}`);
      assert.equal(out.pick[x], want.pick[x], `call standing for pixel ${x} (window ${t0}..${t1})`);
    }
  }
});

test('zoomed out, chunks stand for their calls: the time adds up, nothing moves more than SPREAD_PX pixels', () => {
  const c = calls(20_000);
  const lod = buildThreadLod(c.order, c);
  const end = c.start[19_999] + c.dur[19_999];
  const out = new PixelBuckets();
  const width = 300;
  const nsPerPx = (end + 1000) / width; // ~70 calls per pixel
  bucketThread(lod, c, 0, nsPerPx, width, out);
  const want = bruteForce(c, 0, nsPerPx, width);
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(sum(out.busy.subarray(0, width)) - sum(want.busy)) < 1e-6 * sum(want.busy), 'all the time is there');
  assert.equal(sum(out.errors.subarray(0, width)), sum(want.errors), 'every failure counted once');
  assert.equal(sum(out.calls.subarray(0, width)), 20_000, 'every call counted once');
  // Up to each pixel, the time drawn lags or leads the exact time by at most SPREAD_PX pixels' worth.
  let got = 0;
  let exact = 0;
  for (let x = 0; x < width; x++) {
    got += out.busy[x];
    exact += want.busy[x];
    assert.ok(Math.abs(got - exact) <= SPREAD_PX * nsPerPx, `at pixel ${x}: ${got} vs ${exact}`);
    // The call standing for a pixel is within SPREAD_PX pixels of it.
    const i = out.pick[x];
    if (i >= 0) assert.ok(c.start[i] < (x + 1 + SPREAD_PX) * nsPerPx && c.start[i] + c.dur[i] > (x - SPREAD_PX) * nsPerPx, `pick of pixel ${x}`);
  }
});

test('the first call still running at a time, and how many calls a window holds', () => {
  const c = calls(100);
  const lod = buildThreadLod(c.order, c);
  const mid = c.start[40] + c.dur[40] / 2;
  assert.equal(firstCallEndingAfter(lod, c, mid), c.dur[40] > 0 ? 40 : 41);
  assert.equal(firstCallEndingAfter(lod, c, 0), 0);
  assert.equal(firstCallEndingAfter(lod, c, 1e15), 100);
  assert.equal(callsInRange(lod, c, c.start[10], c.start[20], 1000), 10);
  assert.equal(callsInRange(lod, c, 0, 1e15, 5), 6, 'stops counting past the limit');
});

test('a collapsed process row adds its threads pixel by pixel', () => {
  const a = new PixelBuckets(4);
  a.reset(4);
  a.add(1, 10, 2, 0, 5, 10);
  const b = new PixelBuckets(4);
  b.reset(4);
  b.add(1, 30, 3, 1, 9, 30);
  b.add(3, 5, 1, 0, 2, 5);
  a.merge(b);
  assert.deepEqual([...a.busy], [0, 40, 0, 5]);
  assert.deepEqual([...a.pick], [-1, 9, -1, 2]);
  assert.deepEqual([...a.errors], [0, 1, 0, 0]);
  assert.deepEqual([...a.calls], [0, 5, 0, 1]);
});
