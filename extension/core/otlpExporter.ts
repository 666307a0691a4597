// Where and how spans go: the OTLP endpoint and protocol (flags, then the
// standard OTEL_EXPORTER_OTLP_* variables), and a batch exporter built on the
// official OpenTelemetry exporters — they serialise (otlp-transformer), send,
// compress, time out, retry HTTP 429/502/503/504 and network errors with
// backoff, and read OTEL_EXPORTER_OTLP_{,TRACES_}{HEADERS,TIMEOUT,COMPRESSION,
// CERTIFICATE,…} exactly as every OpenTelemetry SDK does. What is added here:
// choosing the protocol, the gRPC retries the official gRPC exporter leaves
// out (UNAVAILABLE and the other retryable codes of the OTLP spec), a quick
// reachability probe, and one export at a time per call (the caller bounds
// how many are in flight: no BatchSpanProcessor, no queue that drops).
import * as net from 'node:net';

import { DiagLogLevel, diag, type DiagLogger } from '@opentelemetry/api';
import { ExportResultCode, getNumberFromEnv, getStringFromEnv, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

export interface OtlpTarget {
  protocol: OtlpProtocol;
  /** HTTP: the full URL of the traces endpoint; gRPC: the endpoint as configured. */
  url: string;
  /** Where the endpoint came from (for messages). */
  endpointSource: 'flag' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_EXPORTER_OTLP_ENDPOINT';
  protocolSource: 'flag' | 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' | 'OTEL_EXPORTER_OTLP_PROTOCOL' | 'port 4317' | 'default';
}

export class OtlpConfigError extends Error {}

type Env = Record<string, string | undefined>;

function envValue(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** `http://user:secret@host/x?token=…` → `http://host/x`: credentials never reach a message. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//').replace(/\?.*$/, '');
  }
}

/** A generic (non-signal-specific) endpoint + `v1/traces`, as the OTLP exporter spec says. */
export function tracesUrlFromBase(base: string): string {
  const u = new URL(base);
  // Already the traces path (a common way to pass the flag): keep it.
  if (/\/v1\/traces\/?$/.test(u.pathname)) return u.toString();
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  u.pathname += 'v1/traces';
  return u.toString();
}

function portOf(endpoint: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `http://${endpoint}`;
  try {
    return new URL(withScheme).port || undefined;
  } catch {
    return undefined;
  }
}

export function parseProtocol(value: string, what: string): OtlpProtocol {
  const v = value.trim() as OtlpProtocol;
  if (OTLP_PROTOCOLS.includes(v)) return v;
  throw new OtlpConfigError(`${what}: unknown OTLP protocol '${value}' (expected ${OTLP_PROTOCOLS.join(', ')})`);
}

/** Checks an `--otlp-endpoint` value: a URL for HTTP, a URL or host:port for gRPC. */
export function checkEndpoint(value: string): string {
  const v = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new OtlpConfigError(`'${redactUrl(v)}' is not a valid URL`);
    }
    if (!/^(https?|unix):$/.test(u.protocol)) throw new OtlpConfigError(`'${u.protocol}' endpoints are not supported (use http:// or https://)`);
    return v;
  }
  if (/^[^\s/:]+:\d+$/.test(v) || /^\[[0-9a-f:.]+\]:\d+$/i.test(v)) return v; // host:port (gRPC)
  throw new OtlpConfigError(`'${v}' is not a URL (e.g. http://localhost:4318) or host:port`);
}

/**
 * The OTLP target, or undefined when no endpoint is configured (then the
 * trace file is the record, and `renacer export` sends it when wanted).
 * Endpoint: `--otlp-endpoint` (a base URL: /v1/traces is appended for HTTP),
 * else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is), else
 * OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/traces). Protocol: `--otlp-protocol`,
 * else OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL,
 * else gRPC when the endpoint's port is 4317, else http/protobuf.
 */
