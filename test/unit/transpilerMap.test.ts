// Transpiler maps: Renacer's JSON map and Source Map v3, the sink that sets
// `original`, and the errors a bad map gives.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import type { SyscallEvent } from '../../extension/core/session/events';
import { languageOf, loadTranspilerMap, mapLocation, TranspilerMapError } from '../../extension/core/source/transpilerMap';
import { TranspilerMapSink } from '../../extension/core/source/transpilerMapSink';

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-tmap-')));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

// Source Map v3 "mappings": one segment per generated line, column 0.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function vlq(n: number): string {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += B64[digit];
  } while (v > 0);
  return out;
}
/** lines[i] = [sourceIndex, originalLine (1-based), nameIndex?] for generated line i+1, or null. */
function encodeMappings(lines: Array<[number, number, number?] | null>): string {
  let src = 0;
  let srcLine = 0;
  let name = 0;
  return lines
    .map((l) => {
      if (!l) return '';
      let seg = vlq(0) + vlq(l[0] - src) + vlq(l[1] - 1 - srcLine) + vlq(0);
      src = l[0];
      srcLine = l[1] - 1;
      if (l[2] !== undefined) {
        seg += vlq(l[2] - name);
        name = l[2];
      }
      return seg;
    })
    .join(';');
}

const generatedRs = write('proj/src/main.rs', Array.from({ length: 40 }, (_, i) => `// line ${i + 1}`).join('\n') + '\n');

const renacerMap = {
  version: 1,
  source_language: 'python',
  source_file: 'app.py',
  generated_file: 'src/main.rs',
  mappings: [
    { rust_line: 12, rust_function: 'load_config', python_line: 4, python_function: 'load_config', python_context: 'open(path)', decision_id: 'd-17' },
    { rust_line: 20, rust_function: 'main', python_line: 9, python_function: 'main' },
  ],
  function_map: { load_config: 'load_config', main: 'main' },
};

describe('Renacer JSON maps', () => {
  const file = write('proj/app.map.json', renacerMap);
  const map = loadTranspilerMap(file, dir);

  it('finds the generated file next to the map and matches frames by path', () => {
    assert.equal(map.format, 'renacer');
    assert.equal(map.generatedFile, generatedRs);
    assert.ok(map.matches(generatedRs));
    assert.ok(map.matches('/somewhere/else/src/main.rs'), 'a relative generated_file matches by path suffix');
    assert.ok(!map.matches('/x/src/other.rs'));
    assert.ok(!map.matches('/x/notsrc/main.rs.bak'));
  });

  it('maps an exact generated line with context and decision id', () => {
    assert.deepEqual(map.lookup({ file: generatedRs, line: 12 }), {
      file: path.join(dir, 'proj', 'app.py'),
      line: 4,
      function: 'load_config',
      language: 'python',
      context: 'open(path)',
      decisionId: 'd-17',
    });
  });

  it('maps a line between mappings to the closest one above it in the same function', () => {
    assert.equal(map.lookup({ file: generatedRs, line: 15, function: 'load_config' })?.line, 4);
    assert.equal(map.lookup({ file: generatedRs, line: 15, function: 'main' }), undefined);
    assert.equal(map.lookup({ file: generatedRs, line: 15 }), undefined);
    assert.equal(map.lookup({ file: generatedRs, line: 3, function: 'load_config' }), undefined);
  });

  it('tries the inlined callers of a frame when the frame itself does not map', () => {
    const o = mapLocation([map], {
      file: '/usr/lib/rustlib/src/rust/library/std/src/fs.rs',
      line: 300,
      inlined: [{ file: generatedRs, line: 20, function: 'main' }],
    });
    assert.equal(o?.line, 9);
  });
});

describe('Source Map v3', () => {
  const generatedC = write('gen/out.c', Array.from({ length: 10 }, (_, i) => `/* ${i + 1} */`).join('\n') + '\n');
  const file = write('gen/out.c.map', {
    version: 3,
    file: 'out.c',
    sources: ['../lang/prog.nim'],
    names: ['readConfig'],
    mappings: encodeMappings([null, [0, 3, 0], [0, 3], null, [0, 7]]),
  });
  const map = loadTranspilerMap(file, dir);

  it('reads the map through @jridgewell/trace-mapping', () => {
    assert.equal(map.format, 'sourcemap-v3');
    assert.equal(map.generatedFile, generatedC);
    assert.ok(map.matches(generatedC));
  });

  it('maps generated lines (DWARF columns are 1-based) to the original file', () => {
    assert.deepEqual(map.lookup({ file: generatedC, line: 2, column: 5 }), {
      file: path.join(dir, 'lang', 'prog.nim'),
      line: 3,
      function: 'readConfig',
      language: 'nim',
    });
    assert.equal(map.lookup({ file: generatedC, line: 5 })?.line, 7);
    assert.equal(map.lookup({ file: generatedC, line: 4 }), undefined);
  });

  it('defaults the generated file to the map name without .map', () => {
    write('gen2/thing.c', 'int x;\nint y;\n');
    const m = loadTranspilerMap(write('gen2/thing.c.map', { version: 3, sources: ['a.py'], names: [], mappings: 'AAAA' }), dir);
    assert.equal(m.generatedFile, path.join(dir, 'gen2', 'thing.c'));
  });
});

