// What a trace-file reader (traceLineDecoder.ts, traceRangeScanner.ts) hands
// each record to. The viewer keeps every call (traceShard.ts); the diff
// only folds them into per-site figures (diff/siteTally.ts). Ids are the
// sink's own: the reader asks for one per text the first time it meets it.
import type { OriginalLocation, ProcessEvent, SourceLocation } from '../session/events';
import type { TraceFileEnd } from './traceFile';

/** Bits of `flags` in addSyscall (the viewer's TraceColumns.flags). */
export const SYSCALL_UNFINISHED = 1; // never returned (exit_group, killed inside the call)

export interface SiteSource {
  source?: SourceLocation;
  original?: OriginalLocation;
  stack?: SourceLocation[];
}

export interface SyscallRecordSink {
  /** Past this point calls are only counted (countSyscall): the reader skips reading them. */
  readonly full: boolean;
  end?: TraceFileEnd;
  nameId(name: string): number;
  errnoId(errno: string | undefined): number;
  pathId(path: string | undefined): number;
  siteId(site: SiteSource): number;
  /** `ret`: the return value (NaN when the call never returned, see SYSCALL_UNFINISHED in flags). */
  addSyscall(pid: number, tid: number, nameId: number, errnoId: number, startNs: number, durNs: number, siteId: number, pathId: number, flags: number, ret: number): void;
  countSyscall(): void;
  addProcessEvent(event: ProcessEvent): void;
  /** A new gzip member starts. */
  member(offset: number, length: number): void;
}
