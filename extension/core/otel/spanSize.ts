// How many bytes a span adds to an OTLP protobuf request, computed from the
// wire format of its fields (tag, length prefix and payload of each: ids,
// name, times, every attribute, events, status, flags) — the same layout
// @opentelemetry/otlp-transformer writes. Exact for the fields Renacer's spans
// carry; the export budget (spanBudget.ts) adds these up.
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { TraceState, type InstrumentationScope } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Resource } from '@opentelemetry/resources';
import type { TimedEvent } from '@opentelemetry/sdk-trace';

import { FixedTraceState, RenacerSpan, type SpanRun } from './spanModel';
import type { RunTraceContext } from './traceContext';

export function varintBytes(n: number): number {
  if (n < 0) return 10; // a negative int64 is always 10 bytes
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  let bytes = 4;
  let v = Math.floor(n / 0x10000000);
  while (v > 0) {
    bytes++;
    v = Math.floor(v / 0x80);
  }
  return bytes;
}

function utf8Bytes(s: string): number {
  // Most strings here are ASCII (strace escapes the rest): skip the scan then.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/** A length-delimited field: tag, length, payload. */
function delimited(payload: number): number {
  return 1 + varintBytes(payload) + payload;
}

function anyValueBytes(v: AttributeValue | undefined | null): number {
  switch (typeof v) {
    case 'string':
      return delimited(utf8Bytes(v));
    case 'boolean':
      return 2;
    case 'number':
      return Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63 ? 1 + varintBytes(v) : 9;
    default:
      if (Array.isArray(v)) {
        let inner = 0;
        for (const item of v) inner += delimited(anyValueBytes(item as AttributeValue));
        return delimited(inner);
      }
      return 0;
  }
}

export function attributesBytes(attributes: Attributes): number {
  let n = 0;
  for (const key in attributes) {
    const kv = delimited(utf8Bytes(key)) + delimited(anyValueBytes(attributes[key]));
    n += delimited(kv);
  }
  return n;
}

function eventBytes(e: TimedEvent): number {
  let body = 9 + delimited(utf8Bytes(e.name)) + 2;
  if (e.attributes) body += attributesBytes(e.attributes);
  return delimited(body);
}

/** Bytes of one span inside a ScopeSpans message (its tag and length prefix included). */
export function spanBytes(span: RenacerSpan): number {
  let body = 18 + 10 + 9 + 9 + 2 + 2 + 2 + 2 + 6; // trace id (16 B), span id (8 B), times, kind, 3 dropped counts, flags (field 16: 2-byte tag)
  const state = span.run.traceState?.serialize();
  if (state) body += delimited(utf8Bytes(state));
  if (span.parentSpanId !== undefined) body += 10;
  body += delimited(utf8Bytes(span.name));
  body += attributesBytes(span.attributes);
  for (const e of span.events) body += eventBytes(e);
  const message = span.status.message;
  body += delimited((message ? delimited(utf8Bytes(message)) : 0) + 2);
  return delimited(body);
}

/**
 * Bytes one export request adds besides its spans: the resource, the scope
 * and the envelopes around them, measured once by serialising a request with
 * the official serialiser. 16 bytes of slack cover the envelopes' length
 * prefixes growing with the batch.
 */
export function requestOverheadBytes(context: RunTraceContext, resource: Resource, scope: InstrumentationScope): number {
  const run: SpanRun = { traceId: context.traceId, traceFlags: context.traceFlags, resource, scope };
  if (context.traceState) run.traceState = new FixedTraceState(new TraceState(context.traceState));
  const probe = new RenacerSpan(run, context.rootSpanId, undefined, 'x', [0, 0], [0, 0], {});
  return ProtobufTraceSerializer.serializeRequest([probe])!.length - spanBytes(probe) + 16;
}
