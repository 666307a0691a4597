// "Renacer: Trace in Terminal": runs the CLI in the integrated terminal, so
// a TRACEPARENT exported in that shell applies exactly as in the seed's
// examples, and follows the run's trace file to annotate as it goes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { traceFileEnded } from '../core/traceFile/traceFile';
import type { AnnotationController } from './annotationController';
import { pickBinary } from './debugConfigurationProvider';
import type { Engine } from './engine';
import type { TraceLanguageClient } from './languageClient';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function traceInTerminal(engine: Engine, annotations: AnnotationController, lsp: TraceLanguageClient, log: vscode.OutputChannel): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const program = await pickBinary(folder);
  if (!program) return;
  const root = folder?.uri.fsPath ?? path.dirname(program);
  const traceFile = path.join(root, '.renacer', `terminal-${Date.now()}.jsonl.gz`);
  const terminal = vscode.window.activeTerminal ?? vscode.window.createTerminal({ name: 'Renacer', cwd: root });
  terminal.show();
  const cmd = ['ELECTRON_RUN_AS_NODE=1', quote(engine.runtime), quote(engine.cli), '-f', '--source', '--trace-file', quote(traceFile), '--', quote(program)].join(' ');
  const si = (terminal as { shellIntegration?: { executeCommand(c: string): unknown } }).shellIntegration;
  if (si) si.executeCommand(cmd);
  else terminal.sendText(cmd);
  log.appendLine(`trace in terminal: ${cmd}`);

  // Follow the trace file as it grows (the language server reads it; a
  // half-written last batch is skipped), until the run's end record.
  let busy = false;
  const poll = setInterval(async () => {
    if (busy || !fs.existsSync(traceFile)) return;
    busy = true;
    try {
      annotations.replace(await lsp.loadTrace(traceFile));
      if (traceFileEnded(traceFile)) clearInterval(poll);
    } catch (e) {
      log.appendLine(`trace in terminal: ${(e as Error).message}`);
    } finally {
      busy = false;
    }
  }, 500);
  setTimeout(() => clearInterval(poll), 60 * 60 * 1000);
}
