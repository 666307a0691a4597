// Debugging in a real VS Code (code-server + Chromium): a gutter breakpoint
// (F9), F5, the editor on the stopped line, CALL STACK and VARIABLES filled,
// a function breakpoint from the Breakpoints view, Continue to the end, the
// annotations after it. The in-host half is renacerDebugging/index.js.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';

import { e2eSkipped, REPO, runExtensionTests } from './codeServerHarness';
import { lineOf, makeDemoWorkspace } from './demoWorkspace';
import { extensionUnderTest, packageVsix } from './vsixPackage';

for (const mode of ['development folder', 'installed .vsix'] as const) {
  test(`a debug session stops at a gutter breakpoint and shows the stack and the syscall (${mode})`, { skip: e2eSkipped(), timeout: 600_000 }, async () => {
    const ws = makeDemoWorkspace('renacer-e2e-debug-');
    const openLine = lineOf(path.join(ws, 'demo.c'), '@syscall openat');
    // Packaged from this checkout every time: an older .vsix would test older code.
    const vsix = mode === 'installed .vsix' ? packageVsix() : undefined;
    const result = await runExtensionTests({
      ...extensionUnderTest('renacer-debugging', vsix),
      workspace: ws,
      extensionTestsPath: path.join(REPO, 'test', 'e2e', 'renacerDebugging', 'index.js'),
      settings: { 'debug.internalConsoleOptions': 'neverOpen', 'debug.openDebug': 'openOnDebugBreak' },
      env: vsix ? { RENACER_E2E_EXPECT_INSTALLED: '1' } : {},
      timeoutMs: 300_000,
      during: async (s) => {
        await s.withCheckpoint('set-breakpoint', async () => {
          await s.goToLine(openLine);
          await s.page.keyboard.press('F9');
          await s.page.locator('.monaco-editor [class*="codicon-debug-breakpoint"]').first().waitFor({ timeout: 10_000 });
          await s.screenshot('breakpoint-set');
        });
        await s.withCheckpoint('stopped', async () => {
          const page = s.page;
          // The editor shows the stopped line.
          await page.locator('.monaco-editor .debug-top-stack-frame-line, .monaco-editor [class*="codicon-debug-stackframe"]').first().waitFor({ timeout: 15_000 });
          const callStack = page.locator('.debug-call-stack');
          await callStack.waitFor({ timeout: 15_000 });
          await page.waitForFunction(() => /load_config/.test((document.querySelector('.debug-call-stack') as HTMLElement | null)?.innerText ?? ''), null, { timeout: 15_000 });
          const stackText = await callStack.innerText();
          assert.match(stackText, /load_config/);
          assert.match(stackText, /main/);
          await page.waitForFunction(() => /config\.toml/.test((document.querySelector('.debug-variables') as HTMLElement | null)?.innerText ?? ''), null, { timeout: 15_000 });
          const vars = await page.locator('.debug-variables').innerText();
          assert.match(vars, /openat/);
          assert.match(vars, /\/etc\/demo-service\/config\.toml/);
          await s.screenshot('stopped');
        });
        await s.withCheckpoint('function-breakpoint', async () => {
          await s.page.waitForFunction(() => /unlink/.test((document.querySelector('.debug-variables') as HTMLElement | null)?.innerText ?? ''), null, { timeout: 15_000 });
          const bps = await s.page.locator('.debug-breakpoints').innerText().catch(() => '');
          assert.match(bps, /unlink/, 'the function breakpoint is in the Breakpoints view');
          await s.screenshot('function-breakpoint');
        });
        await s.withCheckpoint('annotated', async () => {
          await s.goToLine(openLine);
          const text = (await s.waitForDecoration(openLine, /openat/)).join(' ');
          assert.match(text, /openat/);
          await s.screenshot('annotated-after-debugging');
        });
      },
    });
    assert.equal(result.exitCode, 0, result.output.slice(-4000));
  });
}
