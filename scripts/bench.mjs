// `npm run bench`: what tracing costs per syscall, against the untraced run
// and against strace, measured in the same run.
//
// Each workload runs at two sizes; the cost per syscall is the slope
// (T(large) − T(small)) / (calls(large) − calls(small)), so fixed costs —
// process start-up, dynamic linking, Node's start for renacer — cancel out
// for every tool alike. Runs are interleaved (tool order shuffled each
// round) and repeated; medians are reported, and the verdict is a ratio of
// overheads taken in this same run (this machine drifts ±10–20 % between runs).
//
//   npm run bench                 # all workloads, 5 rounds
//   npm run bench -- --rounds 3 --only getppid
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { flag, median } from './benchCommon.mjs';

const root = path.resolve(import.meta.dirname, '..');
const rounds = Number(flag('--rounds') ?? 5);
const only = flag('--only') ?? '';
const scale = Number(flag('--scale') ?? 1);

const buildDir = path.join(root, 'test', '.build');
mkdirSync(buildDir, { recursive: true });
const compile = (name, extra = []) => {
  const out = path.join(buildDir, `bench-${name}`);
  execFileSync('gcc', ['-O2', ...extra, '-o', out, path.join(root, 'test', 'fixtures', `${name}.c`), '-lpthread']);
  return out;
};
const renacer = [process.execPath, path.join(root, 'bin', 'renacer.js'), '--no-trace-file', '-o', '/dev/null'];

/** renacer with `flags` against strace with `straceFlags`, both writing to /dev/null. */
const againstStrace = (flags, straceFlags = flags) => ({
  renacer: (a) => [...renacer, ...flags, '--', ...a],
  strace: (a) => ['strace', ...straceFlags, '-o', '/dev/null', '--', ...a],
});

const getppid = compile('getppid_loop');
const getppidDebug = compile('getppid_loop', ['-g']);
const orc = compile('open_read_close');
const pt = compile('procs_threads');

// Each workload: argv at a given size, and how many syscalls of the loop that size makes.
const workloads = [
  {
    name: 'getppid loop',
    key: 'getppid',
    sizes: [50_000, 150_000].map((n) => n * scale),
    argv: (n) => [getppid, String(n)],
    calls: (n) => n,
    tools: againstStrace(['-f']),
  },
  {
    // What --source adds: the same loop built with -g, renacer with --source
    // against renacer without it (issue 16: at most 3 µs per syscall).
    name: '--source: getppid loop -g (reference: renacer without --source)',
    key: 'source',
    sizes: [50_000, 150_000].map((n) => n * scale),
    argv: (n) => [getppidDebug, String(n)],
    calls: (n) => n,
    sourceExtra: true,
    tools: {
      renacer: (a) => [...renacer, '--source', '-f', '--', ...a],
      strace: (a) => [...renacer, '-f', '--', ...a],
    },
  },
  {
    // -k: each syscall's stack as strace prints it, against strace -k (issue 13: at most 0.05×).
    name: '-k: getppid loop, a stack per syscall (reference: strace -k)',
    key: 'stack',
    sizes: [2_000, 6_000].map((n) => n * scale),
    argv: (n) => [getppid, String(n)],
    calls: (n) => n,
    tools: againstStrace(['-f', '-k']),
  },
  {
    name: 'openat+read+close loop',
    key: 'orc',
    sizes: [15_000, 45_000].map((n) => n * scale),
    argv: (n) => [orc, String(n)],
    calls: (n) => 3 * n,
    tools: againstStrace(['-f']),
  },
  {
    name: '4 procs × 4 threads writing',
    key: 'procs',
    sizes: [2_000, 6_000].map((n) => n * scale),
    argv: (n) => [pt, '4', '4', String(n)],
    calls: (n) => 16 * n,
    tools: againstStrace(['-f']),
  },
  {
    name: 'filtered: trace=openat over 4 procs × 4 threads',
    key: 'filtered',
    sizes: [2_000, 6_000].map((n) => n * scale),
    argv: (n) => [pt, '4', '4', String(n)],
    calls: (n) => 16 * n,
    tools: againstStrace(['-f', '-e', 'trace=openat'], ['-f', '--seccomp-bpf', '-e', 'trace=openat']),
  },
  {
    // The debugger's cost: a session whose only breakpoint is a rare syscall
    // stops only there (seccomp), against the CLI tracing just that syscall.
    name: 'debug session, one breakpoint on openat (reference: renacer -e trace=openat), 4 procs × 4 threads',
    key: 'debug',
    // Both run the loop at native speed: the slope is noise, so the verdict
    // compares whole runs (overhead over the untraced run, start-up included).
    wholeRun: true,
    sizes: [6_000, 20_000].map((n) => n * scale),
    argv: (n) => [pt, '4', '4', String(n)],
    calls: (n) => 16 * n,
    tools: {
      renacer: (a) => [process.execPath, path.join(root, 'scripts', 'bench-dap-session.mjs'), 'openat', '--', ...a],
      strace: (a) => [...renacer, '-f', '-e', 'trace=openat', '--', ...a],
    },
  },
];

