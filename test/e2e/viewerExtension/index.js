// In-host half of the trace viewer's end-to-end test (viewer.test.ts): runs
// in the real extension host. F5 traces the demo; at each checkpoint the
// browser side works the viewer as a person would (status bar, a click on a
// syscall, the hover's link) and this side checks what the editor did.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { checkpoint } = require('../hostCheckpoint.js');
const { activateRenacer, lineOf, until } = require('../hostHelpers.js');

async function run() {
  const { api } = await activateRenacer();
  const folder = vscode.workspace.workspaceFolders[0];
  const src = path.join(folder.uri.fsPath, 'demo.c');
  const openLine = lineOf(src, '@syscall openat');

  const finished = new Promise((resolve) => api.onDidFinishTrace(resolve));
  assert.ok(await vscode.debug.startDebugging(folder, 'Renacer: Trace Program'), 'the session starts');
  const fin = await finished;
  assert.ok(fin.traceFile && fs.existsSync(fin.traceFile), `trace file ${fin.traceFile}`);

  // The browser clicks the status bar's "Renacer: N syscalls": the viewer opens with this run's trace.
  await checkpoint('finished', { timeoutMs: 120_000 });
  const shown = await vscode.commands.executeCommand('renacer.showViewer');
  assert.ok(shown, 'the viewer is open');
  assert.equal(shown.file, fin.traceFile, 'the last session\'s trace');
  assert.equal(shown.syscalls, fin.syscalls);

  // The browser clicks the failing openat in the timeline: its line shows in an editor.
  await checkpoint('viewer', { timeoutMs: 120_000 });
  const editor = await until(`demo.c:${openLine} in an editor`, () =>
    vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === src && e.selection.active.line === openLine - 1),
  );
  assert.equal(editor.selection.active.line + 1, openLine);
  await checkpoint('revealed', { timeoutMs: 120_000 });

  // The other way: the hover's "Show in trace viewer" link (the language server's viewerCommand).
  await checkpoint('hover-link', { timeoutMs: 120_000 });
  const again = await vscode.commands.executeCommand('renacer.revealInViewer', { file: src, line: openLine });
  assert.equal(again && again.file, fin.traceFile, 'revealInViewer keeps the trace on screen');
  await checkpoint('done', { timeoutMs: 120_000 });
}

module.exports = { run };
