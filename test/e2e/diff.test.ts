// The run-to-run diff in a real VS Code (code-server + Chromium): two F5 runs
// of a program rebuilt in between; "Renacer: Compare with Previous Run" from
// the palette turns the annotations into deltas (`write 5× (+2)` on the
// loop, the new failing open marked new), lists the new failure in Problems
// and opens the trace viewer on its Diff tab. Screenshots in
// test/e2e/artifacts/renacer-diff/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

import { e2eSkipped, REPO, runExtensionTests } from './codeServerHarness';

const V1 = `#include <fcntl.h>
#include <unistd.h>

static void emit(int n) {
  for (int i = 0; i < n; i++) write(1, "x\\n", 2); // @loop
}

int main(void) {
  int fd = open("/etc/hostname", O_RDONLY);
  close(fd);
  getppid(); // @new-open
  emit(3);
  return 0;
}
`;
const V2 = V1.replace('emit(3)', 'emit(5)').replace('getppid(); // @new-open', 'open("/nonexistent/renacer.conf", O_RDONLY); // @new-open');

test('Compare with Previous Run: delta annotations, the new failure in Problems, the viewer\'s Diff tab', { skip: e2eSkipped(), timeout: 600_000 }, async () => {
  const ws = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'renacer-e2e-diff-'));
  fs.writeFileSync(path.join(ws, 'prog.c'), V1);
  fs.writeFileSync(path.join(ws, 'prog-v2.c'), V2);
  fs.mkdirSync(path.join(ws, 'build'));
  execFileSync('gcc', ['-g', '-O0', '-o', path.join(ws, 'build', 'prog'), path.join(ws, 'prog.c')]);
  fs.mkdirSync(path.join(ws, '.vscode'));
  fs.writeFileSync(
    path.join(ws, '.vscode', 'launch.json'),
    JSON.stringify({ version: '0.2.0', configurations: [{ type: 'renacer', request: 'launch', name: 'Renacer: Trace Program', program: '${workspaceFolder}/build/prog', cwd: '${workspaceFolder}', source: true }] }),
  );
  const lineOf = (marker: string) => V2.split('\n').findIndex((l) => l.includes(marker)) + 1;
  try {
    const result = await runExtensionTests({
      name: 'renacer-diff',
      workspace: ws,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, 'test', 'e2e', 'diffExtension', 'index.js'),
      viewport: { width: 1600, height: 1000 },
      timeoutMs: 400_000,
      during: async (s) => {
        await s.withCheckpoint('two-runs', async () => {
          await s.runCommand('Renacer: Compare with Previous Run');
          const loop = (await s.waitForDecoration(lineOf('@loop'), /write 5× \(\+2\)/, 30_000)).join(' ');
          assert.match(loop, /write 5× \(\+2\)/);
          const fresh = (await s.waitForDecoration(lineOf('@new-open'), /openat 1× new, getppid gone \(was 1×\) · 1 ENOENT new/)).join(' ');
          assert.match(fresh, /ENOENT new/);
          // The viewer opened beside, on its Diff tab.
          const f = await s.webviewFrame('#tab-diff');
          await f.locator('#tab-diff[aria-selected="true"]').waitFor({ timeout: 30_000 });
          await f.locator('.diff-table tbody tr', { hasText: 'write' }).first().waitFor();
          const table = await f.locator('.diff-table').innerText();
          assert.match(table, /write/);
          assert.match(table, /\+2/);
          await f.locator('.diff-sites', { hasText: 'ENOENT' }).waitFor();
          await s.page.waitForTimeout(300);
          await s.screenshot('diff-tab');
          // Back to the source: the hover shows before and after.
          await s.page.locator('.tab .label-name', { hasText: 'prog.c' }).first().click();
          const hover = await s.hoverText(lineOf('@loop'), 5, { expect: /Renacer diff/ });
          assert.match(hover, /write/);
          assert.match(hover, /changed/);
          await s.screenshot('delta-annotations');
          await s.runCommand('Problems: Focus on Problems View');
          await s.page.locator('.markers-panel .monaco-list-row', { hasText: 'ENOENT' }).first().waitFor({ timeout: 15_000 });
          await s.screenshot('problems');
        });
        // The host checks the diagnostic itself (line, message) meanwhile.
        await s.withCheckpoint('compared', async () => {});
      },
    });
    assert.equal(result.exitCode, 0, result.output.slice(-4000));
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
