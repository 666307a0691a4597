// The trace as the viewer's views read it: the columns and tables the host
// sent (viewer/traceColumns.ts), plus the names a person reads for
// processes, threads, sites and frames.
import type { FrameInfo, SiteInfo, TraceColumns, TraceTables } from '../viewer/traceColumns';

export function baseName(file: string): string {
  const i = file.lastIndexOf('/');
  return i >= 0 ? file.slice(i + 1) : file;
}

export class TraceModel {
  readonly count: number;

  constructor(
    readonly columns: TraceColumns,
    readonly tables: TraceTables,
  ) {
    this.count = columns.count;
  }

  /** `demo (4242)`. */
  processLabel(p: number): string {
    const info = this.tables.processes[p];
    const exe = info.exe ? baseName(info.exe) : '';
    return exe ? `${exe} (${info.pid})` : `process ${info.pid}`;
  }

  /** `main thread 4242` or `thread 4243`. */
  threadLabel(t: number): string {
    const info = this.tables.threads[t];
    const p = this.tables.processes[info.process];
    return info.tid === p.pid ? `main thread ${info.tid}` : `thread ${info.tid}`;
  }

  site(i: number): SiteInfo {
    return this.tables.sites[this.columns.site[i]];
  }

  /** `demo.c:12 in load_config`, or '' when the source is unknown. */
  siteLabel(siteIndex: number): string {
    const s = this.tables.sites[siteIndex];
    if (!s || s.file < 0) return '';
    return `${baseName(this.tables.files[s.file])}:${s.line}${s.function ? ` in ${s.function}` : ''}`;
  }

  frameLabel(f: FrameInfo): string {
    return `${f.function ?? '??'} ${baseName(this.tables.files[f.file])}:${f.line}`;
  }

  name(i: number): string {
    return this.tables.names[this.columns.name[i]];
  }

  errno(i: number): string {
    return this.tables.errnos[this.columns.errno[i]];
  }

  path(i: number): string {
    return this.tables.paths[this.columns.path[i]];
  }

  processOf(i: number): number {
    return this.tables.threads[this.columns.thread[i]].process;
  }

  end(i: number): number {
    return this.columns.start[i] + this.columns.dur[i];
  }
}
