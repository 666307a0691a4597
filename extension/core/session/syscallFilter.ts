// strace's `-e trace=EXPR`: which syscalls to trace.
//
// EXPR is a comma-separated list of syscall names, classes (`%file`, or the
// bare `file`, `network`, `process`, `signal`, `ipc`, `desc`, `memory` that
// strace still accepts), `/regex/`, `all` or `none`, optionally preceded by
// `!` to negate the whole set. A `?` before an item tolerates an unknown name.

import { SYSCALL_CLASSES, SyscallTable } from './syscallTable';

export class FilterError extends Error {}

/** Classes strace accepts without the `%`. */
const BARE_CLASSES = new Set(['file', 'network', 'process', 'signal', 'ipc', 'desc', 'memory']);

export interface SyscallFilter {
  /** Syscall numbers traced; null means every syscall. */
  traced: Set<number> | null;
  /** The expressions it came from, for messages. */
  source: string[];
}

/** The numbers one `trace=` expression selects (before negation). */
function selectItems(expr: string, table: SyscallTable): { set: Set<number>; all: boolean } {
  const set = new Set<number>();
  let all = false;
  for (let raw of splitItems(expr)) {
    let optional = false;
    if (raw.startsWith('?')) {
      optional = true;
      raw = raw.slice(1);
    }
    if (raw === '') throw new FilterError(`empty item in trace expression '${expr}'`);
    if (raw === 'all') {
      all = true;
      continue;
    }
    if (raw === 'none') continue;
    if (raw.startsWith('/')) {
      // strace writes `/regex`; `/regex/` is accepted too (no syscall name has a slash).
      const source = raw.length > 2 && raw.endsWith('/') ? raw.slice(1, -1) : raw.slice(1);
      let re: RegExp;
      try {
        re = new RegExp(source);
      } catch (e) {
        throw new FilterError(`invalid regular expression '${source}': ${(e as Error).message}`);
      }
      let matched = 0;
      for (const s of table.entries) {
        if (re.test(s.name)) {
          set.add(s.nr);
          matched++;
        }
      }
      if (!matched && !optional) throw new FilterError(`no system call matches the regular expression '${source}'`);
      continue;
    }
    const className = raw.startsWith('%') ? raw.slice(1) : BARE_CLASSES.has(raw) ? raw : undefined;
    if (className !== undefined) {
      if (SYSCALL_CLASSES[className] === undefined) {
        if (optional) continue;
        throw new FilterError(`invalid system call class '%${className}'`);
      }
      for (const s of table.inClass(className)) set.add(s.nr);
      continue;
    }
    const nr = table.number(raw);
    if (nr === undefined) {
      if (optional) continue;
      throw new FilterError(`invalid system call '${raw}'`);
    }
    set.add(nr);
  }
  return { set, all };
}

/** Splits on commas, except inside a /regex/ (which may contain commas). */
function splitItems(expr: string): string[] {
  const items: string[] = [];
  let cur = '';
  let inRegex = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '/' && (cur === '' || cur === '?')) inRegex = true;
    else if (c === '/' && inRegex) inRegex = false;
    if (c === ',' && !inRegex) {
      items.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  items.push(cur);
  return items;
}

/**
 * Parses the values of every `-e` option. Accepts `trace=EXPR` and the bare
 * `EXPR` (strace's shorthand for trace=); several `-e trace=` add up.
 */
export function parseTraceFilter(qualifiers: string[], table: SyscallTable): SyscallFilter {
  if (qualifiers.length === 0) return { traced: null, source: [] };
  let traced: Set<number> | null = new Set();
  let sawAll = false;
  for (const q of qualifiers) {
    const eq = q.indexOf('=');
    let expr = q;
    if (eq >= 0) {
      const key = q.slice(0, eq);
      if (key !== 't' && key !== 'trace') {
        throw new FilterError(`unsupported qualifier '${key}' in -e ${q} (renacer supports trace=, status=, signal=, quiet=, kvm=, raw=, abbrev=, read=, write=, inject= and fault=)`);
      }
      expr = q.slice(eq + 1);
    }
    let negate = false;
    while (expr.startsWith('!')) {
      negate = !negate;
      expr = expr.slice(1);
    }
    const { set, all } = selectItems(expr, table);
    let selected: Set<number> | null = all ? null : set;
    if (negate) {
      if (selected === null) selected = new Set();
      else if (set.size === 0) selected = null; // !none: everything, numbers the table lacks too
      else selected = new Set(table.entries.map((e) => e.nr).filter((nr) => !set.has(nr)));
    }
    if (selected === null) sawAll = true;
    else if (traced) for (const nr of selected) traced.add(nr);
  }
  if (sawAll) traced = null;
  return { traced, source: qualifiers };
}
