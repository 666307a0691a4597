// Bundles the TypeScript entry points with esbuild (the native addon is
// built separately by node-gyp and loaded at run time).
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

await build({ ...common, entryPoints: { cli: 'extension/cli/main.ts' }, outdir: 'dist' });
