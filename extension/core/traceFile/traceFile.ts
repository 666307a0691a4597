// The trace file: every run's full record, written as it goes.
//
// Format (documented in the README): gzip of JSON Lines, one gzip member per
// batch, so a crash of the program or of the tracer loses at most the batch
// being written, and `zcat FILE | jq` reads it. Line 1 is a "session" header,
// then one line per event (the `--format json` objects), then an "end" line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import type { ProcessEvent, SessionInfo, SessionResult, SyscallEvent, TraceEvent, TraceSink } from '../session/events';
import { eventToJson, PROCESS_FIELDS } from '../format/jsonFormat';
import { NotGzipError, readGzipMembers } from './traceFileMembers';

export const TRACE_FILE_VERSION = 1;

export interface TraceFileHeader {
  type: 'session';
  version: number;
  program: string;
  argv: string[];
  pid: number;
  attached: boolean;
  cwd: string;
  /** Exact wall-clock ns of the session clock's origin, as a decimal string. */
  origin_wall_ns: string;
  /** Anything a later stage adds (trace context, service name…). */
  [key: string]: unknown;
}

export interface TraceFileEnd {
  type: 'end';
  exit_status: number | null;
  interrupted: boolean;
  syscalls: number;
  stops?: number;
  end_ns: string;
}

