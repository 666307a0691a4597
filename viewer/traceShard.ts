// A run of consecutive gzip members of a trace file, decoded on its own: its
// syscalls in typed arrays with ids local to the shard (names, errnos,
// paths, sites), raw pid/tid per call, and its process events with their
// position among the calls. Shards of one file decode in parallel (worker
// threads); TraceColumnsBuilder.addShard then replays them in file order,
// which is where processes and threads are worked out and ids made global.
import type { ProcessEvent } from '../extension/core/session/events';
import type { SiteSource, SyscallRecordSink } from '../extension/core/traceFile/syscallRecordSink';
import { InternTable } from '../extension/core/traceFile/internTable';
import { grownArray } from './traceColumns';
import type { TraceFileEnd } from '../extension/core/traceFile/traceFile';

/** A process event and how many of the shard's syscalls come before it. */
export interface ShardProcessEvent {
  at: number;
  event: ProcessEvent;
}

const INITIAL_CAPACITY = 1 << 14;

/** The plain-data form of a shard, as it crosses between threads (typed arrays transferred). */
export interface ShardData {
  count: number;
  /** Syscall lines seen, kept or not. */
  seen: number;
  pid: Int32Array;
  tid: Int32Array;
  start: Float64Array;
  dur: Float64Array;
  name: Uint16Array;
  errno: Uint16Array;
  site: Uint32Array;
  path: Uint32Array;
  flags: Uint8Array;
  names: string[];
  errnos: string[];
  paths: string[];
  sites: SiteSource[];
  processEvents: ShardProcessEvent[];
  end?: TraceFileEnd;
  /** The shard's gzip members: file offset, compressed length, syscalls seen before the member (within the shard). */
  memberOffsets: number[];
  memberLengths: number[];
  memberSyscalls: number[];
}

export class TraceShard implements SyscallRecordSink {
  private capacity = INITIAL_CAPACITY;
  count = 0;
  /** Syscall lines seen; beyond `limit` they are counted, not kept. */
  seen = 0;
  pid = new Int32Array(INITIAL_CAPACITY);
  tid = new Int32Array(INITIAL_CAPACITY);
  start = new Float64Array(INITIAL_CAPACITY);
  dur = new Float64Array(INITIAL_CAPACITY);
  name = new Uint16Array(INITIAL_CAPACITY);
  errno = new Uint16Array(INITIAL_CAPACITY);
  site = new Uint32Array(INITIAL_CAPACITY);
  path = new Uint32Array(INITIAL_CAPACITY);
  flags = new Uint8Array(INITIAL_CAPACITY);
  private readonly nameTable = new InternTable<string>([], 0xffff, 'syscall names');
  private readonly errnoTable = new InternTable<string>([''], 0xffff, 'errno names');
  private readonly pathTable = new InternTable<string>(['']);
  private readonly siteTable = new InternTable<SiteSource>([{}]);
  readonly names = this.nameTable.values;
  readonly errnos = this.errnoTable.values;
  readonly paths = this.pathTable.values;
  readonly sites = this.siteTable.values;
  readonly processEvents: ShardProcessEvent[] = [];
  end?: TraceFileEnd;
  readonly memberOffsets: number[] = [];
  readonly memberLengths: number[] = [];
  readonly memberSyscalls: number[] = [];

  constructor(readonly limit = Number.MAX_SAFE_INTEGER) {}

  /** Whether more syscalls would be kept (past the limit they are only counted). */
  get full(): boolean {
    return this.count >= this.limit;
  }

  nameId(name: string): number {
    return this.nameTable.id(name, name);
  }

  errnoId(errno: string | undefined): number {
    return errno === undefined ? 0 : this.errnoTable.id(errno, errno);
  }

  pathId(path: string | undefined): number {
    return path === undefined || path === '' ? 0 : this.pathTable.id(path, path);
  }

  siteId(s: SiteSource): number {
    if (!s.source && !s.original && !s.stack?.length) return 0;
    return this.siteTable.id(siteKey(s), s);
  }

  addSyscall(pid: number, tid: number, nameId: number, errnoId: number, startNs: number, durNs: number, siteId: number, pathId: number, flags: number): void {
    this.seen++;
    if (this.count >= this.limit) return;
    const i = this.count++;
    if (i === this.capacity) this.grow();
    this.pid[i] = pid;
    this.tid[i] = tid;
    this.start[i] = startNs;
    this.dur[i] = durNs;
    this.name[i] = nameId;
    this.errno[i] = errnoId;
    this.site[i] = siteId;
    this.path[i] = pathId;
    this.flags[i] = flags;
  }

  /** A syscall past the limit: counted only (the viewer holds at most `limit`). */
  countSyscall(): void {
    this.seen++;
  }

  addProcessEvent(event: ProcessEvent): void {
    this.processEvents.push({ at: this.seen, event });
  }

  /** A new gzip member starts (for the seek index). */
  member(offset: number, length: number): void {
    this.memberOffsets.push(offset);
    this.memberLengths.push(length);
    this.memberSyscalls.push(this.seen);
  }

  /** The shard as plain data, arrays trimmed to `count`. */
  data(): ShardData {
    const n = this.count;
    return {
      count: n,
      seen: this.seen,
      pid: this.pid.slice(0, n),
      tid: this.tid.slice(0, n),
      start: this.start.slice(0, n),
      dur: this.dur.slice(0, n),
      name: this.name.slice(0, n),
      errno: this.errno.slice(0, n),
      site: this.site.slice(0, n),
      path: this.path.slice(0, n),
      flags: this.flags.slice(0, n),
      names: this.names,
      errnos: this.errnos,
      paths: this.paths,
      sites: this.sites,
      processEvents: this.processEvents,
      end: this.end,
      memberOffsets: this.memberOffsets,
      memberLengths: this.memberLengths,
      memberSyscalls: this.memberSyscalls,
    };
  }

  private grow(): void {
    const cap = this.capacity * 2;
    this.pid = grownArray(this.pid, cap);
    this.tid = grownArray(this.tid, cap);
    this.start = grownArray(this.start, cap);
    this.dur = grownArray(this.dur, cap);
    this.name = grownArray(this.name, cap);
    this.errno = grownArray(this.errno, cap);
    this.site = grownArray(this.site, cap);
    this.path = grownArray(this.path, cap);
    this.flags = grownArray(this.flags, cap);
    this.capacity = cap;
  }
}

/** Sites with the same source, original and stack are one site. */
export function siteKey(s: SiteSource): string {
  return JSON.stringify([s.source ?? null, s.original ?? null, s.stack ?? null]);
}

/** The typed arrays of a ShardData, to transfer between threads. */
export function shardBuffers(d: ShardData): ArrayBuffer[] {
  return [d.pid, d.tid, d.start, d.dur, d.name, d.errno, d.site, d.path, d.flags].map((a) => a.buffer as ArrayBuffer);
}
