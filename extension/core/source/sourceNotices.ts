// Notices from source correlation (native/src/source_resolver.cc): a module
// without debug info, a separate debug file not found… The resolver raises
// each once per session and hands it over on the syscall event whose unwind
// found it, as `notices: string[]`; this sink takes them off the event (they
// are not part of the event's data) and reports each once. Put it before the
// output sinks.
import type { TraceEvent, TraceSink } from '../session/events';

export class SourceNoticeSink implements TraceSink {
  private readonly seen = new Set<string>();

  constructor(private readonly report: (notice: string) => void) {}

  onEvents(events: TraceEvent[]): void {
    for (const ev of events) {
      if (ev.type !== 'syscall') continue;
      const carrier = ev as { notices?: unknown };
      if (carrier.notices === undefined) continue;
      const notices = carrier.notices;
      delete carrier.notices;
      if (!Array.isArray(notices)) continue;
      for (const n of notices) {
        if (typeof n !== 'string' || this.seen.has(n)) continue;
        this.seen.add(n);
        this.report(n);
      }
    }
  }
}
