// The sample extension's integration tests: one `run(): Promise<void>` module,
// run inside the real extension host (code-server harness here and in CI;
// @vscode/test-electron where desktop VS Code can be downloaded). A rejected
// promise makes the host report a non-zero exit code.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { checkpoint } = require('../../hostCheckpoint.js');

const EXTENSION_ID = 'renacer-test.renacer-e2e-sample';

async function openHello() {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'hello.txt'));
  return vscode.window.showTextDocument(doc);
}

async function annotateLine3() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is loaded from extensionDevelopmentPath`);
  const api = await ext.activate();
  const commands = await vscode.commands.getCommands(true);
  assert.ok(commands.includes('renacerSample.annotate'), 'the command is registered');

  const editor = await openHello();
  const result = await vscode.commands.executeCommand('renacerSample.annotate', 3);
  assert.deepEqual(result, { line: 3, contentText: '\u2190 9 syscalls (sample)' });
  return { api, editor };
}

async function run() {
  const { api, editor } = await annotateLine3();
  assert.deepEqual(api.appliedDecorations(), [
    { uri: editor.document.uri.toString(), line: 3, contentText: '\u2190 9 syscalls (sample)' },
  ]);
  assert.equal(api.statusText(), '$(pulse) Sample: annotated line 3');
  // The decoration is live now: let the browser side read it off the screen.
  await checkpoint('decorated');
  console.log('sample run(): all assertions passed');
}

module.exports = { run, annotateLine3 };
