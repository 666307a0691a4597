// The trace file picker the commands share (Open Trace File, Export Trace,
// the trace viewer's Show and the diff's Compare Trace Files): the recent
// runs under .renacer/ by program, time and call count, else a file dialog.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { traceFileSummary } from '../core/traceFile/traceFile';

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