/** `.renacer/trace-20261124-091500-4242.jsonl.gz` under `dir`. */
export function defaultTraceFilePath(dir: string, pid: number, when = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${when.getFullYear()}${p(when.getMonth() + 1)}${p(when.getDate())}-` +
    `${p(when.getHours())}${p(when.getMinutes())}${p(when.getSeconds())}`;
  return path.join(dir, '.renacer', `trace-${stamp}-${pid}.jsonl.gz`);
}

export class TraceFileWriter implements TraceSink {
  private fd = -1;
  private info?: SessionInfo;
  private lines: string[] = [];

  /**
   * @param file where to write; a function gets the session info first (the
   *   default name carries the pid, known only once the program runs).
   * @param extraHeader fields added to the header line.
   */
  constructor(
    private readonly file: string | ((info: SessionInfo) => string),
    private readonly extraHeader: Record<string, unknown> = {},
    private readonly level = 1,
  ) {}

  /** The file's path, once started. */
  path?: string;

  onStart(info: SessionInfo): void {
    this.info = info;
    this.path = typeof this.file === 'string' ? this.file : this.file(info);
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    this.fd = fs.openSync(this.path, 'w');
    const header: TraceFileHeader = {
      type: 'session',
      version: TRACE_FILE_VERSION,
      program: info.program,
      argv: info.argv,
      pid: info.pid,
      attached: info.attached,
      cwd: info.cwd,
      origin_wall_ns: info.originWallNs.toString(),
      ...this.extraHeader,
    };
    this.writeMember(JSON.stringify(header) + '\n');
  }

  onEvents(events: TraceEvent[]): void {
    const info = this.info!;
    for (const ev of events) this.lines.push(eventToJson(ev, info));
    this.writeMember(this.lines.join('\n') + '\n');
    this.lines = [];
  }

  onEnd(result: SessionResult): void {
    if (this.fd < 0) return;
    const end: TraceFileEnd = {
      type: 'end',
      exit_status: result.exitStatus,
      interrupted: !!result.interrupted,
      syscalls: result.syscalls,
      stops: result.stops,
      end_ns: (this.info!.originWallNs + BigInt(Math.round(result.endNs))).toString(),
    };
    this.writeMember(JSON.stringify(end) + '\n');
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  private writeMember(text: string): void {
    fs.writeSync(this.fd, zlib.gzipSync(text, { level: this.level }));
  }
}

export interface TraceFileContents {
  header: TraceFileHeader;
  info: SessionInfo;
  events: TraceEvent[];
  /** Absent when the run did not finish writing (crash, kill -9). */
  end?: TraceFileEnd;
}

export class TraceFileError extends Error {}

const START_NS = /"start_ns":(\d+)/;
const TIME_NS = /"time_ns":(\d+)/;

/** Parses a trace file's first line; throws TraceFileError when it is not a session header. */
export function parseTraceFileHeader(first: string | undefined, file: string): { header: TraceFileHeader; info: SessionInfo } {
  let header: TraceFileHeader;
  try {
    header = JSON.parse(first ?? '') as TraceFileHeader;
  } catch {
    throw new TraceFileError(`${file}: not a renacer trace file (no session header)`);
  }
  if (!header || header.type !== 'session' || typeof header.origin_wall_ns !== 'string') {
    throw new TraceFileError(`${file}: not a renacer trace file (no session header)`);
  }
  if (header.version > TRACE_FILE_VERSION) {
    throw new TraceFileError(`${file}: trace file version ${header.version} is newer than this renacer reads (${TRACE_FILE_VERSION})`);
  }
  const info: SessionInfo = {
    program: header.program,
    argv: header.argv,
    pid: header.pid,
    attached: header.attached,
    cwd: header.cwd,
    originWallNs: BigInt(header.origin_wall_ns),
  };
  return { header, info };
}

/** Parses one line after the header: an event, the end record, or null for anything else. */
export function parseTraceFileLine(line: string, origin: bigint): TraceEvent | TraceFileEnd | null {
  const rel = (re: RegExp) => {
    const m = re.exec(line);
    return m ? Number(BigInt(m[1]) - origin) : 0;
  };
  const o = JSON.parse(line) as Record<string, any>;
  if (o.type === 'syscall') {
    const startNs = rel(START_NS);
    const ev: SyscallEvent = {
      type: 'syscall',
      pid: o.pid,
      tid: o.tid,
      nr: o.nr,
      name: o.name,
      args: o.args,
      ret: o.ret,
      startNs,
      endNs: startNs + o.dur_ns,
    };
    if (o.errno !== undefined) ev.errno = o.errno;
    if (o.ret_text !== undefined) ev.retText = o.ret_text;
    if (o.injected === true) ev.injected = true;
    if (o.delayed === true) ev.delayed = true;
    if (Array.isArray(o.stack)) ev.stack = o.stack;
    if (o.source) ev.source = o.source;
    if (o.original) ev.original = o.original;
    return ev;
  }
  if (o.type === 'process') {
    const ev: ProcessEvent = { type: 'process', kind: o.event, pid: o.pid, tid: o.tid, timeNs: rel(TIME_NS) };
    const fields = ev as unknown as Record<string, unknown>;
    for (const [field, json] of PROCESS_FIELDS) if (o[json] !== undefined) fields[field] = o[json];
    return ev;
  }
  if (o.type === 'end') return o as TraceFileEnd;
  return null;
}

/** A reading error as the TraceFileError a person reads (the file named), or the error itself. */
export function traceFileError(file: string, e: unknown): Error {
  if (e instanceof TraceFileError) return e;
  const err = e as NodeJS.ErrnoException;
  if (e instanceof NotGzipError || err.code?.startsWith('Z_')) return new TraceFileError(`${file}: not a renacer trace file (${err.message})`);
  if (err.code === 'ENOENT') return new TraceFileError(`${file}: no such file (ENOENT)`);
  if (err.code === 'EACCES' || err.code === 'EISDIR') return new TraceFileError(`${file}: ${err.message}`);
  return err;
}

/**
 * A trace file's lines, its gzip members read in order (traceFileMembers.ts):
 * the writer ends every member at a line's end; a last line cut short (a
 * crash mid-write) is dropped.
 */
function* traceFileLines(file: string): Generator<string> {
  let carry = '';
  try {
    for (const member of readGzipMembers(file)) {
      const lines = (carry + member.data.toString('utf8')).split('\n');
      carry = lines.pop() ?? '';
      yield* lines;
    }
  } catch (e) {
    throw traceFileError(file, e);
  }
}

/** Reads a trace file. A truncated last member (a crash) loses only that member. */
export function readTraceFile(file: string): TraceFileContents {
  const lines = traceFileLines(file);
  const first = lines.next();
  const { header, info } = parseTraceFileHeader(first.done ? undefined : first.value, file);
  const events: TraceEvent[] = [];
  let end: TraceFileEnd | undefined;
  for (const line of lines) {
    if (!line) continue;
    const item = parseTraceFileLine(line, info.originWallNs);
    if (item === null) continue;
    if (item.type === 'end') end = item;
    else events.push(item);
  }
  return { header, info, events, end };
}

/** True once the writer has closed the file with its end record (cheap: reads the last gzip member only). */
export function traceFileEnded(file: string): boolean {
  return withFileOpen(file, false, (fd) => endRecord(fd) !== undefined);
}

/** `read` on the file opened for reading (closed after), or `unopened` when it cannot be opened. */
function withFileOpen<T>(file: string, unopened: T, read: (fd: number) => T): T {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return unopened;
  }
  try {
    return read(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The end record, from the file's tail only: members are independent and the
 * end record is alone in the last one (a few hundred bytes at most).
 */
function endRecord(fd: number): TraceFileEnd | undefined {
  const size = fs.fstatSync(fd).size;
  const tail = Buffer.alloc(Math.min(size, 64 << 10));
  fs.readSync(fd, tail, 0, tail.length, size - tail.length);
  for (let i = tail.length - 10; i >= 0; i--) {
    if (tail[i] !== 0x1f || tail[i + 1] !== 0x8b || tail[i + 2] !== 0x08) continue;
    try {
      const text = zlib.gunzipSync(tail.subarray(i)).toString('utf8');
      return text.startsWith('{"type":"end"') ? (JSON.parse(text.trim()) as TraceFileEnd) : undefined;
    } catch {
      // a false gzip magic inside compressed data: keep looking
    }
  }
  return undefined;
}

export interface TraceFileStreamHandler {
  onHeader(header: TraceFileHeader, info: SessionInfo): void | Promise<void>;
  /** Batches of events in file order; a returned promise holds the reading back. */
  onEvents(events: TraceEvent[]): void | Promise<void>;
}

/**
 * Reads a trace file as a stream: the whole file is never in memory, and a
 * handler that returns a promise slows the reading down to its own pace.
 * Resolves with the end record, or undefined when the file has none (a
 * crash; a truncated last member loses only that member).
 */
export async function streamTraceFile(file: string, handler: TraceFileStreamHandler, batchEvents = 4096): Promise<TraceFileEnd | undefined> {
  let info: SessionInfo | undefined;
  let batch: TraceEvent[] = [];
  let end: TraceFileEnd | undefined;
  for (const line of traceFileLines(file)) {
    if (!info) {
      const parsed = parseTraceFileHeader(line, file);
      info = parsed.info;
      await handler.onHeader(parsed.header, info);
      continue;
    }
    if (!line) continue;
    const item = parseTraceFileLine(line, info.originWallNs);
    if (item === null) continue;
    if (item.type === 'end') {
      end = item;
      continue;
    }
    batch.push(item);
    if (batch.length >= batchEvents) {
      const b = batch;
      batch = [];
      await handler.onEvents(b);
    }
  }
  if (!info) throw new TraceFileError(`${file}: not a renacer trace file (no session header)`);
  if (batch.length) await handler.onEvents(batch);
  return end;
}

/** What a trace file is, from its first and last members only (cheap for any size): for pickers. */
export interface TraceFileSummary {
  program: string;
  startedAt: Date;
  /** From the end record; undefined while the run is still writing (or the file was cut short). */
  syscalls?: number;
  exitStatus?: number | null;
}

export function traceFileSummary(file: string): TraceFileSummary | undefined {
  return withFileOpen(file, undefined, (fd) => {
    try {
      const size = fs.fstatSync(fd).size;
      const head = Buffer.alloc(Math.min(size, 64 << 10));
      fs.readSync(fd, head, 0, head.length, 0);
      // The header is the first line of the first member: inflate as far as it goes.
      const text = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
      const header = JSON.parse(text.slice(0, text.indexOf('\n'))) as TraceFileHeader;
      if (header.type !== 'session') return undefined;
      const out: TraceFileSummary = {
        program: header.program,
        startedAt: new Date(Number(BigInt(header.origin_wall_ns) / 1_000_000n)),
      };
      const end = endRecord(fd);
      if (end) {
        out.syscalls = end.syscalls;
        out.exitStatus = end.exit_status;
      }
      return out;
    } catch {
      return undefined;
    }
  });
}
