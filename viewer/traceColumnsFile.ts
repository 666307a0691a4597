// The decoded trace's columns as bytes on disk and on the way to the
// webview, made small because the bytes' way to the webview is the slowest
// part of opening a large trace (VS Code Remote and code-server move them
// over a WebSocket the server deflates again, ~13 MB/s here):
//  - entry times as the gap since the end of the thread's previous call, and
//    durations, as 32-bit integers (ns); a value that does not fit (a gap
//    over 4.3 s, a negative or fractional one) is escaped to an exact list at
//    the end. Gaps are small and regular where absolute times are not: 8.5
//    of the 25 bytes per syscall instead of 16 of 33, and they compress
//    about a third better;
//  - each column's bytes regrouped by position ("shuffled": every value's
//    first byte, then every second byte…), which makes small ids and
//    slowly varying values compress far better;
//  - no threadOrder/threadStart (rebuilt from the thread column in a few ms).
// The viewer's cache cuts the bytes into parts and gzips each on its own
// (in parallel); the webview inflates them natively (DecompressionStream)
// and joins them. Pure TypeScript without Node modules: the webview decodes it.
import { allocateColumns, groupByThread, type TraceColumns } from './traceColumns';

const MAGIC = 0x34434e52; // 'RNC4'
const HEADER_BYTES = 20;
/** A 32-bit time that did not fit: the exact value is in the escape list. */
const ESCAPED = 0xffffffff;
/** Bytes per syscall in the planes: gap, dur, thread, site, path (4 each), name, errno (2 each), flags (1). */
const BYTES_PER_SYSCALL = 4 * 5 + 2 * 2 + 1;

/** The bytes of a columns file for `c`. */
export function encodeColumnsFile(c: TraceColumns): Uint8Array {
  const n = c.count;
  const startEscapes: number[] = [];
  const durEscapes: number[] = [];
  const lastEnd = new Float64Array(threadCount(c));
  // Sized for no escapes; grown at the end when there are some.
  let out = new Uint8Array(HEADER_BYTES + n * BYTES_PER_SYSCALL);
  const gapAt = HEADER_BYTES;
  const durAt = gapAt + 4 * n;
  for (let i = 0; i < n; i++) {
    const t = c.thread[i];
    const s = c.start[i];
    const d = c.dur[i];
    let g = s - lastEnd[t];
    // The decoder adds the gap back to the same end: escaped unless that gives `s` exactly.
    if (!(g >= 0 && g < ESCAPED && Number.isInteger(g) && lastEnd[t] + g === s)) {
      g = ESCAPED;
      startEscapes.push(s);
    }
    let e = d;
    if (!(d >= 0 && d < ESCAPED && Number.isInteger(d))) {
      e = ESCAPED;
      durEscapes.push(d);
    }
    lastEnd[t] = s + d;
    // Byte planes straight away (a Uint8Array element keeps the low 8 bits).
    out[gapAt + i] = g;
    out[gapAt + n + i] = g >>> 8;
    out[gapAt + 2 * n + i] = g >>> 16;
    out[gapAt + 3 * n + i] = g >>> 24;
    out[durAt + i] = e;
    out[durAt + n + i] = e >>> 8;
    out[durAt + 2 * n + i] = e >>> 16;
    out[durAt + 3 * n + i] = e >>> 24;
  }
  if (startEscapes.length + durEscapes.length) {
    const grown = new Uint8Array(out.length + 8 * (startEscapes.length + durEscapes.length));
    grown.set(out);
    out = grown;
  }
  const header = new DataView(out.buffer);
  header.setUint32(0, MAGIC, true);
  header.setUint32(4, n, true);
  header.setUint32(8, lastEnd.length, true);
  header.setUint32(12, startEscapes.length, true);
  header.setUint32(16, durEscapes.length, true);
  let at = durAt + 4 * n;
  at = shuffle32(c.thread, n, out, at);
  at = shuffle32(c.site, n, out, at);
  at = shuffle32(c.path, n, out, at);
  at = shuffle16(c.name, n, out, at);
  at = shuffle16(c.errno, n, out, at);
  out.set(c.flags.subarray(0, n), at);
  at += n;
  const escapes = new DataView(out.buffer, at);
  [...startEscapes, ...durEscapes].forEach((v, k) => escapes.setFloat64(8 * k, v, true));
  return out;
}

/**
 * The columns from a columns file's bytes, given whole or as the parts it
 * was cut into (in order), for `count` syscalls of `threads` threads.
 */
