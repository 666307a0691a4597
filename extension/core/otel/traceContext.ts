// The W3C Trace Context a run joins: the caller's context from the
// `--trace-parent`/`--trace-state` flags or the TRACEPARENT/TRACESTATE
// environment variables, the run's own root span under it, and the
// TRACEPARENT the traced program is handed so its spans nest under ours.
//
// Parsing and serialising are @opentelemetry/core's W3CTraceContextPropagator
// and TraceState; this file only adds what they leave out: where a context
// comes from, and a message saying what is wrong with a rejected one.
import { ROOT_CONTEXT, defaultTextMapGetter, defaultTextMapSetter, trace, type SpanContext } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';

import { randomSpanId, randomTraceId } from './spanIds';

const propagator = new W3CTraceContextPropagator();

/** Trace flags a version-00 traceparent may carry: sampled (level 1) and random (level 2). */
const KNOWN_FLAGS = 0x03;
const SAMPLED = 0x01;

export class TraceContextError extends Error {}

/** The caller's context: the span Renacer's root span becomes a child of. */
export interface ParentContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  /** The tracestate as the propagator keeps it (invalid members dropped), or undefined. */
  traceState?: string;
  /** Where it came from. */
  source: 'flag' | 'env';
  /** The traceparent exactly as given. */
  traceparent: string;
}

/** The trace context of one run: the ids every span of the run uses. */
export interface RunTraceContext {
  traceId: string;
  /** Renacer's root span: the span the traced program is told is its parent. */
  rootSpanId: string;
  /** The caller's span, when the run joined a trace. */
  parentSpanId?: string;
  traceFlags: number;
  traceState?: string;
  sampled: boolean;
  /** Seed of the run's span ids (see spanIds.ts). */
  spanIdSeed: string;
  /** The caller's traceparent as given, and where it came from. */
  parent?: { traceparent: string; source: 'flag' | 'env' };
}

function extract(traceparent: string, tracestate?: string): SpanContext | undefined {
  const carrier: Record<string, string> = { traceparent };
  if (tracestate !== undefined) carrier.tracestate = tracestate;
  return trace.getSpanContext(propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter));
}

function hexFieldProblem(name: string, value: string, length: number): string | undefined {
  if (value.length !== length) {
    return `${name} '${value}' has ${value.length} character${value.length === 1 ? '' : 's'}; expected ${length} lowercase hex digits`;
  }
  if (/^[0-9a-fA-F]+$/.test(value) && /[A-F]/.test(value)) {
    return `${name} '${value}' has uppercase hex digits; W3C traceparent must be lowercase`;
  }
  if (!/^[0-9a-f]+$/.test(value)) return `${name} '${value}' is not hexadecimal`;
  return undefined;
}

/**
 * What is wrong with a traceparent value, or undefined when the W3C
 * propagator accepts it. (The propagator decides; this only explains.)
 */
export function traceParentProblem(value: string): string | undefined {
  if (extract(value)) return undefined;
  const s = value.trim();
  if (s === '') return 'it is empty';
  const parts = s.split('-');
  if (parts.length < 4) {
    return `expected VERSION-TRACEID-PARENTID-FLAGS (4 fields separated by '-'), found ${parts.length} field${parts.length === 1 ? '' : 's'}`;
  }
  const [version, traceId, parentId, flags] = parts;
  const problem =
    hexFieldProblem('version', version, 2) ??
    (version === 'ff' ? "version 'ff' is forbidden" : undefined) ??
    hexFieldProblem('trace-id', traceId, 32) ??
    (/^0+$/.test(traceId) ? 'trace-id is all zeros' : undefined) ??
    hexFieldProblem('parent-id', parentId, 16) ??
    (/^0+$/.test(parentId) ? 'parent-id is all zeros' : undefined) ??
    hexFieldProblem('trace-flags', flags, 2) ??
    (version === '00' && parts.length > 4 ? `version 00 has exactly 4 fields; found extra '-${parts.slice(4).join('-')}'` : undefined);
  return problem ?? 'not a valid W3C traceparent';
}

/**
 * What is wrong with a tracestate value, or undefined when every list member
 * is valid. The propagator's TraceState silently drops invalid members; a
 * value the user typed on the command line deserves to hear which one.
 */
