// Builds a trace's columns (traceColumns.ts) from its decoded shards
// (traceShard.ts), replayed in file order: ids made global (names, errnos,
// paths, sites with their frames), processes and threads worked out from
// the process events and the calls' pid/tid, and the calls grouped by thread.
//
// Process spans are numbered exactly as spanBuilder.ts numbers them (a
// process "instance" per pid, from its first event until its last task
// exits), so the viewer can show the span ids `renacer export` gives; a unit
// test holds the two to the same ids.
import type { ProcessEvent, SourceLocation } from '../extension/core/session/events';
import {
  allocateColumns,
  groupByThread,
  type DecodedTrace,
  type FrameInfo,
  type MarkInfo,
  type ProcessInfo,
  type SiteInfo,
  type ThreadInfo,
  type TraceContextInfo,
  type TraceTables,
  grownArray,
} from './traceColumns';
import type { TraceFileEnd } from '../extension/core/traceFile/traceFile';
import type { SiteSource } from '../extension/core/traceFile/syscallRecordSink';
import { InternTable } from '../extension/core/traceFile/internTable';
import { siteKey, type ShardData } from './traceShard';

/** Process events kept as marks on the timeline; a signal storm beyond this is counted, not kept. */
export const MAX_MARKS = 100_000;

export interface SessionHeader {
  program: string;
  argv: string[];
  pid: number;
  attached: boolean;
  cwd: string;
  originWallNs: string;
  traceContext?: TraceContextInfo;
}

interface LiveProcess {
  index: number;
  /** Tasks alive, as spanBuilder.ts counts them: the leader, plus threads from fork events. */
  live: Set<number>;
  threadByTid: Map<number, number>;
}

/** One number for (pid, tid): Linux ids are below 2^22 (pid_max), so this stays exact. */
const taskKey = (pid: number, tid: number) => pid * 4194304 + tid;

const INITIAL_CAPACITY = 1 << 16;

export class TraceColumnsBuilder {
  private capacity = INITIAL_CAPACITY;
  private count = 0;
  private total = 0;
  private start = new Float64Array(INITIAL_CAPACITY);
  private dur = new Float64Array(INITIAL_CAPACITY);
  private name = new Uint16Array(INITIAL_CAPACITY);
  private thread = new Uint32Array(INITIAL_CAPACITY);
  private errno = new Uint16Array(INITIAL_CAPACITY);
  private site = new Uint32Array(INITIAL_CAPACITY);
  private path = new Uint32Array(INITIAL_CAPACITY);
  private flags = new Uint8Array(INITIAL_CAPACITY);

  private readonly nameTable = new InternTable<string>([], 0xffff, 'syscall names');
  private readonly errnoTable = new InternTable<string>([''], 0xffff, 'errno names');
  private readonly pathTable = new InternTable<string>(['']);
  private readonly fileTable = new InternTable<string>();
  private readonly frameTable = new InternTable<FrameInfo>();
  private readonly siteTable = new InternTable<SiteInfo>([{ frames: [], file: -1, line: 0 }]);
  private readonly names = this.nameTable.values;
  private readonly errnos = this.errnoTable.values;
  private readonly paths = this.pathTable.values;
  private readonly files = this.fileTable.values;
  private readonly frames = this.frameTable.values;
  private readonly sites = this.siteTable.values;
  private readonly processes: ProcessInfo[] = [];
  private readonly threads: ThreadInfo[] = [];
  private readonly marks: MarkInfo[] = [];
  private droppedMarks = 0;
  private readonly liveByPid = new Map<number, LiveProcess>();
  /** The thread of each task of a live process, by taskKey (the per-syscall lookup). */
  private readonly liveThreads = new Map<number, number>();
  private spanOrdinal = 0;
  private minNs = Infinity;
  private maxNs = -Infinity;
  private end?: TraceFileEnd;
  // The last (pid, tid) seen and its thread: consecutive syscalls are often one thread's.
  private lastPid = -1;
  private lastTid = -1;
  private lastThread = -1;

