// Search and filter: a query typed in the viewer's search box, plus the
// process and source-file pickers, become one mask over the syscalls that
// every view (timeline, statistics, flame graph) shows.
//
// Query (extension/core/session/syscallQuery.ts, shared with the debugger's
// breakpoint conditions): whitespace-separated terms, all of which must hold;
// `-term` or `!term` negates; a value with spaces goes in double quotes.
//   name:openat,read   syscall names (`*` matches anything: name:*stat*)
//   errno:ENOENT       failed with that errno (errno:* or `failed`: any failure)
//   path:/etc/         the path a call names contains this
//   pid:4242  tid:4243 process / thread ids
//   file:config.c      made from a line in a source file whose path contains this
//   at:src/main.c:42   made from that line (the file's path ends with it)
//   word               a syscall name containing it, an errno, a path containing
//                      it, or a function or source file containing it
//
// Each term is decided once per table entry (name, errno, path, thread,
// site), so the pass over a million syscalls only looks up bytes.
import { globToRegExp, parseQuery, type Term } from '../extension/core/session/syscallQuery';
import type { TraceModel } from './traceModel';
import { baseName } from './traceModel';

export interface Filter {
  text: string;
  /** A process index, or -1 for all. */
  process: number;
  /** A source file index (TraceTables.files), or -1 for all. */
  file: number;
}

export const NO_FILTER: Filter = { text: '', process: -1, file: -1 };

/** Per-table verdicts of one term: a syscall passes when any of its table entries passes. */
interface Lookups {
  name?: Uint8Array;
  errno?: Uint8Array;
  path?: Uint8Array;
  thread?: Uint8Array;
  site?: Uint8Array;
}

function lookupsFor(model: TraceModel, term: Term): Lookups {
  const t = model.tables;
  const table = <T>(items: readonly T[], ok: (item: T, index: number) => boolean) => {
    const out = new Uint8Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = ok(items[i], i) ? 1 : 0;
    return out;
  };
  const lower = term.values.map((v) => v.toLowerCase());
  switch (term.field) {
    case 'name': {
      const res = lower.map(globToRegExp);
      return { name: table(t.names, (n) => res.some((re) => re.test(n))) };
    }
    case 'errno':
      return { errno: table(t.errnos, (e, i) => i > 0 && lower.includes(e.toLowerCase())) };
    case 'failed':
      return { errno: table(t.errnos, (_, i) => i > 0) };
    case 'path':
      return { path: table(t.paths, (p, i) => i > 0 && p.toLowerCase().includes(lower[0])) };
    case 'pid': {
      const pids = new Set(term.values.map(Number));
      return { thread: table(t.threads, (th) => pids.has(t.processes[th.process].pid)) };
    }
    case 'tid': {
      const tids = new Set(term.values.map(Number));
      return { thread: table(t.threads, (th) => tids.has(th.tid)) };
    }
    case 'file':
      return { site: table(t.sites, (s) => s.file >= 0 && t.files[s.file].toLowerCase().includes(lower[0])) };
    case 'at': {
      const m = /^(.*):(\d+)$/.exec(term.values[0])!;
      const file = m[1];
      const line = Number(m[2]);
      return { site: table(t.sites, (s) => s.file >= 0 && s.line === line && (t.files[s.file] === file || t.files[s.file].endsWith(`/${file}`))) };
    }
    case 'word': {
      const w = lower[0];
      return {
        name: table(t.names, (n) => n.toLowerCase().includes(w)),
        errno: table(t.errnos, (e, i) => i > 0 && e.toLowerCase() === w),
        path: table(t.paths, (p, i) => i > 0 && p.toLowerCase().includes(w)),
        site: table(t.sites, (s) => s.file >= 0 && ((s.function ?? '').toLowerCase().includes(w) || baseName(t.files[s.file]).toLowerCase().includes(w))),
      };
    }
  }
}

/**
 * The syscalls that pass `filter`: 1 per passing syscall, or null when the
 * filter passes everything (views then skip the mask).
 */
export function buildMask(model: TraceModel, filter: Filter): Uint8Array | null {
  const { terms } = parseQuery(filter.text);
  const c = model.columns;
  const n = model.count;
  const extra: Lookups[] = [];
  if (filter.process >= 0) extra.push({ thread: Uint8Array.from(model.tables.threads, (th) => (th.process === filter.process ? 1 : 0)) });
  if (filter.file >= 0) extra.push({ site: Uint8Array.from(model.tables.sites, (s) => (s.file === filter.file ? 1 : 0)) });
  if (terms.length === 0 && extra.length === 0) return null;
  const mask = new Uint8Array(n).fill(1);
  const apply = (l: Lookups, negate: boolean) => {
    const { name, errno, path, thread, site } = l;
    for (let i = 0; i < n; i++) {
      if (!mask[i]) continue;
      const pass =
        (name !== undefined && name[c.name[i]] === 1) ||
        (errno !== undefined && errno[c.errno[i]] === 1) ||
        (path !== undefined && path[c.path[i]] === 1) ||
        (thread !== undefined && thread[c.thread[i]] === 1) ||
        (site !== undefined && site[c.site[i]] === 1);
      if (pass === negate) mask[i] = 0;
    }
  };
  for (const l of extra) apply(l, false);
  for (const term of terms) apply(lookupsFor(model, term), term.negate);
  return mask;
}

export function countMask(mask: Uint8Array | null, n: number): number {
  if (!mask) return n;
  let k = 0;
  for (let i = 0; i < n; i++) k += mask[i];
  return k;
}
