// The syscall query language of the viewer's search box and of the
// debugger's breakpoint conditions, parsed once for both:
//   name:openat,read   syscall names (`*` matches anything: name:*stat*)
//   errno:ENOENT       failed with that errno (errno:* or `failed`: any failure)
//   path:/etc/         the path a call names contains this
//   pid:4242  tid:4243 process / thread ids
//   file:config.c      made from a line in a source file whose path contains this
//   at:src/main.c:42   made from that line (the file's path ends with it)
//   word               a syscall name containing it, an errno, a path containing
//                      it, or a function or source file containing it
// Terms are separated by whitespace and must all hold; `-term` or `!term`
// negates; a value with spaces goes in double quotes. The viewer evaluates a
// query over its tables (webview/traceFilter.ts); matchesCall below
// evaluates it for one call.

export type Field = 'name' | 'errno' | 'path' | 'pid' | 'tid' | 'file' | 'at' | 'failed' | 'word';

export interface Term {
  field: Field;
  values: string[];
  negate: boolean;
}

const FIELDS: Record<string, Field> = {
  name: 'name', syscall: 'name', errno: 'errno', err: 'errno', path: 'path', pid: 'pid', tid: 'tid', file: 'file', at: 'at',
};

export interface ParsedQuery {
  terms: Term[];
  /** What could not be understood, for the search box to say. */
  errors: string[];
}

export function parseQuery(text: string): ParsedQuery {
  const terms: Term[] = [];
  const errors: string[] = [];
  for (const m of text.matchAll(/([-!]?)(?:(\w+):)?("([^"]*)"?|\S+)/g)) {
    const negate = m[1] !== '';
    const key = m[2]?.toLowerCase();
    const raw = m[4] ?? m[3];
    if (key === undefined) {
      if (/^(failed|is:failed|is:error)$/i.test(raw)) terms.push({ field: 'failed', values: [], negate });
      else terms.push({ field: 'word', values: [raw], negate });
      continue;
    }
    if (key === 'is' && /^(failed|error)$/i.test(raw)) {
      terms.push({ field: 'failed', values: [], negate });
      continue;
    }
    const field = FIELDS[key];
    if (!field) {
      errors.push(`unknown field "${key}:"`);
      continue;
    }
    const values = field === 'path' || field === 'file' || field === 'at' ? [raw] : raw.split(',').filter((v) => v !== '');
    if (values.length === 0 || values[0] === '') {
      errors.push(`"${key}:" needs a value`);
      continue;
    }
    if ((field === 'pid' || field === 'tid') && values.some((v) => !/^\d+$/.test(v))) {
      errors.push(`"${key}:" takes numbers`);
      continue;
    }
    if (field === 'at' && !/:\d+$/.test(raw)) {
      errors.push('"at:" takes FILE:LINE');
      continue;
    }
    if (field === 'errno' && values.includes('*')) terms.push({ field: 'failed', values: [], negate });
    else terms.push({ field, values, negate });
  }
  return { terms, errors };
}

export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}


/** One call as a query sees it. */
export interface QueriedCall {
  name: string;
  errno?: string;
  path?: string;
  pid: number;
  tid: number;
  /** Source frames of its stack (file, line, function), innermost first. */
  frames: ReadonlyArray<{ file: string; line: number; function?: string }>;
}

function termHolds(t: Term, c: QueriedCall): boolean {
  const lower = t.values.map((v) => v.toLowerCase());
  switch (t.field) {
    case 'name':
      return lower.map(globToRegExp).some((re) => re.test(c.name.toLowerCase()));
    case 'errno':
      return c.errno !== undefined && lower.includes(c.errno.toLowerCase());
    case 'failed':
      return c.errno !== undefined;
    case 'path':
      return c.path !== undefined && c.path.toLowerCase().includes(lower[0]);
    case 'pid':
      return t.values.map(Number).includes(c.pid);
    case 'tid':
      return t.values.map(Number).includes(c.tid);
    case 'file':
      return c.frames.some((f) => f.file.toLowerCase().includes(lower[0]));
    case 'at': {
      const m = /^(.*):(\d+)$/.exec(t.values[0])!;
      return c.frames.some((f) => f.line === Number(m[2]) && (f.file === m[1] || f.file.endsWith(`/${m[1]}`)));
    }
    case 'word': {
      const w = lower[0];
      return (
        c.name.toLowerCase().includes(w) ||
        c.errno?.toLowerCase() === w ||
        (c.path?.toLowerCase().includes(w) ?? false) ||
        c.frames.some((f) => (f.function ?? '').toLowerCase().includes(w) || (f.file.split('/').pop() ?? '').toLowerCase().includes(w))
      );
    }
  }
}

/** Whether one call satisfies every term of a parsed query. */
export function matchesCall(terms: readonly Term[], c: QueriedCall): boolean {
  return terms.every((t) => termHolds(t, c) !== t.negate);
}
