// `renacer diff BEFORE AFTER`'s engine: streams each trace file through the
// native scanner into per-site tallies (siteTally.ts), matches the two
// builds' lines (siteMatching.ts) and says, per call site, what changed.
import * as fs from 'node:fs';

import { readTraceHeader, readTraceRange } from '../traceFile/traceRangeReader';
import type { DiffRow, RunSummary, SideStats, SiteChange, StackDelta, SyscallDelta, TraceDiff } from './diffModel';
import { alignLines, type SiteLine } from './siteMatching';
import { SiteTally, type Tally } from './siteTally';

/** Compressed bytes scanned at a time: a few thousand calls' columns in memory, whatever the trace's length. */
const STREAM_CHUNK = 1 << 20;

interface Side {
  summary: RunSummary;
  tally: SiteTally;
}

/** Reads one trace file into tallies; throws TraceFileError for a missing, empty or corrupt file. */
export function tallyTraceFile(file: string, warnings: string[]): Side {
  const { header } = readTraceHeader(file);
  const tally = new SiteTally(header.program, header.pid);
  const { truncated } = readTraceRange({ file, from: 0, to: fs.statSync(file).size, origin: header.origin_wall_ns, wholeMembersOnly: true, chunkBytes: STREAM_CHUNK }, tally);
  const cut = truncated || !tally.end;
  if (cut) warnings.push(`${file} was cut short (${truncated ? 'its last batch is incomplete' : 'it has no end record'}): read up to its last whole batch`);
  return {
    summary: { file, program: header.program, pid: header.pid, calls: tally.calls, errors: tally.errors, dur_ns: tally.dur, truncated: cut },
    tally,
  };
}

function sameOutcome(a: SideStats, b: SideStats): boolean {
  if (a.calls !== b.calls) return false;
  const ea = Object.entries(a.errors);
  if (ea.length !== Object.keys(b.errors).length) return false;
  return ea.every(([e, n]) => b.errors[e] === n);
}

export function changeOf(before: SideStats | null, after: SideStats | null): SiteChange {
  if (!before) return 'new';
  if (!after) return 'gone';
  return sameOutcome(before, after) ? 'same' : 'changed';
}

/** Lines of one side, grouped by (file, function). */
function groupLines(side: SiteTally): Map<string, Map<number, SiteLine<Tally>>> {
  const groups = new Map<string, Map<number, SiteLine<Tally>>>();
  for (const { site, syscall, tally } of side.sourcedTallies()) {
    const key = `${site.file}\0${site.function ?? ''}`;
    let lines = groups.get(key);
    if (!lines) groups.set(key, (lines = new Map()));
    let l = lines.get(site.line);
    if (!l) lines.set(site.line, (l = { line: site.line, functionLine: site.functionLine, syscalls: new Map() }));
    l.syscalls.set(syscall, tally);
  }
  return groups;
}

const RANK: Record<SiteChange, number> = { changed: 0, new: 0, gone: 0, same: 1 };

function rowOrder(x: DiffRow, y: DiffRow): number {
  const r = RANK[x.change] - RANK[y.change];
  if (r) return r;
  const sx = x.file === null ? 1 : 0;
  const sy = y.file === null ? 1 : 0;
  if (sx !== sy) return sx - sy;
  if (x.file !== null && y.file !== null) {
    return x.file.localeCompare(y.file) || (x.line ?? 0) - (y.line ?? 0) || x.syscall.localeCompare(y.syscall);
  }
  const dx = Math.abs((x.after?.calls ?? 0) - (x.before?.calls ?? 0));
  const dy = Math.abs((y.after?.calls ?? 0) - (y.before?.calls ?? 0));
  return dy - dx || (x.exe ?? '').localeCompare(y.exe ?? '') || x.syscall.localeCompare(y.syscall) || (x.path ?? '').localeCompare(y.path ?? '');
}

