// Decodes a trace file into the viewer's columns (traceColumns.ts) and
// records where each gzip member sits, so single events can be read back
// later (syscallEventLookup.ts).
//
// A million syscall lines (~300 MB inflated) take ~0.3 s of CPU with the
// native scanner (traceRangeScanner.ts; ~1.3 s without it), so a large file
// is cut into ranges of whole gzip members (the writer starts a member at
// every batch) that decode in parallel — `decodeRange` runs one
// range, on this thread or another — and are then stitched in file order
// (TraceColumnsBuilder.addShard). The extension runs all of it on worker
// threads (extension/vscode/traceDecodeWorker.ts).
import * as fs from 'node:fs';

import { TraceColumnsBuilder, type SessionHeader } from './traceColumnsBuilder';
import type { DecodedTrace, TraceContextInfo } from './traceColumns';
import { traceContextFromRecord } from '../extension/core/otel/traceContext';
import { findMemberStarts } from '../extension/core/traceFile/traceFileMembers';
import { readTraceHeader, readTraceRange, type TraceRange } from '../extension/core/traceFile/traceRangeReader';
import { TraceShard, type ShardData } from './traceShard';

/** Where each gzip member starts, and the ordinal of its first syscall. */
export interface MemberIndex {
  offsets: Float64Array;
  lengths: Float64Array;
  firstSyscall: Float64Array;
}

export interface DecodeResult {
  trace: DecodedTrace;
  members: MemberIndex;
  /** The file has no end record (the run was cut short, or is still being written). */
  unfinished: boolean;
}

/** One range of members to decode: what decodeRange needs, as plain data (it may cross to another thread). */
export interface RangeRequest extends TraceRange {
  /** Syscalls kept; later ones are counted. */
  limit: number;
}

export interface RangeResult {
  shard: ShardData;
  /** Where the range's last member ended: the next range must start exactly here. */
  endOffset: number;
}

export interface DecodeOptions {
  /** Syscalls kept in the columns (the rest are counted). */
  limit?: number;
  /** Called now and then with bytes read of the file's total. */
  onProgress?: (bytes: number, totalBytes: number) => void;
  /**
   * Decodes a range on another thread (parallel decoding); `onBytes` reports
   * its progress. Absent: the whole file decodes on this thread.
   */
  decodeElsewhere?: (request: RangeRequest, onBytes: (done: number) => void) => Promise<RangeResult>;
  /** How many ranges to cut a large file into (default 2). */
  parallelism?: number;
  /** Called as decoding reaches each phase (the open's waterfall). */
  onStep?: (name: string) => void;
}

/** Files smaller than this decode on one thread: starting threads would cost more than it saves. */
const PARALLEL_MIN_BYTES = 2 << 20;

/** Decodes the members in [from, to) into a shard (synchronous: call it on a worker thread). */
export function decodeRange(r: RangeRequest, onBytes?: (done: number) => void): RangeResult {
  const shard = new TraceShard(r.limit);
  const { endOffset } = readTraceRange(r, shard, onBytes);
  return { shard: shard.data(), endOffset };
}

export async function decodeTraceFile(file: string, options: DecodeOptions = {}): Promise<DecodeResult> {
  const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
  const { header, perByte } = readTraceHeader(file);
  const size = fs.statSync(file).size;
  const session: SessionHeader = {
    program: header.program,
    argv: header.argv,
    pid: header.pid,
    attached: header.attached,
    cwd: header.cwd,
    originWallNs: header.origin_wall_ns,
  };
  const ctx = traceContextFromRecord(header.trace_context);
  if (ctx) {
    const tc: TraceContextInfo = { traceId: ctx.traceId, rootSpanId: ctx.rootSpanId, traceFlags: ctx.traceFlags, spanIdSeed: ctx.spanIdSeed };
    if (ctx.parentSpanId) tc.parentSpanId = ctx.parentSpanId;
    if (ctx.traceState) tc.traceState = ctx.traceState;
    session.traceContext = tc;
  }

  // Cut into ranges only when it pays and the whole file is wanted (past
  // the limit, calls are only counted: one thread does that fastest).
  const ranges = options.parallelism ?? 2;
  let starts = [0];
  if (options.decodeElsewhere && ranges > 1 && size >= PARALLEL_MIN_BYTES && perByte * size <= limit) {
    const targets = Array.from({ length: ranges - 1 }, (_, k) => Math.floor((size * (k + 1)) / ranges));
    starts = [...new Set([0, ...findMemberStarts(file, targets)])].sort((a, b) => a - b);
  }
  const request = (k: number): RangeRequest => ({ file, from: starts[k], to: k + 1 < starts.length ? starts[k + 1] : size, origin: header.origin_wall_ns, limit });
  const progress = new Array<number>(starts.length).fill(0);
  let lastReport = 0;
  const report = (k: number, done: number) => {
    progress[k] = done;
    const now = Date.now();
    if (options.onProgress && now - lastReport > 100) {
      lastReport = now;
      options.onProgress(progress.reduce((a, b) => a + b, 0), size);
    }
  };
  const elsewhere = starts.slice(1).map((_, i) => options.decodeElsewhere!(request(i + 1), (done) => report(i + 1, done)));
  // The first range decodes here, while the others decode on their threads.
  let results: RangeResult[];
  try {
    const first = decodeRange(request(0), (done) => report(0, done));
    results = [first, ...(await Promise.all(elsewhere))];
  } catch (e) {
    await Promise.allSettled(elsewhere);
    throw e;
  }
  // Each range must end exactly where the next one starts; if a split point
  // was not a real member start, decode the file again on one thread.
  for (let k = 0; k + 1 < results.length; k++) {
    if (results[k].endOffset !== starts[k + 1]) {
      results = [decodeRange({ ...request(0), to: size }, (done) => report(0, done))];
      break;
    }
  }

  options.onStep?.('ranges decoded');
  const builder = new TraceColumnsBuilder(session, limit);
  builder.reserve(results.reduce((n, r) => n + r.shard.count, 0));
  const offsets: number[] = [];
  const lengths: number[] = [];
  const firstSyscall: number[] = [];
  for (const { shard } of results) {
    const before = builder.syscalls;
    shard.memberOffsets.forEach((o, m) => {
      offsets.push(o);
      lengths.push(shard.memberLengths[m]);
      firstSyscall.push(before + shard.memberSyscalls[m]);
    });
    builder.addShard(shard);
  }
  const trace = builder.finish();
  return {
    trace,
    members: { offsets: Float64Array.from(offsets), lengths: Float64Array.from(lengths), firstSyscall: Float64Array.from(firstSyscall) },
    unfinished: !trace.tables.end,
  };
}
