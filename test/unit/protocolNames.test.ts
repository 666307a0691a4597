// Each custom message that crosses a process boundary (the debug adapter's
// DAP events, the language server's notifications and executeCommand ids) is
// named once, in extension/core/protocol/, and both sides import the name.
// This fails when a name is spelled out anywhere else in the TypeScript (the
// faces, the viewer, the webview, the tests), when a protocol export is no
// face's any more, or when a Neovim script runs a command the server lacks.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import * as debugAdapterProtocol from '../../extension/core/protocol/debugAdapterProtocol';
import * as languageServerProtocol from '../../extension/core/protocol/languageServerProtocol';

const ROOT = path.join(__dirname, '..', '..');
const PROTOCOL_DIR = path.join(ROOT, 'extension', 'core', 'protocol');
const MODULES: Record<string, object> = {
  'debugAdapterProtocol.ts': debugAdapterProtocol,
  'languageServerProtocol.ts': languageServerProtocol,
};

function walk(dir: string, keep: (file: string) => boolean, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(p, keep, out);
    } else if (keep(p)) out.push(p);
  }
  return out;
}

const isScript = (f: string) => /\.(ts|js|mjs)$/.test(f);
/** The code that speaks the protocols: the faces, the engine, the viewer's two sides. */
const SOURCES = ['extension', 'viewer', 'webview'].flatMap((d) => walk(path.join(ROOT, d), isScript));
/** Where a name spelled out would be a second source of it (tests too: they import the names). */
const SPELLED = [...SOURCES, ...walk(path.join(ROOT, 'test'), isScript)];
const PROTOCOL_FILES = Object.keys(MODULES).map((f) => path.join(PROTOCOL_DIR, f));
const isProtocol = (f: string) => PROTOCOL_FILES.includes(f);
const text = new Map<string, string>();
const read = (f: string) => {
  let s = text.get(f);
  if (s === undefined) text.set(f, (s = fs.readFileSync(f, 'utf8')));
  return s;
};
const rel = (f: string) => path.relative(ROOT, f);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Every message name: the protocol modules' exported objects of strings (DapEvent, LspNotification, LspCommand). */
const NAMES: Array<{ constant: string; name: string }> = Object.values(MODULES).flatMap((m) =>
  Object.entries(m)
    .filter(([, v]) => v && typeof v === 'object' && Object.values(v).every((x) => typeof x === 'string'))
    .flatMap(([group, v]) => Object.entries(v as Record<string, string>).map(([key, name]) => ({ constant: `${group}.${key}`, name }))),
);

/** Where `name` occurs as a whole token (in code, strings or comments), as file:line. */
function occurrences(name: string, files: string[]): string[] {
  const re = new RegExp(`(?<![\\w.$/-])${escape(name)}(?![\\w])`, 'g');
  const out: string[] = [];
  for (const f of files) {
    read(f)
      .split('\n')
      .forEach((line, i) => {
        for (const _ of line.matchAll(re)) out.push(`${rel(f)}:${i + 1}`);
      });
  }
  return out;
}

test('the protocol modules name every custom DAP event, LSP notification and executeCommand id', () => {
  const groups = new Set(NAMES.map((n) => n.constant.split('.')[0]));
  assert.deepEqual([...groups].sort(), ['DapEvent', 'LspCommand', 'LspNotification']);
  for (const { constant, name } of NAMES) assert.match(name, /^renacer[./][A-Za-z]+$/, constant);
  const dup = NAMES.filter((n, i) => NAMES.findIndex((m) => m.name === n.name) !== i);
  assert.deepEqual(dup, [], 'two constants with one name');
});

test('each message name is spelled out once, in its protocol module, and nowhere else', () => {
  const problems: string[] = [];
  for (const { constant, name } of NAMES) {
    const inProtocol = occurrences(name, PROTOCOL_FILES);
    if (inProtocol.length !== 1) problems.push(`${constant} '${name}' appears ${inProtocol.length}× in the protocol modules (${inProtocol.join(', ')})`);
    const elsewhere = occurrences(name, SPELLED.filter((f) => !isProtocol(f)));
    if (elsewhere.length) problems.push(`'${name}' is spelled out outside the protocol modules (import ${constant}): ${elsewhere.join(', ')}`);
  }
  assert.deepEqual(problems, []);
});

test('every protocol constant and type is used by a face', () => {
  const outside = SOURCES.filter((f) => !isProtocol(f));
  const used = (re: RegExp) => outside.some((f) => re.test(read(f)));
  const unused: string[] = [];
  for (const { constant } of NAMES) if (!used(new RegExp(`\\b${escape(constant)}\\b`))) unused.push(constant);
  for (const f of PROTOCOL_FILES) {
    for (const [, name] of read(f).matchAll(/^export\s+(?:const|let|function|type|interface|class|enum)\s+(\w+)/gm)) {
      if (!used(new RegExp(`\\b${name}\\b`))) unused.push(`${name} (${rel(f)})`);
    }
  }
  assert.deepEqual(unused, [], 'protocol exports no source file outside extension/core/protocol uses');
});

test('the protocol modules stay pure: no vscode, no DAP or LSP library', () => {
  for (const f of PROTOCOL_FILES) {
    const imports = [...read(f).matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
    assert.deepEqual(imports.filter((i) => !i.startsWith('.')), [], rel(f));
  }
});

test('no executeCommand id is a command package.json contributes (vscode-languageclient registers each as a VS Code command)', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const contributed = new Set<string>((manifest.contributes.commands as Array<{ command: string }>).map((c) => c.command));
  const lsp = Object.values(languageServerProtocol.LspCommand) as string[];
  assert.deepEqual(lsp.filter((c) => contributed.has(c)), []);
});

test('the Neovim scripts run only commands the server implements', () => {
  const lsp = new Set<string>(Object.values(languageServerProtocol.LspCommand));
  const lua = [...walk(path.join(ROOT, 'examples'), (f) => f.endsWith('.lua')), ...walk(path.join(ROOT, 'test'), (f) => f.endsWith('.lua'))];
  const run = lua.flatMap((f) => [...read(f).matchAll(/command\s*=\s*'(renacer[./][^']+)'/g)].map((m) => ({ file: rel(f), command: m[1] })));
  assert.ok(run.length > 0, 'the Neovim recipe runs the server\'s commands');
  assert.deepEqual(run.filter((r) => !lsp.has(r.command)), []);
});
