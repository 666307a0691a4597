// In-host half of scripts/bench-viewer.mjs: runs inside a real VS Code
// (code-server, through test/e2e/codeServerHarness.ts) and times "Renacer:
// Show Trace Viewer" on a trace file, from the command to the webview's first
// frame with the trace (the command resolves then, with openMs). Each run
// opens a fresh panel: first `runs` times from the trace file (its
// modification time moved each time, so the viewer's cache of decoded traces
// cannot answer), then `runs` times again with the decoded trace cached.
// Between runs it waits $RENACER_BENCH_PAUSE ms (default 2000) after closing
// the previous panel: the browser spends a second or two tearing down a
// webview that held a million syscalls, which a person reopening a trace does
// not do within milliseconds either (RENACER_BENCH_PAUSE=0 measures that too).
// The first run is the session's first webview; every later one also waits
// ~1 s for code-server's webview service worker to start again (in the
// browser, before the viewer's document can load: the waterfall shows it).
// Results go to $RENACER_BENCH_OUT as JSON.
'use strict';
const fs = require('node:fs');
const vscode = require('vscode');

async function open(file) {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await new Promise((r) => setTimeout(r, Number(process.env.RENACER_BENCH_PAUSE || 2000)));
  const opened = await vscode.commands.executeCommand('renacer.showViewer', file);
  if (!opened) throw new Error(`the viewer did not open ${file}`);
  return { openMs: opened.openMs, decodeMs: opened.decodeMs, inflateMs: opened.inflateMs, drawMs: opened.drawMs, waterfall: opened.waterfall, syscalls: opened.syscalls };
}

async function run() {
  const file = process.env.RENACER_BENCH_TRACE;
  const runs = Number(process.env.RENACER_BENCH_RUNS || 3);
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'renacer' && e.packageJSON.publisher === 'renacer');
  await ext.activate();
  const cold = [];
  const warm = [];
  const mtime = fs.statSync(file).mtime;
  try {
    for (let r = 0; r < runs; r++) {
      const t = new Date(Date.now() + (r + 1) * 1000);
      fs.utimesSync(file, t, t);
      cold.push(await open(file));
    }
    for (let r = 0; r < runs; r++) warm.push(await open(file));
  } finally {
    fs.utimesSync(file, mtime, mtime);
  }
  fs.writeFileSync(process.env.RENACER_BENCH_OUT, JSON.stringify({ cold, warm }));
}

module.exports = { run };
