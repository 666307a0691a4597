// Where spans go: the OTLP endpoint and protocol, from the flags, then the
// standard OTEL_EXPORTER_OTLP_* variables, exactly as every OpenTelemetry
// SDK reads them; and the `--otlp-headers` syntax. Plain code without the
// OpenTelemetry packages: every run resolves its target, few export.
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
