// Bundles the TypeScript entry points with esbuild (the native addon is
// built separately by node-gyp and loaded at run time): the CLI (which is
// also `renacer dap` and `renacer lsp`), the VS Code extension with the
// trace viewer's decoding worker, and the viewer's webview (browser script
// and stylesheet, loaded by the webview from dist/webview/).
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';

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

// The CLI: an ES module in chunks, so that a run loads only what it uses
// (start-up is most of a short trace's cost); whitespace and syntax
// minified (less to read and compile), names kept (readable stacks). The
// bundled CommonJS packages get `require` and `__dirname` as in CommonJS.
const esmShim = [
  "import { createRequire as __renacerRequire } from 'node:module';",
  "import { fileURLToPath as __renacerPath } from 'node:url';",
  "import { dirname as __renacerDir } from 'node:path';",
  'const require = __renacerRequire(import.meta.url);',
  'const __filename = __renacerPath(import.meta.url);',
  'const __dirname = __renacerDir(__filename);',
].join(' ');
// The last build's chunks (their names carry hashes) go first.
mkdirSync('dist', { recursive: true });
for (const f of readdirSync('dist', { withFileTypes: true })) {
  if (f.isFile() && /^cli(-.*)?\.(mjs|js)(\.map)?$/.test(f.name)) rmSync(`dist/${f.name}`);
}

await Promise.all([
  build({
    ...common,
    format: 'esm',
    splitting: true,
    entryPoints: { cli: 'extension/cli/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'cli-[name]-[hash]',
    banner: { js: esmShim },
    minifyWhitespace: true,
    minifySyntax: true,
    // Packages' ES module builds where they have one: unused exports are dropped.
    mainFields: ['module', 'main'],
  }),
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