export function traceStateProblem(value: string): string | undefined {
  const members = value.split(',').map((m) => m.trim()).filter((m) => m !== '');
  if (members.length > 32) return `it has ${members.length} list members; at most 32 are allowed`;
  const seen = new Set<string>();
  for (const member of members) {
    const eq = member.indexOf('=');
    if (eq <= 0) return `list member '${member}' is not key=value`;
    const key = member.slice(0, eq);
    if (seen.has(key)) return `key '${key}' appears more than once`;
    seen.add(key);
  }
  const parsed = new TraceState(value);
  for (const member of members) {
    const eq = member.indexOf('=');
    const key = member.slice(0, eq);
    const val = member.slice(eq + 1);
    if (parsed.get(key) === val) continue;
    if (new TraceState(`${key}=x`).get(key) === undefined) {
      return `key '${key}' is invalid (lowercase letters, digits, '_', '-', '*', '/', optionally tenant@vendor; starting with a letter)`;
    }
    if (new TraceState(`k=${val}`).get('k') === undefined) {
      return `the value of '${key}' is invalid (1-256 printable ASCII characters, no ',' or '=', not ending in a space)`;
    }
    return `list member '${member}' does not fit in the 512 characters a tracestate may have`;
  }
  return undefined;
}

/** Validates a `--trace-parent` value; throws TraceContextError naming the problem. */
export function checkTraceParentFlag(value: string): string {
  const problem = traceParentProblem(value);
  if (problem) throw new TraceContextError(`invalid --trace-parent '${value}': ${problem}`);
  return value;
}

/** Validates a `--trace-state` value; throws TraceContextError naming the problem. */
export function checkTraceStateFlag(value: string): string {
  const problem = traceStateProblem(value);
  if (problem) throw new TraceContextError(`invalid --trace-state '${value}': ${problem}`);
  return value;
}

export interface TraceContextSources {
  /** `--trace-parent`, already checked (a malformed flag is a usage error). */
  traceParent?: string;
  /** `--trace-state`. */
  traceState?: string;
  env: Record<string, string | undefined>;
}

/**
 * The caller's context: the flags win over TRACEPARENT/TRACESTATE. A
 * malformed flag throws TraceContextError; a malformed TRACEPARENT gets one
 * warning and no parent (W3C: start a new trace); a malformed TRACESTATE
 * keeps the traceparent and only the valid members, with one warning.
 */
export function resolveParentContext(src: TraceContextSources, warn: (msg: string) => void): ParentContext | undefined {
  if (src.traceParent !== undefined) checkTraceParentFlag(src.traceParent);
  if (src.traceState !== undefined) checkTraceStateFlag(src.traceState);
  let traceparent: string;
  let source: 'flag' | 'env';
  let tracestate: string | undefined;
  if (src.traceParent !== undefined) {
    traceparent = src.traceParent;
    source = 'flag';
    tracestate = src.traceState;
  } else {
    const env = src.env.TRACEPARENT;
    if (env === undefined || env === '') {
      if (src.traceState !== undefined) warn('--trace-state ignored: there is no --trace-parent or TRACEPARENT to go with it');
      return undefined;
    }
    const problem = traceParentProblem(env);
    if (problem) {
      warn(`ignoring TRACEPARENT='${env}': ${problem}; starting a new trace`);
      return undefined;
    }
    traceparent = env;
    source = 'env';
    tracestate = src.traceState ?? src.env.TRACESTATE;
    if (src.traceState === undefined && tracestate !== undefined) {
      const stateProblem = traceStateProblem(tracestate);
      if (stateProblem) warn(`TRACESTATE='${tracestate}': ${stateProblem}; keeping only its valid members`);
    }
  }
  const sc = extract(traceparent, tracestate === '' ? undefined : tracestate);
  if (!sc) throw new TraceContextError(`invalid traceparent '${traceparent}'`); // checked above: unreachable
  const state = sc.traceState?.serialize();
  return {
    traceId: sc.traceId,
    spanId: sc.spanId,
    traceFlags: sc.traceFlags,
    traceState: state ? state : undefined,
    source,
    traceparent,
  };
}

/**
 * A run's context: a child of the caller's span (same trace id, new root span
 * id, the caller's sampled flag and tracestate), or a new sampled trace.
 */
