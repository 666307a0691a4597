#!/usr/bin/env node
// Generates native/src/syscalls_x86_64.inc, the x86_64 syscall table of the
// native addon, from two inputs:
//   - the kernel UAPI header asm/unistd_64.h: syscall names and numbers;
//   - native/tools/syscall-signatures-x86_64.tsv: arity and strace trace
//     classes per syscall (see the comment at its top for how it was derived).
// Numbers come from the header rather than the TSV so they can never drift
// from what the kernel ABI says; the TSV only adds what the header lacks.
//
// Usage:
//   node native/tools/gen-syscall-table.mjs            write the .inc
//   node native/tools/gen-syscall-table.mjs --check    exit 1 if it is stale
//   --header PATH   read another unistd_64.h (default: the system's)
//   --out PATH      write or check another file (default: the .inc above)
//
// No dependencies: it runs before `npm install` has happened, e.g. in CI.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TOOLS_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(TOOLS_DIR, '../..');
const TSV_PATH = path.join(TOOLS_DIR, 'syscall-signatures-x86_64.tsv');
const OUT_PATH = path.join(REPO_ROOT, 'native/src/syscalls_x86_64.inc');
const DEFAULT_HEADER = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';

// TSV class name -> C++ enumerator of native/src/syscall_table.h, in bit order.
const CLASSES = new Map([
  ['file', 'SC_FILE'],
  ['network', 'SC_NETWORK'],
  ['process', 'SC_PROCESS'],
  ['memory', 'SC_MEMORY'],
  ['signal', 'SC_SIGNAL'],
  ['ipc', 'SC_IPC'],
  ['desc', 'SC_DESC'],
  ['creds', 'SC_CREDS'],
  ['clock', 'SC_CLOCK'],
  ['stat', 'SC_STAT'],
  ['lstat', 'SC_LSTAT'],
  ['fstat', 'SC_FSTAT'],
  ['stat_like', 'SC_STAT_LIKE'],
  ['statfs', 'SC_STATFS'],
  ['fstatfs', 'SC_FSTATFS'],
  ['statfs_like', 'SC_STATFS_LIKE'],
  ['pure', 'SC_PURE'],
]);

class InputError extends Error {}

function parseArgs(argv) {
  const opts = { check: false, header: DEFAULT_HEADER, out: OUT_PATH };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') opts.check = true;
    else if (a === '--header' && i + 1 < argv.length) opts.header = argv[++i];
    else if (a === '--out' && i + 1 < argv.length) opts.out = path.resolve(argv[++i]);
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: gen-syscall-table.mjs [--check] [--header PATH] [--out PATH]\n');
      process.exit(0);
    } else throw new InputError(`unknown argument: ${a}`);
  }
  return opts;
}

