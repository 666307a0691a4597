// Bundles the TypeScript entry points with esbuild (the native addon is
// built separately by node-gyp and loaded at run time): the CLI (which is
// also `renacer dap` and `renacer lsp`) and the VS Code extension.
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
]);
