// One debug session as the bench's "tool": `node scripts/bench-dap-session.mjs
// SYSCALL -- PROGRAM ARGS…` drives `renacer dap` over DAP (the official test
// client) with a trace filter and one function breakpoint on SYSCALL,
// continues at every stop, and exits with the program's exit code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const root = path.resolve(import.meta.dirname, '..');
const [syscall, dashes, program, ...args] = process.argv.slice(2);
if (!syscall || dashes !== '--' || !program) {
  console.error('usage: bench-dap-session.mjs SYSCALL -- PROGRAM ARGS…');
  process.exit(2);
}
// DebugClient runs `runtime executable` without arguments: a launcher adds `dap`.
const launcher = path.join(root, 'test', '.build', 'bench-dap-launcher.cjs');
mkdirSync(path.dirname(launcher), { recursive: true });
writeFileSync(launcher, `process.argv.splice(2, 0, 'dap'); import(${JSON.stringify(path.join(root, 'dist', 'cli.mjs'))}).then((m) => m.run());\n`);
const dc = new DebugClient(process.execPath, launcher, 'renacer');
let stops = 0;
let exitCode = 1;
dc.on('stopped', (e) => {
  stops++;
  dc.continueRequest({ threadId: e.body.threadId }).catch(() => {});
});
dc.on('exited', (e) => (exitCode = e.body.exitCode));
const terminated = new Promise((r) => dc.on('terminated', r));
await dc.start();
await dc.initializeRequest();
const launched = dc.launchRequest({ program, args, cwd: process.cwd(), filter: syscall, source: true, traceFile: '/dev/null', consoleLimit: 0 });
await dc.waitForEvent('initialized');
await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: syscall }] });
await dc.configurationDoneRequest();
await launched;
await terminated;
await dc.stop().catch(() => {});
if (process.env.RENACER_BENCH_VERBOSE) console.error(`${stops} stops`);
process.exit(exitCode);
