// Compares renacer --source with what gdb shows, for every syscall of a
// program (not only the marked ones of the fixtures): gdb stops at each
// syscall entry (`catch syscall`), walks its frames (inline frames included)
// and takes the first whose source file is under the user root; renacer's
// attribution of the same syscall must be that file:line.
//
//   node scripts/source-vs-gdb.mjs [-f] [--root DIR] -- PROGRAM [ARGS…]
//
// Run it in the directory of the program's sources (the default root is the
// cwd, as for the CLI). Single-threaded programs line up syscall by syscall;
// with threads or -f, syscalls are matched per task in order.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let follow = false;
let root = process.cwd();
while (args.length && args[0] !== '--') {
  const a = args.shift();
  if (a === '-f') follow = true;
  else if (a === '--root') root = path.resolve(args.shift());
  else throw new Error(`unknown option ${a}`);
}
args.shift();
if (!args.length) {
  console.error('usage: node scripts/source-vs-gdb.mjs [-f] [--root DIR] -- PROGRAM [ARGS…]');
  process.exit(2);
}
root = fs.realpathSync(root);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-gdb-'));

// --- gdb's view ------------------------------------------------------------
const py = path.join(tmp, 'oracle.py');
const gdbOut = path.join(tmp, 'gdb.jsonl');
fs.writeFileSync(
  py,
  `
import gdb, json, os
ROOT = ${JSON.stringify(root + '/')}
out = open(${JSON.stringify(gdbOut)}, 'w')
def on_stop(ev):
    if not isinstance(ev, gdb.SignalEvent) and not isinstance(ev, gdb.StopEvent):
        return
    th = gdb.selected_thread()
    if th is None:
        return
    f = gdb.newest_frame()
    # Only syscall-entry catchpoint stops: the catchpoint message is not exposed,
    # so tell entry from return by the kernel's -ENOSYS in rax at entry.
    try:
        rax = int(f.read_register('rax')) & 0xffffffffffffffff
    except Exception:
        return
    if rax != (2**64 - 38):
        return
    nr = int(f.read_register('orig_rax')) & 0xffffffffffffffff
    loc = None
    while f is not None:
        sal = f.find_sal()
        if sal.symtab is not None and sal.line:
            name = os.path.normpath(sal.symtab.fullname())
            if name.startswith(ROOT):
                fn = f.name()
                loc = {'file': name, 'line': sal.line, 'function': fn}
                break
        f = f.older()
    out.write(json.dumps({'tid': th.ptid[1], 'nr': nr, 'source': loc}) + '\\n')
    out.flush()
gdb.events.stop.connect(on_stop)
gdb.execute('run')
for _ in range(1000000):
    try:
        if not gdb.selected_inferior().pid and not [i for i in gdb.inferiors() if i.pid]:
            break
        gdb.execute('continue')
    except gdb.error:
        break
`,
);
const gdbArgs = ['-q', '-batch', '-nx', '-ex', 'set pagination off', '-ex', 'set startup-with-shell off',
  '-ex', 'set debuginfod enabled off', '-ex', 'catch syscall'];
if (follow) gdbArgs.push('-ex', 'set follow-fork-mode parent', '-ex', 'set detach-on-fork off', '-ex', 'set schedule-multiple on');
gdbArgs.push('-ex', `source ${py}`);
const gdbRun = spawnSync('gdb', [...gdbArgs, '--args', ...args], {
  encoding: 'utf8', maxBuffer: 1 << 28, timeout: 600_000,
});
if (!fs.existsSync(gdbOut)) {
  console.error(gdbRun.stderr);
  process.exit(1);
}
const gdbEvents = fs.readFileSync(gdbOut, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

// --- renacer's view --------------------------------------------------------
const rOut = path.join(tmp, 'renacer.jsonl');
const rArgs = [path.join(REPO, 'bin', 'renacer.js'), '--no-trace-file', '--source', '--format', 'json', '-o', rOut];
if (follow) rArgs.push('-f');
spawnSync(process.execPath, [...rArgs, '--', ...args], { encoding: 'utf8', cwd: process.cwd() });
const rEvents = fs
  .readFileSync(rOut, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((e) => e.type === 'syscall');

// --- compare, per task in order, by syscall number --------------------------
const byTask = (evs) => {
  const m = new Map();
  for (const e of evs) {
    if (!m.has(e.tid)) m.set(e.tid, []);
    m.get(e.tid).push(e);
  }
  return [...m.values()];
};
// Tasks are matched by their order of appearance (tids differ between runs).
// futex calls depend on how threads happened to contend in each run: they
// are compared as a multiset per task (is renacer's line one gdb saw for a
// futex of that task?), everything else call by call.
const FUTEX = 202;
const g = byTask(gdbEvents);
const r = byTask(rEvents);
let user = 0;
let right = 0;
const wrong = [];
for (let t = 0; t < Math.min(g.length, r.length); t++) {
  const gLines = new Set(g[t].filter((e) => e.nr === FUTEX && e.source).map((e) => `${e.source.file}:${e.source.line}`));
  for (const e of r[t]) {
    if (e.nr !== FUTEX || !e.source || !e.source.file.startsWith(root + '/')) continue;
    user++;
    if (gLines.has(`${e.source.file}:${e.source.line}`)) right++;
    else wrong.push(`futex: renacer ${path.basename(e.source.file)}:${e.source.line}, a line gdb never saw a futex of this task at`);
  }
  const gs = g[t].filter((e) => e.nr !== FUTEX);
  const rs = r[t].filter((e) => e.nr !== FUTEX);
  // Align on syscall numbers: skip unmatched ones on either side (a few
  // differ between a gdb run and a renacer run: gdb's own setup).
  let i = 0;
  let j = 0;
  while (i < gs.length && j < rs.length) {
    if (gs[i].nr !== rs[j].nr) {
      const k = rs.slice(j, j + 8).findIndex((e) => e.nr === gs[i].nr);
      if (k > 0) j += k;
      else i++;
      continue;
    }
    const want = gs[i].source;
    const got = rs[j].source;
    if (want) {
      user++;
      if (got && got.file === want.file && got.line === want.line) right++;
      else wrong.push(`${rs[j].name}: gdb ${path.basename(want.file)}:${want.line} (${want.function}), renacer ${got ? `${path.basename(got.file)}:${got.line} (${got.function})` : 'none'}`);
    }
    i++;
    j++;
  }
}
console.log(`${args.join(' ')}: ${right}/${user} syscalls from user code attributed to gdb's line (${user ? ((100 * right) / user).toFixed(1) : '-'} %)`);
for (const w of wrong.slice(0, 20)) console.log(`  ${w}`);
if (!process.env.KEEP) fs.rmSync(tmp, { recursive: true, force: true }); else console.log(tmp);
process.exit(wrong.length ? 1 : 0);
