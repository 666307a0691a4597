// Each thread's calls that the filter lets through, in entry order, with
// their level-of-detail summaries (levelOfDetail.ts); and each thread's
// process events (marks) in time order. Rebuilt when the filter changes.
import type { MarkInfo } from '../viewer/traceColumns';
import { buildThreadLod, type ThreadLod } from './levelOfDetail';
import type { TraceModel } from './traceModel';

export class ThreadCalls {
  readonly lods: ThreadLod[];
  /** Calls shown per thread (after the filter). */
  readonly shown: Uint32Array;
  readonly marks: MarkInfo[][];

  constructor(model: TraceModel, mask: Uint8Array | null) {
    const c = model.columns;
    const threads = model.tables.threads.length;
    this.lods = [];
    this.shown = new Uint32Array(threads);
    for (let t = 0; t < threads; t++) {
      const all = c.threadOrder.subarray(c.threadStart[t], c.threadStart[t + 1]);
      let calls = all;
      if (mask) {
        let k = 0;
        for (let j = 0; j < all.length; j++) k += mask[all[j]];
        calls = new Uint32Array(k);
        k = 0;
        for (let j = 0; j < all.length; j++) if (mask[all[j]]) calls[k++] = all[j];
      }
      this.shown[t] = calls.length;
      this.lods.push(buildThreadLod(calls, c));
    }
    this.marks = Array.from({ length: threads }, () => [] as MarkInfo[]);
    for (const m of model.tables.marks) this.marks[m.thread]?.push(m);
    for (const list of this.marks) list.sort((a, b) => a.timeNs - b.timeNs);
  }
}
