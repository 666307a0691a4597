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

import { redactUrl, type OtlpTarget } from './otlpTarget';

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
