// `npm run test:electron`: runs an extension's `run(): Promise<void>` tests module
// in desktop VS Code with @vscode/test-electron — the same module the code-server
// harness (test/e2e/codeServerHarness.ts) runs here and in CI.
//
// @vscode/test-electron downloads VS Code (into .vscode-test/) when it runs, so this
// needs a machine that can reach VS Code's download servers, and a display
// (`xvfb-run -a npm run test:electron` on a headless Linux box). The project's own
// machines and CI reach only the npm registry and Debian's packages: there the
// code-server harness is what runs (`npm test`).
//
//   npm run test:electron                       # the sample extension's tests
//   npm run test:electron -- --extension DIR --tests FILE [--workspace DIR]
//   RENACER_VSCODE_VERSION=stable npm run test:electron   # default: 1.100.3, code-server's VS Code
//   npm run test:electron -- --dry-run          # print what would run, download nothing
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const sample = path.join(root, 'test', 'e2e', 'sampleExtension');

const { values } = parseArgs({
  options: {
    extension: { type: 'string' },
    tests: { type: 'string' },
    workspace: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});

const extensionDevelopmentPath = path.resolve(values.extension ?? sample);
const extensionTestsPath = path.resolve(values.tests ?? path.join(sample, 'tests', 'index.js'));
const workspace = values.workspace
  ? path.resolve(values.workspace)
  : values['dry-run']
    ? '<a fresh sample workspace>'
    : require(path.join(sample, 'workspace.js')).createSampleWorkspace();
const version = process.env.RENACER_VSCODE_VERSION || '1.100.3';
const launchArgs = [workspace, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'];

if (values['dry-run']) {
  console.log(JSON.stringify({ version, extensionDevelopmentPath, extensionTestsPath, launchArgs }, null, 2));
  process.exit(0);
}

const { runTests } = await import('@vscode/test-electron');
try {
  const code = await runTests({ version, extensionDevelopmentPath, extensionTestsPath, launchArgs });
  process.exit(code);
} catch (e) {
  // A failing run() rejects with TestRunFailedError carrying VS Code's exit code.
  console.error(`test:electron failed: ${e instanceof Error ? e.message : e}`);
  process.exit(typeof e?.code === 'number' && e.code !== 0 ? e.code : 1);
}