  /** @param limit syscalls kept; later ones are counted, not stored. */
  constructor(
    private readonly header: SessionHeader,
    private readonly limit = Number.MAX_SAFE_INTEGER,
  ) {}

  /** Syscalls seen so far (kept or not). */
  get syscalls(): number {
    return this.total;
  }

  /** The next shard of the file, in order. */
  addShard(d: ShardData): void {
    const names = d.names.map((n) => this.nameId(n));
    const errnos = d.errnos.map((e, i) => (i === 0 ? 0 : this.errnoId(e)));
    const paths = d.paths.map((p, i) => (i === 0 ? 0 : this.pathId(p)));
    const sites = d.sites.map((s, i) => (i === 0 ? 0 : this.siteId(s)));
    if (d.end) this.end = d.end;
    const events = d.processEvents;
    let e = 0;
    // Calls past the shard's kept ones were only counted: they advance the
    // ordinals (span ids) but are not stored.
    for (let i = 0; i < d.seen; i++) {
      while (e < events.length && events[e].at <= i) this.addProcessEvent(events[e++].event);
      if (i < d.count) {
        this.addSyscall(d.pid[i], d.tid[i], names[d.name[i]], errnos[d.errno[i]], d.start[i], d.dur[i], sites[d.site[i]], paths[d.path[i]], d.flags[i]);
      } else {
        this.total++;
      }
    }
    while (e < events.length) this.addProcessEvent(events[e++].event);
  }

  private nameId(name: string): number {
    return this.nameTable.id(name, name);
  }

  private errnoId(errno: string): number {
    return this.errnoTable.id(errno, errno);
  }

  private pathId(path: string): number {
    return this.pathTable.id(path, path);
  }

  private siteId(s: SiteSource): number {
    const key = siteKey(s);
    const before = this.siteTable.size;
    const id = this.siteTable.id(key, { frames: [], file: -1, line: 0 });
    if (id < before) return id;
    const chain: SourceLocation[] = [];
    for (const f of s.stack?.length ? s.stack : s.source ? [s.source] : []) {
      chain.push(f);
      if (f.inlined) chain.push(...f.inlined);
    }
    const frames = chain.map((f) => this.frameId(f));
    const site = this.sites[id];
    site.frames = frames;
    if (s.original) {
      site.original = { file: this.fileId(s.original.file), line: s.original.line };
      if (s.original.function) site.original.function = s.original.function;
      if (s.original.language) site.original.language = s.original.language;
      site.file = site.original.file;
      site.line = site.original.line;
      site.function = site.original.function;
    } else if (frames.length) {
      const f = this.frames[frames[0]];
      site.file = f.file;
      site.line = f.line;
      site.function = f.function;
    }
    return id;
  }

  private fileId(file: string): number {
    return this.fileTable.id(file, file);
  }

  private frameId(f: { file: string; line: number; column?: number; function?: string }): number {
    const key = `${f.file}\0${f.line}\0${f.column ?? ''}\0${f.function ?? ''}`;
    const before = this.frameTable.size;
    const id = this.frameTable.id(key, { file: -1, line: f.line });
    if (id < before) return id;
    const frame = this.frames[id];
    frame.file = this.fileId(f.file);
    if (f.column !== undefined) frame.column = f.column;
    if (f.function !== undefined) frame.function = f.function;
    return id;
  }

  private addSyscall(pid: number, tid: number, nameId: number, errnoId: number, startNs: number, durNs: number, siteId: number, pathId: number, flags: number): void {
    const ordinal = this.total++;
    const thread = this.threadOf(pid, tid, startNs);
    const endNs = startNs + durNs;
    const t = this.threads[thread];
    if (startNs < t.startNs) t.startNs = startNs;
    if (endNs > t.endNs) t.endNs = endNs;
    t.syscalls++;
    const p = this.processes[t.process];
    if (endNs > p.endNs) p.endNs = endNs;
    p.syscalls++;
    if (startNs < this.minNs) this.minNs = startNs;
    if (endNs > this.maxNs) this.maxNs = endNs;
    if (ordinal >= this.limit) return;
    if (ordinal === this.capacity) this.grow();
    this.start[ordinal] = startNs;
    this.dur[ordinal] = durNs;
    this.name[ordinal] = nameId;
    this.thread[ordinal] = thread;
    this.errno[ordinal] = errnoId;
    this.site[ordinal] = siteId;
    this.path[ordinal] = pathId;
    this.flags[ordinal] = flags;
    this.count = ordinal + 1;
  }