function timeRun(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  return ms;
}

const shuffle = (xs) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

const results = [];
for (const w of workloads) {
  if (only && w.key !== only) continue;
  const tools = ['untraced', ...Object.keys(w.tools)];
  const times = {}; // tool -> size -> [ms]
  for (const t of tools) times[t] = Object.fromEntries(w.sizes.map((s) => [s, []]));
  process.stderr.write(`${w.name}: `);
  for (let r = 0; r < rounds; r++) {
    for (const [tool, size] of shuffle(tools.flatMap((t) => w.sizes.map((s) => [t, s])))) {
      const argv = w.argv(size);
      times[tool][size].push(timeRun(tool === 'untraced' ? argv : w.tools[tool](argv)));
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  const [small, large] = w.sizes;
  const dCalls = w.calls(large) - w.calls(small);
  // µs per syscall (slope), per tool.
  const perCall = Object.fromEntries(
    tools.map((t) => [t, ((median(times[t][large]) - median(times[t][small])) * 1000) / dCalls]),
  );
  const overhead = (t) => perCall[t] - perCall.untraced;
  const row = {
    workload: w.name,
    untraced_us: perCall.untraced,
    strace_overhead_us: overhead('strace'),
    renacer_overhead_us: overhead('renacer'),
    ratio_vs_strace: w.wholeRun
      ? (median(times.renacer[large]) - median(times.untraced[large])) / (median(times.strace[large]) - median(times.untraced[large]))
      : overhead('renacer') / overhead('strace'),
    whole: w.wholeRun === true,
    // Whole-run view at the large size, start-up included.
    whole_run_ms: Object.fromEntries(tools.map((t) => [t, median(times[t][large])])),
  };
  if (w.sourceExtra) row.source_extra_us = overhead('renacer') - overhead('strace');
  results.push(row);
}

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
console.log('\nExtra µs per syscall over the untraced run (slope between two sizes, median of ' + rounds + ' interleaved rounds):\n');
console.log('| workload | untraced µs/call | reference (strace) overhead | renacer overhead | renacer / reference | whole run at large size (ms): untraced / reference / renacer |');
console.log('|---|---|---|---|---|---|');
// (Rows marked "whole run" compare whole-run overheads at the large size.)
for (const r of results) {
  const w = r.whole_run_ms;
  console.log(
    `| ${r.workload}${r.whole ? ' (whole run)' : ''} | ${f(r.untraced_us, 2)} | ${f(r.strace_overhead_us, 2)} | ${f(r.renacer_overhead_us, 2)} | **${f(r.ratio_vs_strace, 3)}** | ${f(w.untraced, 0)} / ${f(w.strace, 0)} / ${f(w.renacer, 0)} |`,
  );
}
for (const r of results) if (r.source_extra_us !== undefined) console.log(`\n--source adds **${f(r.source_extra_us, 2)} µs** per syscall over plain tracing (getppid loop, slope; target ≤ 3 µs)`);
const outDir = path.join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ rounds, scale, results }, null, 2));
console.log(`\n(raw figures: ${path.relative(process.cwd(), file)})`);

// The run-to-run diff: `renacer diff` of two 1M-syscall traces against zcat of both, and its memory.
if (!only || only === 'diff') {
  console.log('\nrenacer diff (scripts/bench-diff.mjs):');
  spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'bench-diff.mjs'), String(1_000_000 * scale)], { stdio: 'inherit', cwd: root });
}

// Syscall times against strace -T on the same program (the tracer's own work kept out of a call's time).
if (!only || only === 'times') {
  console.log('\nper-syscall durations, renacer --source -f -T against strace -f -T (scripts/compare-syscall-times.py):');
  spawnSync('python3', [path.join(root, 'scripts', 'compare-syscall-times.py'), compile('syscall_times', ['-g'])], { stdio: 'inherit', cwd: root });
}

// Start-up: `renacer -o /dev/null -- /bin/true` against `node -e 0`, paired runs (issue 16: ≤ 1.3×).
if (!only || only === 'startup') {
  const pairs = 21;
  const ratios = [];
  const ours = [];
  const theirs = [];
  const dir = path.join(buildDir, 'bench-startup');
  mkdirSync(dir, { recursive: true });
  for (let k = 0; k < pairs; k++) {
    const a = timeRun([process.execPath, '-e', '0']);
    const b = timeRun([process.execPath, path.join(root, 'bin', 'renacer.js'), '-o', '/dev/null', '--trace-file', path.join(dir, 'true.jsonl.gz'), '--', '/bin/true']);
    theirs.push(a);
    ours.push(b);
    ratios.push(b / a);
  }
  console.log(`\nstart-up (${pairs} paired runs): node -e 0 ${median(theirs).toFixed(1)} ms, renacer -o /dev/null -- /bin/true ${median(ours).toFixed(1)} ms; median ratio **${median(ratios).toFixed(2)}×** (target ≤ 1.3×)`);
}