export function resolveOtlpTarget(flags: { endpoint?: string; protocol?: OtlpProtocol }, env: Env): OtlpTarget | undefined {
  let endpoint: string | undefined;
  let endpointSource: OtlpTarget['endpointSource'];
  if (flags.endpoint !== undefined) {
    endpoint = checkEndpoint(flags.endpoint);
    endpointSource = 'flag';
  } else {
    if (envValue(env, 'OTEL_TRACES_EXPORTER') === 'none') return undefined;
    const specific = envValue(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    const generic = envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    if (specific !== undefined) {
      endpoint = specific;
      endpointSource = 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT';
    } else if (generic !== undefined) {
      endpoint = generic;
      endpointSource = 'OTEL_EXPORTER_OTLP_ENDPOINT';
    } else {
      return undefined;
    }
  }

  let protocol: OtlpProtocol;
  let protocolSource: OtlpTarget['protocolSource'];
  const envSpecific = envValue(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL');
  const envGeneric = envValue(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (flags.protocol !== undefined) {
    protocol = flags.protocol;
    protocolSource = 'flag';
  } else if (envSpecific !== undefined) {
    protocol = parseProtocol(envSpecific, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL');
    protocolSource = 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL';
  } else if (envGeneric !== undefined) {
    protocol = parseProtocol(envGeneric, 'OTEL_EXPORTER_OTLP_PROTOCOL');
    protocolSource = 'OTEL_EXPORTER_OTLP_PROTOCOL';
  } else if (portOf(endpoint) === '4317') {
    protocol = 'grpc';
    protocolSource = 'port 4317';
  } else {
    protocol = 'http/protobuf';
    protocolSource = 'default';
  }

  let url = endpoint;
  if (protocol !== 'grpc') {
    if (!/^https?:\/\//i.test(endpoint)) {
      throw new OtlpConfigError(`OTLP ${protocol} needs an http:// or https:// URL, got '${redactUrl(endpoint)}' (from ${endpointSource})`);
    }
    try {
      url = endpointSource === 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' ? new URL(endpoint).toString() : tracesUrlFromBase(endpoint);
    } catch {
      throw new OtlpConfigError(`'${redactUrl(endpoint)}' (from ${endpointSource}) is not a valid URL`);
    }
  }
  return { protocol, url, endpointSource, protocolSource };
}

/** Parses `--otlp-headers k=v,k2=v2` (values may be percent-encoded, as in OTEL_EXPORTER_OTLP_HEADERS). */
export function parseHeaders(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  value.split(',').forEach((part, i) => {
    if (part.trim() === '') return;
    const eq = part.indexOf('=');
    const key = eq < 0 ? '' : part.slice(0, eq).trim();
    // Messages name the entry or its key, never its value: headers carry credentials.
    if (key === '') throw new OtlpConfigError(`entry ${i + 1} is not key=value`);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) throw new OtlpConfigError(`entry ${i + 1}: '${key}' is not a valid header name`);
    let v = part.slice(eq + 1).trim();
    try {
      v = decodeURIComponent(v);
    } catch {
      // keep it as written
    }
    out[key] = v;
  });
  return out;
}

/** The export timeout in ms: OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, else OTEL_EXPORTER_OTLP_TIMEOUT, else 10 s. */
export function exportTimeoutMillis(): number {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const v = getNumberFromEnv(name);
    if (v !== undefined && Number.isFinite(v) && v > 0) return v;
  }
  return 10_000;
}

/** One batch per call; resolves when the collector took it, rejects with a readable error when it did not. */
export interface BatchExporter {
  readonly target: OtlpTarget;
  export(spans: ReadableSpan[]): Promise<void>;
  shutdown(): Promise<void>;
}

export interface BatchExporterOptions {
  /** `--otlp-headers`, over OTEL_EXPORTER_OTLP_{,TRACES_}HEADERS. */
  headers?: Record<string, string>;
  userAgent?: string;
}

// gRPC status codes the OTLP spec calls retryable.
const GRPC_RETRYABLE = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 10 /* ABORTED */, 11 /* OUT_OF_RANGE */, 14 /* UNAVAILABLE */, 15 /* DATA_LOSS */]);
const RETRY_INITIAL_MS = 1000;
const RETRY_MAX_MS = 5000;
const RETRY_MULTIPLIER = 1.5;
const RETRY_ATTEMPTS = 5;

function describeError(e: unknown): string {
  if (!e) return 'unknown error';
  const err = e as { code?: unknown; details?: string; message?: string };
  if (typeof err.details === 'string' && typeof err.code === 'number') return `gRPC status ${err.code}: ${err.details}`;
  return err.message || String(e);
}

function compressionFromEnv(): 'gzip' | 'none' | undefined {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION']) {
    const v = getStringFromEnv(name)?.trim();
    if (v === 'gzip' || v === 'none') return v;
  }
  return undefined;
}

