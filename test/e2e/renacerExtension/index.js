// In-host half of the extension's end-to-end test: runs inside the real
// extension host (code-server here, desktop VS Code under test-electron).
// F5 on the workspace's "Renacer: Trace Program" configuration, then the
// annotations, then "Export Trace to Tempo/OTLP". The browser side (see
// extension.test.ts) looks at the screen at each checkpoint.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { checkpoint } = require('../hostCheckpoint.js');
const { activateRenacer, lineOf } = require('../hostHelpers.js');

async function run() {
  const { ext, api } = await activateRenacer();
  const folder = vscode.workspace.workspaceFolders[0];
  const src = path.join(folder.uri.fsPath, 'demo.c');
  const openLine = lineOf(src, '@syscall openat');

  // F5: the launch configuration from .vscode/launch.json.
  const finished = new Promise((resolve) => api.onDidFinishTrace(resolve));
  const exitedAt = { t: 0 };
  const ended = new Promise((resolve) => vscode.debug.onDidTerminateDebugSession((s) => { exitedAt.t = Date.now(); resolve(s); }));
  assert.ok(await vscode.debug.startDebugging(folder, 'Renacer: Trace Program'), 'the session starts');
  const fin = await finished;
  await ended;
  assert.ok(fin.traceFile && fs.existsSync(fin.traceFile), `trace file ${fin.traceFile}`);
  assert.ok(fin.syscalls > 20, `${fin.syscalls} syscalls`);

  const doc = await vscode.workspace.openTextDocument(src);
  await vscode.window.showTextDocument(doc, { preview: false });
  // The right line carries its annotation. How long after the exit is a
  // measurement (written for the test log), not an assertion: speed is for
  // benchmarks; a generous bound only keeps a broken build from hanging.
  for (;;) {
    const lines = api.annotations.linesOf(src);
    const open = lines.find((l) => l.line === openLine);
    if (open && open.syscalls.some((s) => s.name === 'openat' && s.errors.ENOENT)) break;
    assert.ok(Date.now() - exitedAt.t < 30_000, `annotations on ${openLine}; have ${JSON.stringify(lines.map((l) => l.line))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  // The extension host's console reaches the harness's log (result.output).
  console.log(`annotation latency ${Math.max(0, Date.now() - exitedAt.t)} ms`);
  // "Create a launch.json file": one configuration, for a binary the workspace has.
  assert.equal(ext.packageJSON.contributes.debuggers[0].initialConfigurations, undefined, 'no second configuration from the manifest');
  const configs = api.initialConfigurations(folder);
  assert.equal(configs.length, 1, JSON.stringify(configs));
  const program = configs[0].program.replace('${workspaceFolder}', folder.uri.fsPath);
  assert.ok(fs.existsSync(program), `the configuration's program exists: ${configs[0].program}`);
  await checkpoint('annotated', { timeoutMs: 120_000 });

  // Export Trace to Tempo/OTLP: the endpoint is configured only now, so what
  // the receiver gets comes from this command (the run itself exported nothing).
  const endpoint = process.env.RENACER_E2E_OTLP_ENDPOINT;
  assert.ok(endpoint, 'the test passes the receiver endpoint');
  await vscode.workspace.getConfiguration('renacer').update('otlp.endpoint', endpoint, vscode.ConfigurationTarget.Global);
  const r = await vscode.commands.executeCommand('renacer.exportTrace', fin.traceFile);
  assert.ok(r && r.traceId, `export reported a trace id: ${r && r.output}`);
  await checkpoint('exported', { timeoutMs: 120_000 });

  // An unreachable collector: the failure says so once, with a way to the settings.
  await vscode.workspace.getConfiguration('renacer').update('otlp.endpoint', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
  const failed = await vscode.commands.executeCommand('renacer.exportTrace', fin.traceFile);
  assert.equal(failed, undefined, 'nothing was exported');
  await checkpoint('export-failed', { timeoutMs: 120_000 });
}

module.exports = { run };
