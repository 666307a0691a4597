// Where spans go: endpoint and protocol from flags and OTEL_EXPORTER_OTLP_*,
// headers, the export budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { OtlpConfigError, parseHeaders, redactUrl, resolveOtlpTarget } from '../../extension/core/otel/otlpTarget';
import { parseBudget } from '../../extension/core/otel/spanBudget';

test('no endpoint configured: no export', () => {
  assert.equal(resolveOtlpTarget({}, {}), undefined);
  assert.equal(resolveOtlpTarget({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), undefined);
  assert.equal(resolveOtlpTarget({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }), undefined);
});

test('/v1/traces is appended to a base URL (flag and generic variable), the signal-specific variable is used as is', () => {
  assert.equal(resolveOtlpTarget({ endpoint: 'http://c:4318' }, {})?.url, 'http://c:4318/v1/traces');
  assert.equal(resolveOtlpTarget({ endpoint: 'http://c:4318/' }, {})?.url, 'http://c:4318/v1/traces');
  assert.equal(resolveOtlpTarget({ endpoint: 'https://c/otlp' }, {})?.url, 'https://c/otlp/v1/traces');
  assert.equal(resolveOtlpTarget({ endpoint: 'http://c:4318/v1/traces' }, {})?.url, 'http://c:4318/v1/traces');
  assert.equal(resolveOtlpTarget({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })?.url, 'http://c:4318/v1/traces');
  assert.equal(resolveOtlpTarget({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:9999/custom' })?.url, 'http://c:9999/custom');
  // Signal-specific wins over generic; the flag over both.
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://specific:4318/v1/traces' };
  assert.equal(resolveOtlpTarget({}, env)?.url, 'http://specific:4318/v1/traces');
  assert.equal(resolveOtlpTarget({ endpoint: 'http://flag:4318' }, env)?.url, 'http://flag:4318/v1/traces');
});

test('protocol: flag, then the variables, then gRPC for port 4317, else http/protobuf', () => {
  assert.equal(resolveOtlpTarget({ endpoint: 'http://localhost:4318' }, {})?.protocol, 'http/protobuf');
  const grpc = resolveOtlpTarget({ endpoint: 'http://localhost:4317' }, {})!;
  assert.equal(grpc.protocol, 'grpc');
  assert.equal(grpc.protocolSource, 'port 4317');
  assert.equal(grpc.url, 'http://localhost:4317', 'no path for gRPC');
  assert.equal(resolveOtlpTarget({ endpoint: 'http://localhost:4317', protocol: 'http/json' }, {})?.url, 'http://localhost:4317/v1/traces');
  assert.equal(resolveOtlpTarget({ endpoint: 'http://localhost:4317' }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' })?.protocol, 'http/protobuf');
  assert.equal(
    resolveOtlpTarget({ endpoint: 'http://c:4318' }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' })?.protocol,
    'http/json',
  );
  assert.equal(resolveOtlpTarget({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' })?.protocol, 'grpc');
  assert.equal(resolveOtlpTarget({ endpoint: 'c:4317' }, {})?.protocol, 'grpc', 'host:port');
  assert.throws(() => resolveOtlpTarget({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' }), OtlpConfigError);
  assert.throws(() => resolveOtlpTarget({ endpoint: 'c:4318' }, {}), /needs an http:\/\/ or https:\/\/ URL/);
  assert.throws(() => resolveOtlpTarget({ endpoint: 'ftp://c' }, {}), OtlpConfigError);
});

test('headers: k=v pairs, percent-decoded; errors never show a value', () => {
  assert.deepEqual(parseHeaders('authorization=Bearer%20abc, x-scope=tenant-1'), { authorization: 'Bearer abc', 'x-scope': 'tenant-1' });
  assert.deepEqual(parseHeaders(''), {});
  assert.throws(() => parseHeaders('a=1,Bearer s3cret'), (e: Error) => /entry 2 is not key=value/.test(e.message) && !e.message.includes('s3cret'));
  assert.throws(() => parseHeaders('bad key=s3cret'), (e: Error) => /'bad key' is not a valid header name/.test(e.message) && !e.message.includes('s3cret'));
});

test('URLs in messages lose their credentials', () => {
  assert.equal(redactUrl('https://user:pw@collector:4318/v1/traces?token=x'), 'https://collector:4318/v1/traces');
});

test('budget sizes', () => {
  assert.equal(parseBudget('4000000'), 4_000_000);
  assert.equal(parseBudget('4MB'), 4_000_000);
  assert.equal(parseBudget('500kB'), 500_000);
  assert.equal(parseBudget('2.5m'), 2_500_000);
  assert.equal(parseBudget('unlimited'), null);
  assert.throws(() => parseBudget('lots'));
  assert.throws(() => parseBudget('0'));
});
