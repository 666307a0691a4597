// CSV (RFC 4180): one row per syscall, for spreadsheets and dataframes.
import type { SessionInfo, TraceEvent, TraceSink } from '../session/events';
import { wallNs } from '../session/events';
import type { OutputWriter } from './outputWriter';
import { formatReturn } from './textFormat';

export const CSV_HEADER =
  'pid,tid,syscall,nr,args,ret,errno,result,start_ns,dur_ns,file,line,function,original_file,original_line,original_function';

function field(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export class CsvFormatSink implements TraceSink {
  private info?: SessionInfo;

  constructor(private readonly out: OutputWriter) {}

  onStart(info: SessionInfo): void {
    this.info = info;
    this.out.write(CSV_HEADER + '\n');
  }

  onEvents(events: TraceEvent[]): void {
    const info = this.info!;
    for (const ev of events) {
      if (ev.type !== 'syscall') continue;
      const row = [
        ev.pid,
        ev.tid,
        ev.name,
        ev.nr,
        field(ev.args.join(', ')),
        ev.ret === null ? '' : ev.ret,
        ev.errno ?? '',
        field(formatReturn(ev)),
        wallNs(info, ev.startNs).toString(),
        Math.round(ev.endNs - ev.startNs),
        field(ev.source?.file),
        ev.source?.line ?? '',
        field(ev.source?.function),
        field(ev.original?.file),
        ev.original?.line ?? '',
        field(ev.original?.function),
      ];
      this.out.write(row.join(',') + '\n');
    }
    this.out.flush();
  }

  onEnd(): void {
    this.out.flush();
  }
}
