// Bundles the TypeScript entry points with esbuild (the native addon is
// built separately by node-gyp and loaded at run time): the CLI (which is
// also `renacer dap` and `renacer lsp`), the VS Code extension with the
// trace viewer's decoding worker, and the viewer's webview (browser script
// and stylesheet, loaded by the webview from dist/webview/).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  define: { RENACER_VERSION: JSON.stringify(pkg.version) },
};

await Promise.all([
  build({ ...common, entryPoints: { cli: 'extension/cli/main.ts' }, outdir: 'dist' }),
  build({ ...common, entryPoints: { extension: 'extension/vscode/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  build({ ...common, entryPoints: { traceDecodeWorker: 'extension/vscode/traceDecodeWorker.ts' }, outdir: 'dist' }),
  build({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    // VS Code 1.90's Electron (Chromium 122); code-server runs in the user's browser.
    target: 'chrome110',
    sourcemap: true,
    logLevel: 'warning',
    entryPoints: { traceViewer: 'webview/main.ts', traceViewerStyle: 'webview/traceViewer.css' },
    outdir: 'dist/webview',
  }),
]);
