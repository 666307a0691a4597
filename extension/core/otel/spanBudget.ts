// The per-trace export budget: how many bytes of OTLP one run may export
// before its syscalls are exported as per-site aggregates instead of one
// span each.
//
// Bytes are the protobuf encoding of each span (spanSize.ts) plus, for every
// BATCH_SPANS spans, one request's resource and scope. Tempo refuses a trace
// past `max_bytes_per_trace` (5,000,000 bytes by default) counted on the same
// encoding, so the default budget is 4,000,000 bytes: under Tempo's limit
// with 1 MB left for the spans the traced program itself exports under
// Renacer's root span. The last RESERVE_SHARE of the budget is kept for the
// spans that must be exported whatever happens: aggregates, process spans and
// the root span.
//
// The accounting depends only on the spans, never on when requests happened
// to be sent, so a run exported live and its trace file exported later make
// the same decisions.

export const TEMPO_MAX_BYTES_PER_TRACE = 5_000_000;
export const DEFAULT_TRACE_BUDGET_BYTES = 4_000_000;
/** Spans per export request (also the unit of request overhead accounting). */
export const BATCH_SPANS = 4096;
const RESERVE_SHARE = 0.1;

export class SpanBudget {
  /** Bytes accounted so far. */
  spent = 0;
  private spans = 0;
  private readonly syscallLimit: number;

  /**
   * @param limit bytes, or null for no limit (every syscall gets its span).
   * @param requestOverhead bytes one request adds besides its spans (resource, scope, envelopes).
   */
  constructor(
    readonly limit: number | null,
    private readonly requestOverhead: number,
  ) {
    this.syscallLimit = limit === null ? Infinity : limit * (1 - RESERVE_SHARE);
  }

  /** Whether a syscall span of `bytes` still fits (the reserve excluded). */
  allowsSyscall(bytes: number): boolean {
    return this.spent + bytes + this.requestOverhead <= this.syscallLimit;
  }

  /** Accounts one exported span. */
  spend(bytes: number): void {
    if (this.spans % BATCH_SPANS === 0) this.spent += this.requestOverhead;
    this.spans++;
    this.spent += bytes;
  }

  get exceeded(): boolean {
    return this.limit !== null && this.spent > this.limit;
  }
}

/** Parses a `--otlp-trace-budget` value: bytes with an optional k/M suffix (powers of 1000), or 'unlimited'. */
export function parseBudget(value: string): number | null {
  const v = value.trim();
  if (/^(unlimited|none)$/i.test(v)) return null;
  const m = /^(\d+(?:\.\d+)?)\s*(k|kb|m|mb)?$/i.exec(v);
  if (!m) throw new Error(`'${value}' is not a size in bytes (e.g. 4000000, 4MB, 500kB or 'unlimited')`);
  const unit = (m[2] ?? '').toLowerCase();
  const bytes = Math.round(Number(m[1]) * (unit.startsWith('m') ? 1e6 : unit.startsWith('k') ? 1e3 : 1));
  if (bytes <= 0) throw new Error(`'${value}' must be more than 0 bytes (or 'unlimited')`);
  return bytes;
}
