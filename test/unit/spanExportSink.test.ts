// The export sink against a real (slow, then unreachable) OTLP receiver on
// 127.0.0.1: at most two requests in flight, onEvents waits when the
// collector is behind, nothing lost; an unreachable collector costs one
// warning and never holds the session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';

import type { SessionInfo, TraceEvent } from '../../extension/core/session/events';
import { createBatchExporter, probeCollector } from '../../extension/core/otel/otlpExporter';
import { resolveOtlpTarget } from '../../extension/core/otel/otlpTarget';
import { SpanExportSink, type SpanExportOptions } from '../../extension/core/otel/spanExportSink';
import { newRunTraceContext } from '../../extension/core/otel/traceContext';
import { startReceiver } from '../support/otlpReceiver';

const info: SessionInfo = { program: '/bin/true', argv: ['true'], pid: 42, attached: false, originWallNs: BigInt(Date.now()) * 1_000_000n, cwd: '/' };
const resource = { service_name: 'svc', host_name: 'h', resource_attributes: {} };
const sdk = { name: 'renacer', version: 'test' };

/** A sink exporting to `endpoint` in requests of 500 spans. */
function sinkTo(endpoint: string, options: Pick<SpanExportOptions, 'warn' | 'failureHint'>): SpanExportSink {
  const target = resolveOtlpTarget({ endpoint }, {})!;
  return new SpanExportSink({
    context: newRunTraceContext(),
    resource,
    sdk,
    budgetBytes: null,
    exporter: createBatchExporter(target),
    reachable: probeCollector(target),
    batchSpans: 500,
    ...options,
  });
}

function batch(from: number, n: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = from; i < from + n; i++) out.push({ type: 'syscall', pid: 42, tid: 42, nr: 110, name: 'getppid', args: [], ret: 1, startNs: i * 100, endNs: i * 100 + 50 });
  return out;
}

test('backpressure: at most two requests in flight, onEvents waits, every span arrives', async () => {
  const receiver = await startReceiver({ delayMs: 150, keep: 'structure' });
  try {
    const sink = sinkTo(receiver.httpUrl, { warn: (m) => assert.fail(m) });
    sink.onStart(info);
    let waited = 0;
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) {
      const r = sink.onEvents(batch(i * 1000, 1000));
      if (r) {
        waited++;
        await r;
      }
    }
    const report = await sink.end({ endNs: 2_000_000, exitStatus: 0 });
    assert.ok(waited >= 5, `onEvents returned a promise ${waited} times`);
    assert.equal(receiver.maxConcurrent, 2);
    // 20 full requests + the last one, two at a time, 150 ms each.
    assert.ok(Date.now() - t0 >= 1400);
    assert.equal(report.delivered, 10_000 + 2);
    assert.equal(receiver.spanCount, 10_002);
    assert.equal(report.failure, undefined);
  } finally {
    await receiver.stop();
  }
});

test('unreachable collector: one warning, the session is never held', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const warnings: string[] = [];
  const sink = sinkTo(`http://127.0.0.1:${port}`, { warn: (m) => warnings.push(m), failureHint: () => 'send it later' });
  sink.onStart(info);
  const t0 = Date.now();
  for (let i = 0; i < 10; i++) await sink.onEvents(batch(i * 1000, 1000));
  const report = await sink.end({ endNs: 2_000_000, exitStatus: 0 });
  assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /warning: OTLP export to http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(http\/protobuf\) failed: connection refused by 127\.0\.0\.1:\d+\. send it later/);
  assert.equal(report.delivered, 0);
  assert.match(report.failure!, /connection refused/);
});
