// The test command (README): builds what the tests run (native addon, bundle),
// installs what the end-to-end tests run in (scripts/install-code-server.sh:
// code-server into .vscode-test/ and Debian's Chromium; a few minutes the first
// time, silent and about a tenth of a second after), then runs every test file
// with node's test runner, one file at a time (tracing tests measure real
// processes; parallel files would contend for the two cores). Prints node's
// closing `# pass N` / `# fail N`.
//
//   npm test                      # everything: test/unit, test/native, test/e2e
//   npm test -- test/unit         # the files whose path starts with any argument
//   RENACER_SKIP_E2E=1 npm test   # skip the end-to-end tests (and their install)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const usage = `usage: node scripts/test.mjs [PATH-PREFIX...]   (npm test -- test/unit)
Builds the addon and the bundle, runs scripts/install-code-server.sh when
test/e2e files are selected (unless RENACER_SKIP_E2E=1), then the test files.`;
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(usage);
  process.exit(0);
}
const unknown = args.filter((a) => a.startsWith('-'));
if (unknown.length) {
  console.error(`test.mjs: unknown option ${unknown.join(' ')}\n${usage}`);
  process.exit(2);
}

const run = (cmd, args, what) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    if (what) console.error(`\ntest.mjs: ${what} failed (${[cmd, ...args].join(' ')} exited ${r.status ?? r.signal ?? r.error}); no tests ran`);
    process.exit(r.status || 1);
  }
};

// `npm test -- test/unit` runs a subset: the files whose path starts with an argument.
const suites = ['unit', 'native', 'e2e'];
const files = [];
for (const suite of suites) {
  const dir = path.join(root, 'test', suite);
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.test.ts')) continue;
    const rel = path.join('test', suite, f);
    if (args.length === 0 || args.some((o) => rel.startsWith(path.normalize(o)))) files.push(rel);
  }
}
if (files.length === 0) {
  // node --test with no files would look for tests everywhere.
  console.error(`test.mjs: no test file matches ${args.join(' ')}\n${usage}`);
  process.exit(2);
}

if (!existsSync(path.join(root, 'build', 'Release', 'renacer.node'))) run('npx', ['node-gyp', 'rebuild'], 'building the native addon');
run(process.execPath, ['scripts/build.mjs'], 'building the bundle');

// The end-to-end tests need code-server and Chromium: install them (or check
// that they are there) first, and stop here when that fails rather than let
// the e2e tests fail one by one.
const e2eSkipped = !!process.env.RENACER_SKIP_E2E && process.env.RENACER_SKIP_E2E !== '0';
if (!e2eSkipped && files.some((f) => f.startsWith(path.join('test', 'e2e') + path.sep))) {
  run('bash', ['scripts/install-code-server.sh'], 'installing code-server for the end-to-end tests (RENACER_SKIP_E2E=1 skips them)');
}

// The Rust fixtures run `rustc` from PATH. When the one found there does not
// run (rustup's proxy in ~/.cargo/bin without a toolchain, as with a fresh
// HOME) but Debian's does (scripts/setup-debian.sh installs it then), the tests
// get Debian's first on their PATH.
const env = { ...process.env };
const answers = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const shimDir = path.join(root, 'test', '.build', 'bin');
rmSync(shimDir, { recursive: true, force: true });
if (!answers('rustc') && answers('/usr/bin/rustc')) {
  mkdirSync(shimDir, { recursive: true });
  symlinkSync('/usr/bin/rustc', path.join(shimDir, 'rustc'));
  env.PATH = `${shimDir}${path.delimiter}${env.PATH ?? ''}`;
  console.error(`test.mjs: rustc on PATH does not run; the tests use /usr/bin/rustc`);
}

const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', '--test-reporter=spec', '--test-reporter-destination=stdout', ...files],
  { cwd: root, stdio: 'inherit', env },
);
process.exit(r.status ?? 1);
