// Worker thread (dist/traceDecodeWorker.js) that decodes a trace file into
// the viewer's columns: a million syscalls take ~0.3 s of CPU, which must
// not stall the extension host's event loop. It cuts a large file into
// ranges and starts more of itself (mode 'range') to decode them in
// parallel, then writes the result to the viewer's cache
// (viewer/traceColumnsCache.ts) and hands the host the tables and the
// columns' gzip'd parts (a fifth of their size) to send to the webview:
// never the tens of MB of columns.
import * as os from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';

import { writeCache, type CachedTrace } from '../../viewer/traceColumnsCache';
import { decodeRange, decodeTraceFile, type RangeRequest, type RangeResult } from '../../viewer/traceColumnsDecoder';
import { TraceFileError } from '../core/traceFile/traceFile';
import { shardBuffers } from '../../viewer/traceShard';

export interface DecodeRequest {
  file: string;
  limit: number;
  /** The viewer's cache directory, and the entry to write there (traceColumnsCache.ts). */
  cacheDir: string;
  cacheKey: string;
}

type WorkerInput = ({ mode: 'trace' } & DecodeRequest) | ({ mode: 'range' } & RangeRequest);

export type DecodeReply =
  | { type: 'progress'; bytes: number; totalBytes: number }
  /** `steps`: when the worker reached each phase (ms since the epoch), for the open's waterfall. */
  | { type: 'done'; trace: CachedTrace; parts: Uint8Array[]; steps: Array<[string, number]> }
  | { type: 'error'; message: string; expected: boolean };

type RangeReply = { type: 'bytes'; done: number } | { type: 'range'; result: RangeResult } | { type: 'error'; message: string; expected: boolean };

/** At most this many ranges: past that, memory bandwidth and the stitching (one thread) dominate. */
const MAX_PARALLELISM = 4;

function decodeElsewhere(request: RangeRequest, onBytes: (done: number) => void): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { mode: 'range', ...request } satisfies WorkerInput });
    worker.on('message', (m: RangeReply) => {
      if (m.type === 'bytes') onBytes(m.done);
      else if (m.type === 'range') resolve(m.result);
      else reject(m.expected ? new TraceFileError(m.message) : new Error(m.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`a decoding thread exited (${code})`)));
  });
}

async function main(): Promise<void> {
  const port = parentPort!;
  const input = workerData as WorkerInput;
  const fail = (e: unknown) => port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), expected: e instanceof TraceFileError });
  if (input.mode === 'range') {
    try {
      let last = 0;
      const result = decodeRange(input, (done) => {
        const now = Date.now();
        if (now - last > 100) {
          last = now;
          port.postMessage({ type: 'bytes', done } satisfies RangeReply);
        }
      });
      port.postMessage({ type: 'range', result } satisfies RangeReply, shardBuffers(result.shard));
    } catch (e) {
      fail(e);
    }
    return;
  }
  const begin = performance.now();
  const steps: Array<[string, number]> = [['decoder started', performance.timeOrigin + begin]];
  const step = (name: string) => steps.push([name, performance.timeOrigin + performance.now()]);
  try {
    const result = await decodeTraceFile(input.file, {
      limit: input.limit,
      parallelism: Math.min(MAX_PARALLELISM, os.availableParallelism()),
      decodeElsewhere,
      onStep: step,
      onProgress: (bytes, totalBytes) => port.postMessage({ type: 'progress', bytes, totalBytes } satisfies DecodeReply),
    });
    step('columns built');
    const { parts, ...trace } = await writeCache(input.cacheDir, input.cacheKey, input.file, result, performance.now() - begin);
    step('columns stored');
    // Each part's own buffer, moved to the host's thread rather than copied.
    const owned = parts.map((p) => (p.byteOffset === 0 && p.byteLength === p.buffer.byteLength ? p : p.slice()));
    port.postMessage({ type: 'done', trace, parts: owned, steps } satisfies DecodeReply, owned.map((p) => p.buffer as ArrayBuffer));
  } catch (e) {
    fail(e);
  }
}

void main();
