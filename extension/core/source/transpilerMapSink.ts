// The --transpiler-map sink: sets `original` on each syscall event whose
// source frame (or an inlined caller of it, or a frame of its stack) lies in
// a generated file one of the maps describes, keeping `source` (the
// generated location). It mutates events, so it runs before every other
// sink (the CLI puts it first).
import type { OriginalLocation, SourceLocation, TraceEvent, TraceSink } from '../session/events';
import { mapLocation, type TranspilerMap } from './transpilerMap';

export class TranspilerMapSink implements TraceSink {
  // Per generated file:line:column: the answer (or null), since the same few
  // call sites make most syscalls.
  private readonly cache = new Map<string, OriginalLocation | null>();

  constructor(private readonly maps: readonly TranspilerMap[]) {}

  private map(loc: SourceLocation): OriginalLocation | undefined {
    const key = `${loc.file}\0${loc.line}\0${loc.column ?? 0}\0${loc.function ?? ''}\0${loc.inlined?.length ?? 0}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      hit = mapLocation(this.maps, loc) ?? null;
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(key, hit);
    }
    return hit ?? undefined;
  }

  onEvents(events: TraceEvent[]): void {
    for (const ev of events) {
      if (ev.type !== 'syscall' || !ev.source) continue;
      let o = this.map(ev.source);
      if (!o && ev.stack) {
        for (const frame of ev.stack) {
          o = this.map(frame);
          if (o) break;
        }
      }
      // A copy per event: sinks may annotate it.
      if (o) ev.original = { ...o };
    }
  }
}
