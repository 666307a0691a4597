// A trace file's gzip members, one at a time, with where each one sits in
// the file. The writer puts every batch of events in its own member (so a
// crash loses at most one), which gives two things a plain gunzip stream
// hides: the members can be inflated independently, and a member's offset is
// a seek index, so one event can later be read back without reading the file
// from the start (syscallEventLookup.ts).
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface GzipMember {
  /** Byte offset of the member's gzip header in the file. */
  offset: number;
  /** Compressed bytes, header and trailer included. */
  length: number;
  /** The inflated text. */
  data: Buffer;
  /** The member was cut short (the writer was killed mid-write): `data` is what could be inflated. */
  truncated: boolean;
}

export class NotGzipError extends Error {}

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const CHUNK = 4 << 20;

/**
 * The offset of the deflate data of the member whose header starts at `pos`,
 * or -1 when `buf` ends inside the header. Throws NotGzipError when there is
 * no gzip header at `pos`.
 */
export function gzipDataStart(buf: Buffer, pos: number): number {
  if (buf.length - pos < 10) return -1;
  if (buf[pos] !== 0x1f || buf[pos + 1] !== 0x8b || buf[pos + 2] !== 8) throw new NotGzipError('not gzip data');
  const flags = buf[pos + 3];
  let p = pos + 10;
  if (flags & FEXTRA) {
    if (buf.length - p < 2) return -1;
    p += 2 + buf.readUInt16LE(p);
  }
  for (const bit of [FNAME, FCOMMENT]) {
    if (!(flags & bit)) continue;
    const z = buf.indexOf(0, p);
    if (z < 0) return -1;
    p = z + 1;
  }
  if (flags & FHCRC) p += 2;
  return p <= buf.length ? p : -1;
}

interface InflateInfo {
  buffer: Buffer;
  engine: { bytesWritten: number };
}

function isEndOfInput(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException;
  return err?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err?.message ?? '');
}

export interface MemberRange {
  /** Offset of the first member (default 0). */
  from?: number;
  /** Stop before a member starting at or after this offset (default: the end). */
  to?: number;
  /** Progress: bytes of the range read so far, of the range's size. */
  onBytes?: (done: number, total: number) => void;
}

/**
 * Reads the members of a gzip file (or of a range of it) in order, holding a
 * window of a few MB of compressed bytes (never the whole file).
 */
export function* readGzipMembers(file: string, range: MemberRange = {}): Generator<GzipMember> {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const from = range.from ?? 0;
    const total = Math.min(size, range.to ?? size);
    const onBytes = range.onBytes;
    let window = Buffer.alloc(0);
    let windowStart = from;
    let filePos = from;
    const readMore = (): boolean => {
      if (filePos >= size) return false;
      // Doubling: a member larger than a chunk (a re-gzipped file is one member) is retried log(n) times, not n.
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(CHUNK, window.length), size - filePos));
      const n = fs.readSync(fd, chunk, 0, chunk.length, filePos);
      if (n <= 0) return false;
      filePos += n;
      window = window.length ? Buffer.concat([window, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      return true;
    };
    let offset = from;
    for (;;) {
      if (offset >= total) return;
      // Drop what has been consumed.
      if (offset > windowStart) {
        window = window.subarray(offset - windowStart);
        windowStart = offset;
      }
      if (window.length === 0 && !readMore()) return;
      let dataStart = gzipDataStart(window, 0);
      while (dataStart < 0) {
        if (!readMore()) return; // a header cut short: nothing in it
        dataStart = gzipDataStart(window, 0);
      }
      let inflated: InflateInfo | undefined;
      for (;;) {
        try {
          inflated = zlib.inflateRawSync(window.subarray(dataStart), { info: true } as zlib.ZlibOptions) as unknown as InflateInfo;
          break;
        } catch (e) {
          if (!isEndOfInput(e)) throw e;
          if (readMore()) continue;
          // The last member, cut short: keep what inflates.
          const partial = zlib.inflateRawSync(window.subarray(dataStart), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
          onBytes?.(total - from, total - from);
          yield { offset, length: window.length, data: partial, truncated: true };
          return;
        }
      }
      // Header, deflate data, then CRC32 and size (8 bytes).
      const length = dataStart + inflated.engine.bytesWritten + 8;
      yield { offset, length, data: inflated.buffer, truncated: false };
      offset += length;
      onBytes?.(Math.min(offset, total) - from, total - from);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Offsets near `targets` where a gzip member starts: each the first offset at
 * or after its target whose bytes open a member that inflates to a trace
 * line. Used to split a file for parallel decoding; the decoding of each
 * range then confirms the split (it must end exactly where the next begins).
 */
export function findMemberStarts(file: string, targets: number[], window = 1 << 20): number[] {
  const fd = fs.openSync(file, 'r');
  try {
    const out: number[] = [];
    for (const target of targets) {
      const buf = Buffer.allocUnsafe(window);
      const n = fs.readSync(fd, buf, 0, window, target);
      const data = buf.subarray(0, n);
      for (let i = data.indexOf(GZIP_MAGIC); i >= 0; i = data.indexOf(GZIP_MAGIC, i + 1)) {
        try {
          const start = gzipDataStart(data, i);
          if (start < 0) break;
          const text = zlib.inflateRawSync(data.subarray(start), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, 9).toString('latin1');
          if (text === '{"type":"') {
            out.push(target + i);
            break;
          }
        } catch {
          // compressed bytes that happened to look like a header, or a member past the window
        }
      }
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

/**
 * Inflates the one member at `offset` (`length` bytes) of a gzip file,
 * without blocking: the read and the inflating run off the calling thread.
 */
export async function readGzipMember(file: string, offset: number, length: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  let data: Buffer;
  try {
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(buf, 0, length, offset);
    data = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const start = gzipDataStart(data, 0);
  if (start < 0) throw new NotGzipError('gzip header cut short');
  const inflate = (options: zlib.ZlibOptions) =>
    new Promise<Buffer>((resolve, reject) => zlib.inflateRaw(data.subarray(start), options, (e, out) => (e ? reject(e) : resolve(out))));
  try {
    return await inflate({});
  } catch (e) {
    if (!isEndOfInput(e)) throw e;
    // The last member of a file cut short: what inflates.
    return inflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
  }
}
