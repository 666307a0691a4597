// One trace file folded into per-site figures as it streams by (a
// SyscallRecordSink): calls, failures by errno, time, a duration sketch and
// bytes, per (source line, syscall), and for calls without a source line per
// (executable, syscall, path pattern). Memory grows with the sites, never
// with the calls.
import type { ProcessEvent, SourceLocation } from '../session/events';
import type { SiteSource, SyscallRecordSink } from '../traceFile/syscallRecordSink';
import { InternTable } from '../traceFile/internTable';
import type { TraceFileEnd } from '../traceFile/traceFile';
import { DurationSketch } from './durationSketch';
import type { SideStats } from './diffModel';

/** Calls whose positive result is a byte count. */
const BYTE_CALLS = new Set([
  'read', 'pread64', 'readv', 'preadv', 'preadv2', 'recvfrom', 'recvmsg', 'write', 'pwrite64', 'writev', 'pwritev', 'pwritev2',
  'sendto', 'sendmsg', 'sendfile', 'splice', 'tee', 'copy_file_range', 'vmsplice', 'process_vm_readv', 'process_vm_writev',
]);
const MAX_NAMES = 1024;

export class Tally {
  calls = 0;
  dur = 0;
  bytes = 0;
  /** Failures by errno id. */
  readonly errors = new Map<number, number>();
  readonly sketch = new DurationSketch();

  add(errnoId: number, durNs: number, bytes: number): void {
    this.calls++;
    this.dur += durNs;
    this.bytes += bytes;
    if (errnoId) this.errors.set(errnoId, (this.errors.get(errnoId) ?? 0) + 1);
    this.sketch.add(durNs);
  }

  stats(errnos: string[], byteCall: boolean): SideStats {
    const errors: Record<string, number> = {};
    for (const [id, n] of [...this.errors].sort((a, b) => b[1] - a[1])) errors[errnos[id]] = n;
    const s: SideStats = { calls: this.calls, errors, dur_ns: this.dur, p50_ns: this.sketch.quantile(0.5), p95_ns: this.sketch.quantile(0.95) };
    if (byteCall) s.bytes = this.bytes;
    return s;
  }
}

/** The line a call counts at (as the editor annotates it): the original line under a transpiler map, else the innermost frame. */
export interface LineSite {
  file: string;
  line: number;
  function?: string;
  /** The function's declaration line, when DWARF gave it. */
  functionLine?: number;
}

/** Calls along one call path (root first), for the differential flame graph. */
export interface StackTally {
  frames: string[];
  syscall: string;
  calls: number;
  dur: number;
}

export interface SourcedTally {
  site: LineSite;
  syscall: string;
  tally: Tally;
}

export interface UnsourcedTally {
  exe: string;
  path: string;
  syscall: string;
  tally: Tally;
}

/**
 * A path with its varying parts as `*`: numbers that stand alone (`/proc/4242/stat`,
 * `libm.so.6`, `core.17`) and long hex runs; digits inside a name (`x86_64`) stay.
 */
export function pathPattern(path: string): string {
  return path.replace(/[0-9a-f]{8,}/gi, '*').replace(/(?<![A-Za-z_0-9])[0-9]+(?![A-Za-z_0-9])/g, '*');
}

function frameLabel(f: { file: string; line: number; function?: string }): string {
  return f.function ?? `${f.file.split('/').pop()}:${f.line}`;
}

/** Call path labels, root first: the real callers, then the inline chain down to the call's own line. */
function stackFrames(s: SiteSource): string[] {
  const frames: string[] = [];
  if (s.stack?.length) {
    for (let k = s.stack.length - 1; k >= 0; k--) {
      const f = s.stack[k];
      for (let i = (f.inlined?.length ?? 0) - 1; i >= 0; i--) frames.push(frameLabel(f.inlined![i]));
      frames.push(frameLabel(f));
    }
  } else if (s.source) {
    for (let i = (s.source.inlined?.length ?? 0) - 1; i >= 0; i--) frames.push(frameLabel(s.source.inlined![i]));
    frames.push(frameLabel(s.source));
  }
  if (!frames.length && s.original) frames.push(frameLabel(s.original));
  return frames;
}

function lineSite(s: SiteSource): LineSite | undefined {
  if (s.original) return { file: s.original.file, line: s.original.line, function: s.original.function };
  const inner: SourceLocation | undefined = s.stack?.[0] ?? s.source;
  if (!inner) return undefined;
  return { file: inner.file, line: inner.line, function: inner.function, functionLine: inner.function_line };
}

