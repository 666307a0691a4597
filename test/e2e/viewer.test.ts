// The trace viewer in a real VS Code (code-server + Chromium): F5 traces the
// demo; a click on the status bar's end state opens the viewer; a click on
// the failing openat in the timeline shows its line in the editor; the
// hover's "Show in trace viewer" link shows that line's calls in the viewer.
// Screenshots in test/e2e/artifacts/renacer-viewer/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { e2eSkipped, REPO, runExtensionTests, type VSCodeSession } from './codeServerHarness';
import { lineOf, makeDemoWorkspace } from './demoWorkspace';

/** The viewer's document: the webview's inner frame that holds the app. */
const viewerFrame = (s: VSCodeSession) => s.webviewFrame('.viewer .tl-labels');

test('the viewer: opened from the status bar, a click shows the line, the hover link shows the line\'s calls', { skip: e2eSkipped(), timeout: 600_000 }, async () => {
  const ws = makeDemoWorkspace('renacer-e2e-viewer-');
  const src = path.join(ws, 'demo.c');
  const openLine = lineOf(src, '@syscall openat');
  try {
    const result = await runExtensionTests({
      name: 'renacer-viewer',
      workspace: ws,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, 'test', 'e2e', 'viewerExtension', 'index.js'),
      viewport: { width: 1600, height: 1000 },
      timeoutMs: 400_000,
      during: async (s) => {
        await s.withCheckpoint('finished', async () => {
          const item = s.page.locator('.part.statusbar .statusbar-item', { hasText: /Renacer: [\d,]+ syscalls/ });
          await item.waitFor({ timeout: 30_000 });
          await item.click();
          const f = await viewerFrame(s);
          await f.locator('.tl-label', { hasText: 'main thread' }).first().waitFor();
        });
        await s.withCheckpoint('viewer', async () => {
          const f = await viewerFrame(s);
          // The failing openat: found by search, stepped to with the keyboard, zoomed to (F), then clicked.
          await f.locator('input.search').fill('name:openat path:demo-service');
          await f.locator('input.search').press('Enter');
          await f.locator('.match-count', { hasText: /^1 of [\d,]+ syscalls$/ }).waitFor();
          const row = f.locator('.tl-label').filter({ has: f.locator('.tl-name', { hasText: /^main thread/ }) }).first();
          await row.click();
          await s.page.keyboard.press('ArrowRight');
          await s.page.keyboard.press('f');
          await f.locator('.details-body .strace', { hasText: /^openat\(AT_FDCWD, "\/etc\/demo-service\/config\.toml", O_RDONLY\) = -1 ENOENT \(No such file or directory\)$/ }).waitFor();
          await s.page.waitForTimeout(300);
          const canvas = (await f.locator('canvas.tl-tracks').boundingBox())!;
          const label = (await row.boundingBox())!;
          await s.page.mouse.click(canvas.x + canvas.width / 2, label.y + label.height / 2);
          // Arguments, result and ids arrive from the host, read back from the trace file.
          await f.locator('.details-body dd', { hasText: /^[0-9a-f]{16}$/ }).first().waitFor();
          const details = await f.locator('.details-body').innerText();
          assert.match(details, /Error\s+ENOENT No such file or directory/);
          assert.match(details, /Span id\s+[0-9a-f]{16}/);
          assert.match(details, /Trace id\s+[0-9a-f]{32}/);
        });
        await s.withCheckpoint('revealed', async () => {
          // The editor beside the viewer, at the line.
          await s.page.locator('.tab .label-name', { hasText: 'demo.c' }).first().waitFor();
          await s.screenshot('click-reveals-line');
        });
        await s.withCheckpoint('hover-link', async () => {
          await s.page.locator('.tab .label-name', { hasText: 'demo.c' }).first().click();
          const hover = await s.hoverText(openLine, 5, { expect: /Show in trace viewer/ });
          assert.match(hover, /openat/);
          await s.page.locator('.monaco-hover:not(.hidden) a', { hasText: 'Show in trace viewer' }).click();
          const f = await viewerFrame(s);
          await f.locator('input.search', { hasText: '' }).waitFor();
          const deadline = Date.now() + 15_000;
          while ((await f.locator('input.search').inputValue()) !== `at:${src}:${openLine}`) {
            assert.ok(Date.now() < deadline, `the viewer's search shows the line: ${await f.locator('input.search').inputValue()}`);
            await new Promise((r) => setTimeout(r, 100));
          }
          await f.locator('.match-count', { hasText: /^2 of [\d,]+ syscalls$/ }).waitFor();
          await f.locator('.details-body .strace', { hasText: /^openat\(/ }).waitFor();
          await s.screenshot('hover-link-shows-calls');
        });
        await s.withCheckpoint('done', async () => {
          const f = await viewerFrame(s);
          await f.locator('.tab', { hasText: 'Flame graph' }).click();
          await f.locator('canvas.flame-canvas').waitFor();
          await s.page.waitForTimeout(300);
          await s.screenshot('flame-graph');
          await f.locator('.tab', { hasText: 'Statistics' }).click();
          await f.locator('table.stats tbody tr').first().waitFor();
          await s.screenshot('statistics');
        });
      },
    });
    assert.equal(result.exitCode, 0, result.output.slice(-4000));
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
