// Feeds trace-file lines (README "Trace files") into a SyscallRecordSink
// (the viewer's TraceShard, the diff's SiteTally).
//
// A million syscall lines through JSON.parse take about a second here, and
// most of what they hold (the rendered arguments, the same source object on
// every call from one line) the columns do not need. Syscall lines exactly
// as jsonFormat.ts writes them take a fast path over the inflated bytes (no
// string per line): the fields are read in place, the arguments are parsed
// only for calls that name a path, and the bytes after `dur_ns` (source,
// original, stack) are matched against the ones already seen, so each call
// path is parsed once. Any line that does not have that exact shape (another
// writer, a field added later) goes through JSON.parse: the fast path decides
// nothing the slow one would decide differently.
import type { SyscallEvent } from '../session/events';
import { syscallPath, PATH_SYSCALLS } from '../format/syscallPathArgument';
import { parseTraceFileLine, type TraceFileEnd } from './traceFile';
import { SYSCALL_UNFINISHED, type SiteSource, type SyscallRecordSink } from './syscallRecordSink';

/** A literal to match in place: compared four bytes at a time, then byte by byte. */
class Literal {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  readonly length: number;

  constructor(text: string) {
    this.bytes = new Uint8Array(Buffer.from(text, 'latin1'));
    this.length = this.bytes.length;
    this.words = new Int32Array(this.length >> 2);
    const view = new DataView(this.bytes.buffer);
    for (let k = 0; k < this.words.length; k++) this.words[k] = view.getInt32(k * 4, true);
  }
}

const SYSCALL_PREFIX = new Literal('{"type":"syscall","pid":');
const TID = new Literal(',"tid":');
const NAME = new Literal(',"name":"');
const NR = new Literal(',"nr":');
const ARGS = new Literal(',"args":[');
const RET = new Literal('],"ret":');
const NULL = new Literal('null');
const ERRNO = new Literal(',"errno":"');
const RET_TEXT = new Literal(',"ret_text":"');
const START_NS = new Literal(',"start_ns":');
const DUR_NS = new Literal(',"dur_ns":');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const COMMA = 0x2c;

/**
 * Short searches and comparisons are plain loops over a Uint8Array (and a
 * DataView for four bytes at a time): a Buffer method call costs about 100 ns
 * of binding overhead, more than scanning a syscall name, and reading a
 * Buffer's elements is slower than reading a plain Uint8Array's.
 */
function indexOfByte(buf: Uint8Array, byte: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === byte) return i;
  return -1;
}

/** No escapes, controls or multi-byte characters: the bytes are the string JSON would read. */
function plainAscii(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] >= 0x80 || buf[i] === BACKSLASH || buf[i] < 0x20) return false;
  return true;
}

function equalBytes(buf: Uint8Array, i: number, lit: Uint8Array, len: number): boolean {
  if (lit.length !== len) return false;
  for (let k = 0; k < len; k++) if (buf[i + k] !== lit[k]) return false;
  return true;
}

function matchAt(buf: Uint8Array, view: DataView, i: number, lit: Literal): boolean {
  const n = lit.length;
  if (i + n > buf.length) return false;
  const words = lit.words;
  let k = 0;
  for (; k < words.length; k++) if (view.getInt32(i + 4 * k, true) !== words[k]) return false;
  for (k *= 4; k < n; k++) if (buf[i + k] !== lit.bytes[k]) return false;
  return true;
}

/** Whether a line is a syscall event (the same answer the decoder acts on). */
export function isSyscallLine(line: string): boolean {
  if (line.startsWith('{"type":"syscall","pid":')) return true;
  if (!line.startsWith('{') || !line.includes('syscall')) return false;
  try {
    return (JSON.parse(line) as { type?: unknown }).type === 'syscall';
  } catch {
    return false;
  }
}

interface KnownBytes {
  bytes: Uint8Array;
  id: number;
}

/**
 * Site texts remembered, in all and per hash bucket: beyond these (a field
 * added later that differs on every line) texts are parsed each time
 * instead of being kept.
 */
const MAX_SITE_TEXTS = 200_000;
const MAX_BUCKET = 64;

export class TraceLineDecoder {
  /** The end record, once seen. */
  end?: TraceFileEnd;
  private readonly originHi: number;
  private readonly originLo: number;
  /** nameId by syscall number, checked against the name bytes in the line. */
  private readonly nameByNr: Array<{ bytes: Uint8Array; name: string; id: number; path: boolean } | undefined> = [];
  private readonly errnoIds: KnownBytes[] = [];
  /** Site texts seen, by a cheap hash of the bytes in place (nothing is copied to look one up). */
  private readonly sitesByHash = new Map<number, KnownBytes[]>();
  private lastSite: KnownBytes | undefined;
  private siteTexts = 0;
  /** Where the last number scanned ended. */
  private pos = 0;
  /** The buffer being decoded, and a plain byte view of it (element reads on a Buffer are slower). */
  private buf?: Buffer;
  private u8: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(new ArrayBuffer(0));

