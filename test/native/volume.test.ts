// A 1,000,000-syscall run: no event lost, bounded memory.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { test } from 'node:test';

import { compileFixture, tempDir } from '../support/fixtures';
import { RENACER } from '../support/renacerCli';

const N = 1_000_000;

function peakRssKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

test(`${N.toLocaleString('en')} syscalls: the JSON line count equals the syscall count, RSS stays under 200 MB`, { timeout: 600_000 }, async () => {
  const prog = compileFixture('getppid_loop.c');
  const dir = tempDir();
  const out = path.join(dir, 'out.jsonl');
  const child = spawn(process.execPath, [RENACER, '--no-trace-file', '--format', 'json', '-o', out, '--', prog, String(N)], { stdio: 'inherit' });
  let peak = 0;
  // VmHWM is the high-water mark: any late sample is the peak so far.
  const timer = setInterval(() => (peak = Math.max(peak, peakRssKb(child.pid!))), 200);
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  clearInterval(timer);
  assert.equal(code, 0);
  let getppid = 0;
  let lines = 0;
  const rl = readline.createInterface({ input: fs.createReadStream(out) });
  for await (const line of rl) {
    lines++;
    if (line.includes('"name":"getppid"')) getppid++;
  }
  assert.equal(getppid, N, 'every getppid call is in the output');
  assert.ok(lines > N);
  console.log(`# peak RSS ${(peak / 1024).toFixed(1)} MB over ${lines} JSON lines`);
  assert.ok(peak > 0 && peak < 200 * 1024, `peak RSS ${peak} kB`);
  fs.rmSync(out);
});