export function newRunTraceContext(parent?: ParentContext): RunTraceContext {
  if (!parent) {
    return { traceId: randomTraceId(), rootSpanId: randomSpanId(), traceFlags: SAMPLED, sampled: true, spanIdSeed: randomSpanId() };
  }
  const traceFlags = parent.traceFlags & KNOWN_FLAGS;
  const ctx: RunTraceContext = {
    traceId: parent.traceId,
    rootSpanId: randomSpanId(),
    parentSpanId: parent.spanId,
    traceFlags,
    sampled: (traceFlags & SAMPLED) !== 0,
    spanIdSeed: randomSpanId(),
    parent: { traceparent: parent.traceparent, source: parent.source },
  };
  if (parent.traceState) ctx.traceState = parent.traceState;
  return ctx;
}

/** The W3C headers naming the run's root span, as the propagator writes them. */
export function rootSpanHeaders(ctx: RunTraceContext): { traceparent: string; tracestate?: string } {
  const spanContext: SpanContext = {
    traceId: ctx.traceId,
    spanId: ctx.rootSpanId,
    traceFlags: ctx.traceFlags,
    isRemote: false,
  };
  if (ctx.traceState) spanContext.traceState = new TraceState(ctx.traceState);
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, defaultTextMapSetter);
  return { traceparent: carrier.traceparent, tracestate: carrier.tracestate };
}

/**
 * The traced program's environment: TRACEPARENT (and TRACESTATE) name the
 * run's root span, replacing whatever the caller's were. A TRACESTATE that
 * belonged to the caller's context and has no counterpart is removed.
 */
export function propagationEnv(ctx: RunTraceContext, env: Record<string, string | undefined>): Record<string, string | undefined> {
  const headers = rootSpanHeaders(ctx);
  const out: Record<string, string | undefined> = { ...env, TRACEPARENT: headers.traceparent };
  if (headers.tracestate) out.TRACESTATE = headers.tracestate;
  else delete out.TRACESTATE;
  return out;
}

/** The trace file's record of a run's context (header field `trace_context`). */
export interface TraceContextRecord {
  trace_id: string;
  root_span_id: string;
  parent_span_id: string | null;
  trace_flags: number;
  trace_state: string | null;
  span_id_seed: string;
  /** The caller's traceparent as given, and where it came from. */
  parent_traceparent: string | null;
  parent_source: 'flag' | 'env' | null;
}

export function traceContextRecord(ctx: RunTraceContext): TraceContextRecord {
  return {
    trace_id: ctx.traceId,
    root_span_id: ctx.rootSpanId,
    parent_span_id: ctx.parentSpanId ?? null,
    trace_flags: ctx.traceFlags,
    trace_state: ctx.traceState ?? null,
    span_id_seed: ctx.spanIdSeed,
    parent_traceparent: ctx.parent?.traceparent ?? null,
    parent_source: ctx.parent?.source ?? null,
  };
}

/** The context recorded in a trace file, or undefined when the record is missing or damaged. */
export function traceContextFromRecord(rec: unknown): RunTraceContext | undefined {
  if (!rec || typeof rec !== 'object') return undefined;
  const r = rec as Partial<TraceContextRecord>;
  const hex = (v: unknown, n: number) => typeof v === 'string' && new RegExp(`^[0-9a-f]{${n}}$`).test(v) && !/^0+$/.test(v);
  if (!hex(r.trace_id, 32) || !hex(r.root_span_id, 16) || !hex(r.span_id_seed, 16) || typeof r.trace_flags !== 'number') return undefined;
  const ctx: RunTraceContext = {
    traceId: r.trace_id as string,
    rootSpanId: r.root_span_id as string,
    traceFlags: r.trace_flags & KNOWN_FLAGS,
    sampled: (r.trace_flags & SAMPLED) !== 0,
    spanIdSeed: r.span_id_seed as string,
  };
  if (hex(r.parent_span_id, 16)) ctx.parentSpanId = r.parent_span_id as string;
  if (typeof r.trace_state === 'string' && r.trace_state) ctx.traceState = r.trace_state;
  if (typeof r.parent_traceparent === 'string' && (r.parent_source === 'flag' || r.parent_source === 'env')) {
    ctx.parent = { traceparent: r.parent_traceparent, source: r.parent_source };
  }
  return ctx;
}
