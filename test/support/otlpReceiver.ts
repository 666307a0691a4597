// A real OTLP trace receiver for tests, on 127.0.0.1: HTTP (POST /v1/traces,
// protobuf or JSON, gzip or not) and gRPC (the official
// opentelemetry.proto.collector.trace.v1.TraceService, served by
// @grpc/grpc-js). Payloads are decoded with the official OTLP schema: the
// opentelemetry-proto .proto files as shipped in the npm package
// @opentelemetry/otlp-grpc-exporter-base@0.38.0 (installed as
// `otlp-proto-files`), loaded by protobufjs and @grpc/proto-loader. Nothing
// here hand-writes the schema.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';

const PROTO_DIR = path.join(path.dirname(require.resolve('otlp-proto-files/package.json')), 'build', 'protos');
const TRACE_SERVICE_PROTO = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';

/** The conversion both decoders use (protobufjs toObject / proto-loader options alike). */
const OBJECT_OPTIONS = { longs: String, enums: Number, bytes: Buffer, defaults: false, oneofs: false, keepCase: false } as const;

let schema: { request: protobuf.Type; response: protobuf.Type; span: protobuf.Type; resource: protobuf.Type; scope: protobuf.Type } | undefined;
function traceSchema() {
  if (!schema) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_DIR, target));
    root.loadSync(TRACE_SERVICE_PROTO, { keepCase: false });
    schema = {
      request: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
      response: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
      span: root.lookupType('opentelemetry.proto.trace.v1.Span'),
      resource: root.lookupType('opentelemetry.proto.resource.v1.Resource'),
      scope: root.lookupType('opentelemetry.proto.common.v1.InstrumentationScope'),
    };
  }
  return schema;
}

export type Transport = 'http/protobuf' | 'http/json' | 'grpc';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a span without a parent. */
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; timeUnixNano: bigint; attributes: Record<string, unknown> }>;
  droppedEventsCount: number;
  status: { code: number; message: string };
  resource: Record<string, unknown>;
  scope: { name: string; version: string };
  transport: Transport;
}

export interface ReceivedRequest {
  transport: Transport;
  /** Lower-case header names → values (HTTP headers or gRPC metadata). */
  headers: Record<string, string>;
  compressed: boolean;
  spans: number;
  /** Bytes on the wire (HTTP; 0 for gRPC). */
  bytes: number;
  /** Bytes of the decoded (uncompressed) OTLP payload. */
  decodedBytes: number;
}

export interface ReceiverOptions {
  /** Fail the first N export requests with this answer (HTTP status / gRPC code), then accept. */
  failFirst?: { count: number; httpStatus?: number; grpcCode?: grpc.status };
  /** 'all' keeps every span; 'structure' keeps only spans without syscall.args (root, process, aggregates) and counts the rest. */
  keep?: 'all' | 'structure';
  /** Answer each HTTP export request this many ms late (a slow collector). */
  delayMs?: number;
  /** Listen on these ports (the collector defaults: 4318 HTTP, 4317 gRPC) instead of ephemeral ones. */
  ports?: { http?: number; grpc?: number };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function anyValue(v: any): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(anyValue);
  if (v.kvlistValue !== undefined) return attributes(v.kvlistValue.values);
  if (v.bytesValue !== undefined) return Buffer.from(v.bytesValue);
  return undefined;
}