/**
 * The official exporter for the protocol. Compression: gzip unless
 * OTEL_EXPORTER_OTLP_{TRACES_,}COMPRESSION says otherwise (the SDKs default to
 * none; the Collector's own OTLP exporter defaults to gzip, and span payloads
 * shrink ~10×).
 */
function officialExporter(target: OtlpTarget, opts: BatchExporterOptions): SpanExporter {
  const compression = compressionFromEnv() === undefined ? ('gzip' as const) : undefined;
  if (target.protocol === 'grpc') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-grpc') as typeof import('@opentelemetry/exporter-trace-otlp-grpc');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Metadata } = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
    let metadata;
    if (opts.headers && Object.keys(opts.headers).length) {
      metadata = new Metadata();
      for (const [k, v] of Object.entries(opts.headers)) metadata.set(k, v);
    }
    return new OTLPTraceExporter({
      url: target.url,
      metadata,
      compression: compression as never,
      userAgent: opts.userAgent,
      concurrencyLimit: 4,
    });
  }
  const config = { url: target.url, headers: opts.headers, compression: compression as never, userAgent: opts.userAgent, concurrencyLimit: 4 };
  if (target.protocol === 'http/json') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(config);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(config);
}

function exportOnce(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createBatchExporter(target: OtlpTarget, opts: BatchExporterOptions = {}): BatchExporter {
  const exporter = officialExporter(target, opts);
  const timeout = exportTimeoutMillis();
  return {
    target,
    async export(spans: ReadableSpan[]): Promise<void> {
      const deadline = Date.now() + timeout;
      let backoff = RETRY_INITIAL_MS;
      for (let attempt = 0; ; attempt++) {
        const result = await exportOnce(exporter, spans);
        if (result.code === ExportResultCode.SUCCESS) return;
        // HTTP retries happen inside the official exporter; gRPC's do not.
        const code = (result.error as { code?: unknown } | undefined)?.code;
        const retryable = target.protocol === 'grpc' && typeof code === 'number' && GRPC_RETRYABLE.has(code);
        const wait = Math.min(backoff, RETRY_MAX_MS) * (0.8 + Math.random() * 0.4);
        if (!retryable || attempt >= RETRY_ATTEMPTS || Date.now() + wait > deadline) {
          throw new Error(describeError(result.error));
        }
        await sleep(wait);
        backoff *= RETRY_MULTIPLIER;
      }
    },
    shutdown: () => exporter.shutdown(),
  };
}

/**
 * Whether the collector accepts TCP connections: an unreachable collector is
 * found in milliseconds instead of after the exporter's retries (during which
 * the traced program would wait). Resolves with the problem, or undefined.
 */
export function probeCollector(target: OtlpTarget, timeoutMs = Math.min(exportTimeoutMillis(), 3000)): Promise<string | undefined> {
  let host: string;
  let port: number;
  try {
    const raw = /^[a-z][a-z0-9+.-]*:\/\//i.test(target.url) ? target.url : `https://${target.url}`;
    const u = new URL(raw);
    if (u.protocol === 'unix:') return Promise.resolve(undefined);
    host = u.hostname.replace(/^\[|\]$/g, '');
    port = Number(u.port || (u.protocol === 'http:' ? 80 : 443));
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (problem?: string) => {
      socket.destroy();
      clearTimeout(timer);
      resolve(problem);
    };
    const timer = setTimeout(() => done(`no answer from ${host}:${port} within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => done());
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? `connection refused by ${host}:${port}` : `${host}:${port}: ${e.message}`));
  });
}

/**
 * Routes the OpenTelemetry libraries' own warnings (bad OTEL_* values, partial
 * success responses) to `warn`, once each. Header values never pass: the one
 * message that would carry one is rewritten without it.
 */
export function routeOtelDiagnostics(warn: (msg: string) => void): void {
  const seen = new Set<string>();
  const forward = (message: string) => {
    const m = /^Header "([^"]*)" has invalid value/.exec(message);
    const text = m ? `header '${m[1]}' has an invalid value and is ignored` : message;
    if (seen.has(text)) return;
    seen.add(text);
    warn(`OpenTelemetry: ${text}`);
  };
  const logger: DiagLogger = {
    error: (message: string) => forward(message),
    warn: (message: string, ...args: unknown[]) => forward(message.startsWith('Received Partial Success') ? `${message} ${args.map(String).join(' ')}` : message),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}
