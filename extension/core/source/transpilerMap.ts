// Transpiler maps (--transpiler-map FILE): when the traced program was
// generated from another language (Python transpiled to Rust, TypeScript or
// another language compiled through C…), map the generated line that made a
// syscall back to the original one. Two formats:
//
// 1. Renacer's own JSON map (what transpilers such as Depyler emit):
//      {"version": 1, "source_language": "python", "source_file": "app.py",
//       "generated_file": "src/main.rs",
//       "mappings": [{"rust_line": 12, "rust_function": "load",
//                     "python_line": 4, "python_function": "load",
//                     "python_context": "open(path)", "decision_id": "…"}],
//       "function_map": {"load": "load"}}
//    matched by generated file and line (`*_line` = generated, `python_*` =
//    original, whatever the generated language is called).
// 2. Standard Source Map v3 (`{"version": 3, "sources", "mappings", …}`),
//    read with @jridgewell/trace-mapping; the generated file is the map's
//    `file`, else the map's own name without `.map`.
//
// Generated C with #line directives needs no map: the compiler already puts
// the original file and line in the DWARF line table, and --source shows it.
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  AnyMap,
  decodedMappings,
  GREATEST_LOWER_BOUND,
  LEAST_UPPER_BOUND,
  originalPositionFor,
  type TraceMap,
} from '@jridgewell/trace-mapping';

import type { OriginalLocation, SourceLocation } from '../session/events';

/** A map that cannot be used: names the file and what is wrong with it. */
export class TranspilerMapError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`transpiler map ${file}: ${problem}`);
    this.name = 'TranspilerMapError';
  }
}

/** Where a generated location came from, or undefined. */
export interface TranspilerMap {
  /** The map file, as given. */
  readonly file: string;
  readonly format: 'renacer' | 'sourcemap-v3';
  /** The generated file this map describes (absolute when it was found on disk). */
  readonly generatedFile: string;
  /** Whether `file` (a frame's source file, absolute) is the generated file. */
  matches(file: string): boolean;
  lookup(loc: { file: string; line: number; column?: number; function?: string }): OriginalLocation | undefined;
}

interface RenacerMapping {
  generatedLine: number;
  generatedFunction?: string;
  line: number;
  function?: string;
  context?: string;
  decisionId?: string;
}

const LANGUAGES: Record<string, string> = {
  '.py': 'python',
  '.rs': 'rust',
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.go': 'go',
  '.rb': 'ruby',
  '.java': 'java',
  '.kt': 'kotlin',
  '.nim': 'nim',
  '.zig': 'zig',
  '.hs': 'haskell',
  '.ml': 'ocaml',
};

