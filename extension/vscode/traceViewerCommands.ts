// The trace viewer's commands: "Renacer: Show Trace Viewer"
// (renacer.showViewer: a file given, else the last session's trace, else
// one picked) and renacer.revealInViewer ({file, line}: the calls made from
// a source line; the language server's hover links and CodeLens run it); the
// restoring of an open viewer after a window reload; and, when a run ends,
// decoding its trace in the background so the viewer opens it at once.
import * as vscode from 'vscode';

import type { TraceDiff } from '../core/diff/diffModel';
import { DEBUG_TYPE } from './debugConfigurationProvider';
import { pickTraceFile } from './traceFilePicker';
import { TraceViewerPanel, VIEW_TYPE, webviewOptions } from './traceViewerPanel';

export const SHOW_VIEWER_COMMAND = 'renacer.showViewer';
export const REVEAL_IN_VIEWER_COMMAND = 'renacer.revealInViewer';
/** A run-to-run diff (TraceDiff) shown in the viewer's Diff tab, over its AFTER trace. */
export const SHOW_DIFF_COMMAND = 'renacer.showDiff';

export function registerTraceViewer(context: vscode.ExtensionContext, log: vscode.OutputChannel, lastTraceFile: () => string | undefined): vscode.Disposable {
  const viewer = new TraceViewerPanel(context, log, () => pickTraceFile(lastTraceFile()));
  const traceToShow = async (given?: unknown): Promise<string | undefined> => {
    if (typeof given === 'string' && given) return given;
    if (given instanceof vscode.Uri) return given.fsPath;
    return lastTraceFile() ?? (await pickTraceFile());
  };
  return vscode.Disposable.from(
    viewer,
    // Resolves with {file, syscalls, openMs} once the trace is on screen.
    vscode.commands.registerCommand(SHOW_VIEWER_COMMAND, async (file?: unknown) => {
      const chosen = await traceToShow(file);
      return chosen ? viewer.show(chosen) : undefined;
    }),
    vscode.commands.registerCommand(REVEAL_IN_VIEWER_COMMAND, async (at?: { file?: unknown; line?: unknown }) => {
      if (!at || typeof at.file !== 'string' || typeof at.line !== 'number') {
        void vscode.window.showErrorMessage('Renacer: revealInViewer needs {file, line}.');
        return;
      }
      // The trace the annotations came from: the one on screen, else the last session's.
      const trace = viewer.currentFile ?? (await traceToShow());
      if (!trace) return;
      viewer.revealLine(at.file, at.line);
      return viewer.show(trace);
    }),
    vscode.commands.registerCommand(SHOW_DIFF_COMMAND, (diff: TraceDiff) => viewer.showDiff(diff)),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.type !== DEBUG_TYPE || !vscode.workspace.getConfiguration('renacer').get<boolean>('viewer.prepareAfterRun', true)) return;
      const file = lastTraceFile();
      if (file) void viewer.prepare(file);
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        panel.webview.options = webviewOptions(context);
        const file = (state as { file?: unknown } | undefined)?.file;
        viewer.adopt(panel, typeof file === 'string' ? file : undefined);
      },
    }),
  );
}
