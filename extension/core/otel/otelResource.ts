// The OpenTelemetry resource of a run's spans: which service, which program,
// which host, which SDK. Resolved in two steps: what is known before the run
// (recorded in the trace file header, so a later `renacer export` reproduces
// it on another machine) and what the session tells once the program runs.
import * as os from 'node:os';
import * as path from 'node:path';

import type { Attributes } from '@opentelemetry/api';
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';

import type { SessionInfo } from '../session/events';
import { Attr } from './spanModel';

/** What the trace file header records (field `otel`). */
export interface ResourceRecord {
  /** `--otlp-service-name`, else OTEL_SERVICE_NAME; null: derive from the program. */
  service_name: string | null;
  host_name: string;
  /** OTEL_RESOURCE_ATTRIBUTES at trace time. */
  resource_attributes: Record<string, string>;
}

export function resourceRecord(serviceName: string | undefined, env: Record<string, string | undefined>): ResourceRecord {
  const explicit = serviceName ?? (env.OTEL_SERVICE_NAME?.trim() || undefined);
  return {
    service_name: explicit ?? null,
    host_name: os.hostname(),
    resource_attributes: parseKeyPairsIntoRecord(env.OTEL_RESOURCE_ATTRIBUTES),
  };
}

export function resourceRecordFromHeader(value: unknown): ResourceRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const r = value as Partial<ResourceRecord>;
  if (typeof r.host_name !== 'string') return undefined;
  return {
    service_name: typeof r.service_name === 'string' ? r.service_name : null,
    host_name: r.host_name,
    resource_attributes: r.resource_attributes && typeof r.resource_attributes === 'object' ? r.resource_attributes : {},
  };
}

export interface SdkIdentity {
  name: string;
  version: string;
}

/**
 * The resource: OTEL_RESOURCE_ATTRIBUTES, then what Renacer knows (the traced
 * program's process.*, host.name, telemetry.sdk.*), then service.name:
 * `--otlp-service-name`, else OTEL_SERVICE_NAME, else service.name from
 * OTEL_RESOURCE_ATTRIBUTES, else the program's basename.
 */
export function runResourceAttributes(rec: ResourceRecord, info: SessionInfo, sdk: SdkIdentity, serviceOverride?: string): Attributes {
  const exe = info.program ? path.basename(info.program) : '';
  const attrs: Attributes = { ...rec.resource_attributes };
  attrs['service.name'] = serviceOverride ?? rec.service_name ?? rec.resource_attributes['service.name'] ?? (exe || 'unknown_service');
  attrs[Attr.processPid] = info.pid;
  if (info.program) {
    attrs[Attr.processExecutableName] = exe;
    attrs[Attr.processExecutablePath] = info.program;
  }
  if (info.argv.length) attrs[Attr.processCommandArgs] = info.argv;
  attrs['host.name'] = rec.host_name;
  attrs['telemetry.sdk.name'] = sdk.name;
  attrs['telemetry.sdk.language'] = 'nodejs';
  attrs['telemetry.sdk.version'] = sdk.version;
  return attrs;
}

export function runResource(rec: ResourceRecord, info: SessionInfo, sdk: SdkIdentity, serviceOverride?: string): Resource {
  return resourceFromAttributes(runResourceAttributes(rec, info, sdk, serviceOverride));
}