export class SiteTally implements SyscallRecordSink {
  readonly full = false;
  end?: TraceFileEnd;
  private readonly nameTable = new InternTable<string>([], MAX_NAMES - 1, 'syscall names');
  private readonly errnoTable = new InternTable<string>(['']);
  readonly names = this.nameTable.values;
  readonly errnos = this.errnoTable.values;
  private readonly pathTable = new InternTable<string>(['']);
  /** Path id → pattern id. */
  private readonly pathPatternIds: number[] = [0];
  private readonly patternTable = new InternTable<string>(['']);
  private readonly patterns = this.patternTable.values;
  /** Site id → its line's id (0: no source) and its call path. */
  private readonly siteLine: number[] = [0];
  private readonly siteFrames: string[][] = [[]];
  private readonly siteIds = new Map<string, number>();
  private readonly lineTable = new InternTable<LineSite>([{ file: '', line: 0 }]);
  private readonly lines = this.lineTable.values;
  private readonly stacks = new Map<number, { calls: number; dur: number }>();
  private readonly exeTable = new InternTable<string>();
  private readonly exes = this.exeTable.values;
  private readonly exeOfPid = new Map<number, number>();
  private readonly sourced = new Map<number, Tally>();
  private readonly unsourced = new Map<number, Tally>();
  private readonly byName: Tally[] = [];
  private readonly byteName: boolean[] = [];
  calls = 0;
  errors = 0;
  dur = 0;

  constructor(
    private readonly program: string,
    pid: number,
  ) {
    this.exeOfPid.set(pid, this.exeId(program));
  }

  nameId(name: string): number {
    const before = this.nameTable.size;
    const id = this.nameTable.id(name, name);
    if (id === before) {
      this.byName.push(new Tally());
      this.byteName.push(BYTE_CALLS.has(name));
    }
    return id;
  }

  errnoId(errno: string | undefined): number {
    return errno === undefined ? 0 : this.errnoTable.id(errno, errno);
  }

  pathId(path: string | undefined): number {
    if (path === undefined || path === '') return 0;
    const before = this.pathTable.size;
    const id = this.pathTable.id(path, path);
    if (id === before) {
      const pattern = pathPattern(path);
      this.pathPatternIds.push(this.patternTable.id(pattern, pattern));
    }
    return id;
  }

  siteId(s: SiteSource): number {
    const site = lineSite(s);
    if (!site) return 0;
    const frames = stackFrames(s);
    const key = JSON.stringify([site.file, site.line, site.function ?? null, site.functionLine ?? null, frames]);
    let id = this.siteIds.get(key);
    if (id === undefined) {
      id = this.siteLine.length;
      this.siteLine.push(this.lineTable.id(JSON.stringify([site.file, site.line, site.function ?? null, site.functionLine ?? null]), site));
      this.siteFrames.push(frames);
      this.siteIds.set(key, id);
    }
    return id;
  }

  addSyscall(pid: number, _tid: number, nameId: number, errnoId: number, _startNs: number, durNs: number, siteId: number, pathId: number, _flags: number, ret: number): void {
    const bytes = this.byteName[nameId] && ret > 0 ? ret : 0;
    this.calls++;
    this.dur += durNs;
    if (errnoId) this.errors++;
    this.byName[nameId].add(errnoId, durNs, bytes);
    let key: number;
    let map: Map<number, Tally>;
    if (siteId) {
      key = this.siteLine[siteId] * MAX_NAMES + nameId;
      map = this.sourced;
      const sk = siteId * MAX_NAMES + nameId;
      const st = this.stacks.get(sk);
      if (st) {
        st.calls++;
        st.dur += durNs;
      } else this.stacks.set(sk, { calls: 1, dur: durNs });
    } else {
      const exe = this.exeOfPid.get(pid) ?? 0;
      key = (exe * 1048576 + this.pathPatternIds[pathId]) * MAX_NAMES + nameId;
      map = this.unsourced;
    }
    let t = map.get(key);
    if (!t) map.set(key, (t = new Tally()));
    t.add(errnoId, durNs, bytes);
  }

  countSyscall(): void {}

  member(): void {}

  addProcessEvent(ev: ProcessEvent): void {
    if ((ev.kind === 'spawn' || ev.kind === 'exec') && ev.path) this.exeOfPid.set(ev.pid, this.exeId(ev.path));
    else if (ev.kind === 'fork' && !ev.thread && ev.parentPid !== undefined) this.exeOfPid.set(ev.pid, this.exeOfPid.get(ev.parentPid) ?? this.exeId(this.program));
  }

  isByteCall(name: string): boolean {
    return BYTE_CALLS.has(name);
  }

  *sourcedTallies(): Generator<SourcedTally> {
    for (const [key, tally] of this.sourced) {
      yield { site: this.lines[Math.floor(key / MAX_NAMES)], syscall: this.names[key % MAX_NAMES], tally };
    }
  }

  *stackTallies(): Generator<StackTally> {
    for (const [key, st] of this.stacks) yield { frames: this.siteFrames[Math.floor(key / MAX_NAMES)], syscall: this.names[key % MAX_NAMES], calls: st.calls, dur: st.dur };
  }

  *unsourcedTallies(): Generator<UnsourcedTally> {
    for (const [key, tally] of this.unsourced) {
      const name = key % MAX_NAMES;
      const rest = Math.floor(key / MAX_NAMES);
      yield { exe: this.exes[Math.floor(rest / 1048576)], path: this.patterns[rest % 1048576], syscall: this.names[name], tally };
    }
  }

  *syscallTallies(): Generator<{ syscall: string; tally: Tally }> {
    for (let k = 0; k < this.names.length; k++) if (this.byName[k].calls) yield { syscall: this.names[k], tally: this.byName[k] };
  }

  private exeId(path: string): number {
    return this.exeTable.id(path, path);
  }

}
