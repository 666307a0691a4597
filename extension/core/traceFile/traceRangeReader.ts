// Reads a range of a trace file's gzip members into a SyscallRecordSink:
// the native scanner (traceRangeScanner.ts) reads what it can, then zlib and
// the line decoder read on from where it stopped (a member it could not
// inflate whole, or no native addon). One loop for every consumer of trace
// files that streams them: the viewer's shards and the diff's tallies.
import { parseTraceFileHeader, TraceFileError, traceFileError, type TraceFileHeader } from './traceFile';
import { readGzipMembers } from './traceFileMembers';
import { TraceLineDecoder } from './traceLineDecoder';
import { scanRange } from './traceRangeScanner';
import type { SyscallRecordSink } from './syscallRecordSink';

export interface TraceRange {
  file: string;
  from: number;
  /** Exclusive; a member starting here belongs to the next range. */
  to: number;
  /** Session clock origin (the header's origin_wall_ns), decimal. */
  origin: string;
  /** false: read without the native scanner. */
  native?: boolean;
  /** A last member cut short is skipped rather than read as far as it inflates (figures then stop at a whole batch). */
  wholeMembersOnly?: boolean;
  /**
   * Compressed bytes the native scanner reads at a time: its batch (every
   * call of the chunk, as columns) is what a read holds at once. The viewer
   * keeps every call anyway and reads large chunks; a streaming reader
   * keeps memory flat with small ones.
   */
  chunkBytes?: number;
}

export interface TraceRangeRead {
  /** Where the range's last member ended. */
  endOffset: number;
  /** The last member was cut short (the writer was killed mid-write): what inflated of it was read, its unfinished last line dropped. */
  truncated: boolean;
}

/** The session header (the file's first line) and how many syscall lines the first member holds per compressed byte. */
export function readTraceHeader(file: string): { header: TraceFileHeader; perByte: number } {
  let first;
  try {
    first = readGzipMembers(file).next().value;
  } catch (e) {
    throw traceFileError(file, e);
  }
  if (!first) throw new TraceFileError(`${file}: not a renacer trace file (empty)`);
  const text = first.data.toString('utf8');
  const nl = text.indexOf('\n');
  const { header } = parseTraceFileHeader(nl >= 0 ? text.slice(0, nl) : text, file);
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return { header, perByte: lines / Math.max(1, first.length) };
}

/** Reads the members in [from, to) into `sink` (synchronous). */
export function readTraceRange(r: TraceRange, sink: SyscallRecordSink, onBytes?: (done: number) => void): TraceRangeRead {
  const origin = BigInt(r.origin);
  const lines = new TraceLineDecoder(sink, origin);
  const at = { line: 0 };
  let carry: Buffer | undefined;
  let endOffset = r.from;
  let truncated = false;
  let skipHeader = r.from === 0;
  let from = r.from;
  try {
    const stop = r.native === false ? undefined : scanRange(r.file, r.from, r.to, origin, sink, lines, at, onBytes, r.chunkBytes);
    if (stop) {
      from = endOffset = stop.offset;
      carry = stop.carry;
      at.line = stop.lines;
      skipHeader = stop.headerPending;
    }
    for (const member of readGzipMembers(r.file, { from, to: r.to, onBytes: onBytes && ((done) => onBytes(from - r.from + done)) })) {
      if (member.truncated && r.wholeMembersOnly) {
        truncated = true;
        break;
      }
      sink.member(member.offset, member.length);
      endOffset = member.offset + member.length;
      // The writer ends every member at a line's end; a line split across members is joined.
      const chunk = carry ? Buffer.concat([carry, member.data]) : member.data;
      let begin = 0;
      for (let nl = chunk.indexOf(10, begin); nl >= 0; nl = chunk.indexOf(10, begin)) {
        at.line++;
        if (skipHeader) skipHeader = false;
        else lines.line(chunk, begin, nl);
        begin = nl + 1;
      }
      carry = begin < chunk.length ? chunk.subarray(begin) : undefined;
      truncated ||= member.truncated;
    }
    // A cut-off member can leave half a line at the end: it is dropped.
    if (carry && !truncated && !skipHeader) lines.line(carry, 0, carry.length);
  } catch (e) {
    if (e instanceof SyntaxError) throw new TraceFileError(`${r.file}: line ${at.line} of the range at byte ${r.from}: ${e.message}`);
    throw traceFileError(r.file, e);
  }
  sink.end = lines.end;
  return { endOffset, truncated };
}
