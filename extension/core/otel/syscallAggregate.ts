// Per-site syscall aggregates: once a run's export budget is spent, the
// syscalls of one process at one site (syscall name + source line) become a
// single span carrying how many there were, how long they took in total and
// how many failed with which errno. Nothing is dropped: the counts add up.
import { SpanStatusCode, type Attributes, type SpanStatus } from '@opentelemetry/api';

import type { OriginalLocation, SourceLocation, SyscallEvent } from '../session/events';
import { Attr, STATUS_UNSET } from './spanModel';

export class SyscallSite {
  count = 0;
  durationNs = 0;
  errorCount = 0;
  readonly errors = new Map<string, number>();
  firstStartNs = Infinity;
  lastEndNs = -Infinity;

  constructor(
    readonly name: string,
    readonly pid: number,
    readonly source?: SourceLocation,
    readonly original?: OriginalLocation,
  ) {}

  add(ev: SyscallEvent): void {
    this.count++;
    this.durationNs += ev.endNs - ev.startNs;
    if (ev.errno !== undefined) {
      this.errorCount++;
      this.errors.set(ev.errno, (this.errors.get(ev.errno) ?? 0) + 1);
    }
    if (ev.startNs < this.firstStartNs) this.firstStartNs = ev.startNs;
    if (ev.endNs > this.lastEndNs) this.lastEndNs = ev.endNs;
  }

  attributes(): Attributes {
    const a: Attributes = {
      [Attr.syscallName]: this.name,
      [Attr.processPid]: this.pid,
      [Attr.aggregated]: true,
      [Attr.aggregatedCount]: this.count,
      [Attr.aggregatedDurationNs]: Math.round(this.durationNs),
      [Attr.aggregatedErrorCount]: this.errorCount,
    };
    if (this.errors.size) {
      a[Attr.aggregatedErrorTypes] = [...this.errors.keys()];
      a[Attr.aggregatedErrorCounts] = [...this.errors.values()];
    }
    if (this.source) addSourceAttributes(a, this.source);
    if (this.original) addTranspilerAttributes(a, this.original);
    return a;
  }

  status(): SpanStatus {
    if (!this.errorCount) return STATUS_UNSET;
    return { code: SpanStatusCode.ERROR, message: `${this.errorCount} of ${this.count} calls failed` };
  }
}

/** The key of a syscall's site within its process. */
export function siteKey(ev: SyscallEvent): string {
  const s = ev.source;
  return s ? `${ev.name}\0${s.file}\0${s.line}\0${s.function ?? ''}` : ev.name;
}

/** code.* attributes, under both the current and the older semantic-convention names. */
export function addSourceAttributes(a: Attributes, s: SourceLocation): void {
  a[Attr.codeFilePath] = s.file;
  a[Attr.codeLineNumber] = s.line;
  a[Attr.codeFilepathOld] = s.file;
  a[Attr.codeLinenoOld] = s.line;
  if (s.column !== undefined) {
    a[Attr.codeColumnNumber] = s.column;
    a[Attr.codeColumnOld] = s.column;
  }
  if (s.function !== undefined) {
    a[Attr.codeFunctionName] = s.function;
    a[Attr.codeFunctionOld] = s.function;
  }
}

export function addTranspilerAttributes(a: Attributes, o: OriginalLocation): void {
  if (o.language !== undefined) a[Attr.transpilerSourceLanguage] = o.language;
  a[Attr.transpilerOriginalFile] = o.file;
  a[Attr.transpilerOriginalLine] = o.line;
  if (o.function !== undefined) a[Attr.transpilerOriginalFunction] = o.function;
  if (o.decisionId !== undefined) a[Attr.transpilerDecisionId] = o.decisionId;
  if (o.context !== undefined) a[Attr.transpilerContext] = o.context;
}
