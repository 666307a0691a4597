// --transpiler-map end to end: generated C traced with each map format gets
// `original` locations next to its `source` ones; #line directives need no
// map; a bad map is a usage error naming the file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { cleanup, makeBuild, REPO, type Build } from './sourceHarness';

const CLI = path.join(REPO, 'bin', 'renacer.js');
let b: Build;

before(() => {
  b = makeBuild('renacer-tmap-e2e-');
  for (const f of ['source_transpiled.c', 'source_transpiled.py', 'source_transpiled.map.json', 'source_transpiled.c.map', 'source_lined.c'])
    b.source(f);
  b.run('gcc', ['-O2', '-g', 'source_transpiled.c', '-o', 'transpiled']);
  b.run('gcc', ['-O2', '-g', 'source_lined.c', '-o', 'lined']);
});
after(() => cleanup(b));

function trace(args: string[], program: string[]) {
  const out = path.join(b.dir, `out-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(process.execPath, [CLI, '--no-trace-file', '-o', out, ...args, '--', ...program], { cwd: b.dir, encoding: 'utf8' });
  const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  return { status: r.status, stderr: r.stderr, text };
}

function syscalls(text: string): any[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === 'syscall');
}

const want: Array<[string, number, number]> = [
  // syscall, generated line, original line
  ['openat', 9, 2],
  ['read', 12, 3],
  ['close', 13, 2],
  ['write', 20, 8],
];

for (const [format, map] of [
  ['Renacer JSON map', 'source_transpiled.map.json'],
  ['Source Map v3', 'source_transpiled.c.map'],
] as const) {
  describe(`--transpiler-map with a ${format}`, () => {
    it('sets original on the generated lines and keeps source (no --source needed)', () => {
      const r = trace(['--format', 'json', '--transpiler-map', map], ['./transpiled']);
      assert.equal(r.status, 0, r.stderr);
      const evs = syscalls(r.text);
      const gen = path.join(b.dir, 'source_transpiled.c');
      const py = path.join(b.dir, 'source_transpiled.py');
      for (const [name, genLine, pyLine] of want) {
        const ev = evs.find((e) => e.name === name && e.source?.file === gen && e.source.line === genLine);
        assert.ok(ev, `${name} at source_transpiled.c:${genLine}`);
        assert.equal(ev.original?.file, py, `${name}: ${JSON.stringify(ev.original)}`);
        assert.equal(ev.original.line, pyLine, name);
        assert.equal(ev.original.language, 'python');
      }
      if (format === 'Renacer JSON map') {
        const open = evs.find((e) => e.name === 'openat' && e.original);
        assert.equal(open.original.context, 'with open(path, "rb") as f:');
        assert.equal(open.original.decisionId, 'open-rdonly');
        assert.equal(open.original.function, 'load_config');
      }
    });
  });
}

describe('generated code', () => {
  it('shows the original location in text output', () => {
    const r = trace(['--transpiler-map', 'source_transpiled.map.json'], ['./transpiled']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.text, /read\(.*\) = \d+ \[.*source_transpiled\.py:3 in load_config\]/);
  });

  it('with #line directives needs no map', () => {
    const r = trace(['--format', 'json', '--source'], ['./lined']);
    const tpl = path.join(b.dir, 'source_lined.tpl');
    const evs = syscalls(r.text);
    assert.ok(evs.some((e) => e.name === 'openat' && e.source?.file === tpl && e.source.line === 41), r.text.slice(-2000));
    assert.ok(evs.some((e) => e.name === 'close' && e.source?.file === tpl && e.source.line === 42));
  });

  it('a corrupt map is a usage error naming the file (exit 2)', () => {
    fs.writeFileSync(path.join(b.dir, 'broken.map.json'), '{"version": 1, "generated_file": "x.c", "source_file": "a.py", "mappings": [{"rust_line": -1}]}');
    const r = trace(['--transpiler-map', 'broken.map.json'], ['./transpiled']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /renacer: transpiler map broken\.map\.json: mappings\[0\]: the generated line \(rust_line\) must be a positive integer/);
  });

  it('a map that does not match the generated file is a usage error too', () => {
    const stale = JSON.parse(fs.readFileSync(path.join(b.dir, 'source_transpiled.map.json'), 'utf8'));
    stale.mappings.push({ rust_line: 500, python_line: 1 });
    fs.writeFileSync(path.join(b.dir, 'stale.map.json'), JSON.stringify(stale));
    const r = trace(['--transpiler-map', 'stale.map.json'], ['./transpiled']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /stale\.map\.json: does not match .*source_transpiled\.c: it maps line 500, the file has 23 lines/);
  });
});
