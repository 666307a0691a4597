// A call's time is the tracee's: what the tracer does between a call's entry
// and exit stops (unwinding, loading debug info, decoding) is not in it. So
// the time in syscalls the viewer totals ("… in the kernel") fits in the
// run's wall time next to the program's own user time. (The per-syscall
// comparison with strace -T is a measurement, scripts/compare-syscall-times.py.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { decodeTraceFile } from '../../viewer/traceColumnsDecoder';
import { computeStats } from '../../webview/syscallStats';
import { tempDir } from '../support/fixtures';
import { runCli } from '../support/renacerCli';

const PROGRAM = `#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long sink;

int main(int argc, char **argv) {
  // Work of its own first: user time the trace must leave out of its calls.
  for (unsigned long i = 0; i < 150000000UL; i++) sink += i * i;
  int fd = open("/etc/renacer-times/missing.conf", O_RDONLY);
  char buf[256];
  int h = open("/etc/hostname", O_RDONLY);
  if (h >= 0) { read(h, buf, sizeof buf); close(h); }
  for (int i = 0; i < 50; i++) write(1, "tick\\n", 5);
  pid_t c = fork();
  if (c == 0) { getppid(); _exit(0); }
  int st;
  waitpid(c, &st, 0);
  struct rusage self, kids;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &kids);
  FILE *f = fopen(argv[1], "w");
  fprintf(f, "%ld\\n", (self.ru_utime.tv_sec + kids.ru_utime.tv_sec) * 1000000L + self.ru_utime.tv_usec + kids.ru_utime.tv_usec);
  fclose(f);
  return fd < 0 ? 0 : 1;
}
`;

test('the time in syscalls (the viewer\'s "in the kernel") is less than wall time minus the program\'s user time', async (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'busy.c'), PROGRAM);
  execFileSync('gcc', ['-O1', '-g', '-o', path.join(dir, 'busy'), path.join(dir, 'busy.c')]);
  const trace = path.join(dir, 'busy.jsonl.gz');
  const r = runCli(['--source', '-f', '--trace-file', trace, '-o', '/dev/null', '--', './busy', 'user.txt'], { cwd: dir, env: { ...process.env, RENACER_QUIET_TRACE_FILE: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const userNs = Number(fs.readFileSync(path.join(dir, 'user.txt'), 'utf8')) * 1000;
  assert.ok(userNs > 20e6, `the program burned ${userNs} ns of user time`);

  const { trace: decoded } = await decodeTraceFile(trace);
  const rows = computeStats(decoded.columns, null, decoded.tables.names.length);
  const inKernel = rows.reduce((n, row) => n + row.totalNs, 0);
  const wall = decoded.tables.endNs - decoded.tables.startNs;
  assert.ok(rows.some((row) => decoded.tables.names[row.name] === 'write' && row.calls >= 50));
  t.diagnostic(`in the kernel ${(inKernel / 1e6).toFixed(2)} ms; wall ${(wall / 1e6).toFixed(2)} ms; user ${(userNs / 1e6).toFixed(2)} ms`);
  assert.ok(inKernel > 0);
  assert.ok(inKernel < wall - userNs, `in the kernel ${inKernel} ns, wall ${wall} ns, user ${userNs} ns`);
});

// After a long stop of the tracer's (the first load of a module's debug
// info) a call that ran in one slice is timed by what the tracee spent; one
// that slept keeps its whole time.
test('a call that sleeps right after the tracer loaded its module keeps its whole time; -T shows it', (t) => {
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'nap.c'), '#include <time.h>\n#include <unistd.h>\nint main(void) {\n  struct timespec ts = {0, 30000000};\n  nanosleep(&ts, 0);\n  getppid();\n  return 0;\n}\n');
  execFileSync('gcc', ['-O0', '-g', '-o', path.join(dir, 'nap'), path.join(dir, 'nap.c')]);
  const r = runCli(['--no-trace-file', '--source', '-T', '-e', 'trace=clock_nanosleep,nanosleep,getppid', '--', './nap'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const nap = /^(?:clock_)?nanosleep\(.*<(\d+\.\d{6})> \[nap\.c:5 in main\]$/m.exec(r.stderr);
  assert.ok(nap, r.stderr);
  assert.ok(Number(nap[1]) >= 0.03, `the 30 ms sleep took ${nap[1]} s`);
  assert.match(r.stderr, /^getppid\(\) += \d+ <\d+\.\d{6}> \[nap\.c:6 in main\]$/m);
});
