// W3C Trace Context: the traceparent/tracestate vectors of the W3C test
// suite, where a run's context comes from, and what the traced program gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  TraceContextError,
  checkTraceParentFlag,
  checkTraceStateFlag,
  newRunTraceContext,
  propagationEnv,
  resolveParentContext,
  traceContextFromRecord,
  traceContextRecord,
  traceParentProblem,
  traceStateProblem,
} from '../../extension/core/otel/traceContext';
import { SpanIdGenerator, SpanIdKind } from '../../extension/core/otel/spanIds';

const TID = '0af7651916cd43dd8448eb211c80319c';
const SID = 'b7ad6b7169203331';
const VALID = `00-${TID}-${SID}-01`;

test('valid traceparents are accepted', () => {
  for (const tp of [VALID, `00-${TID}-${SID}-00`, `00-${TID}-${SID}-03`]) {
    assert.equal(traceParentProblem(tp), undefined, tp);
    assert.equal(checkTraceParentFlag(tp), tp);
  }
});

test('future versions are accepted (forward compatibility)', () => {
  for (const tp of [
    `01-${TID}-${SID}-01-what-the-future-will-be-like`,
    `01-${TID}-${SID}-01`,
    `cc-${TID}-${SID}-01-extra`,
  ]) {
    assert.equal(traceParentProblem(tp), undefined, tp);
  }
  const parent = resolveParentContext({ env: { TRACEPARENT: `01-${TID}-${SID}-01-extra` } }, assert.fail);
  assert.equal(parent?.traceId, TID);
  assert.equal(parent?.spanId, SID);
  // We speak version 00 to the program.
  const env = propagationEnv(newRunTraceContext(parent), {});
  assert.match(env.TRACEPARENT!, new RegExp(`^00-${TID}-[0-9a-f]{16}-01$`));
});

const INVALID: Array<[string, RegExp]> = [
  [`ff-${TID}-${SID}-01`, /version 'ff' is forbidden/],
  [`00-${'0'.repeat(32)}-${SID}-01`, /trace-id is all zeros/],
  [`00-${TID}-${'0'.repeat(16)}-01`, /parent-id is all zeros/],
  [`00-${TID.slice(1)}-${SID}-01`, /trace-id '.*' has 31 characters; expected 32/],
  [`00-${TID}0-${SID}-01`, /trace-id '.*' has 33 characters/],
  [`00-${TID}-${SID.slice(1)}-01`, /parent-id '.*' has 15 characters; expected 16/],
  [`0-${TID}-${SID}-01`, /version '0' has 1 character; expected 2/],
  [`00-${TID}-${SID}-1`, /trace-flags '1' has 1 character/],
  [`00-${TID.toUpperCase()}-${SID}-01`, /trace-id '.*' has uppercase hex digits/],
  [`00-${TID}-${SID.toUpperCase()}-01`, /parent-id '.*' has uppercase hex digits/],
  [`00-${TID.slice(0, 31)}g-${SID}-01`, /trace-id '.*' is not hexadecimal/],
  [`00_${TID}_${SID}_01`, /expected VERSION-TRACEID-PARENTID-FLAGS.*found 1 field$/],
  [`00-${TID}-${SID}_01`, /found 3 fields/],
  [`00-${TID}-${SID}-01-extra`, /version 00 has exactly 4 fields; found extra '-extra'/],
  [`01-${TID}-${SID}-01extra`, /trace-flags '01extra'/],
  ['', /it is empty/],
];

test('invalid traceparents are rejected with a message saying what is wrong', () => {
  for (const [tp, why] of INVALID) {
    const problem = traceParentProblem(tp);
    assert.ok(problem, `accepted: ${tp}`);
    assert.match(problem!, why, tp);
    assert.throws(() => checkTraceParentFlag(tp), (e: Error) => e instanceof TraceContextError && e.message.includes(`'${tp}'`) && why.test(e.message));
  }
});

test('tracestate: valid lists pass, invalid members are named', () => {
  assert.equal(traceStateProblem('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'), undefined);
  assert.equal(traceStateProblem('tenant@vendor=x, other=y'), undefined);
  assert.equal(traceStateProblem(''), undefined);
  assert.match(traceStateProblem('Rojo=1')!, /key 'Rojo' is invalid/);
  assert.match(traceStateProblem('a=b=c')!, /value of 'a' is invalid/);
  assert.match(traceStateProblem('novalue')!, /'novalue' is not key=value/);
  assert.match(traceStateProblem('a=1,a=2')!, /key 'a' appears more than once/);
  const many = Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',');
  assert.match(traceStateProblem(many)!, /33 list members; at most 32/);
  assert.throws(() => checkTraceStateFlag('Rojo=1'), /invalid --trace-state 'Rojo=1': key 'Rojo' is invalid/);
});

test('the flag wins over the environment', () => {
  const other = `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`;
  const p = resolveParentContext({ traceParent: VALID, traceState: 'a=1', env: { TRACEPARENT: other, TRACESTATE: 'b=2' } }, assert.fail);
  assert.deepEqual(p, { traceId: TID, spanId: SID, traceFlags: 1, traceState: 'a=1', source: 'flag', traceparent: VALID });
  // A flag traceparent does not pick up the environment's tracestate.
  const q = resolveParentContext({ traceParent: VALID, env: { TRACEPARENT: other, TRACESTATE: 'b=2' } }, assert.fail);
  assert.equal(q?.traceState, undefined);
});