  constructor(
    private readonly shard: SyscallRecordSink,
    private readonly origin: bigint,
  ) {
    this.originHi = Number(origin / 1_000_000_000n);
    this.originLo = Number(origin % 1_000_000_000n);
  }

  /**
   * The line buf[begin, end) (after the session header; UTF-8, no newline).
   * Throws SyntaxError for a line that is not JSON.
   */
  line(buf: Buffer, begin = 0, end = buf.length): void {
    if (begin === end) return;
    if (buf !== this.buf) {
      this.buf = buf;
      this.u8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    }
    const syscall = matchAt(this.u8, this.view, begin, SYSCALL_PREFIX);
    if (syscall && this.shard.full) {
      // Past the limit a call is only counted: no need to read it.
      this.shard.countSyscall();
      return;
    }
    if (syscall && this.fast(buf, begin, end)) return;
    this.slow(buf.toString('utf8', begin, end));
  }

  private slow(line: string): void {
    const item = parseTraceFileLine(line, this.origin);
    if (item === null) return;
    if (item.type === 'end') {
      this.end = item;
    } else if (item.type === 'process') {
      this.shard.addProcessEvent(item);
    } else if (this.shard.full) {
      this.shard.countSyscall();
    } else {
      const ev: SyscallEvent = item;
      const b = this.shard;
      let stack: SyscallEvent['stack'];
      if (line.includes('"stack"')) {
        const s = (JSON.parse(line) as { stack?: SyscallEvent['stack'] }).stack;
        if (Array.isArray(s)) stack = s;
      }
      const site = b.siteId({ source: ev.source, original: ev.original, stack });
      const flags = ev.ret === null ? SYSCALL_UNFINISHED : 0;
      b.addSyscall(ev.pid, ev.tid, b.nameId(ev.name), b.errnoId(ev.errno), ev.startNs, ev.endNs - ev.startNs, site, b.pathId(syscallPath(ev.name, ev.args)), flags, ev.ret ?? NaN);
    }
  }

  /** Reads a line shaped as jsonFormat.ts writes it; false (nothing added) for any other shape. */
  private fast(s: Buffer, begin: number, end: number): boolean {
    const u = this.u8;
    const v = this.view;
    const pid = this.uint(u, begin + SYSCALL_PREFIX.length, end);
    if (pid < 0 || !matchAt(u, v, this.pos, TID)) return false;
    const tid = this.uint(u, this.pos + TID.length, end);
    if (tid < 0 || !matchAt(u, v, this.pos, NAME)) return false;
    const nameStart = this.pos + NAME.length;
    const nameEnd = indexOfByte(u, QUOTE, nameStart, end);
    if (nameEnd < 0 || !matchAt(u, v, nameEnd + 1, NR) || !plainAscii(u, nameStart, nameEnd)) return false;
    const nr = this.uint(u, nameEnd + 1 + NR.length, end);
    if (nr < 0 || !matchAt(u, v, this.pos, ARGS)) return false;
    const argsOpen = this.pos + ARGS.length - 1; // the '['
    // A `"` inside a JSON string is always escaped, so `],"ret":` cannot occur inside an argument.
    let argsClose = indexOfByte(u, RET.bytes[0], argsOpen + 1, end);
    while (argsClose >= 0 && !matchAt(u, v, argsClose, RET)) argsClose = indexOfByte(u, RET.bytes[0], argsClose + 1, end);
    if (argsClose < 0) return false;
    let i = argsClose + RET.length;
    let unfinished = false;
    let ret = NaN;
    if (matchAt(u, v, i, NULL)) {
      unfinished = true;
      i += NULL.length;
    } else {
      const negative = u[i] === MINUS;
      if (negative) i++;
      ret = this.uint(u, i, end);
      if (ret < 0) return false;
      if (negative) ret = -ret;
      i = this.pos;
    }
    let errnoId = 0;
    if (matchAt(u, v, i, ERRNO)) {
      const q = indexOfByte(u, QUOTE, i + ERRNO.length, end);
      if (q < 0 || !plainAscii(u, i + ERRNO.length, q)) return false;
      errnoId = this.errnoAt(s, i + ERRNO.length, q);
      i = q + 1;
    }
    if (matchAt(u, v, i, RET_TEXT)) {
      i = skipString(s, i + RET_TEXT.length, end);
      if (i < 0) return false;
    }
    if (!matchAt(u, v, i, START_NS)) return false;
    const startNs = this.relativeNs(u, i + START_NS.length, end);
    if (startNs === undefined || !matchAt(u, v, this.pos, DUR_NS)) return false;
    const dur = this.uint(u, this.pos + DUR_NS.length, end);
    if (dur < 0) return false;
    i = this.pos;
    // What follows is `}`, or `,"source":{…}` and friends then `}`.
    const noSite = i === end - 1;
    if (u[end - 1] !== CLOSE_BRACE || !(noSite || (u[i] === COMMA && u[i + 1] === QUOTE))) return false;

    const b = this.shard;
    let known = this.nameByNr[nr];
    const nameLen = nameEnd - nameStart;
    if (!known || !equalBytes(u, nameStart, known.bytes, nameLen)) {
      const name = s.toString('latin1', nameStart, nameEnd);
      known = { bytes: new Uint8Array(Buffer.from(name, 'latin1')), name, id: b.nameId(name), path: PATH_SYSCALLS.has(name) };
      this.nameByNr[nr] = known;
    }
    let pathId = 0;
    if (known.path) pathId = b.pathId(syscallPath(known.name, JSON.parse(s.toString('utf8', argsOpen, argsClose + 1)) as string[]));
    const siteId = noSite ? 0 : this.siteAt(s, i, end);
    b.addSyscall(pid, tid, known.id, errnoId, startNs, dur, siteId, pathId, unfinished ? SYSCALL_UNFINISHED : 0, ret);
    return true;
  }

