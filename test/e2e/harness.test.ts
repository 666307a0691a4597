// Proves the end-to-end harness (codeServerHarness.ts) on a throwaway extension
// (sampleExtension/) inside a real VS Code (code-server) driven by Chromium:
//   - the in-host `run()` tests module passes (exit code 0) and, at its checkpoint,
//     the browser reads the decoration it applied off the right line;
//   - a deliberately failing `run()` reports a non-zero exit code;
//   - as a person: Quick Open, a palette command, the status bar, the decoration,
//     a mouse hover and the Debug Console.
// Needs `bash scripts/install-code-server.sh`; RENACER_SKIP_E2E=1 skips on purpose.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { cssContentText, e2eSkipped, findCodeServer, launchVSCode, runExtensionTests } from './codeServerHarness';
const { createSampleWorkspace } = require('./sampleExtension/workspace.js') as { createSampleWorkspace(): string };

const skip = e2eSkipped();
const SAMPLE = path.join(__dirname, 'sampleExtension');
const ANNOTATION_3 = '\u2190 9 syscalls (sample)';
const ANNOTATION_2 = '\u2190 6 syscalls (sample)';

function sampleWorkspace(t: { after(fn: () => void): void }): string {
  const dir = createSampleWorkspace();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('without code-server installed the harness says how to install it', () => {
  const saved = process.env.RENACER_CODE_SERVER_DIR;
  process.env.RENACER_CODE_SERVER_DIR = path.join(__dirname, 'no-such-install');
  try {
    assert.throws(() => findCodeServer(), /not installed .*run `bash scripts\/install-code-server\.sh`/);
  } finally {
    if (saved === undefined) delete process.env.RENACER_CODE_SERVER_DIR;
    else process.env.RENACER_CODE_SERVER_DIR = saved;
  }
});

test('decoration text is read from the computed ::after content', () => {
  assert.equal(cssContentText('"\u2190 9 syscalls"'), '\u2190 9 syscalls');
  assert.equal(cssContentText('"say \\"hi\\" \\\\ done"'), 'say "hi" \\ done');
  assert.equal(cssContentText('"a\\a b"'), 'a\nb');
  assert.equal(cssContentText('none'), undefined);
  assert.equal(cssContentText('normal'), undefined);
});

test('in-host run() passes (exit 0) and the browser reads its decoration on line 3', { skip, timeout: 180_000 }, async (t) => {
  const workspace = sampleWorkspace(t);
  let seen: { line2: string[]; line3: string[]; line4: string[] } | undefined;
  const result = await runExtensionTests({
    name: 'sample-pass',
    workspace,
    extensionDevelopmentPath: SAMPLE,
    extensionTestsPath: path.join(SAMPLE, 'tests', 'index.js'),
    // run() stops at checkpoint('decorated') with its decoration live.
    during: (s) =>
      s.withCheckpoint('decorated', async () => {
        const line3 = await s.waitForDecoration(3, 'syscalls');
        seen = { line2: await s.decorationTexts(2), line3, line4: await s.decorationTexts(4) };
        await s.screenshot('decorated');
      }),
  });
  assert.equal(result.exitCode, 0, `run() failed; artifacts in ${result.artifacts}\n${result.output}`);
  assert.match(result.output, /sample run\(\): all assertions passed/);
  assert.deepEqual(seen, { line2: [], line3: [ANNOTATION_3], line4: [] });
});

test('a failing run() reports a non-zero exit code', { skip, timeout: 180_000 }, async (t) => {
  const result = await runExtensionTests({
    name: 'sample-fail',
    workspace: sampleWorkspace(t),
    extensionDevelopmentPath: SAMPLE,
    extensionTestsPath: path.join(SAMPLE, 'tests', 'failing.js'),
  });
  assert.notEqual(result.exitCode, 0, 'the deliberately failing run() must not pass');
  // The host's report says why (the AssertionError thrown inside run()).
  assert.match(result.output, /deliberately wrong: the decoration is on line 3/);
});

test('as a person: palette command, status bar, decoration, hover, Debug Console', { skip, timeout: 180_000 }, async (t) => {
  const session = await launchVSCode({ name: 'sample-ui', workspace: sampleWorkspace(t), extensionDevelopmentPath: SAMPLE });
  try {
    // The extension activates on startup and shows its status-bar item.
    await session.waitForStatusBarText('Sample: idle', 60_000);
    await session.openFile('hello.txt');
    assert.deepEqual(await session.decorationTexts(2), []);

    await session.runCommand('Renacer Sample: Annotate Line 2');
    assert.equal(await session.waitForStatusBarText('Sample: annotated'), 'Sample: annotated line 2');
    assert.deepEqual(await session.waitForDecoration(2, 'syscalls'), [ANNOTATION_2]);
    assert.deepEqual(await session.decorationTexts(1), []);
    assert.deepEqual(await session.decorationTexts(3), []);

    const hover = await session.hoverText(3, 3, { expect: 'Sample hover' });
    assert.equal(hover, 'Sample hover: line 3, column 3, word gamma');
    await session.dismiss();

    await session.runCommand('Debug: Start Debugging');
    const consoleText = await session.waitForDebugConsole('second line from the program');
    assert.equal(consoleText, 'Sample adapter says: hi from launch.json\nsecond line from the program');
  } finally {
    await session.close();
  }
});
