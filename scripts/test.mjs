// The test command (README): builds what the tests run (native addon, bundle),
// then runs every test file with node's test runner, one file at a time
// (tracing tests measure real processes; parallel files would contend for
// the two cores). Prints node's closing `# pass N` / `# fail N`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!existsSync(path.join(root, 'build', 'Release', 'renacer.node'))) run('npx', ['node-gyp', 'rebuild']);
run(process.execPath, ['scripts/build.mjs']);

// `npm test -- test/unit` runs a subset.
const only = process.argv.slice(2);
const suites = ['unit', 'native', 'e2e'];
const files = [];
for (const suite of suites) {
  const dir = path.join(root, 'test', suite);
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.test.ts')) continue;
    const rel = path.join('test', suite, f);
    if (only.length === 0 || only.some((o) => rel.startsWith(o))) files.push(rel);
  }
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', '--test-reporter=spec', '--test-reporter-destination=stdout', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
