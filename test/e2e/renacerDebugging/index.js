// In-host half of the debugging end-to-end test (see debugging.test.ts): the
// browser side sets a breakpoint in the gutter (F9) and looks at the stopped
// UI at each checkpoint; this side adds a function breakpoint, presses F5 and
// follows the session through its stops to the end.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');
const { checkpoint } = require('../hostCheckpoint.js');
const { activateRenacer, lineOf, until } = require('../hostHelpers.js');

/** The next stop of the session: its thread and top frame, from the session itself. */
function nextStop(timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no stop')), timeoutMs);
    const sub = vscode.debug.onDidChangeActiveStackItem((item) => {
      if (item && item instanceof vscode.DebugStackFrame) {
        clearTimeout(timer);
        sub.dispose();
        resolve(item);
      }
    });
  });
}

async function run() {
  const { api } = await activateRenacer();
  const folder = vscode.workspace.workspaceFolders[0];
  const src = path.join(folder.uri.fsPath, 'demo.c');
  const openLine = lineOf(src, '@syscall openat');
  const doc = await vscode.workspace.openTextDocument(src);
  await vscode.window.showTextDocument(doc, { preview: false });

  // The browser side presses F9 on the open() line.
  await checkpoint('set-breakpoint', { timeoutMs: 120_000 });
  const bp = vscode.debug.breakpoints.find((b) => b instanceof vscode.SourceBreakpoint && b.location.range.start.line + 1 === openLine);
  assert.ok(bp, `a gutter breakpoint on line ${openLine}: ${JSON.stringify(vscode.debug.breakpoints.map((b) => b.location?.range?.start?.line))}`);
  // What "Add Function Breakpoint" in the Breakpoints view adds.
  vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('unlink')]);

  const ended = new Promise((resolve) => vscode.debug.onDidTerminateDebugSession(resolve));
  let stop = nextStop();
  assert.ok(await vscode.debug.startDebugging(folder, 'Renacer: Trace Program'), 'the session starts');
  let frame = await stop;
  const session = vscode.debug.activeDebugSession;
  const st = await session.customRequest('stackTrace', { threadId: frame.threadId });
  const top = st.stackFrames[0];
  assert.equal(top.line, openLine, `stopped on the breakpoint's line: ${JSON.stringify(top)}`);
  assert.ok(st.stackFrames.some((f) => f.name === 'main'), 'main is a caller');
  await checkpoint('stopped', { timeoutMs: 120_000 });

  // Continue: the second candidate file opens on the same line, then unlink.
  const seen = [];
  for (;;) {
    stop = nextStop(30_000);
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    frame = await Promise.race([stop, ended.then(() => undefined)]).catch(() => undefined);
    if (!frame) break;
    const s = await session.customRequest('stackTrace', { threadId: frame.threadId });
    const scopes = await session.customRequest('scopes', { frameId: s.stackFrames[0].id });
    const vars = await session.customRequest('variables', { variablesReference: scopes.scopes[0].variablesReference });
    const name = vars.variables.find((v) => v.name === 'name').value;
    seen.push(name);
    if (name === 'unlink') await checkpoint('function-breakpoint', { timeoutMs: 120_000 });
  }
  await ended;
  assert.deepEqual(seen, ['openat', 'unlink'], 'the second open, then the function breakpoint');

  // The annotations still come.
  await until('annotations after the debug session', () => {
    const open = api.annotations.linesOf(src).find((l) => l.line === openLine);
    return open && open.syscalls.some((s) => s.name === 'openat') ? open : undefined;
  }, 30_000);
  await checkpoint('annotated', { timeoutMs: 120_000 });
}

module.exports = { run };
