// Percentiles of a site's call durations in bounded memory: exact for the
// first values, then a log-linear histogram (64 buckets per power of two,
// within 1.1 % of the true value), so a site called a million times costs
// what one called a thousand times does.
const EXACT = 1024;
const SUB = 64;

export class DurationSketch {
  private exact: number[] | null = [];
  private buckets?: Map<number, number>;
  private n = 0;

  add(ns: number): void {
    this.n++;
    if (this.exact) {
      this.exact.push(ns);
      if (this.exact.length <= EXACT) return;
      const values = this.exact;
      this.exact = null;
      this.buckets = new Map();
      for (const v of values) this.bucketAdd(v);
      return;
    }
    this.bucketAdd(ns);
  }

  /** The q-quantile (0 ≤ q ≤ 1), nearest-rank; 0 when empty. */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.n));
    if (this.exact) return [...this.exact].sort((a, b) => a - b)[rank - 1];
    const keys = [...this.buckets!.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const k of keys) {
      seen += this.buckets!.get(k)!;
      if (seen >= rank) return bucketValue(k);
    }
    return bucketValue(keys[keys.length - 1]);
  }

  private bucketAdd(ns: number): void {
    const k = bucketOf(ns);
    this.buckets!.set(k, (this.buckets!.get(k) ?? 0) + 1);
  }
}

function bucketOf(ns: number): number {
  if (ns < SUB) return Math.max(0, Math.floor(ns));
  const e = Math.floor(Math.log2(ns));
  const sub = Math.floor((ns / 2 ** e - 1) * SUB);
  return SUB + (e - 6) * SUB + sub;
}

function bucketValue(k: number): number {
  if (k < SUB) return k;
  const e = Math.floor((k - SUB) / SUB) + 6;
  const sub = (k - SUB) % SUB;
  return Math.round(2 ** e * (1 + (sub + 0.5) / SUB));
}
