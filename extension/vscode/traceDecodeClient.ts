// Runs the trace viewer's decoding (viewer/traceColumnsDecoder.ts) on worker
// threads (traceDecodeWorker.ts) so the extension host stays responsive; the
// decoded trace lands in the viewer's cache, and this hands back its entry
// with the columns' gzip'd parts.
import { Worker } from 'node:worker_threads';

import type { CachedTrace } from '../../viewer/traceColumnsCache';
import type { DecodeReply, DecodeRequest } from './traceDecodeWorker';

export class TraceDecodeError extends Error {
  /** A problem with the file (not a trace file, unreadable) rather than a bug. */
  constructor(
    message: string,
    readonly expected: boolean,
  ) {
    super(message);
  }
}

/**
 * Decodes `file` on a new worker thread. `onProgress` gets bytes read;
 * aborting `signal` terminates the worker.
 */
export function decodeInWorker(
  workerScript: string,
  request: DecodeRequest,
  onProgress: (bytes: number, totalBytes: number) => void,
  signal?: AbortSignal,
  /** When the decoder reached each phase (ms since the epoch), once it is done. */
  onSteps?: (steps: Array<[string, number]>) => void,
): Promise<CachedTrace & { parts: Uint8Array[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript, { workerData: { mode: 'trace', ...request } });
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      f();
      void worker.terminate();
    };
    const abort = () => finish(() => reject(new TraceDecodeError('cancelled', true)));
    signal?.addEventListener('abort', abort);
    worker.on('message', (m: DecodeReply) => {
      if (m.type === 'progress') onProgress(m.bytes, m.totalBytes);
      else if (m.type === 'done') {
        onSteps?.(m.steps);
        finish(() => resolve({ ...m.trace, parts: m.parts }));
      }
      else finish(() => reject(new TraceDecodeError(m.message, m.expected)));
    });
    worker.on('error', (e) => finish(() => reject(new TraceDecodeError(e.message, false))));
    worker.on('exit', (code) => finish(() => reject(new TraceDecodeError(`the decoding worker exited (${code})`, false))));
  });
}
