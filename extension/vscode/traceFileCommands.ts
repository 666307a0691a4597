// Open Trace File (annotations from a trace the CLI wrote), Export Trace to
// Tempo/OTLP, and the OTLP auth header kept in SecretStorage.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { traceFileSummary } from '../core/traceFile/traceFile';

import type { AnnotationController } from './annotationController';
import type { Engine } from './engine';
import type { TraceLanguageClient } from './languageClient';

export const OTLP_HEADERS_SECRET = 'renacer.otlp.headers';

export async function pickTraceFile(lastTraceFile?: string, placeHolder = 'Trace file'): Promise<string | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const dir = root ? path.join(root, '.renacer') : undefined;
  const recent = dir && fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl.gz')).map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)
    : [];
  const browse = '$(folder-opened) Browse…';
  const items = [...new Set([...(lastTraceFile ? [lastTraceFile] : []), ...recent])].slice(0, 15);
  if (items.length === 0) return browseForTrace(dir);
  // Which run each file is: the program, when, how many calls (from the file's first and last members).
  const picks: Array<vscode.QuickPickItem & { file?: string }> = items.map((f) => {
    const s = traceFileSummary(f);
    const when = s ? s.startedAt.toLocaleString() : '';
    const what = s ? `${path.basename(s.program)}${s.syscalls === undefined ? ' (unfinished)' : ` · ${s.syscalls.toLocaleString('en')} syscalls`}` : 'not a readable trace';
    return { label: what, description: when, detail: root ? path.relative(root, f) : f, file: f };
  });
  const choice = await vscode.window.showQuickPick([...picks, { label: browse }], { placeHolder, matchOnDetail: true });
  if (!choice) return undefined;
  return choice.file ?? browseForTrace(dir);
}

async function browseForTrace(dir?: string): Promise<string | undefined> {
  const uris = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: dir ? vscode.Uri.file(dir) : undefined,
    filters: { 'Renacer trace': ['gz'] },
    openLabel: 'Open Trace',
  });
  return uris?.[0]?.fsPath;
}

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
