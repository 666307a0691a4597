// The minimap from the keyboard (minimapView.ts): arrows move the window,
// Shift by a whole window, +/−/↑/↓ zoom about its middle, Home/End and 0 go
// to the ends and the whole trace, and the window never leaves the trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { minimapKey } from '../../webview/minimapView';
import { TimeViewport } from '../../webview/timeViewport';

function press(vp: TimeViewport, key: string, shift = false): [number, number] {
  const to = minimapKey(vp, key, shift);
  assert.ok(to, key);
  vp.set(to[0], to[1]);
  return [vp.t0, vp.t1];
}

test('keys move and zoom the window, inside the trace', () => {
  const vp = new TimeViewport(1000, 11_000);
  assert.deepEqual(press(vp, '+'), [3500, 8500], 'zoomed in ×2 about the middle');
  assert.deepEqual(press(vp, 'ArrowRight'), [4000, 9000], 'a tenth of the window later');
  assert.deepEqual(press(vp, 'ArrowLeft', true), [1000, 6000], 'a whole window earlier');
  assert.deepEqual(press(vp, 'ArrowLeft'), [1000, 6000], 'not before the start');
  assert.deepEqual(press(vp, 'End'), [6000, 11_000]);
  assert.deepEqual(press(vp, 'ArrowRight', true), [6000, 11_000], 'not past the end');
  assert.deepEqual(press(vp, 'ArrowUp'), [7250, 9750]);
  assert.deepEqual(press(vp, 'Home'), [1000, 3500]);
  assert.deepEqual(press(vp, '-'), [1000, 6000], 'zoomed out ×2, kept inside');
  assert.deepEqual(press(vp, 'ArrowDown'), [1000, 11_000]);
  press(vp, '=');
  assert.deepEqual(press(vp, '0'), [1000, 11_000], 'the whole trace');
  assert.equal(minimapKey(vp, 'a', false), undefined, 'other keys are left to the page');
  assert.equal(minimapKey(vp, 'Enter', false), undefined);
});
