// Open Trace File (annotations from a trace the CLI wrote), Export Trace to
// Tempo/OTLP, and the OTLP auth header kept in SecretStorage.
import { execFile } from 'node:child_process';
import type * as vscode from 'vscode';

import type { AnnotationController } from './annotationController';
import type { Engine } from './engine';
import type { TraceLanguageClient } from './languageClient';

export const OTLP_HEADERS_SECRET = 'renacer.otlp.headers';

export async function openTraceFile(file: string, annotations: AnnotationController, lsp: TraceLanguageClient): Promise<number> {
  const lines = await lsp.loadTrace(file);
  annotations.replace(lines);
  return lines.length;
}

export interface ExportResult {
  traceId?: string;
  output: string;
}

/** Runs `renacer export FILE` (the same engine as the CLI) with the auth header from SecretStorage. */
export async function exportTraceFile(engine: Engine, secrets: vscode.SecretStorage, file: string, endpoint: string, protocol?: string): Promise<ExportResult> {
  const headers = await secrets.get(OTLP_HEADERS_SECRET);
  const args = engine.args('export', file, '--otlp-endpoint', endpoint, ...(protocol ? ['--otlp-protocol', protocol] : []));
  // The header travels in the child's environment only: never on a command line, in settings or in logs.
  const env = engine.env(headers ? { OTEL_EXPORTER_OTLP_HEADERS: headers } : {});
  return new Promise((resolve, reject) => {
    execFile(engine.runtime, args, { env, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (err) {
        reject(new Error(output.trim() || err.message));
        return;
      }
      // `renacer: exported N spans to URL (trace 4bf92f…)`
      const m = /\(trace ([0-9a-f]{32})\)/.exec(output);
      resolve({ traceId: m?.[1], output });
    });
  });
}

export function traceUrl(template: string, traceId: string): string {
  return template.replace(/\$\{traceId\}/g, traceId);
}