describe('errors name the map file and what is wrong', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['not-json.map', '{"version": 1,', /not valid JSON/],
    ['array.map', [1, 2], /not a JSON object/],
    ['unknown.map', { version: 7 }, /unknown format \(version 7\)/],
    ['no-generated.map', { version: 1, source_file: 'a.py', mappings: [] }, /"generated_file" is missing/],
    ['no-source.map', { version: 1, generated_file: 'src/main.rs', mappings: [] }, /"source_file" is missing/],
    ['no-mappings.map', { version: 1, generated_file: 'src/main.rs', source_file: 'a.py' }, /"mappings" is missing/],
    [
      'bad-line.map',
      { version: 1, generated_file: 'src/main.rs', source_file: 'a.py', mappings: [{ rust_line: 0, python_line: 2 }] },
      /mappings\[0\]: the generated line \(rust_line\) must be a positive integer, got 0/,
    ],
    [
      'bad-py-line.map',
      { version: 1, generated_file: 'src/main.rs', source_file: 'a.py', mappings: [{ rust_line: 3, python_line: 'x' }] },
      /mappings\[0\]: "python_line" must be a positive integer/,
    ],
    [
      'stale.map',
      { version: 1, generated_file: 'src/main.rs', source_file: 'a.py', mappings: [{ rust_line: 400, python_line: 2 }] },
      /does not match .*main\.rs: it maps line 400, the file has 40 lines/,
    ],
    ['v3-no-sources.map', { version: 3, mappings: 'AAAA' }, /"sources" is missing/],
    ['v3-bad-mappings.map', { version: 3, sources: ['a.py'], mappings: 42 }, /"mappings" is missing or not a string/],
  ];
  for (const [name, content, re] of cases) {
    it(name, () => {
      const file = write(`proj/${name}`, content);
      assert.throws(
        () => loadTranspilerMap(file, dir),
        (e: unknown) => e instanceof TranspilerMapError && e.file === file && re.test(e.message) && e.message.includes(file),
      );
    });
  }
  it('a missing file', () => {
    assert.throws(() => loadTranspilerMap(path.join(dir, 'nope.map')), /transpiler map .*nope\.map: cannot read it: ENOENT/);
  });
});

describe('TranspilerMapSink', () => {
  const map = loadTranspilerMap(write('proj/sink.map.json', renacerMap), dir);
  const ev = (source?: SyscallEvent['source'], stack?: SyscallEvent['stack']): SyscallEvent => ({
    type: 'syscall', pid: 1, tid: 1, nr: 257, name: 'openat', args: [], ret: 3, startNs: 0, endNs: 1, source, stack,
  });

  it('sets original and keeps source; leaves unmapped events alone', () => {
    const mapped = ev({ file: generatedRs, line: 12, column: 9, function: 'load_config' });
    const other = ev({ file: '/x/other.c', line: 3 });
    const bare = ev();
    new TranspilerMapSink([map]).onEvents([mapped, other, bare, { type: 'process', kind: 'exit', pid: 1, tid: 1, timeNs: 2 }]);
    assert.equal(mapped.source?.line, 12);
    assert.equal(mapped.original?.line, 4);
    assert.equal(mapped.original?.language, 'python');
    assert.equal(other.original, undefined);
    assert.equal(bare.original, undefined);
  });

  it('falls back to the stack, and gives each event its own object', () => {
    const a = ev({ file: '/x/glue.c', line: 3 }, [{ file: '/x/glue.c', line: 3 }, { file: generatedRs, line: 20 }]);
    const b = ev({ file: generatedRs, line: 20 });
    new TranspilerMapSink([map]).onEvents([a, b]);
    assert.equal(a.original?.line, 9);
    assert.equal(b.original?.line, 9);
    assert.notEqual(a.original, b.original);
  });
});

it('languageOf', () => {
  assert.equal(languageOf('/a/b.py'), 'python');
  assert.equal(languageOf('x.TS'), 'typescript');
  assert.equal(languageOf('x.unknownext'), 'unknown');
});