test('a malformed flag is an error even when the environment is fine', () => {
  assert.throws(() => resolveParentContext({ traceParent: 'nope', env: { TRACEPARENT: VALID } }, () => {}), TraceContextError);
});

test('the environment: valid is used, malformed gets one warning and a new trace', () => {
  const warnings: string[] = [];
  const p = resolveParentContext({ env: { TRACEPARENT: VALID, TRACESTATE: 'rojo=00f067aa0ba902b7' } }, (m) => warnings.push(m));
  assert.equal(p?.source, 'env');
  assert.equal(p?.traceState, 'rojo=00f067aa0ba902b7');
  assert.equal(warnings.length, 0);

  const bad = `00-${TID.toUpperCase()}-${SID}-01`;
  assert.equal(resolveParentContext({ env: { TRACEPARENT: bad } }, (m) => warnings.push(m)), undefined);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /ignoring TRACEPARENT='.*': trace-id .* uppercase.*starting a new trace/);

  // A bad tracestate keeps the traceparent and the valid members.
  warnings.length = 0;
  const s = resolveParentContext({ env: { TRACEPARENT: VALID, TRACESTATE: 'ok=1,BAD=2' } }, (m) => warnings.push(m));
  assert.equal(s?.traceId, TID);
  assert.equal(s?.traceState, 'ok=1');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /key 'BAD' is invalid/);
});

test('no context: a new random sampled trace', () => {
  assert.equal(resolveParentContext({ env: {} }, assert.fail), undefined);
  const a = newRunTraceContext();
  const b = newRunTraceContext();
  assert.match(a.traceId, /^[0-9a-f]{32}$/);
  assert.notEqual(a.traceId, b.traceId);
  assert.equal(a.sampled, true);
  assert.equal(a.parentSpanId, undefined);
  assert.match(propagationEnv(a, {}).TRACEPARENT!, new RegExp(`^00-${a.traceId}-${a.rootSpanId}-01$`));
});

test('the root span is a child of the caller: same trace, new span, flags and tracestate kept', () => {
  const parent = resolveParentContext({ env: { TRACEPARENT: `00-${TID}-${SID}-00`, TRACESTATE: 'rojo=1,congo=2' } }, assert.fail)!;
  const ctx = newRunTraceContext(parent);
  assert.equal(ctx.traceId, TID);
  assert.equal(ctx.parentSpanId, SID);
  assert.notEqual(ctx.rootSpanId, SID);
  assert.equal(ctx.sampled, false);
  assert.equal(ctx.traceState, 'rojo=1,congo=2');
  const env = propagationEnv(ctx, { PATH: '/bin', TRACESTATE: 'stale=1' });
  assert.equal(env.TRACEPARENT, `00-${TID}-${ctx.rootSpanId}-00`);
  assert.equal(env.TRACESTATE, 'rojo=1,congo=2');
  assert.equal(env.PATH, '/bin');
  // No tracestate: a stale TRACESTATE is not passed on with our TRACEPARENT.
  const plain = propagationEnv(newRunTraceContext(resolveParentContext({ traceParent: VALID, env: {} }, assert.fail)), { TRACESTATE: 'stale=1' });
  assert.equal(plain.TRACESTATE, undefined);
});

test('unknown flag bits are not passed on', () => {
  const ctx = newRunTraceContext(resolveParentContext({ traceParent: `00-${TID}-${SID}-ff`, env: {} }, assert.fail));
  assert.equal(ctx.traceFlags, 0x03);
  assert.equal(ctx.sampled, true);
  assert.match(propagationEnv(ctx, {}).TRACEPARENT!, /-03$/);
});

test('the trace file record round-trips', () => {
  const ctx = newRunTraceContext(resolveParentContext({ traceParent: VALID, traceState: 'a=1', env: {} }, assert.fail));
  assert.deepEqual(traceContextFromRecord(JSON.parse(JSON.stringify(traceContextRecord(ctx)))), ctx);
  assert.equal(traceContextFromRecord({ trace_id: 'x' }), undefined);
  assert.equal(traceContextFromRecord(undefined), undefined);
});

test('derived span ids are deterministic and distinct', () => {
  const g = new SpanIdGenerator('0123456789abcdef');
  const h = new SpanIdGenerator('0123456789abcdef');
  const seen = new Set<string>();
  for (let i = 0; i < 20000; i++) {
    for (const kind of [SpanIdKind.Process, SpanIdKind.Syscall, SpanIdKind.Aggregate]) {
      const id = g.id(kind, i);
      assert.match(id, /^[0-9a-f]{16}$/);
      assert.equal(id, h.id(kind, i));
      seen.add(id);
    }
  }
  assert.equal(seen.size, 60000);
  assert.notEqual(new SpanIdGenerator('fedcba9876543210').id(SpanIdKind.Syscall, 0), g.id(SpanIdKind.Syscall, 0));
});