  private addProcessEvent(ev: ProcessEvent): void {
    const t = ev.timeNs;
    if (t < this.minNs) this.minNs = t;
    if (t > this.maxNs) this.maxNs = t;
    switch (ev.kind) {
      case 'spawn': {
        const p = this.ensureProcess(ev.pid, t);
        const info = this.processes[p.index];
        if (ev.path) info.exe = ev.path;
        if (t < info.startNs) info.startNs = t;
        this.mark(this.threadOf(ev.pid, ev.tid, t), 'spawn', t, ev.path ? `spawn ${ev.path}` : 'spawn');
        break;
      }
      case 'fork': {
        if (ev.thread) {
          const p = this.ensureProcess(ev.pid, t);
          p.live.add(ev.tid);
          this.threadOf(ev.pid, ev.tid, t);
          break;
        }
        const child = this.ensureProcess(ev.pid, t);
        const info = this.processes[child.index];
        if (t < info.startNs) info.startNs = t;
        if (ev.parentPid !== undefined) {
          info.parentPid = ev.parentPid;
          const parent = this.liveByPid.get(ev.parentPid);
          if (parent) {
            info.parent = parent.index;
            info.exe ??= this.processes[parent.index].exe;
          }
        }
        this.mark(this.threadOf(ev.pid, ev.tid, t), 'fork', t, ev.parentPid !== undefined ? `forked by ${ev.parentPid}` : 'forked');
        break;
      }
      case 'exec': {
        const p = this.ensureProcess(ev.pid, t);
        if (ev.path) this.processes[p.index].exe = ev.path;
        // execve ends every other thread of the process.
        p.live = new Set([ev.pid]);
        this.mark(this.threadOf(ev.pid, ev.tid, t), 'exec', t, ev.path ? `exec ${ev.path}` : 'exec');
        break;
      }
      case 'signal':
      case 'stopped': {
        if (!this.liveByPid.has(ev.pid)) break;
        const text = ev.kind === 'signal' ? `${ev.signal ?? 'signal'}${ev.siginfo ? ` ${ev.siginfo}` : ''}` : `stopped by ${ev.signal ?? 'a signal'}`;
        this.mark(this.threadOf(ev.pid, ev.tid, t), ev.kind, t, text);
        break;
      }
      case 'exit':
      case 'detach': {
        const p = this.liveByPid.get(ev.pid);
        if (!p) break;
        const info = this.processes[p.index];
        if (t > info.endNs) info.endNs = t;
        const thread = this.threadOf(ev.pid, ev.tid, t);
        if (t > this.threads[thread].endNs) this.threads[thread].endNs = t;
        let text = 'detached';
        if (ev.kind === 'exit') {
          text = ev.signal !== undefined ? `killed by ${ev.signal}${ev.coreDumped ? ' (core dumped)' : ''}` : `exited with ${ev.exitCode}`;
          if (ev.tid === ev.pid || p.live.size === 1) {
            if (ev.signal !== undefined) {
              info.signal = ev.signal;
              if (ev.coreDumped) info.coreDumped = true;
            } else if (ev.exitCode !== undefined) {
              info.exitCode = ev.exitCode;
            }
          }
        }
        this.mark(thread, ev.kind, t, text);
        p.live.delete(ev.tid);
        if (p.live.size === 0) {
          this.liveByPid.delete(ev.pid);
          for (const tid of p.threadByTid.keys()) this.liveThreads.delete(taskKey(ev.pid, tid));
          if (this.lastPid === ev.pid) this.lastPid = -1;
        }
        break;
      }
    }
  }