/** Diffs two trace files. Throws TraceFileError naming a file that cannot be read. */
export function diffTraceFiles(beforeFile: string, afterFile: string): TraceDiff {
  const warnings: string[] = [];
  const b = tallyTraceFile(beforeFile, warnings);
  const a = tallyTraceFile(afterFile, warnings);
  const stats = (side: SiteTally, name: string, t: Tally | undefined) => (t ? t.stats(side.errnos, side.isByteCall(name)) : null);
  const rows: DiffRow[] = [];

  // Sourced sites: matched line by line within each function.
  const gb = groupLines(b.tally);
  const ga = groupLines(a.tally);
  for (const key of new Set([...gb.keys(), ...ga.keys()])) {
    const [file, fn] = key.split('\0');
    const sorted = (m?: Map<number, SiteLine<Tally>>) => [...(m?.values() ?? [])].sort((x, y) => x.line - y.line);
    for (const pair of alignLines(sorted(gb.get(key)), sorted(ga.get(key)))) {
      const names = new Set([...(pair.before?.syscalls.keys() ?? []), ...(pair.after?.syscalls.keys() ?? [])]);
      for (const name of names) {
        const before = stats(b.tally, name, pair.before?.syscalls.get(name));
        const after = stats(a.tally, name, pair.after?.syscalls.get(name));
        const change = changeOf(before, after);
        const row: DiffRow = { file, line: (pair.after ?? pair.before)!.line, function: fn || null, syscall: name, before, after, change };
        if (pair.before && pair.after && pair.before.line !== pair.after.line) row.before_line = pair.before.line;
        if (!pair.after && pair.afterLine !== undefined) row.after_line = pair.afterLine;
        rows.push(row);
      }
    }
  }

  // Calls without a source line: by (executable, syscall, path pattern).
  const unsourced = (side: SiteTally) => {
    const m = new Map<string, { exe: string; path: string; syscall: string; tally: Tally }>();
    for (const u of side.unsourcedTallies()) m.set(`${u.exe}\0${u.syscall}\0${u.path}`, u);
    return m;
  };
  const ub = unsourced(b.tally);
  const ua = unsourced(a.tally);
  for (const key of new Set([...ub.keys(), ...ua.keys()])) {
    const x = ub.get(key);
    const y = ua.get(key);
    const u = (x ?? y)!;
    const before = stats(b.tally, u.syscall, x?.tally);
    const after = stats(a.tally, u.syscall, y?.tally);
    const row: DiffRow = { file: null, line: null, function: null, syscall: u.syscall, before, after, change: changeOf(before, after), exe: u.exe };
    if (u.path) row.path = u.path;
    rows.push(row);
  }
  rows.sort(rowOrder);

  const byName = (side: SiteTally) => new Map([...side.syscallTallies()].map((s) => [s.syscall, s.tally]));
  const nb = byName(b.tally);
  const na = byName(a.tally);
  const syscalls: SyscallDelta[] = [...new Set([...nb.keys(), ...na.keys()])].sort().map((name) => ({
    syscall: name,
    before: stats(b.tally, name, nb.get(name)),
    after: stats(a.tally, name, na.get(name)),
  }));

  const stacks = new Map<string, StackDelta>();
  const addStacks = (side: SiteTally, which: 'before' | 'after') => {
    for (const s of side.stackTallies()) {
      const frames = [...s.frames, s.syscall];
      const key = frames.join('\0');
      let d = stacks.get(key);
      if (!d) stacks.set(key, (d = { frames, before: { calls: 0, dur_ns: 0 }, after: { calls: 0, dur_ns: 0 } }));
      d[which].calls += s.calls;
      d[which].dur_ns += s.dur;
    }
    for (const u of side.unsourcedTallies()) {
      const frames = [u.exe.split('/').pop() || u.exe, u.syscall];
      const key = `\0unsourced\0${frames.join('\0')}`;
      let d = stacks.get(key);
      if (!d) stacks.set(key, (d = { frames, before: { calls: 0, dur_ns: 0 }, after: { calls: 0, dur_ns: 0 } }));
      d[which].calls += u.tally.calls;
      d[which].dur_ns += u.tally.dur;
    }
  };
  addStacks(b.tally, 'before');
  addStacks(a.tally, 'after');

  return { before: b.summary, after: a.summary, rows, syscalls, stacks: [...stacks.values()], warnings };
}
