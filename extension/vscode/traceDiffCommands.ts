// "Renacer: Compare with Previous Run" and "Renacer: Compare Trace Files…":
// the annotations become the deltas between two runs (the language server
// computes the diff, extension/core/diff/), Problems lists the failures
// that are new, and the trace viewer opens on its Diff tab.
import * as path from 'node:path';
import * as vscode from 'vscode';

import type { AnnotationController } from './annotationController';
import type { TraceLanguageClient } from './languageClient';
import { pickTraceFile } from './traceFilePicker';
import { SHOW_DIFF_COMMAND } from './traceViewerCommands';

export const COMPARE_PREVIOUS_COMMAND = 'renacer.compareWithPreviousRun';
export const COMPARE_FILES_COMMAND = 'renacer.compareTraceFiles';

export interface ComparisonShown {
  before: string;
  after: string;
  changed: number;
  newFailures: number;
  lines: number;
}

async function compare(lsp: TraceLanguageClient, annotations: AnnotationController, files?: [string, string]): Promise<ComparisonShown | undefined> {
  let r;
  try {
    r = await lsp.compare(files);
  } catch {
    // The server has said why (a missing or corrupt file, fewer than two runs) in a message of its own.
    return undefined;
  }
  annotations.replace(r.lines);
  const failures = r.newFailures ? `, ${r.newFailures} new failure${r.newFailures === 1 ? '' : 's'} (see Problems)` : '';
  void vscode.window.setStatusBarMessage(`Renacer: ${path.basename(r.before)} → ${path.basename(r.after)}: ${r.changed} call site${r.changed === 1 ? '' : 's'} changed${failures}`, 10_000);
  await vscode.commands.executeCommand(SHOW_DIFF_COMMAND, r.diff);
  return { before: r.before, after: r.after, changed: r.changed, newFailures: r.newFailures, lines: r.lines.length };
}

export function registerTraceDiffCommands(lsp: TraceLanguageClient, annotations: AnnotationController): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMPARE_PREVIOUS_COMMAND, () => compare(lsp, annotations)),
    vscode.commands.registerCommand(COMPARE_FILES_COMMAND, async (before?: unknown, after?: unknown) => {
      const given = (x: unknown) => (typeof x === 'string' ? x : x instanceof vscode.Uri ? x.fsPath : undefined);
      const b = given(before) ?? (await pickTraceFile(undefined, 'The earlier run (before)'));
      if (!b) return undefined;
      const a = given(after) ?? (await pickTraceFile(undefined, `The later run, compared with ${path.basename(b)}`));
      if (!a) return undefined;
      return compare(lsp, annotations, [b, a]);
    }),
  );
}
