// In-host half of the run-to-run diff's end-to-end test (diff.test.ts): runs
// in the real extension host. Traces the program twice with F5's launch
// configuration, rebuilding it between the runs (the loop writes more, a new
// open fails); the browser side then runs "Renacer: Compare with Previous
// Run" from the palette and reads the screen; this side checks Problems.
'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { checkpoint } = require('../hostCheckpoint.js');
const { activateRenacer, until } = require('../hostHelpers.js');

async function traceOnce(api, folder) {
  const finished = new Promise((resolve) => {
    const sub = api.onDidFinishTrace((e) => {
      sub.dispose();
      resolve(e);
    });
  });
  assert.ok(await vscode.debug.startDebugging(folder, 'Renacer: Trace Program'), 'the session starts');
  const fin = await finished;
  assert.ok(fin.traceFile && fs.existsSync(fin.traceFile), `trace file ${fin.traceFile}`);
  return fin.traceFile;
}

async function run() {
  const { api } = await activateRenacer();
  const folder = vscode.workspace.workspaceFolders[0];
  const ws = folder.uri.fsPath;
  const src = path.join(ws, 'prog.c');

  const first = await traceOnce(api, folder);
  // The next build: the loop writes 5 times, and a new open fails.
  fs.copyFileSync(path.join(ws, 'prog-v2.c'), src);
  execFileSync('gcc', ['-g', '-O0', '-o', path.join(ws, 'build', 'prog'), src]);
  const second = await traceOnce(api, folder);
  assert.notEqual(first, second);

  await vscode.window.showTextDocument(vscode.Uri.file(src));
  // The browser runs "Renacer: Compare with Previous Run" and reads the annotations and Problems.
  await checkpoint('two-runs', { timeoutMs: 120_000 });
  const lines = fs.readFileSync(src, 'utf8').split('\n');
  const openLine = lines.findIndex((l) => l.includes('@new-open')) + 1;
  const diags = await until('the new failure in Problems', () => {
    const d = vscode.languages.getDiagnostics(vscode.Uri.file(src)).filter((x) => x.code === 'ENOENT');
    return d.length ? d : undefined;
  }, 20_000, 100);
  assert.equal(diags.length, 1, JSON.stringify(diags));
  assert.equal(diags[0].range.start.line + 1, openLine);
  assert.match(diags[0].message, /new failure: openat failed 1× with ENOENT/);
  assert.match(diags[0].message, new RegExp(path.basename(first).replace(/\./g, '\\.')));
  await checkpoint('compared', { timeoutMs: 120_000 });
}

module.exports = { run };
