// Builds the source-correlation fixtures (test/fixtures/source_*) into a
// temporary directory, runs them under `renacer --source --format json`, and
// checks the attributed lines against the `@syscall NAME…` markers in the
// fixture sources. Shared by test/native/sourceCorrelation.test.ts and
// scripts/source-accuracy.mjs.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(path.dirname(__filename), '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures');
const CLI = path.join(REPO, 'bin', 'renacer.js');

export interface Expectation {
  file: string;
  line: number;
  name: string;
  /** Exact count, or 'many' for one or more. */
  count: number | 'many';
}

/** `// @syscall openat close*2 read+` ending a line: those syscalls are made there. */
export function parseMarkers(file: string): Expectation[] {
  const out: Expectation[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((text, i) => {
    const m = /\/\/\s*@syscall\s+([\w*+ ]+)$/.exec(text);
    if (!m) return;
    for (const tok of m[1].trim().split(/\s+/)) {
      const t = /^(\w+)(?:\*(\d+)|(\+))?$/.exec(tok);
      if (!t) throw new Error(`${file}:${i + 1}: bad marker '${tok}'`);
      out.push({ file, line: i + 1, name: t[1], count: t[3] ? 'many' : t[2] ? Number(t[2]) : 1 });
    }
  });
  return out;
}

export interface Build {
  /** Directory with the copied sources and the binaries; renacer runs there. */
  dir: string;
  has(tool: string): boolean;
  /** Runs a compiler or binutils command in dir (or opts.cwd, relative to dir); throws with its output on failure. */
  run(cmd: string, args: string[], opts?: { cwd?: string; env?: NodeJS.ProcessEnv }): void;
  /** Copies test/fixtures/NAME (a file, or a file under a fixture directory) into dir and returns its absolute path. */
  source(name: string): string;
}

export function makeBuild(prefix = 'renacer-src-'): Build {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const tools = new Map<string, boolean>();
  return {
    dir,
    has(tool) {
      if (!tools.has(tool)) tools.set(tool, spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
      return tools.get(tool)!;
    },
    run(cmd, args, opts = {}) {
      const cwd = opts.cwd ? path.resolve(dir, opts.cwd) : dir;
      const r = spawnSync(cmd, args, { cwd, env: opts.env ?? process.env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}${r.error ?? ''}`);
    },
    source(name) {
      const dest = path.join(dir, name);
      if (!fs.existsSync(dest)) {
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(path.join(FIXTURES, name), dest);
      }
      return dest;
    },
  };
}

export interface TraceRun {
  events: any[];
  stderr: string;
  status: number | null;
}

/** renacer --source --format json [-f] -- argv, in dir. */
export function traceSource(dir: string, argv: string[], opts: { follow?: boolean; extra?: string[] } = {}): TraceRun {
  const out = path.join(dir, `trace-${path.basename(argv[0])}-${Date.now()}.jsonl`);
  const args = [CLI, '--no-trace-file', '--source', '--format', 'json', '-o', out];
  if (opts.follow) args.push('-f');
  if (opts.extra) args.push(...opts.extra);
  args.push('--', ...argv);
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  const events = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { events, stderr: r.stderr, status: r.status };
}

export interface CheckResult {
  /** Marked syscalls attributed to their marked line. */
  right: number;
  /** Marked syscalls expected in total (a `+` marker counts once). */
  expected: number;
  problems: string[];
}

/**
 * Every syscall whose name is marked in `files` and that renacer attributes
 * to one of `files` must be attributed to a line marked with that name, as
 * many times as marked; every marked line must be hit. Any attribution
 * outside `dir` is a problem too (the user root is dir).
 */
export function checkAttribution(run: TraceRun, files: string[], dir: string): CheckResult {
  const marks = files.flatMap(parseMarkers);
  const names = new Set(marks.map((m) => m.name));
  const got = new Map<string, number>(); // file:line:name -> count
  const problems: string[] = [];
  for (const ev of run.events) {
    if (ev.type !== 'syscall' || !ev.source) continue;
    const src = ev.source;
    if (!src.file.startsWith(dir + '/')) {
      problems.push(`${ev.name} attributed outside the user root: ${src.file}:${src.line}`);
      continue;
    }
    if (!names.has(ev.name) || !files.includes(src.file)) continue;
    const key = `${src.file}:${src.line}:${ev.name}`;
    got.set(key, (got.get(key) ?? 0) + 1);
  }
  let right = 0;
  let expected = 0;
  const seen = new Set<string>();
  for (const m of marks) {
    const key = `${m.file}:${m.line}:${m.name}`;
    seen.add(key);
    const n = got.get(key) ?? 0;
    if (m.count === 'many') {
      expected += 1;
      if (n >= 1) right += 1;
      else problems.push(`${path.basename(m.file)}:${m.line}: expected ${m.name}, got none`);
    } else {
      expected += m.count;
      right += Math.min(n, m.count);
      if (n !== m.count) problems.push(`${path.basename(m.file)}:${m.line}: expected ${m.name} ×${m.count}, got ×${n}`);
    }
  }
  for (const [key, n] of got) {
    if (seen.has(key)) continue;
    const [file, line, name] = key.split(':');
    problems.push(`${path.basename(file)}:${line}: ${name} ×${n} attributed to an unmarked line`);
  }
  return { right, expected, problems };
}

export function cleanup(b: Build): void {
  if (process.env.RENACER_KEEP_FIXTURES) return;
  fs.rmSync(b.dir, { recursive: true, force: true });
}

export function rustcAvailable(): boolean {
  try {
    execFileSync('rustc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface FixtureCase {
  name: string;
  /** Sources (in test/fixtures) whose markers are checked. */
  sources: string[];
  follow?: boolean;
  /** Tools this case needs on PATH. */
  needs?: string[];
  /** Compiles into b.dir; returns the argv to trace (relative to b.dir). */
  build(b: Build): string[];
}

/**
 * Builds the Go fixture test/fixtures/source_go into b.dir/OUT with `go
 * build` (cgo on or off). The module and build caches live in b.dir, so a
 * fresh HOME (CI) and no network do: the fixture has no dependencies.
 */
export function goBuild(b: Build, out: string, cgo: boolean): string[] {
  for (const f of GO_FIXTURE_FILES) b.source(f);
  const env = {
    ...process.env,
    CGO_ENABLED: cgo ? '1' : '0',
    GOCACHE: path.join(b.dir, '.gocache'),
    GOPATH: path.join(b.dir, '.gopath'),
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GO111MODULE: 'on',
  };
  b.run('go', ['build', '-o', path.join(b.dir, out), '.'], { cwd: 'source_go', env });
  return [`./${out}`];
}

const GO_FIXTURE_FILES = ['source_go/go.mod', 'source_go/main.go', 'source_go/cgo.go', 'source_go/nocgo.go'];

const CC = 'gcc';
const CXX = 'g++';

/** A case that compiles `source` with `command` into `out` and runs it. */
function oneSource(name: string, source: string, command: string[], out: string, more: Pick<FixtureCase, 'follow' | 'needs'> = {}): FixtureCase {
  const [compiler, ...flags] = command;
  return { name, sources: [source], ...more, build: (b) => (b.run(compiler, [...flags, b.source(source), '-o', out]), [`./${out}`]) };
}

export const CASES: FixtureCase[] = [
  oneSource('C -O0', 'source_c.c', [CC, '-O0', '-g'], 'c_O0'),
  oneSource('C -O2, no frame pointers', 'source_c.c', [CC, '-O2', '-g', '-fomit-frame-pointer'], 'c_O2'),
  oneSource('C -O2, not PIE', 'source_c.c', [CC, '-O2', '-g', '-no-pie', '-fno-pie'], 'c_nopie'),
  oneSource('C -O2, DWARF 4', 'source_c.c', [CC, '-O2', '-gdwarf-4'], 'c_dwarf4'),
  oneSource('C -O2, compressed debug sections', 'source_c.c', [CC, '-O2', '-g', '-gz=zlib'], 'c_gz'),
  {
    name: 'C -O2, split debug info (.gnu_debuglink)',
    sources: ['source_c.c'],
    needs: ['objcopy'],
    build: (b) => {
      b.run(CC, ['-O2', '-g', b.source('source_c.c'), '-o', 'c_split']);
      b.run('objcopy', ['--only-keep-debug', 'c_split', 'c_split.debug']);
      b.run('objcopy', ['--strip-debug', '--add-gnu-debuglink=c_split.debug', 'c_split']);
      return ['./c_split'];
    },
  },
  oneSource('C -O2, tail call', 'source_tailcall.c', [CC, '-O2', '-g'], 'tailcall'),
  oneSource('C -O2, threads', 'source_threads.c', [CC, '-O2', '-g', '-pthread'], 'threads', { follow: true }),
  oneSource('C -O2, fork', 'source_fork.c', [CC, '-O2', '-g'], 'fork', { follow: true }),
  {
    name: 'C -O2, shared library',
    sources: ['source_shlib.c', 'source_shlib_main.c'],
    build: (b) => {
      b.run(CC, ['-O2', '-g', '-fPIC', '-shared', b.source('source_shlib.c'), '-o', 'libsrcshlib.so']);
      b.run(CC, ['-O2', '-g', b.source('source_shlib_main.c'), '-L.', '-lsrcshlib', '-Wl,-rpath,$ORIGIN', '-o', 'shlib']);
      return ['./shlib'];
    },
  },
  {
    name: 'C -O2, dlopen',
    sources: ['source_plugin.c', 'source_dlopen.c'],
    build: (b) => {
      b.run(CC, ['-O2', '-g', '-fPIC', '-shared', b.source('source_plugin.c'), '-o', 'libsrcplugin.so']);
      b.run(CC, ['-O2', '-g', b.source('source_dlopen.c'), '-o', 'dlopen', '-ldl']);
      return ['./dlopen'];
    },
  },
  {
    name: 'C -O2, exec',
    sources: ['source_exec.c', 'source_c.c'],
    follow: true,
    build: (b) => {
      b.run(CC, ['-O2', '-g', b.source('source_exec.c'), '-o', 'exec']);
      b.run(CC, ['-O0', '-g', b.source('source_c.c'), '-o', 'c_exec_O0']);
      return ['./exec', './c_exec_O0'];
    },
  },
  oneSource('C++ -O2: inlining, templates, iostreams, lambda', 'source_cpp.cpp', [CXX, '-O2', '-g'], 'cpp'),
  oneSource('Rust opt-level 2', 'source_rust.rs', ['rustc', '-g', '-C', 'opt-level=2'], 'rust', { needs: ['rustc'] }),
  {
    // Static, no libc: syscalls from the runtime's assembly, goroutines on
    // several threads, a loopback TCP round trip.
    name: 'Go, cgo off: goroutines, threads, loopback TCP',
    sources: ['source_go/main.go'],
    follow: true,
    needs: ['go'],
    build: (b) => goBuild(b, 'go_static', false),
  },
  {
    // Linked with libc; Go calls C code (cgo) that makes syscalls itself.
    name: 'Go, cgo on: and C called from Go',
    sources: ['source_go/main.go', 'source_go/cgo.go'],
    follow: true,
    needs: ['go', 'gcc'],
    build: (b) => goBuild(b, 'go_cgo', true),
  },
];