  private errnoAt(s: Buffer, a: number, z: number): number {
    for (const e of this.errnoIds) if (equalBytes(this.u8, a, e.bytes, z - a)) return e.id;
    const name = s.toString('latin1', a, z);
    const id = this.shard.errnoId(name);
    this.errnoIds.push({ bytes: new Uint8Array(Buffer.from(name, 'latin1')), id });
    return id;
  }

  /** The site of the bytes s[i, end): a known one found in place, else parsed once. */
  private siteAt(s: Buffer, i: number, end: number): number {
    const len = end - i;
    const last = this.lastSite;
    if (last && last.bytes.length === len && s.compare(last.bytes, 0, len, i, end) === 0) return last.id;
    // A hash of the length and a few bytes spread over the text; candidates are compared whole.
    let h = len;
    const step = len >>> 4 || 1;
    const u = this.u8;
    for (let k = i + (step >>> 1); k < end; k += step) h = (Math.imul(h, 31) + u[k]) | 0;
    let bucket = this.sitesByHash.get(h);
    if (bucket) {
      for (const site of bucket) {
        if (site.bytes.length === len && s.compare(site.bytes, 0, len, i, end) === 0) {
          this.lastSite = site;
          return site.id;
        }
      }
    }
    const text = s.toString('utf8', i, end);
    const site: KnownBytes = { bytes: Buffer.from(s.subarray(i, end)), id: this.shard.siteId(parseSite(text)) };
    if (!bucket) this.sitesByHash.set(h, (bucket = []));
    if (bucket.length < MAX_BUCKET && this.siteTexts < MAX_SITE_TEXTS) {
      bucket.push(site);
      this.siteTexts++;
    }
    this.lastSite = site;
    return site.id;
  }

  /** A non-negative integer at i, or -1 when there is none; sets pos after it. */
  private uint(s: Uint8Array, i: number, end: number): number {
    // Syscall numbers, ids and durations fit in a double exactly.
    let v = 0;
    const begin = i;
    while (i < end) {
      const c = s[i];
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      i++;
    }
    this.pos = i;
    return i === begin ? -1 : v;
  }

  /**
   * A 19-digit wall-clock ns value minus the origin, exactly, without BigInt:
   * split at 1e9 both halves are exact doubles, and so is their difference.
   * Sets pos after it.
   */
  private relativeNs(s: Uint8Array, i: number, end: number): number | undefined {
    const begin = i;
    while (i < end) {
      const c = s[i];
      if (c < 48 || c > 57) break;
      i++;
    }
    const digits = i - begin;
    if (digits === 0 || digits > 21) return undefined;
    let hi = 0;
    let lo = 0;
    const split = i - 9;
    for (let k = begin; k < i; k++) {
      const d = s[k] - 48;
      if (k < split) hi = hi * 10 + d;
      else lo = lo * 10 + d;
    }
    this.pos = i;
    return (hi - this.originHi) * 1e9 + (lo - this.originLo);
  }
}

/** A site from the bytes after dur_ns (`,"source":{…}…}`). */
export function parseSite(text: string): SiteSource {
  const o = JSON.parse(`{${text.slice(1)}`) as SiteSource;
  return { source: o.source, original: o.original, stack: Array.isArray(o.stack) ? o.stack : undefined };
}

/** The index after the closing quote of the JSON string whose body starts at i; -1 if it does not end before `end`. */
function skipString(s: Buffer, i: number, end: number): number {
  for (;;) {
    const q = s.indexOf(QUOTE, i);
    if (q < 0 || q >= end) return -1;
    let backslashes = 0;
    for (let k = q - 1; k >= i && s[k] === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}