function attributes(kvs: any[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

const hex = (b: any) => (b ? Buffer.from(b).toString('hex') : '');

/** The OTLP/JSON encoding writes ids as hex; the protobuf JSON mapping protobufjs reads wants base64. */
function jsonIdsToBase64(request: any): any {
  for (const rs of request.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        for (const k of ['traceId', 'spanId', 'parentSpanId']) {
          if (typeof s[k] === 'string') s[k] = Buffer.from(s[k], 'hex').toString('base64');
        }
        for (const l of s.links ?? []) for (const k of ['traceId', 'spanId']) if (typeof l[k] === 'string') l[k] = Buffer.from(l[k], 'hex').toString('base64');
      }
    }
  }
  return request;
}

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly requests: ReceivedRequest[] = [];
  /** Every span received, kept or not. */
  spanCount = 0;
  private http?: http.Server;
  private grpcServer?: grpc.Server;
  httpPort = 0;
  grpcPort = 0;
  private failuresLeft: number;
  /** HTTP export requests being handled now, and the most ever at once. */
  concurrent = 0;
  maxConcurrent = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly opts: ReceiverOptions = {}) {
    this.failuresLeft = opts.failFirst?.count ?? 0;
  }

  /** Base URL for HTTP (`--otlp-endpoint`), /v1/traces not included. */
  get httpUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get grpcUrl(): string {
    return `http://127.0.0.1:${this.grpcPort}`;
  }

  async start(): Promise<this> {
    traceSchema();
    this.http = http.createServer((req, res) => this.onHttp(req, res));
    this.http.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(this.opts.ports?.http ?? 0, '127.0.0.1', resolve);
    });
    this.httpPort = (this.http.address() as AddressInfo).port;

    const definition = protoLoader.loadSync(TRACE_SERVICE_PROTO, { includeDirs: [PROTO_DIR], ...OBJECT_OPTIONS });
    const pkg = grpc.loadPackageDefinition(definition) as any;
    const official = pkg.opentelemetry.proto.collector.trace.v1.TraceService.service as grpc.ServiceDefinition;
    // The official service (path, names, response encoding); requests are
    // decoded in the handler with the same protobufjs schema as over HTTP, so
    // 'structure' mode skips converting spans it does not keep.
    const service: grpc.ServiceDefinition = { Export: { ...official.Export, requestDeserialize: (b: Buffer) => b } };
    this.grpcServer = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
    this.grpcServer.addService(service, {
      Export: (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
        if (this.failuresLeft > 0) {
          this.failuresLeft--;
          callback({ code: this.opts.failFirst?.grpcCode ?? grpc.status.UNAVAILABLE, details: 'test receiver: failing on purpose' });
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(call.metadata.getMap())) headers[k] = String(v);
        const body = call.request as Buffer;
        this.collect(this.decodeProtobuf(body), 'grpc', headers, false, 0, body.length);
        callback(null, {});
      },
    });
    this.grpcPort = await new Promise<number>((resolve, reject) =>
      this.grpcServer!.bindAsync(`127.0.0.1:${this.opts.ports?.grpc ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.http?.closeAllConnections();
      this.http?.close(() => resolve());
    });
    await new Promise<void>((resolve) => (this.grpcServer ? this.grpcServer.tryShutdown(() => resolve()) : resolve()));
  }

  /** Resolves once `n` spans have arrived (rejects after `timeoutMs`). */
  async waitForSpans(n: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.spanCount < n) {
      if (Date.now() > deadline) throw new Error(`receiver: ${this.spanCount} spans after ${timeoutMs} ms, expected ${n}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    res.on('close', () => this.concurrent--);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => (this.opts.delayMs ? setTimeout(() => this.answerHttp(req, res, chunks), this.opts.delayMs) : this.answerHttp(req, res, chunks)));
  }

  private answerHttp(req: http.IncomingMessage, res: http.ServerResponse, chunks: Buffer[]): void {
    {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      if (this.failuresLeft > 0) {
        this.failuresLeft--;
        res.writeHead(this.opts.failFirst?.httpStatus ?? 503, { 'Retry-After': '0' }).end();
        return;
      }
      let body = Buffer.concat(chunks);
      const raw = body.length;
      const compressed = req.headers['content-encoding'] === 'gzip';
      const contentType = String(req.headers['content-type'] ?? '');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = String(v);
      try {
        if (compressed) body = zlib.gunzipSync(body);
        const { request, response } = traceSchema();
        if (contentType.startsWith('application/json')) {
          const message = request.fromObject(jsonIdsToBase64(JSON.parse(body.toString('utf8'))));
          this.collect(request.toObject(message, OBJECT_OPTIONS), 'http/json', headers, compressed, raw, body.length);
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
        } else if (contentType.startsWith('application/x-protobuf')) {
          this.collect(this.decodeProtobuf(body), 'http/protobuf', headers, compressed, raw, body.length);
          res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end(Buffer.from(response.encode(response.create({})).finish()));
        } else {
          res.writeHead(415).end();
        }
      } catch (e) {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end(String((e as Error).message));
      }
    }
  }

  private decodeProtobuf(body: Buffer): any {
    const { request } = traceSchema();
    const message = request.decode(body);
    if (this.opts.keep === 'structure') return message; // converted span by span in collect
    return request.toObject(message, OBJECT_OPTIONS);
  }

  private collect(request: any, transport: Transport, headers: Record<string, string>, compressed: boolean, bytes: number, decodedBytes: number): void {
    let count = 0;
    // In 'structure' mode an HTTP protobuf request is a decoded message, converted span by span.
    const structureOnly = this.opts.keep === 'structure';
    const isMessage = request instanceof protobuf.Message;
    const types = traceSchema();
    const plain = (type: protobuf.Type, m: any) => (isMessage && m ? type.toObject(m, OBJECT_OPTIONS) : m);
    for (const rs of request.resourceSpans ?? []) {
      const resource = attributes(plain(types.resource, rs.resource)?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        const sc = plain(types.scope, ss.scope);
        const scope = { name: sc?.name ?? '', version: sc?.version ?? '' };
        for (const raw of ss.spans ?? []) {
          count++;
          if (structureOnly && (raw.attributes ?? []).some((kv: any) => kv.key === 'syscall.args')) continue;
          const s = plain(types.span, raw);
          this.spans.push({
            traceId: hex(s.traceId),
            spanId: hex(s.spanId),
            parentSpanId: hex(s.parentSpanId),
            traceState: s.traceState ?? '',
            name: s.name ?? '',
            kind: Number(s.kind ?? 0),
            startTimeUnixNano: BigInt(String(s.startTimeUnixNano ?? 0)),
            endTimeUnixNano: BigInt(String(s.endTimeUnixNano ?? 0)),
            attributes: attributes(s.attributes),
            events: (s.events ?? []).map((e: any) => ({ name: e.name ?? '', timeUnixNano: BigInt(String(e.timeUnixNano ?? 0)), attributes: attributes(e.attributes) })),
            droppedEventsCount: Number(s.droppedEventsCount ?? 0),
            status: { code: Number(s.status?.code ?? 0), message: s.status?.message ?? '' },
            resource,
            scope,
            transport,
          });
        }
      }
    }
    this.spanCount += count;
    this.requests.push({ transport, headers, compressed, spans: count, bytes, decodedBytes });
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

export async function startReceiver(opts?: ReceiverOptions): Promise<OtlpReceiver> {
  return new OtlpReceiver(opts).start();
}
