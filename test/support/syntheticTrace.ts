// Trace files with known contents, written by the real TraceFileWriter: for
// the viewer's tests (exact expectations) and its benchmark (a million
// syscalls in seconds, without tracing anything). Deterministic: the same
// options give the same file.
import type { ProcessEvent, SessionInfo, SourceLocation, SyscallEvent, TraceEvent } from '../../extension/core/session/events';
import { TraceFileWriter } from '../../extension/core/traceFile/traceFile';

export const SYNTHETIC_TRACE_CONTEXT = {
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  root_span_id: '00f067aa0ba902b7',
  parent_span_id: null,
  trace_flags: 1,
  trace_state: null,
  span_id_seed: '1f2e3d4c5b6a7988',
  parent_traceparent: null,
  parent_source: null,
};

export const SRC = '/work/app/src';

const loc = (file: string, line: number, fn: string, inlined?: SourceLocation['inlined']): SourceLocation => {
  const l: SourceLocation = { file: `${SRC}/${file}`, line, column: 5, function: fn };
  if (inlined) l.inlined = inlined;
  return l;
};

/** The call sites the synthetic program makes its syscalls from. */
export const SITES = {
  loadConfig: loc('config.c', 12, 'load_config', [{ file: `${SRC}/main.c`, line: 40, column: 3, function: 'main' }]),
  readChunk: loc('io.c', 27, 'read_chunk', [
    { file: `${SRC}/io.c`, line: 60, column: 9, function: 'copy_file' },
    { file: `${SRC}/main.c`, line: 44, column: 3, function: 'main' },
  ]),
  writeReply: loc('net.c', 88, 'send_reply', [{ file: `${SRC}/worker.c`, line: 31, column: 7, function: 'worker_loop' }]),
  waitWork: loc('worker.c', 22, 'worker_loop'),
  statFile: loc('io.c', 15, 'file_size', [{ file: `${SRC}/main.c`, line: 42, column: 3, function: 'main' }]),
};

export interface SyntheticOptions {
  /** Syscalls in all (default 1000). */
  syscalls?: number;
  processes?: number;
  threadsPerProcess?: number;
  /** Events per gzip member, as the tracer's batches (default 4096). */
  batch?: number;
  seed?: number;
}

export interface SyntheticSummary {
  syscalls: number;
  /** openat calls that failed with ENOENT. */
  enoent: number;
  processes: number;
  threads: number;
  pid: number;
  origin: bigint;
}

/** A small seeded PRNG (mulberry32): the same seed, the same trace. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes a trace of a program whose processes fork from the first one and
 * whose threads copy files (openat, some failing with ENOENT, read, close),
 * answer over sockets (write), wait (futex, long) and poll (getppid).
 */
