// `renacer diff` on two traces of N syscalls each (default 1,000,000;
// synthetic, written by the real TraceFileWriter), against `zcat` reading
// both files, in one run: the ratio is what counts (issue: ≤ 1.5×). Then the
// diff's peak memory at N/4 and at N syscalls per file, which should not
// grow with the trace (the tallies grow with call sites, not calls).
//
//   node --import tsx scripts/bench-diff.mjs [N] [--runs R]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

import { countArg, flag, lowerMedian as median } from './benchCommon.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { writeSyntheticTrace } = require('../test/support/syntheticTrace.ts');

const N = countArg(1_000_000);
const RUNS = Number(flag('--runs') ?? 3);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-bench-diff-'));
const traces = (n, tag) => {
  const a = path.join(tmp, `${tag}-before.jsonl.gz`);
  const b = path.join(tmp, `${tag}-after.jsonl.gz`);
  writeSyntheticTrace(a, { syscalls: n, processes: 4, threadsPerProcess: 4, seed: 42 });
  writeSyntheticTrace(b, { syscalls: n, processes: 4, threadsPerProcess: 4, seed: 43 });
  return [a, b];
};

/** Wall ms and peak RSS (KiB) of a command, from python's getrusage of its child. */
function measure(argv, stdout = 'ignore') {
  const probe = 'import resource,subprocess,sys,time\nt=time.perf_counter()\nr=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL)\nprint(r.returncode,(time.perf_counter()-t)*1000,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)';
  const r = spawnSync('python3', ['-c', probe, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', stdout] });
  const [code, ms, rss] = r.stdout.trim().split(/\s+/).map(Number);
  if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}`);
  return { ms, rss };
}

const renacerDiff = (a, b) => [process.execPath, path.join(ROOT, 'bin', 'renacer.js'), 'diff', a, b];
try {
  const [a, b] = traces(N, 'full');
  const mb = (f) => (fs.statSync(f).size / 1e6).toFixed(1);
  console.log(`two synthetic traces of ${N.toLocaleString('en')} syscalls: ${mb(a)} MB and ${mb(b)} MB`);
  const zcat = [];
  const diff = [];
  for (let r = 0; r < RUNS; r++) {
    // Interleaved, so both see the same machine.
    zcat.push(measure(['sh', '-c', `zcat "$0" "$1" > /dev/null`, a, b]).ms);
    diff.push(measure(renacerDiff(a, b)).ms);
  }
  const ratio = median(diff) / median(zcat);
  console.log(`zcat of both: ${median(zcat).toFixed(0)} ms; renacer diff: ${median(diff).toFixed(0)} ms (median of ${RUNS}); ratio **${ratio.toFixed(2)}×** (target ≤ 1.5×)`);

  const [qa, qb] = traces(Math.round(N / 4), 'quarter');
  const small = measure(renacerDiff(qa, qb)).rss;
  const large = measure(renacerDiff(a, b)).rss;
  const idle = measure([process.execPath, '-e', '0']).rss;
  console.log(`peak RSS: ${(small / 1024).toFixed(0)} MiB at ${(N / 4).toLocaleString('en')} syscalls per file, ${(large / 1024).toFixed(0)} MiB at ${N.toLocaleString('en')} (node -e 0: ${(idle / 1024).toFixed(0)} MiB); growth ×${(large / small).toFixed(2)} for ×4 the calls`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