function readText(file, what) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${what} ${file}: ${err.message}`);
  }
}

// Returns Map name -> number from `#define __NR_name nr` lines.
function parseHeader(file) {
  const byName = new Map();
  const byNumber = new Map();
  for (const m of readText(file, 'header').matchAll(/^#\s*define\s+__NR_(\w+)\s+(\d+)\s*$/gm)) {
    const [, name, numText] = m;
    const nr = Number(numText);
    if (byName.has(name)) throw new InputError(`${file}: __NR_${name} defined twice`);
    if (byNumber.has(nr)) {
      throw new InputError(`${file}: number ${nr} used by both ${byNumber.get(nr)} and ${name}`);
    }
    byName.set(name, nr);
    byNumber.set(nr, name);
  }
  if (byName.size === 0) throw new InputError(`${file}: no __NR_ definitions found`);
  return byName;
}

// Returns Map name -> { nargs, classes: string[] }.
function parseTsv(file) {
  const rows = new Map();
  const lines = readText(file, 'signature file').split('\n');
  lines.forEach((raw, i) => {
    const where = `${path.relative(REPO_ROOT, file)}:${i + 1}`;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (cols.length !== 3) throw new InputError(`${where}: expected 3 tab-separated columns, got ${cols.length}`);
    const [name, nargsText, classText] = cols;
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new InputError(`${where}: bad syscall name "${name}"`);
    if (!/^[0-6]$/.test(nargsText)) throw new InputError(`${where}: nargs must be 0..6, got "${nargsText}"`);
    const classes = classText === '-' ? [] : classText.split(',');
    for (const c of classes) {
      if (!CLASSES.has(c)) throw new InputError(`${where}: unknown class "${c}"`);
    }
    if (new Set(classes).size !== classes.length) throw new InputError(`${where}: repeated class`);
    if (rows.has(name)) throw new InputError(`${where}: ${name} listed twice`);
    rows.set(name, { nargs: Number(nargsText), classes });
  });
  return rows;
}

function join(header, tsv, headerPath) {
  const missing = [...header.keys()].filter((n) => !tsv.has(n));
  const extra = [...tsv.keys()].filter((n) => !header.has(n));
  if (missing.length || extra.length) {
    const parts = [];
    if (missing.length) parts.push(`in ${headerPath} but not in the TSV: ${missing.join(' ')}`);
    if (extra.length) parts.push(`in the TSV but not in ${headerPath}: ${extra.join(' ')}`);
    throw new InputError(
      `syscall-signatures-x86_64.tsv and the header disagree\n  ${parts.join('\n  ')}\n` +
        'Every syscall needs an arity and classes; see the TSV header for how to derive them.',
    );
  }
  const entries = [...header].map(([name, nr]) => ({ nr, name, ...tsv.get(name) }));
  entries.sort((a, b) => a.nr - b.nr);
  return entries;
}

function classExpr(classes) {
  if (classes.length === 0) return '0';
  // Bit order rather than TSV order, so reordering the TSV column is a no-op.
  return [...CLASSES].filter(([c]) => classes.includes(c)).map(([, e]) => e).join(' | ');
}

function render(entries) {
  const size = entries[entries.length - 1].nr + 1;
  const byNr = new Map(entries.map((e) => [e.nr, e]));
  const out = [];
  out.push(
    '// GENERATED FILE - DO NOT EDIT.',
    '// Regenerate with: node native/tools/gen-syscall-table.mjs',
    '// from the kernel UAPI header asm/unistd_64.h (numbers) and',
    '// native/tools/syscall-signatures-x86_64.tsv (arity, strace trace classes).',
    '// Included by syscalls_x86_64.cc inside namespace renacer.',
    '',
    `constexpr int kSyscallTableSize = ${size};`,
    '',
    '// Indexed by syscall number; numbers the architecture does not assign',
    '// have a null name.',
    'constexpr SyscallInfo kSyscallTable[kSyscallTableSize] = {',
  );
  for (let nr = 0; nr < size; nr++) {
    const e = byNr.get(nr);
    const label = `/* ${String(nr).padStart(3)} */`;
    out.push(e ? `    ${label} {"${e.name}", ${e.nargs}, ${classExpr(e.classes)}},` : `    ${label} {nullptr, 0, 0},`);
  }
  out.push('};', '');
  // JS's default sort compares UTF-16 code units, which for these ASCII names
  // is the byte order strcmp() uses for the binary search.
  const byName = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  out.push(
    '// Syscall numbers sorted by name, for binary search in syscall_number().',
    `constexpr uint16_t kSyscallsByName[${byName.length}] = {`,
  );
  for (let i = 0; i < byName.length; i += 10) {
    out.push(`    ${byName.slice(i, i + 10).map((e) => `${e.nr},`).join(' ')}`);
  }
  out.push('};', '');
  return out.join('\n');
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const header = parseHeader(opts.header);
  const tsv = parseTsv(TSV_PATH);
  const text = render(join(header, tsv, opts.header));
  const rel = opts.out.startsWith(REPO_ROOT + path.sep) ? path.relative(REPO_ROOT, opts.out) : opts.out;
  if (opts.check) {
    let current = null;
    try {
      current = fs.readFileSync(opts.out, 'utf8');
    } catch {
      // Missing counts as stale; reported below.
    }
    if (current !== text) {
      process.stderr.write(
        `gen-syscall-table: ${rel} is ${current === null ? 'missing' : 'out of date'}; ` +
          'run: node native/tools/gen-syscall-table.mjs\n',
      );
      process.exit(1);
    }
    process.stdout.write(`gen-syscall-table: ${rel} is up to date\n`);
    return;
  }
  fs.writeFileSync(opts.out, text);
  process.stdout.write(`gen-syscall-table: wrote ${rel} (${header.size} syscalls)\n`);
}

try {
  main();
} catch (err) {
  if (!(err instanceof InputError)) throw err;
  process.stderr.write(`gen-syscall-table: ${err.message}\n`);
  process.exit(1);
}