/** The language of a source file, from its extension ('unknown' when unsure). */
export function languageOf(file: string): string {
  return LANGUAGES[path.extname(file).toLowerCase()] ?? 'unknown';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** A path suffix match on whole components: /a/b/src/main.rs matches src/main.rs. */
function pathMatches(candidate: string, generated: string, absolute: string | undefined): boolean {
  const c = path.normalize(candidate);
  if (absolute && c === absolute) return true;
  const g = path.normalize(generated).replace(/^(\.\/)+/, '');
  if (path.isAbsolute(g)) return c === g;
  return c === g || c.endsWith(`/${g}`);
}

/** Finds the generated file on disk: as given, next to the map, or under cwd. */
function locate(generated: string, mapFile: string, cwd: string): string | undefined {
  const candidates = path.isAbsolute(generated)
    ? [generated]
    : [path.resolve(path.dirname(mapFile), generated), path.resolve(cwd, generated)];
  return candidates.find((c) => fs.existsSync(c));
}

function countLines(file: string): number {
  const text = fs.readFileSync(file, 'utf8');
  let n = text.split('\n').length;
  if (text.endsWith('\n')) n -= 1;
  return n;
}

function loadRenacerMap(file: string, json: Record<string, unknown>, cwd: string): TranspilerMap {
  const bad = (what: string) => new TranspilerMapError(file, what);
  if (json.version !== 1) throw bad(`unsupported version ${JSON.stringify(json.version)} (Renacer maps are version 1)`);
  const generated = json.generated_file;
  if (typeof generated !== 'string' || !generated) throw bad('"generated_file" is missing or not a string');
  const sourceFile = json.source_file;
  if (typeof sourceFile !== 'string' || !sourceFile) throw bad('"source_file" is missing or not a string');
  const language = typeof json.source_language === 'string' && json.source_language ? json.source_language : languageOf(sourceFile);
  if (!Array.isArray(json.mappings)) throw bad('"mappings" is missing or not an array');
  const byLine = new Map<number, RenacerMapping>();
  const sorted: RenacerMapping[] = [];
  json.mappings.forEach((m: unknown, i: number) => {
    if (!isObject(m)) throw bad(`mappings[${i}] is not an object`);
    // The generated side is `<lang>_line` (rust_line for Depyler), the original `python_*`
    // or, for other languages, `source_*`.
    const genKey = Object.keys(m).find((k) => k.endsWith('_line') && k !== 'python_line' && k !== 'source_line');
    const gl = genKey ? m[genKey] : undefined;
    const ol = m.python_line ?? m.source_line;
    if (!positiveInt(gl)) throw bad(`mappings[${i}]: the generated line (${genKey ?? 'rust_line'}) must be a positive integer, got ${JSON.stringify(gl)}`);
    if (!positiveInt(ol)) throw bad(`mappings[${i}]: "python_line" must be a positive integer, got ${JSON.stringify(ol)}`);
    const genFnKey = genKey!.replace(/_line$/, '_function');
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const entry: RenacerMapping = {
      generatedLine: gl,
      generatedFunction: str(m[genFnKey]),
      line: ol,
      function: str(m.python_function ?? m.source_function),
      context: str(m.python_context ?? m.source_context),
      decisionId: str(m.decision_id ?? m.decisionId),
    };
    if (!byLine.has(gl)) byLine.set(gl, entry);
    sorted.push(entry);
  });
  sorted.sort((a, b) => a.generatedLine - b.generatedLine);
  let functionMap: Record<string, string> = {};
  if (json.function_map !== undefined) {
    if (!isObject(json.function_map)) throw bad('"function_map" is not an object');
    for (const [k, v] of Object.entries(json.function_map)) {
      const name = typeof v === 'string' ? v : isObject(v) ? (v.python_function ?? v.source_function ?? v.name) : undefined;
      if (typeof name !== 'string') throw bad(`function_map["${k}"] is neither a name nor an object with "python_function"`);
      functionMap[k] = name;
    }
  }
  const absolute = locate(generated, file, cwd);
  if (absolute) {
    const lines = countLines(absolute);
    const beyond = sorted.find((m) => m.generatedLine > lines);
    if (beyond) {
      throw bad(`does not match ${absolute}: it maps line ${beyond.generatedLine}, the file has ${lines} lines (stale map?)`);
    }
  }
  const originalFile = path.isAbsolute(sourceFile) ? sourceFile : path.resolve(path.dirname(file), sourceFile);
  const resolved = (m: RenacerMapping, fnOverride?: string): OriginalLocation => {
    const o: OriginalLocation = { file: originalFile, line: m.line, language };
    const fn = m.function ?? fnOverride;
    if (fn) o.function = fn;
    if (m.context) o.context = m.context;
    if (m.decisionId) o.decisionId = m.decisionId;
    return o;
  };
  return {
    file,
    format: 'renacer',
    generatedFile: absolute ?? generated,
    matches: (f) => pathMatches(f, generated, absolute),
    lookup(loc) {
      const exact = byLine.get(loc.line);
      if (exact) return resolved(exact);
      // A line between mappings: the closest mapping above it in the same
      // generated function (the statement that generated this code).
      if (!loc.function) return undefined;
      let best: RenacerMapping | undefined;
      for (const m of sorted) {
        if (m.generatedLine > loc.line) break;
        if (m.generatedFunction && m.generatedFunction === loc.function) best = m;
      }
      if (best) return resolved(best, functionMap[loc.function]);
      return undefined;
    },
  };
}

function loadSourceMapV3(file: string, json: Record<string, unknown>, cwd: string): TranspilerMap {
  const bad = (what: string) => new TranspilerMapError(file, what);
  if (json.sections === undefined) {
    if (!Array.isArray(json.sources)) throw bad('"sources" is missing or not an array (Source Map v3)');
    if (typeof json.mappings !== 'string') throw bad('"mappings" is missing or not a string (Source Map v3)');
  } else if (!Array.isArray(json.sections)) {
    throw bad('"sections" is not an array (indexed Source Map v3)');
  }
  let map: TraceMap;
  try {
    map = AnyMap(json as never, path.resolve(file));
  } catch (e) {
    throw bad(`not a valid Source Map v3: ${(e as Error).message}`);
  }
  const generated =
    typeof json.file === 'string' && json.file ? json.file : path.basename(file).replace(/\.map$/, '');
  const absolute = locate(generated, file, cwd);
  if (absolute) {
    // A map whose mappings run past the generated file's end is for another build.
    const lines = countLines(absolute);
    const decoded = decodedMappings(map);
    let last = 0;
    for (let i = decoded.length - 1; i >= 0; i--) {
      if (decoded[i].length) {
        last = i + 1;
        break;
      }
    }
    if (last > lines) throw bad(`does not match ${absolute}: it maps line ${last}, the file has ${lines} lines (stale map?)`);
  }
  return {
    file,
    format: 'sourcemap-v3',
    generatedFile: absolute ?? generated,
    matches: (f) => pathMatches(f, generated, absolute),
    lookup(loc) {
      // Source Map columns are 0-based, DWARF's 1-based (0 = unknown).
      const column = loc.column && loc.column > 0 ? loc.column - 1 : 0;
      let pos = originalPositionFor(map, { line: loc.line, column, bias: GREATEST_LOWER_BOUND });
      if (pos.source === null) pos = originalPositionFor(map, { line: loc.line, column, bias: LEAST_UPPER_BOUND });
      if (pos.source === null || pos.line === null) return undefined;
      let source = pos.source;
      if (source.startsWith('file://')) source = new URL(source).pathname;
      const o: OriginalLocation = { file: source, line: pos.line, language: languageOf(source) };
      if (pos.name) o.function = pos.name;
      return o;
    },
  };
}

/** Reads and checks a map. Throws TranspilerMapError (naming the file) when it is unusable. */
export function loadTranspilerMap(file: string, cwd = process.cwd()): TranspilerMap {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TranspilerMapError(file, `cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TranspilerMapError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(json)) throw new TranspilerMapError(file, 'not a JSON object');
  if (json.version === 3) return loadSourceMapV3(file, json, cwd);
  if (json.version === 1 || 'generated_file' in json) return loadRenacerMap(file, json, cwd);
  throw new TranspilerMapError(
    file,
    `unknown format (version ${JSON.stringify(json.version)}): expected a Renacer map (version 1, "generated_file", "mappings") or a Source Map v3`,
  );
}

/** The first of `maps` that knows where `loc` (or, failing that, one of its inlined callers) came from. */
export function mapLocation(maps: readonly TranspilerMap[], loc: SourceLocation): OriginalLocation | undefined {
  const candidates = [loc, ...(loc.inlined ?? [])];
  for (const c of candidates) {
    for (const m of maps) {
      if (!m.matches(c.file)) continue;
      const o = m.lookup(c);
      if (o) return o;
    }
  }
  return undefined;
}
