// Reads a range of a trace file's gzip members into a SyscallRecordSink with the
// native scanner (native/src/trace_file_scanner.cc: libdeflate, and the
// syscall lines read in place), which is ~5x faster than inflating and
// reading them here. What it hands back — the lines of another shape, the
// texts of new sites and path arguments — is decided here, by the same code
// as always (traceLineDecoder.ts, syscallPathArgument.ts), in file order.
// It stops at the first member it cannot inflate whole (a file cut short, a
// corrupt or foreign member, a member past the range); the caller's zlib
// reader carries on from there and says what is wrong.
import * as fs from 'node:fs';

import { loadAddon, type NativeScanBatch, type NativeTraceFileScanner } from '../session/nativeAddon';
import { syscallPath, PATH_SYSCALLS } from '../format/syscallPathArgument';
import { parseSite, type TraceLineDecoder } from './traceLineDecoder';
import { SYSCALL_UNFINISHED, type SyscallRecordSink } from './syscallRecordSink';

/** Compressed bytes read per scan (by default); doubled for a member larger than that. */
export const SCAN_CHUNK = 16 << 20;
const MARK = 5;

/** Where the native scan stopped: the caller reads on from `offset` (a member start). */
export interface ScanStop {
  offset: number;
  /** A line the last member read left unfinished. */
  carry?: Buffer;
  /** Lines seen so far, the header included. */
  lines: number;
  headerPending: boolean;
}

/** The line being read, for error messages: set before each text is parsed. */
export interface LinePosition {
  line: number;
}

/** Whether the native scanner is there (the addon built, with it). */
export function nativeScannerAvailable(): boolean {
  try {
    return typeof loadAddon().TraceFileScanner === 'function';
  } catch {
    return false;
  }
}

function nativeScanner(origin: bigint, skipFirstLine: boolean): NativeTraceFileScanner | undefined {
  if (!nativeScannerAvailable()) return undefined;
  return new (loadAddon().TraceFileScanner)({
    originHi: Number(origin / 1_000_000_000n),
    originLo: Number(origin % 1_000_000_000n),
    pathNames: [...PATH_SYSCALLS],
    skipFirstLine,
  });
}

/**
 * Scans the members of `file` in [from, to) into `shard` (the lines it
 * cannot read go to `lines`). Undefined when the native scanner is not
 * there: then nothing was read.
 */
export function scanRange(
  file: string,
  from: number,
  to: number,
  origin: bigint,
  shard: SyscallRecordSink,
  lines: TraceLineDecoder,
  at: LinePosition,
  onBytes?: (done: number) => void,
  firstChunk = SCAN_CHUNK,
): ScanStop | undefined {
  const scanner = nativeScanner(origin, from === 0);
  if (!scanner) return undefined;
  const keys = new BatchKeys(shard, at);
  const fd = fs.openSync(file, 'r');
  let pos = from;
  try {
    let chunk = firstChunk;
    while (pos < to) {
      const want = Math.min(chunk, to - pos);
      const buf = Buffer.allocUnsafe(want);
      const n = fs.readSync(fd, buf, 0, want, pos);
      const batch = scanner.scan(buf.subarray(0, n), pos);
      keys.apply(batch, lines);
      if (batch.consumed === 0) {
        // A member larger than the chunk, or one that does not inflate whole: the caller's.
        if (n === want && want < to - pos) {
          chunk *= 2;
          continue;
        }
        break;
      }
      pos += batch.consumed;
      onBytes?.(pos - from);
    }
  } finally {
    fs.closeSync(fd);
  }
  const carry = scanner.takeCarry();
  return { offset: pos, carry: carry.length ? carry : undefined, lines: scanner.lines, headerPending: scanner.headerPending };
}

/**
 * The scanner's keys as the shard's ids. A key's text becomes an id when a
 * call kept in the shard first uses it, as the line decoder would have met
 * it: the shard's tables come out in the same order, and past the limit
 * nothing is parsed.
 */
class BatchKeys {
  private readonly names: string[] = [];
  private readonly nameIds: number[] = [];
  private readonly errnos: string[] = [''];
  private readonly errnoIds: number[] = [0];
  private readonly sites: string[] = [''];
  private readonly siteLines: number[] = [0];
  private readonly siteIds: number[] = [0];
  private readonly paths: string[] = [''];
  private readonly pathNames: number[] = [0];
  private readonly pathLines: number[] = [0];
  private readonly pathIds: number[] = [0];

  constructor(
    private readonly shard: SyscallRecordSink,
    private readonly at: LinePosition,
  ) {}

  apply(b: NativeScanBatch, lines: TraceLineDecoder): void {
    for (const name of b.newNames) {
      this.names.push(name);
      this.nameIds.push(-1);
    }
    for (const e of b.newErrnos) {
      this.errnos.push(e);
      this.errnoIds.push(-1);
    }
    b.newSites.forEach((text, k) => {
      this.sites.push(text);
      this.siteLines.push(b.newSiteLines[k]);
      this.siteIds.push(-1);
    });
    b.newPaths.forEach((args, k) => {
      this.paths.push(args);
      this.pathNames.push(b.newPathNames[k]);
      this.pathLines.push(b.newPathLines[k]);
      this.pathIds.push(-1);
    });
    let next = 0;
    const marks = b.marks;
    for (let m = 0; m < marks.length; m += MARK) {
      const before = marks[m + 1];
      this.addCalls(b, next, before);
      next = before;
      if (marks[m] === 0) {
        this.shard.member(marks[m + 2], marks[m + 3]);
      } else {
        this.at.line = marks[m + 4];
        lines.line(b.slow, marks[m + 2], marks[m + 3]);
      }
    }
    this.addCalls(b, next, b.count);
  }

  private addCalls(b: NativeScanBatch, from: number, to: number): void {
    const shard = this.shard;
    const { nameIds, errnoIds, siteIds, pathIds } = this;
    for (let k = from; k < to; k++) {
      if (shard.full) {
        shard.countSyscall();
        continue;
      }
      let name = nameIds[b.name[k]];
      if (name < 0) name = nameIds[b.name[k]] = shard.nameId(this.names[b.name[k]]);
      let errno = errnoIds[b.errno[k]];
      if (errno < 0) errno = errnoIds[b.errno[k]] = shard.errnoId(this.errnos[b.errno[k]]);
      let path = pathIds[b.path[k]];
      if (path < 0) path = pathIds[b.path[k]] = this.pathId(b.path[k]);
      let site = siteIds[b.site[k]];
      if (site < 0) site = siteIds[b.site[k]] = this.siteId(b.site[k]);
      shard.addSyscall(b.pid[k], b.tid[k], name, errno, b.start[k], b.dur[k], site, path, b.flags[k] ? SYSCALL_UNFINISHED : 0, b.ret[k]);
    }
  }

  private pathId(key: number): number {
    this.at.line = this.pathLines[key];
    return this.shard.pathId(syscallPath(this.names[this.pathNames[key]], JSON.parse(this.paths[key]) as string[]));
  }

  private siteId(key: number): number {
    this.at.line = this.siteLines[key];
    return this.shard.siteId(parseSite(this.sites[key]));
  }
}