  finish(): DecodedTrace {
    const n = this.count;
    const columns = allocateColumns(n, this.threads.length);
    columns.start.set(this.start.subarray(0, n));
    columns.dur.set(this.dur.subarray(0, n));
    columns.name.set(this.name.subarray(0, n));
    columns.thread.set(this.thread.subarray(0, n));
    columns.errno.set(this.errno.subarray(0, n));
    columns.site.set(this.site.subarray(0, n));
    columns.path.set(this.path.subarray(0, n));
    columns.flags.set(this.flags.subarray(0, n));
    groupByThread(columns, this.threads.length);
    const tables: TraceTables = {
      session: {
        program: this.header.program,
        argv: this.header.argv,
        pid: this.header.pid,
        attached: this.header.attached,
        cwd: this.header.cwd,
        originWallNs: this.header.originWallNs,
      },
      names: this.names,
      errnos: this.errnos,
      paths: this.paths,
      files: this.files,
      frames: this.frames,
      sites: this.sites,
      processes: this.processes,
      threads: this.threads,
      marks: this.marks,
      droppedMarks: this.droppedMarks,
      totalSyscalls: this.total,
      startNs: Number.isFinite(this.minNs) ? this.minNs : 0,
      endNs: Number.isFinite(this.maxNs) ? this.maxNs : 0,
    };
    if (this.header.traceContext) tables.traceContext = this.header.traceContext;
    if (this.end) {
      const endNs = Number(BigInt(this.end.end_ns) - BigInt(this.header.originWallNs));
      tables.end = { exitStatus: this.end.exit_status, interrupted: this.end.interrupted, syscalls: this.end.syscalls, endNs };
      if (endNs > tables.endNs) tables.endNs = endNs;
    }
    return { columns, tables };
  }

  /** Makes room for `n` more syscalls at once (the stitching knows how many are coming: no doubling and copying on the way). */
  reserve(n: number): void {
    const needed = Math.min(this.count + n, this.limit);
    if (needed > this.capacity) this.grow(needed);
  }

  private grow(to = this.capacity * 2): void {
    const cap = to;
    this.start = grownArray(this.start, cap);
    this.dur = grownArray(this.dur, cap);
    this.name = grownArray(this.name, cap);
    this.thread = grownArray(this.thread, cap);
    this.errno = grownArray(this.errno, cap);
    this.site = grownArray(this.site, cap);
    this.path = grownArray(this.path, cap);
    this.flags = grownArray(this.flags, cap);
    this.capacity = cap;
  }

  private ensureProcess(pid: number, timeNs: number): LiveProcess {
    let p = this.liveByPid.get(pid);
    if (!p) {
      const info: ProcessInfo = { pid, startNs: timeNs, endNs: timeNs, threads: [], spanOrdinal: this.spanOrdinal++, syscalls: 0 };
      if (pid === this.header.pid && this.header.program) info.exe = this.header.program;
      p = { index: this.processes.length, live: new Set([pid]), threadByTid: new Map() };
      this.processes.push(info);
      this.liveByPid.set(pid, p);
    }
    return p;
  }

  private threadOf(pid: number, tid: number, timeNs: number): number {
    if (pid === this.lastPid && tid === this.lastTid) return this.lastThread;
    let thread = this.liveThreads.get(taskKey(pid, tid));
    if (thread === undefined) {
      const p = this.ensureProcess(pid, timeNs);
      thread = this.threads.length;
      this.threads.push({ tid, process: p.index, startNs: timeNs, endNs: timeNs, syscalls: 0 });
      this.processes[p.index].threads.push(thread);
      p.threadByTid.set(tid, thread);
      this.liveThreads.set(taskKey(pid, tid), thread);
    }
    this.lastPid = pid;
    this.lastTid = tid;
    this.lastThread = thread;
    return thread;
  }

  private mark(thread: number, kind: MarkInfo['kind'], timeNs: number, text: string): void {
    if (this.marks.length >= MAX_MARKS) {
      this.droppedMarks++;
      return;
    }
    this.marks.push({ kind, thread, timeNs, text });
  }
}
