// The folder the sample extension's tests open (used by test/e2e/harness.test.ts
// and scripts/test-electron.mjs): hello.txt and a launch configuration for the
// sample's inline debug adapter.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** Creates a fresh sample workspace under the temp dir; returns its real path. */
function createSampleWorkspace() {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'renacer-e2e-ws-'));
  fs.writeFileSync(path.join(dir, 'hello.txt'), 'alpha one\nbeta two\ngamma three\ndelta four\nepsilon five\n');
  fs.mkdirSync(path.join(dir, '.vscode'));
  fs.writeFileSync(
    path.join(dir, '.vscode', 'launch.json'),
    JSON.stringify(
      {
        version: '0.2.0',
        configurations: [{ type: 'renacer-sample', request: 'launch', name: 'Sample', greeting: 'hi from launch.json' }],
      },
      null,
      2,
    ),
  );
  return dir;
}

module.exports = { createSampleWorkspace };
