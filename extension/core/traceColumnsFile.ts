// The decoded trace's columns as bytes on disk and on the way to the
// webview: each column's bytes regrouped by position ("shuffled": every
// value's first byte, then every value's second byte…), which makes the
// slowly varying times and small ids compress about a third better, and no
// threadOrder/threadStart (rebuilt from the thread column in a few ms).
// The viewer's cache gzips these bytes; the webview inflates them natively.
// Pure TypeScript without Node modules: the webview decodes it.
import { allocateColumns, COLUMN_KEYS, groupByThread, type ColumnKey, type TraceColumns } from './traceColumns';

/** The columns stored, in order: the per-thread grouping is derived. */
const STORED = COLUMN_KEYS.filter((k): k is Exclude<ColumnKey, 'threadOrder' | 'threadStart'> => k !== 'threadOrder' && k !== 'threadStart');

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The file's bytes for `c`. */
export function encodeColumnsFile(c: TraceColumns): Uint8Array {
  let size = 0;
  for (const k of STORED) size += c[k].byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const k of STORED) {
    const src = bytesOf(c[k]);
    const width = c[k].BYTES_PER_ELEMENT;
    const n = c.count;
    for (let b = 0; b < width; b++) {
      for (let i = 0, j = b; i < n; i++, j += width) out[at + i] = src[j];
      at += n;
    }
  }
  return out;
}

/** The columns from a file's bytes (as encodeColumnsFile wrote them for `count` syscalls of `threads` threads). */
export function decodeColumnsFile(bytes: Uint8Array, count: number, threads: number): TraceColumns {
  const c = allocateColumns(count, threads);
  let expected = 0;
  for (const k of STORED) expected += c[k].byteLength;
  if (bytes.byteLength !== expected) throw new Error(`a columns file of ${bytes.byteLength} bytes does not hold ${count} syscalls`);
  let at = 0;
  for (const k of STORED) {
    const dst = bytesOf(c[k]);
    const width = c[k].BYTES_PER_ELEMENT;
    for (let b = 0; b < width; b++) {
      for (let i = 0, j = b; i < count; i++, j += width) dst[j] = bytes[at + i];
      at += count;
    }
  }
  groupByThread(c, threads);
  return c;
}