export function writeSyntheticTrace(file: string, options: SyntheticOptions = {}): SyntheticSummary {
  const total = options.syscalls ?? 1000;
  const processes = options.processes ?? 2;
  const threadsPerProcess = options.threadsPerProcess ?? 2;
  const batch = options.batch ?? 4096;
  const rand = prng(options.seed ?? 42);
  const pid = 1000;
  const origin = 1_764_000_000_000_000_000n;
  const info: SessionInfo = { program: '/work/app/build/server', argv: ['/work/app/build/server', '--port', '8080'], pid, attached: false, originWallNs: origin, cwd: '/work/app' };
  const writer = new TraceFileWriter(file, { trace_context: SYNTHETIC_TRACE_CONTEXT });
  writer.onStart(info);
  const events: TraceEvent[] = [];
  const flush = () => {
    if (events.length) writer.onEvents(events.splice(0));
  };
  const push = (e: TraceEvent) => {
    events.push(e);
    if (events.length >= batch) flush();
  };

  // Tasks: process p has pid 1000 + 100p; its threads tid pid, pid+1, …
  const tasks: Array<{ pid: number; tid: number; t: number }> = [];
  push({ type: 'process', kind: 'spawn', pid, tid: pid, timeNs: 1000, path: info.program });
  for (let p = 0; p < processes; p++) {
    const ppid = pid + 100 * p;
    if (p > 0) push({ type: 'process', kind: 'fork', pid: ppid, tid: ppid, timeNs: 2000 + p * 1000, parentPid: pid, parentTid: pid, thread: false });
    for (let k = 0; k < threadsPerProcess; k++) {
      if (k > 0) push({ type: 'process', kind: 'fork', pid: ppid, tid: ppid + k, timeNs: 3000 + p * 1000 + k, parentPid: ppid, parentTid: ppid, thread: true });
      tasks.push({ pid: ppid, tid: ppid + k, t: 10_000 + p * 1000 + k * 300 });
    }
  }
  let enoent = 0;
  const pending: SyscallEvent[] = [];
  for (let n = 0; n < total; n++) {
    // Round-robin over the threads, each thread's calls in sequence with gaps.
    const task = tasks[n % tasks.length];
    const r = rand();
    const start = task.t + Math.floor(rand() * 20_000);
    let ev: SyscallEvent;
    const base = { type: 'syscall' as const, pid: task.pid, tid: task.tid, startNs: start };
    if (r < 0.1) {
      const missing = rand() < 0.25;
      const path = missing ? `/etc/app/conf.d/${Math.floor(rand() * 8)}.conf` : `/srv/data/file-${Math.floor(rand() * 500)}.bin`;
      ev = { ...base, nr: 257, name: 'openat', args: ['AT_FDCWD', `"${path}"`, 'O_RDONLY'], ret: missing ? -1 : 3, endNs: start + 3000 + Math.floor(rand() * 20_000), source: SITES.loadConfig };
      if (missing) {
        ev.errno = 'ENOENT';
        enoent++;
      }
    } else if (r < 0.4) {
      ev = { ...base, nr: 0, name: 'read', args: ['3', '"\\x7fELF\\x02\\x01"...', '65536'], ret: 65536, endNs: start + 2000 + Math.floor(rand() * 40_000), source: SITES.readChunk };
    } else if (r < 0.6) {
      ev = { ...base, nr: 1, name: 'write', args: ['5', '"HTTP/1.1 200 OK\\r\\n"...', '512'], ret: 512, endNs: start + 1500 + Math.floor(rand() * 10_000), source: SITES.writeReply };
    } else if (r < 0.7) {
      ev = { ...base, nr: 202, name: 'futex', args: ['0x7f3a2c001000', 'FUTEX_WAIT_PRIVATE', '0', 'NULL'], ret: 0, endNs: start + 50_000 + Math.floor(rand() * 500_000), source: SITES.waitWork };
    } else if (r < 0.75) {
      ev = { ...base, nr: 262, name: 'newfstatat', args: ['AT_FDCWD', `"/srv/data/file-${Math.floor(rand() * 500)}.bin"`, '0x7ffd1000', '0'], ret: 0, endNs: start + 2500, source: SITES.statFile };
    } else {
      ev = { ...base, nr: 110, name: 'getppid', args: [], ret: pid, endNs: start + 800 + Math.floor(rand() * 400) };
    }
    task.t = ev.endNs + 500 + Math.floor(rand() * 5000);
    pending.push(ev);
    // Events reach the file at exit, in exit order across threads.
    if (pending.length >= tasks.length) {
      pending.sort((a, b) => a.endNs - b.endNs);
      for (const e of pending.splice(0)) push(e);
    }
  }
  pending.sort((a, b) => a.endNs - b.endNs);
  for (const e of pending.splice(0)) push(e);
  const endNs = Math.max(...tasks.map((t) => t.t)) + 1000;
  for (const task of [...tasks].reverse()) {
    const ev: ProcessEvent = { type: 'process', kind: 'exit', pid: task.pid, tid: task.tid, timeNs: endNs, exitCode: 0 };
    push(ev);
  }
  flush();
  writer.onEnd({ exitStatus: 0, syscalls: total, endNs: endNs + 10 });
  return { syscalls: total, enoent, processes, threads: tasks.length, pid, origin };
}
