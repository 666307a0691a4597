// Which source line of one build is which of the other's. Addresses move
// with every build and line numbers move with every edit above a line, so a
// line is matched within its function (same file, same function name) by its
// place there: its distance from the function's declaration when DWARF gave
// one, else its line number. Lines are aligned in order, as a text diff
// aligns lines: the most syscalls in common wins, and among equal
// alignments the one whose lines moved least. A line can then have moved
// (code added above it) and still be itself.

/** A source line's calls, by syscall name, on one side. */
export interface SiteLine<T> {
  line: number;
  functionLine?: number;
  syscalls: Map<string, T>;
}

/** A pair of lines that are one line (either side absent: on that side only). */
export interface LinePair<T> {
  before?: SiteLine<T>;
  after?: SiteLine<T>;
  /** For a line on BEFORE's side only: where it would be in AFTER's source, when that can be told. */
  afterLine?: number;
}

/** Larger functions are matched by place alone (the alignment is quadratic). */
const MAX_CELLS = 4_000_000;
const PER_SHARED = 1000;

function shared<T>(a: SiteLine<T>, b: SiteLine<T>): number {
  let n = 0;
  for (const name of a.syscalls.keys()) if (b.syscalls.has(name)) n++;
  return n;
}

/** The lines' places: distances from the declaration when every line has one, else line numbers. */
function places<T>(before: SiteLine<T>[], after: SiteLine<T>[]): { b: number[]; a: number[]; expected: number } {
  const relative = [...before, ...after].every((l) => l.functionLine !== undefined && l.functionLine > 0);
  const b = before.map((l) => (relative ? l.line - l.functionLine! : l.line));
  const a = after.map((l) => (relative ? l.line - l.functionLine! : l.line));
  if (relative) return { b, a, expected: 0 };
  // Without declarations: the shift most lines with a one-of-a-kind set of syscalls agree on.
  const sig = (l: SiteLine<T>) => [...l.syscalls.keys()].sort().join(',');
  const once = (ls: SiteLine<T>[]) => {
    const seen = new Map<string, number>();
    ls.forEach((l, k) => seen.set(sig(l), seen.has(sig(l)) ? -1 : k));
    return seen;
  };
  const ob = once(before);
  const oa = once(after);
  const votes = new Map<number, number>();
  for (const [s, kb] of ob) {
    const ka = oa.get(s);
    if (kb < 0 || ka === undefined || ka < 0) continue;
    const d = a[ka] - b[kb];
    votes.set(d, (votes.get(d) ?? 0) + 1);
  }
  let expected = 0;
  let best = 0;
  for (const [d, n] of votes) if (n > best || (n === best && Math.abs(d) < Math.abs(expected))) [expected, best] = [d, n];
  return { b, a, expected };
}

/** Aligns one function's lines (each side sorted by line). */
export function alignLines<T>(before: SiteLine<T>[], after: SiteLine<T>[]): LinePair<T>[] {
  const n = before.length;
  const m = after.length;
  const { b, a, expected } = places(before, after);
  const weight = (i: number, j: number) => {
    const s = shared(before[i], after[j]);
    return s === 0 ? -1 : s * PER_SHARED - Math.min(PER_SHARED - 1, Math.abs(a[j] - b[i] - expected));
  };
  const paired: Array<[number, number]> = [];
  if ((n + 1) * (m + 1) <= MAX_CELLS) {
    const w = m + 1;
    const score = new Float64Array((n + 1) * w);
    for (let i = 1; i <= n; i++) {
      for (let j = 1; j <= m; j++) {
        let best = Math.max(score[(i - 1) * w + j], score[i * w + j - 1]);
        const x = weight(i - 1, j - 1);
        if (x > 0) best = Math.max(best, score[(i - 1) * w + j - 1] + x);
        score[i * w + j] = best;
      }
    }
    for (let i = n, j = m; i > 0 && j > 0; ) {
      const here = score[i * w + j];
      const x = weight(i - 1, j - 1);
      if (x > 0 && here === score[(i - 1) * w + j - 1] + x) {
        paired.push([i - 1, j - 1]);
        i--;
        j--;
      } else if (here === score[(i - 1) * w + j]) i--;
      else j--;
    }
    paired.reverse();
  } else {
    const byPlace = new Map<number, number>();
    a.forEach((p, j) => byPlace.set(p, j));
    b.forEach((p, i) => {
      const j = byPlace.get(p + expected);
      if (j !== undefined && shared(before[i], after[j]) > 0) paired.push([i, j]);
    });
  }

  const out: LinePair<T>[] = [];
  const pairOfB = new Map(paired);
  const pairedA = new Set(paired.map(([, j]) => j));
  const shiftNear = (i: number): number | undefined => {
    // The nearest pair's move (before it, else after it) says where a lone BEFORE line went.
    let best: [number, number] | undefined;
    for (const [pi, pj] of paired) if (!best || Math.abs(pi - i) < Math.abs(best[0] - i) || (Math.abs(pi - i) === Math.abs(best[0] - i) && pi < i)) best = [pi, pj];
    if (best) return after[best[1]].line - before[best[0]].line;
    const fb = before[i].functionLine;
    const fa = after[0]?.functionLine;
    return fb && fa ? fa - fb : undefined;
  };
  for (let i = 0; i < n; i++) {
    const j = pairOfB.get(i);
    if (j !== undefined) out.push({ before: before[i], after: after[j] });
    else {
      const shift = m ? shiftNear(i) : undefined;
      out.push({ before: before[i], afterLine: shift === undefined ? undefined : before[i].line + shift });
    }
  }
  for (let j = 0; j < m; j++) if (!pairedA.has(j)) out.push({ after: after[j] });
  return out;
}
