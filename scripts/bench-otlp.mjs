// OTLP export benchmark: a C loop making N getppid calls (default 1,000,000)
// traced by renacer with every syscall exported as its own span
// (--otlp-trace-budget unlimited) to the test receiver, which runs in a
// process of its own and decodes every request with the official OTLP schema.
//
// Prints, per run: wall time, spans delivered, spans/s, renacer's peak RSS
// (GNU time's %M) and its CPU time (user + system, all threads). The figures that matter:
//  - export from a trace file (`renacer export`, the path not limited by
//    ptrace): spans exported per second, target >= 100,000;
//  - a live traced run: what exporting adds over tracing alone, and that peak
//    RSS stays flat (spans stream out, never held).
//
// Usage: node scripts/build.mjs && node scripts/bench-otlp.mjs [N] [--protocols=http/protobuf,grpc,http/json]
import { execFileSync, fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin/renacer.js');
const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const protocols = (args.find((a) => a.startsWith('--protocols='))?.split('=')[1] ?? 'http/protobuf,grpc,http/json').split(',');
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

if (!fs.existsSync('/usr/bin/time')) {
  console.error('bench-otlp: needs GNU time (/usr/bin/time) for peak RSS: apt-get install time');
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-bench-otlp-'));
const exe = path.join(tmp, 'getppid_loop');
fs.writeFileSync(`${exe}.c`, '#include <unistd.h>\n#include <stdlib.h>\nint main(int c, char **v) { long n = atol(v[1]); for (long i = 0; i < n; i++) getppid(); return 0; }\n');
execFileSync('gcc', ['-O1', '-o', exe, `${exe}.c`]);

const receiver = fork(path.join(ROOT, 'test/support/otlpReceiverProcess.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const replies = [];
let waiting;
receiver.on('message', (m) => (waiting ? (waiting(m), (waiting = undefined)) : replies.push(m)));
const ask = (m) =>
  new Promise((resolve) => {
    if (replies.length) return resolve(replies.shift());
    waiting = resolve;
    if (m) receiver.send(m);
  });
const ready = await ask();
const stats = () => ask({ type: 'stats' });
const reset = () => ask({ type: 'reset' });

/** Runs a command under GNU time; resolves with wall seconds, peak RSS (MB), exit code and stderr. */
function timed(cmd, cmdArgs, env = {}) {
  return new Promise((resolve) => {
    const rssFile = path.join(tmp, 'rss');
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-o', rssFile, '-f', '%M %U %S', cmd, ...cmdArgs], { env: { ...process.env, RENACER_QUIET_TRACE_FILE: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const [rssKb, user, sys] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      resolve({ wall, rssMb: rssKb / 1024, cpu: user + sys, code, stderr });
    });
  });
}

const rows = [];
function row(what, r, spans) {
  const line = {
    run: what,
    'wall s': r.wall.toFixed(2),
    spans: spans ?? '',
    'spans/s': spans ? Math.round(spans / r.wall).toLocaleString('en-US') : '',
    'peak RSS MB': r.rssMb.toFixed(0),
    // renacer's own CPU (all threads): robust when other work shares the CPUs.
    'CPU s': r.cpu.toFixed(2),
    'CPU µs/span': spans ? ((r.cpu / spans) * 1e6).toFixed(1) : '',
    exit: r.code,
  };
  rows.push(line);
  console.log(JSON.stringify(line));
  if (r.code !== 0) console.log(r.stderr);
}

console.log(`bench-otlp: ${N.toLocaleString('en-US')} getppid calls, receiver decodes with the official schema in its own process; ${os.cpus().length} CPUs`);
const file = path.join(tmp, 'run.jsonl.gz');

row('program alone', await timed(exe, [String(N)]));
row('traced, no export', await timed(process.execPath, [CLI, '-o', '/dev/null', '--no-trace-file', '--', exe, String(N)]));

await reset();
const live = await timed(process.execPath, [CLI, '-o', '/dev/null', '--trace-file', file, '--otlp-endpoint', ready.httpUrl, '--otlp-trace-budget', 'unlimited', '--', exe, String(N)], { TRACEPARENT });
const liveStats = await stats();
row('traced + live export (http/protobuf, every syscall a span, + trace file)', live, liveStats.spans);
console.log(`  root span: ${JSON.stringify(liveStats.root)}; ${(liveStats.decodedBytes / liveStats.spans).toFixed(0)} bytes/span decoded`);

await reset();
const budgeted = await timed(process.execPath, [CLI, '-o', '/dev/null', '--no-trace-file', '--otlp-endpoint', ready.httpUrl, '--', exe, String(N)], { TRACEPARENT });
const budgetStats = await stats();
row('traced + live export, default 4 MB budget (aggregates)', budgeted, budgetStats.spans);
console.log(`  root span: ${JSON.stringify(budgetStats.root)}; ${budgetStats.decodedBytes} bytes exported`);

// The CPUs are shared: repeat, interleaved across protocols, and report each run.
const REPEAT = Number(args.find((a) => a.startsWith('--repeat='))?.split('=')[1] ?? 3);
const best = new Map();
for (let i = 0; i < REPEAT; i++) {
  for (const protocol of protocols) {
    await reset();
    const url = protocol === 'grpc' ? ready.grpcUrl : ready.httpUrl;
    const r = await timed(process.execPath, [CLI, 'export', file, '--otlp-endpoint', url, '--otlp-protocol', protocol, '--otlp-trace-budget', 'unlimited']);
    const s = await stats();
    row(`renacer export trace file (${protocol}) #${i + 1}`, r, s.spans);
    const rate = s.spans / r.wall;
    const list = best.get(protocol) ?? [];
    list.push(rate);
    best.set(protocol, list);
  }
}

console.table(rows);
for (const [protocol, rates] of best) {
  rates.sort((a, b) => a - b);
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  console.log(`renacer export ${protocol}: median ${fmt(rates[Math.floor(rates.length / 2)])} spans/s, best ${fmt(rates.at(-1))} spans/s over ${rates.length} runs (load average now ${os.loadavg()[0].toFixed(1)})`);
}
receiver.send({ type: 'stop' });
fs.rmSync(tmp, { recursive: true, force: true });
