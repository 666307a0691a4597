// The timeline's window: zoom about a point, pan, the bounds; the axis ticks
// and how times read.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { axisTicks, formatDuration, formatTick } from '../../webview/timeAxis';
import { MIN_SPAN_NS, TimeViewport } from '../../webview/timeViewport';

test('zooming keeps the time under the pointer where it is; the window stays in the trace', () => {
  const vp = new TimeViewport(1000, 1_001_000);
  const width = 1000;
  const at = vp.time(250, width);
  vp.zoomAt(at, 0.1);
  assert.ok(Math.abs(vp.x(at, width) - 250) < 1e-6);
  assert.ok(Math.abs(vp.span - 100_000) < 1e-6);
  vp.pan(-1e9);
  assert.equal(vp.t0, 1000, 'not before the start');
  vp.pan(1e9);
  assert.equal(vp.t1, 1_001_000, 'nor past the end');
  vp.zoomAt(vp.t0, 1e-9);
  assert.equal(vp.span, MIN_SPAN_NS);
  vp.zoomAt(vp.t0, 1e9);
  assert.deepEqual([vp.t0, vp.t1], [1000, 1_001_000]);
  vp.set(5000, 4000);
  assert.equal(vp.span, MIN_SPAN_NS, 'a reversed window is the narrowest one');
});

test('ticks at 1, 2, 5 × 10^k, at least the asked pixels apart', () => {
  const { step, ticks } = axisTicks(0, 10_000_000, 1000, 90);
  assert.equal(step, 1_000_000);
  assert.deepEqual(ticks.slice(0, 3), [0, 1_000_000, 2_000_000]);
  assert.equal(axisTicks(123, 456, 1000, 90).step, 50);
  assert.equal(axisTicks(0, 0, 1000).ticks.length, 0);
});

test('durations and tick labels read as a person writes them', () => {
  assert.equal(formatDuration(850), '850 ns');
  assert.equal(formatDuration(12_400), '12.4 µs');
  assert.equal(formatDuration(3_050_000), '3.05 ms');
  assert.equal(formatDuration(1_200_000_000), '1.200 s');
  assert.equal(formatTick(2_500_000, 500_000), '2.5 ms');
  assert.equal(formatTick(4_000_000, 2_000_000), '4 ms');
  assert.equal(formatTick(300, 100), '300 ns');
  assert.equal(formatTick(5_600_000, 100_000, 5_900_000), '5.6 ms', 'the unit the axis reaches');
  assert.equal(formatTick(0, 100_000, 5_900_000), '0.0 ms', 'one unit along the axis');
  assert.equal(formatTick(5_123_456_000, 1_000, 6e9), '5123.456 ms', 'at most three decimals');
});
