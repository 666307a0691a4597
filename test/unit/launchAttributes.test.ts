// The manifest's debugger attributes and the typed launch options are one
// contract: this fails when package.json and core/session/launchArgs.ts disagree.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { ATTACH_ATTRIBUTES, LAUNCH_ATTRIBUTES } from '../../extension/core/session/launchArgs';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const attrs = manifest.contributes.debuggers[0].configurationAttributes;

test('package.json lists exactly the typed launch and attach attributes', () => {
  assert.deepEqual(Object.keys(attrs.launch.properties).sort(), Object.keys(LAUNCH_ATTRIBUTES).sort(), 'launch');
  assert.deepEqual(Object.keys(attrs.attach.properties).sort(), Object.keys(ATTACH_ATTRIBUTES).sort(), 'attach');
  assert.deepEqual(attrs.launch.required, ['program']);
});
