// `npm run demo`: builds the bundled demo program and traces it with source
// annotations, printing strace-like lines and writing a trace file.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'examples', 'demo', 'build');
mkdirSync(outDir, { recursive: true });
const bin = path.join(outDir, 'demo');
// Default optimisation and no frame pointers: what source correlation must handle.
execFileSync('gcc', ['-O2', '-g', '-o', bin, path.join(root, 'examples', 'demo', 'demo.c')], { stdio: 'inherit' });

const trace = path.join(root, '.renacer', 'demo.jsonl.gz');
const r = spawnSync(
  process.execPath,
  [path.join(root, 'bin', 'renacer.js'), '-f', '--source', '--trace-file', trace, '--', bin],
  { cwd: path.join(root, 'examples', 'demo'), stdio: 'inherit' },
);
console.error(`\nrenacer: trace file written to ${path.relative(process.cwd(), trace)} (zcat it: JSON Lines)`);
process.exit(r.status ?? 1);
