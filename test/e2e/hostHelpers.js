// What the in-host halves of the end-to-end tests share (plain CommonJS, as
// hostCheckpoint.js: it runs inside the extension host).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');

/** The Renacer extension (from the .vsix when RENACER_E2E_EXPECT_INSTALLED is set) and its API. */
async function activateRenacer() {
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'renacer' && e.packageJSON.publisher === 'renacer');
  assert.ok(ext, 'the Renacer extension is installed');
  if (process.env.RENACER_E2E_EXPECT_INSTALLED) {
    // Not the development folder: the copy `--install-extension` unpacked from the .vsix.
    assert.match(ext.extensionPath, /[\\/]extensions[\\/]renacer\.renacer-/, `installed from the .vsix: ${ext.extensionPath}`);
  }
  return { ext, api: await ext.activate() };
}

/** The 1-based number of the first line of `file` with `marker` in it. */
function lineOf(file, marker) {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker));
  assert.ok(i >= 0, `marker ${marker} in ${file}`);
  return i + 1;
}

/** Polls every `everyMs` until `probe` returns a value (not undefined), failing after `ms` with `what`. */
async function until(what, probe, ms = 15_000, everyMs = 50) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

module.exports = { activateRenacer, lineOf, until };
