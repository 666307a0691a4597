// Decoded traces kept on disk for the viewer: the columns as one gzip'd
// binary file (traceColumnsFile.ts), and the tables and seek index as JSON. The webview fetches
// the columns as a webview resource and inflates them natively
// (DecompressionStream) instead of receiving tens of MB through the
// extension host's message channel; gzip makes them about a third of their
// size, which is what counts where the editor's connection is the bottleneck
// (VS Code Remote, code-server). An entry is keyed by the trace file's path,
// size and modification time, so opening the same unchanged trace again
// skips decoding; the least recently used entries go.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import type { TraceColumns, TraceTables } from './traceColumns';
import type { DecodeResult, MemberIndex } from './traceColumnsDecoder';
import { decodeColumnsFile, encodeColumnsFile } from './traceColumnsFile';

/** Bumped whenever the columns' layout or the tables change shape: older entries are then never read. */
export const CACHE_FORMAT = 3;
/** Entries kept (each is ~37 bytes per syscall). */
export const CACHE_ENTRIES = 3;

export interface CachedTrace {
  /** Syscalls in the columns. */
  count: number;
  tables: TraceTables;
  members: MemberIndex;
  unfinished: boolean;
  decodeMs: number;
  /** The columns, gzip'd (traceColumnsFile.ts). */
  columnsFile: string;
}

interface CacheRecord {
  format: number;
  trace: string;
  count: number;
  tables: TraceTables;
  members: { offsets: number[]; lengths: number[]; firstSyscall: number[] };
  unfinished: boolean;
  decodeMs: number;
}

/** Reads an entry's columns back, for a webview that could not fetch them. */
export async function readCachedColumns(entry: Pick<CachedTrace, 'columnsFile' | 'count' | 'tables'>): Promise<TraceColumns> {
  const bytes = await new Promise<Buffer>((resolve, reject) =>
    fs.readFile(entry.columnsFile, (e, data) => (e ? reject(e) : zlib.gunzip(data, (e2, out) => (e2 ? reject(e2) : resolve(out))))),
  );
  return decodeColumnsFile(bytes, entry.count, entry.tables.threads.length);
}

/** The entry name for `file` decoded with `limit`, from what identifies its contents on disk. */
export function cacheKey(file: string, limit: number): string {
  const st = fs.statSync(file);
  return crypto.createHash('sha256').update(`${CACHE_FORMAT}\0${path.resolve(file)}\0${st.size}\0${st.mtimeMs}\0${st.ino}\0${limit}`).digest('hex').slice(0, 32);
}

/** The entry, or undefined when there is none (or it is damaged). Marks it recently used. */
export function readCache(dir: string, key: string): CachedTrace | undefined {
  const json = path.join(dir, `${key}.json`);
  const columnsFile = path.join(dir, `${key}.columns.gz`);
  try {
    const r = JSON.parse(fs.readFileSync(json, 'utf8')) as CacheRecord;
    if (r.format !== CACHE_FORMAT || !fs.existsSync(columnsFile)) return undefined;
    const now = new Date();
    fs.utimesSync(json, now, now);
    return {
      count: r.count,
      tables: r.tables,
      members: { offsets: Float64Array.from(r.members.offsets), lengths: Float64Array.from(r.members.lengths), firstSyscall: Float64Array.from(r.members.firstSyscall) },
      unfinished: r.unfinished,
      decodeMs: r.decodeMs,
      columnsFile,
    };
  } catch {
    return undefined;
  }
}

/**
 * Writes a decoded trace as entry `key` (the columns first, the JSON last
 * and renamed into place, so a half-written entry is never read), then
 * removes all but the CACHE_ENTRIES most recently used. Returns the entry.
 */
export function writeCache(dir: string, key: string, trace: string, r: DecodeResult, decodeMs: number): CachedTrace {
  fs.mkdirSync(dir, { recursive: true });
  const columnsFile = path.join(dir, `${key}.columns.gz`);
  // Level 1: most of the gain for a fraction of the time (a million syscalls: 37 MB → 7 MB in ~0.2 s here).
  fs.writeFileSync(`${columnsFile}.tmp`, zlib.gzipSync(encodeColumnsFile(r.trace.columns), { level: 1 }));
  fs.renameSync(`${columnsFile}.tmp`, columnsFile);
  const record: CacheRecord = {
    format: CACHE_FORMAT,
    trace,
    count: r.trace.columns.count,
    tables: r.trace.tables,
    members: { offsets: [...r.members.offsets], lengths: [...r.members.lengths], firstSyscall: [...r.members.firstSyscall] },
    unfinished: r.unfinished,
    decodeMs,
  };
  const json = path.join(dir, `${key}.json`);
  fs.writeFileSync(`${json}.tmp`, JSON.stringify(record));
  fs.renameSync(`${json}.tmp`, json);
  evict(dir, CACHE_ENTRIES);
  return { count: r.trace.columns.count, tables: r.trace.tables, members: r.members, unfinished: r.unfinished, decodeMs, columnsFile };
}

/** Keeps the `keep` most recently used entries; removes the rest and any leftovers. */
export function evict(dir: string, keep: number): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const entries = names
    .filter((n) => n.endsWith('.json'))
    .map((n) => ({ key: n.slice(0, -5), used: fs.statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  const live = new Set(entries.slice(0, keep).map((e) => e.key));
  for (const n of names) {
    const key = n.replace(/\.(json|columns\.gz)(\.tmp)?$/, '');
    // A .tmp less than a minute old may be another window writing now.
    if (n.endsWith('.tmp') && Date.now() - fs.statSync(path.join(dir, n)).mtimeMs < 60_000) continue;
    if (!live.has(key) || n.endsWith('.tmp')) fs.rmSync(path.join(dir, n), { force: true });
  }
}
