// Deliberately failing variant of index.js: the decoration is on line 3, this
// claims line 4, so run() rejects and the host must report a non-zero exit code.
'use strict';
const assert = require('node:assert/strict');
const { annotateLine3 } = require('./index.js');

async function run() {
  const { api } = await annotateLine3();
  assert.equal(api.appliedDecorations()[0].line, 4, 'deliberately wrong: the decoration is on line 3');
}

module.exports = { run };
