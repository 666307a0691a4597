// Decoded traces kept on disk for the viewer: the columns (traceColumnsFile.ts)
// cut into COLUMN_PARTS parts gzip'd in parallel, and the tables and seek
// index as JSON. The parts are what the webview is sent, gzip'd: it
// inflates them natively (DecompressionStream), and a fifth of the bytes is
// what counts where the editor's connection is the bottleneck (VS Code
// Remote, code-server: 37 MB of raw columns took 2 s there). Several parts
// because gzip is single-threaded: compressed in parallel on the thread
// pool with libdeflate (native/src/gzip_worker.cc; zlib where the addon is
// not built), a million syscalls take ~55 ms on two cores instead of ~120. An entry is keyed by the trace file's path,
// size and modification time, so opening the same unchanged trace again
// skips decoding; the least recently used entries go.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

import { loadAddon } from '../extension/core/session/nativeAddon';
import type { TraceTables } from './traceColumns';
import type { DecodeResult, MemberIndex } from './traceColumnsDecoder';
import { encodeColumnsFile, splitColumnsFile } from './traceColumnsFile';

/** Bumped whenever the columns' layout or the tables change shape: older entries are then never read. */
export const CACHE_FORMAT = 4;
/** Files the columns are cut into (each gzip'd on its own, on the thread pool). */
export const COLUMN_PARTS = 4;
/** Entries kept (each is ~37 bytes per syscall). */
export const CACHE_ENTRIES = 3;

export interface CachedTrace {
  /** Syscalls in the columns. */
  count: number;
  tables: TraceTables;
  members: MemberIndex;
  unfinished: boolean;
  decodeMs: number;
  /** The columns file's parts, in order, each gzip'd (traceColumnsFile.ts). */
  columnsFiles: string[];
}

interface CacheRecord {
  format: number;
  trace: string;
  count: number;
  tables: TraceTables;
  members: { offsets: number[]; lengths: number[]; firstSyscall: number[] };
  unfinished: boolean;
  decodeMs: number;
  parts: number;
}

const gzip = promisify(zlib.gzip);

/** An entry's gzip'd parts, as the webview is sent them. */
export async function readCachedParts(entry: Pick<CachedTrace, 'columnsFiles'>): Promise<Uint8Array[]> {
  return Promise.all(entry.columnsFiles.map(async (f) => new Uint8Array(await fs.promises.readFile(f))));
}

/** gzip level 1 off this thread: libdeflate when the addon is there, else zlib. */
function gzipFast(bytes: Uint8Array): Promise<Buffer> {
  let addon;
  try {
    addon = loadAddon();
  } catch {
    // not built (or not Linux): zlib
  }
  return typeof addon?.gzip === 'function' ? addon.gzip(bytes, 1) : gzip(bytes, { level: 1 });
}

function partFiles(dir: string, key: string, parts: number): string[] {
  return Array.from({ length: parts }, (_, k) => path.join(dir, `${key}.columns.${k}.gz`));
}

/** The entry name for `file` decoded with `limit`, from what identifies its contents on disk. */
export function cacheKey(file: string, limit: number): string {
  const st = fs.statSync(file);
  return crypto.createHash('sha256').update(`${CACHE_FORMAT}\0${path.resolve(file)}\0${st.size}\0${st.mtimeMs}\0${st.ino}\0${limit}`).digest('hex').slice(0, 32);
}

/** The entry, or undefined when there is none (or it is damaged). Marks it recently used. */
export function readCache(dir: string, key: string): CachedTrace | undefined {
  const json = path.join(dir, `${key}.json`);
  try {
    const r = JSON.parse(fs.readFileSync(json, 'utf8')) as CacheRecord;
    if (r.format !== CACHE_FORMAT) return undefined;
    const columnsFiles = partFiles(dir, key, r.parts);
    if (!columnsFiles.every((f) => fs.existsSync(f))) return undefined;
    const now = new Date();
    fs.utimesSync(json, now, now);
    return {
      count: r.count,
      tables: r.tables,
      members: { offsets: Float64Array.from(r.members.offsets), lengths: Float64Array.from(r.members.lengths), firstSyscall: Float64Array.from(r.members.firstSyscall) },
      unfinished: r.unfinished,
      decodeMs: r.decodeMs,
      columnsFiles,
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
export async function writeCache(dir: string, key: string, trace: string, r: DecodeResult, decodeMs: number): Promise<CachedTrace & { parts: Uint8Array[] }> {
  fs.mkdirSync(dir, { recursive: true });
  const columnsFiles = partFiles(dir, key, COLUMN_PARTS);
  const parts = await Promise.all(
    splitColumnsFile(encodeColumnsFile(r.trace.columns), COLUMN_PARTS).map(async (bytes, k) => {
      // Level 1: most of the gain for a fraction of the time (a million syscalls: 25 MB → 5.0 MB).
      const gz = await gzipFast(bytes);
      await fs.promises.writeFile(`${columnsFiles[k]}.tmp`, gz);
      await fs.promises.rename(`${columnsFiles[k]}.tmp`, columnsFiles[k]);
      return new Uint8Array(gz.buffer, gz.byteOffset, gz.length);
    }),
  );
  const record: CacheRecord = {
    format: CACHE_FORMAT,
    trace,
    count: r.trace.columns.count,
    tables: r.trace.tables,
    members: { offsets: [...r.members.offsets], lengths: [...r.members.lengths], firstSyscall: [...r.members.firstSyscall] },
    unfinished: r.unfinished,
    decodeMs,
    parts: COLUMN_PARTS,
  };
  const json = path.join(dir, `${key}.json`);
  fs.writeFileSync(`${json}.tmp`, JSON.stringify(record));
  fs.renameSync(`${json}.tmp`, json);
  evict(dir, CACHE_ENTRIES);
  return { count: r.trace.columns.count, tables: r.trace.tables, members: r.members, unfinished: r.unfinished, decodeMs, columnsFiles, parts };
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
    const key = n.replace(/\.(json|columns\.\d+\.gz)(\.tmp)?$/, '');
    // A .tmp less than a minute old may be another window writing now.
    if (n.endsWith('.tmp') && Date.now() - fs.statSync(path.join(dir, n)).mtimeMs < 60_000) continue;
    if (!live.has(key) || n.endsWith('.tmp')) fs.rmSync(path.join(dir, n), { force: true });
  }
}
