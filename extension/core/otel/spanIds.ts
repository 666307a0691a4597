// Trace and span ids. A run's span ids are derived from one random seed and
// each span's ordinal, so `renacer export` rebuilds a trace file's spans with
// the very ids they had (or would have had) when exported live.
import { randomBytes } from 'node:crypto';

const HEX64 = /^[0-9a-f]{16}$/;

/** A random 128-bit trace id, never all zeros (W3C: all-zero is invalid). */
export function randomTraceId(): string {
  for (;;) {
    const id = randomBytes(16).toString('hex');
    if (!/^0+$/.test(id)) return id;
  }
}

/** A random 64-bit span id (or seed), never all zeros. */
export function randomSpanId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (!/^0+$/.test(id)) return id;
  }
}

/** What a span id is derived for; each kind numbers its spans from 0. */
export const enum SpanIdKind {
  Process = 1,
  Syscall = 2,
  Aggregate = 3,
}

function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return BYTE_HEX[n >>> 24] + BYTE_HEX[(n >>> 16) & 0xff] + BYTE_HEX[(n >>> 8) & 0xff] + BYTE_HEX[n & 0xff];
}

/**
 * Span ids as a keyed permutation of (kind, ordinal): a 4-round Feistel
 * network over 64 bits, keyed by the seed. A permutation never maps two
 * inputs to one output, so ids within a run are unique by construction.
 */
export class SpanIdGenerator {
  private readonly keys: number[];

  constructor(readonly seed: string) {
    if (!HEX64.test(seed)) throw new Error(`span id seed must be 16 lowercase hex digits, got '${seed}'`);
    const hi = parseInt(seed.slice(0, 8), 16);
    const lo = parseInt(seed.slice(8), 16);
    this.keys = [mix32(hi ^ 0x243f6a88), mix32(lo ^ 0x85a308d3), mix32(hi ^ lo ^ 0x13198a2e), mix32(hi + lo + 0x03707344)];
  }

  /** The id of the `ordinal`-th span of `kind` (ordinal < 2^48). */
  id(kind: SpanIdKind, ordinal: number): string {
    let left = ((kind << 16) | Math.floor(ordinal / 0x100000000)) >>> 0;
    let right = ordinal >>> 0;
    for (const k of this.keys) {
      const next = (left ^ mix32((right ^ k) >>> 0)) >>> 0;
      left = right;
      right = next;
    }
    // An all-zero id is invalid; 2^-64 odds, but an id must never be invalid.
    if (left === 0 && right === 0) right = 1;
    return hex8(left) + hex8(right);
  }
}
