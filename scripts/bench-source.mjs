// What --source costs per syscall, next to plain renacer tracing and
// `strace -f -k` (strace's own stack-per-syscall mode), measured in the same
// run: interleaved, repeated, medians (see shared notes/performance.md: ±10–20 %
// drift between runs is normal on these machines, so only same-run ratios mean
// anything). Then the peak RSS of a 1,000,000-syscall run with --source.
//
//   node scripts/bench-source.mjs [--rounds N] [--loop N] [--big N] [--no-big]
//
// Programs (compiled from C into a temporary directory):
//   loop   N × (openat + close) of /dev/null: the steady state (per-address caches hot)
//   short  test/fixtures/source_c.c and source_cpp.cpp: ~100 syscalls, most
//          of them the first in their module: what a short run pays
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { median } from './benchCommon.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO, 'bin', 'renacer.js');

const opt = { rounds: 5, loop: 2000, big: 500000, runBig: true };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--rounds') opt.rounds = Number(argv[++i]);
  else if (argv[i] === '--loop') opt.loop = Number(argv[++i]);
  else if (argv[i] === '--big') opt.big = Number(argv[++i]);
  else if (argv[i] === '--no-big') opt.runBig = false;
  else {
    console.error('usage: node scripts/bench-source.mjs [--rounds N] [--loop N] [--big N] [--no-big]');
    process.exit(2);
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-bench-src-'));
const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
};
fs.writeFileSync(
  path.join(dir, 'loop.c'),
  `#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  for (long i = 0; i < n; i++) {
    int fd = open("/dev/null", O_RDONLY);
    close(fd);
  }
  return 0;
}
`,
);
sh('gcc', ['-O2', '-g', 'loop.c', '-o', 'loop']);
fs.copyFileSync(path.join(REPO, 'test/fixtures/source_c.c'), path.join(dir, 'source_c.c'));
fs.copyFileSync(path.join(REPO, 'test/fixtures/source_cpp.cpp'), path.join(dir, 'source_cpp.cpp'));
sh('gcc', ['-O2', '-g', 'source_c.c', '-o', 'short_c']);
sh('g++', ['-O2', '-g', 'source_cpp.cpp', '-o', 'short_cpp']);
const haveStrace = spawnSync('strace', ['-V']).status === 0;

function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
  const t1 = process.hrtime.bigint();
  if (r.status !== 0 && r.status !== null) {
    // The fixtures exit 0; anything else means the measurement is void.
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  }
  return Number(t1 - t0) / 1e3; // µs
}

function countSyscalls(prog) {
  const out = path.join(dir, 'count.jsonl');
  spawnSync(process.execPath, [CLI, '--no-trace-file', '--format', 'json', '-o', out, '--', ...prog], { cwd: dir });
  return fs.readFileSync(out, 'utf8').split('\n').filter((l) => l.startsWith('{"type":"syscall"')).length;
}


const MODES = {
  untraced: (p) => [p[0], p.slice(1)],
  renacer: (p) => [process.execPath, [CLI, '--no-trace-file', '-o', '/dev/null', '--', ...p]],
  'renacer --source': (p) => [process.execPath, [CLI, '--no-trace-file', '--source', '-o', '/dev/null', '--', ...p]],
};
if (haveStrace) MODES['strace -f -k'] = (p) => ['strace', ['-f', '-k', '-o', '/dev/null', ...p]];

const programs = [
  { name: `loop (${opt.loop} × openat+close)`, argv: ['./loop', String(opt.loop)] },
  { name: 'short C (source_c.c -O2)', argv: ['./short_c'] },
  { name: 'short C++ (source_cpp.cpp -O2)', argv: ['./short_cpp'] },
];

console.log(`rounds: ${opt.rounds}, interleaved; medians of wall time; cores: ${os.cpus().length}`);
const results = [];
for (const prog of programs) {
  const n = countSyscalls(prog.argv);
  const samples = Object.fromEntries(Object.keys(MODES).map((m) => [m, []]));
  timed(...MODES.untraced(prog.argv)); // warm the page cache
  for (let r = 0; r < opt.rounds; r++) {
    for (const [m, make] of Object.entries(MODES)) samples[m].push(timed(...make(prog.argv)));
  }
  const med = Object.fromEntries(Object.entries(samples).map(([m, xs]) => [m, median(xs)]));
  // The resolver's own time (RENACER_SOURCE_STATS), free of the wall-clock noise.
  const stats = spawnSync(process.execPath, [CLI, '--no-trace-file', '--source', '-o', '/dev/null', '--', ...prog.argv], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, RENACER_SOURCE_STATS: '1' },
  }).stderr;
  const sm = /(\d+) resolves, mean ([\d.]+) us, median ([\d.]+) us/.exec(stats);
  const per = (m) => (med[m] - med.untraced) / n;
  const sourceExtra = (med['renacer --source'] - med.renacer) / n;
  const row = {
    program: prog.name,
    syscalls: n,
    'renacer µs/syscall': per('renacer'),
    'renacer --source µs/syscall': per('renacer --source'),
    '--source extra µs/syscall': sourceExtra,
  };
  if (sm) {
    row['resolver mean µs/syscall'] = Number(sm[2]);
    row['resolver median µs/syscall'] = Number(sm[3]);
  }
  if (haveStrace) {
    row['strace -k µs/syscall'] = per('strace -f -k');
    row['--source extra / strace -k'] = sourceExtra / per('strace -f -k');
    row['renacer --source / strace -k'] = per('renacer --source') / per('strace -f -k');
    if (sm) row['resolver mean / strace -k'] = Number(sm[2]) / per('strace -f -k');
  }
  results.push(row);
  console.log(`\n${prog.name}: ${n} syscalls`);
  for (const [m, v] of Object.entries(med)) console.log(`  ${m.padEnd(20)} ${(v / 1e3).toFixed(1).padStart(9)} ms`);
  for (const [k, v] of Object.entries(row)) {
    if (k === 'program' || k === 'syscalls') continue;
    console.log(`  ${k.padEnd(32)} ${k.includes('/ strace') ? v.toFixed(3) : v.toFixed(1)}`);
  }
}

async function peakRss(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    let peak = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(sample, 50);
    const t0 = process.hrtime.bigint();
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`renacer exited ${code}`));
      else resolve({ peakKb: peak, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    });
    child.on('error', reject);
  });
}

if (opt.runBig) {
  const n = opt.big * 2;
  const traceFile = path.join(dir, 'big.jsonl.gz');
  console.log(`\n${n} syscalls with --source (text to /dev/null, trace file written):`);
  const r = await peakRss([CLI, '--source', '--trace-file', traceFile, '-o', '/dev/null', '--', './loop', String(opt.big)]);
  console.log(`  peak RSS ${(r.peakKb / 1024).toFixed(0)} MB (limit 300 MB), ${r.seconds.toFixed(1)} s`);
  results.push({ program: `big loop ${n}`, peakRssMb: r.peakKb / 1024, seconds: r.seconds });
}
fs.rmSync(dir, { recursive: true, force: true });
