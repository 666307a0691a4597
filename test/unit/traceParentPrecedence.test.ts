import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chooseTraceParent } from '../../extension/core/otel/traceParentPrecedence';

const TP = (n: number) => `00-${String(n).repeat(32).slice(0, 32)}-${'b'.repeat(16)}-01`;

test('launch configuration, then setting, then terminal, then editor environment, else new', () => {
  const all = { launch: { traceParent: TP(1), traceState: 'a=1' }, setting: { traceParent: TP(2) }, terminalEnv: { TRACEPARENT: TP(3) }, editorEnv: { TRACEPARENT: TP(4), TRACESTATE: 'e=4' } };
  assert.deepEqual(chooseTraceParent(all), { traceParent: TP(1), traceState: 'a=1', source: 'launch configuration' });
  assert.equal(chooseTraceParent({ ...all, launch: {} }).source, 'renacer.traceParent setting');
  assert.equal(chooseTraceParent({ ...all, launch: { traceParent: '  ' }, setting: { traceParent: '' } }).source, 'terminal environment');
  assert.deepEqual(chooseTraceParent({ editorEnv: all.editorEnv }), { traceParent: TP(4), traceState: 'e=4', source: 'editor environment' });
  assert.deepEqual(chooseTraceParent({}), { source: 'new trace' });
});
