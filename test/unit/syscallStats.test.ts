// The statistics table: per-syscall time, calls and errors — the same numbers
// as `renacer -c` (SyscallSummary) over the same trace — filtered and sorted.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { SyscallEvent } from '../../extension/core/session/events';
import { SyscallSummary } from '../../extension/core/format/syscallSummary';
import { readTraceFile } from '../../extension/core/traceFile/traceFile';
import { computeStats, sortStats, statsTotals } from '../../webview/syscallStats';
import { buildMask } from '../../webview/traceFilter';
import { syntheticModel } from '../support/viewerModel';

test('the table holds what renacer -c counts', async () => {
  const { model, file } = await syntheticModel({ syscalls: 4000 });
  const summary = new SyscallSummary();
  summary.onEvents(readTraceFile(file).events);
  const names = model.tables.names;
  const rows = sortStats(computeStats(model.columns, null, names.length), 'time', true, names);
  assert.deepEqual(
    rows.map((r) => ({ name: names[r.name], calls: r.calls, errors: r.errors, totalNs: r.totalNs })),
    summary.sorted().map((r) => ({ name: r.name, calls: r.calls, errors: r.errors, totalNs: r.totalNs })),
  );
  const openat = rows.find((r) => names[r.name] === 'openat')!;
  assert.deepEqual([...openat.errnos].map(([e, n]) => [model.tables.errnos[e], n]), [['ENOENT', openat.errors]]);
});

test('filtered by process and by file; sorted by any column, ties in strace order', async () => {
  const { model, file } = await syntheticModel({ syscalls: 4000, processes: 2 });
  const names = model.tables.names;
  const io = model.tables.files.findIndex((f) => f.endsWith('io.c'));
  const rows = computeStats(model.columns, buildMask(model, { text: '', process: 1, file: io }), names.length);
  const events = readTraceFile(file).events.filter((e): e is SyscallEvent => e.type === 'syscall' && e.pid === 1100 && !!e.source?.file.endsWith('io.c'));
  assert.deepEqual(new Set(rows.map((r) => names[r.name])), new Set(events.map((e) => e.name)));
  assert.equal(statsTotals(rows).calls, events.length);
  const all = computeStats(model.columns, null, names.length);
  const byCalls = sortStats(all, 'calls', true, names);
  for (let i = 1; i < byCalls.length; i++) assert.ok(byCalls[i - 1].calls >= byCalls[i].calls);
  const byName = sortStats(all, 'name', false, names).map((r) => names[r.name]);
  assert.deepEqual(byName, [...byName].sort());
  const byAvg = sortStats(all, 'avg', false, names);
  for (let i = 1; i < byAvg.length; i++) assert.ok(byAvg[i - 1].totalNs / byAvg[i - 1].calls <= byAvg[i].totalNs / byAvg[i].calls);
});
