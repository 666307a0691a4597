// When the consumer is slow, the tracee waits: nothing is dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { TraceEvent, TraceSink } from '../../extension/core/session/events';
import { TraceSession } from '../../extension/core/session/traceSession';
import { compileFixture } from '../support/fixtures';

test('a slow async sink holds the tracer back and loses no event', async () => {
  const prog = compileFixture('getppid_loop.c');
  const N = 60_000;
  const DELAY_MS = 50;
  let seen = 0;
  let batches = 0;
  let spawnNs = 0;
  let exitNs = 0;
  let maxInFlight = 0;
  let inFlight = 0;
  const slow: TraceSink = {
    async onEvents(events: TraceEvent[]) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      batches++;
      seen += events.filter((e) => e.type === 'syscall' && e.name === 'getppid').length;
      for (const e of events) {
        if (e.type === 'process' && e.kind === 'spawn') spawnNs = e.timeNs;
        if (e.type === 'process' && e.kind === 'exit') exitNs = e.timeNs;
      }
      await new Promise((r) => setTimeout(r, DELAY_MS));
      inFlight--;
    },
  };
  const session = new TraceSession(
    { launch: { path: prog, argv: [prog, String(N)], env: process.env, cwd: process.cwd() } },
    [slow],
  );
  await session.start();
  const result = await session.finished();
  assert.equal(result.exitStatus, 0);
  assert.equal(seen, N, 'every call reached the sink');
  assert.equal(maxInFlight, 1, 'the session hands the sink one batch at a time');
  // The native side buffers at most ~8 batches (4 in flight + 4096 pending
  // events); past that the tracee itself had to wait for the sink, so its
  // own lifetime spans the sink's delays for the remaining batches.
  const heldMs = (exitNs - spawnNs) / 1e6;
  assert.ok(batches > 12, `${batches} batches`);
  assert.ok(heldMs >= (batches - 9) * DELAY_MS, `tracee lived ${heldMs.toFixed(0)} ms over ${batches} batches`);
});