export function decodeColumnsFile(data: Uint8Array | Uint8Array[], count: number, threads: number): TraceColumns {
  const bytes = Array.isArray(data) ? joined(data) : data;
  const header = bytes.byteLength >= HEADER_BYTES ? new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES) : undefined;
  if (!header || header.getUint32(0, true) !== MAGIC) throw new Error(`not a columns file (${bytes.byteLength} bytes)`);
  const n = header.getUint32(4, true);
  const startEscapes = header.getUint32(12, true);
  const durEscapes = header.getUint32(16, true);
  if (n !== count || header.getUint32(8, true) !== threads) throw new Error(`the columns file holds ${n} syscalls of ${header.getUint32(8, true)} threads, not ${count} of ${threads}`);
  if (bytes.byteLength !== HEADER_BYTES + n * BYTES_PER_SYSCALL + 8 * (startEscapes + durEscapes)) {
    throw new Error(`a columns file of ${bytes.byteLength} bytes does not hold ${count} syscalls`);
  }
  const c = allocateColumns(n, threads);
  const b = bytes;
  let at = HEADER_BYTES;
  const gapAt = at;
  const durAt = (at += 4 * n);
  at += 4 * n;
  at = unshuffle32(b, at, n, c.thread);
  at = unshuffle32(b, at, n, c.site);
  at = unshuffle32(b, at, n, c.path);
  at = unshuffle16(b, at, n, c.name);
  at = unshuffle16(b, at, n, c.errno);
  c.flags.set(b.subarray(at, at + n));
  at += n;
  const escapes = new DataView(b.buffer, b.byteOffset + at, 8 * (startEscapes + durEscapes));
  let nextStart = 0;
  let nextDur = 8 * startEscapes;
  const lastEnd = new Float64Array(threads);
  const { start, dur, thread } = c;
  for (let i = 0; i < n; i++) {
    const g = (b[gapAt + i] | (b[gapAt + n + i] << 8) | (b[gapAt + 2 * n + i] << 16) | (b[gapAt + 3 * n + i] << 24)) >>> 0;
    const d = (b[durAt + i] | (b[durAt + n + i] << 8) | (b[durAt + 2 * n + i] << 16) | (b[durAt + 3 * n + i] << 24)) >>> 0;
    const t = thread[i];
    if (t >= threads) throw new Error(`syscall ${i} names thread ${t} of ${threads}`);
    let s: number;
    if (g === ESCAPED) {
      s = escapes.getFloat64(nextStart, true);
      nextStart += 8;
    } else s = lastEnd[t] + g;
    let e: number;
    if (d === ESCAPED) {
      e = escapes.getFloat64(nextDur, true);
      nextDur += 8;
    } else e = d;
    start[i] = s;
    dur[i] = e;
    lastEnd[t] = s + e;
  }
  if (nextStart !== 8 * startEscapes || nextDur !== 8 * (startEscapes + durEscapes)) throw new Error('the columns file does not hold the times it counts');
  groupByThread(c, threads);
  return c;
}

/** Cuts `bytes` into `parts` consecutive pieces (views, not copies) of about the same size. */
export function splitColumnsFile(bytes: Uint8Array, parts: number): Uint8Array[] {
  return Array.from({ length: parts }, (_, k) => bytes.subarray(Math.floor((bytes.length * k) / parts), Math.floor((bytes.length * (k + 1)) / parts)));
}

function threadCount(c: TraceColumns): number {
  return c.threadStart.length - 1;
}

function joined(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Writes `a`'s first `n` values into `out` at `at` as byte planes; returns where they end. */
function shuffle32(a: Uint32Array, n: number, out: Uint8Array, at: number): number {
  const p1 = at + n;
  const p2 = at + 2 * n;
  const p3 = at + 3 * n;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    out[at + i] = v;
    out[p1 + i] = v >>> 8;
    out[p2 + i] = v >>> 16;
    out[p3 + i] = v >>> 24;
  }
  return at + 4 * n;
}

function shuffle16(a: Uint16Array, n: number, out: Uint8Array, at: number): number {
  const p1 = at + n;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    out[at + i] = v;
    out[p1 + i] = v >>> 8;
  }
  return at + 2 * n;
}

function unshuffle32(b: Uint8Array, at: number, n: number, out: Uint32Array): number {
  const p1 = at + n;
  const p2 = at + 2 * n;
  const p3 = at + 3 * n;
  for (let i = 0; i < n; i++) out[i] = b[at + i] | (b[p1 + i] << 8) | (b[p2 + i] << 16) | (b[p3 + i] << 24);
  return at + 4 * n;
}

function unshuffle16(b: Uint8Array, at: number, n: number, out: Uint16Array): number {
  const p1 = at + n;
  for (let i = 0; i < n; i++) out[i] = b[at + i] | (b[p1 + i] << 8);
  return at + 2 * n;
}
