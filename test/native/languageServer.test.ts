// `renacer lsp` over stdio: hovers, diagnostics, CodeLens, inlay hints, edits.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

import { LspCommand, LspNotification, type LineStatsParams } from '../../extension/core/protocol/languageServerProtocol';
import type { SyscallEvent } from '../../extension/core/session/events';
import { TraceFileWriter } from '../../extension/core/traceFile/traceFile';
import { REPO, tempDir } from '../support/fixtures';

const CLI = path.join(REPO, 'bin', 'renacer.js');

function writeTrace(file: string, src: string): void {
  const w = new TraceFileWriter(file);
  w.onStart({ program: '/bin/demo', argv: ['demo'], pid: 10, attached: false, cwd: path.dirname(src), originWallNs: 1_000_000_000n });
  const call = (line: number, name: string, errno?: string, t = 0): SyscallEvent => ({
    type: 'syscall', pid: 10, tid: 10, nr: 257, name, args: ['AT_FDCWD', '"/etc/x"', 'O_RDONLY'], ret: errno ? -1 : 3, errno,
    startNs: t, endNs: t + 2000, source: { file: src, line, function: 'load_config' },
  });
  w.onEvents([call(3, 'openat', 'ENOENT'), call(3, 'openat', 'ENOENT', 10), call(3, 'openat', undefined, 20), call(5, 'read', undefined, 30)]);
  w.onEnd({ exitStatus: 0, syscalls: 4, endNs: 100 });
}

async function withServer(initOptions: object, fn: (conn: ReturnType<typeof createMessageConnection>, diags: Map<string, any[]>) => Promise<void>, rootUri: string | null = null) {
  const child = spawn(process.execPath, [CLI, 'lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diags = new Map<string, any[]>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: any[] }) => diags.set(p.uri, p.diagnostics));
  conn.onRequest('workspace/codeLens/refresh', () => null);
  conn.onRequest('workspace/inlayHint/refresh', () => null);
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri, capabilities: {}, clientInfo: { name: 'Visual Studio Code' }, initializationOptions: initOptions });
    conn.sendNotification('initialized', {});
    await fn(conn, diags);
    const exited = new Promise((r) => child.on('exit', r));
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    await exited;
  } finally {
    conn.dispose();
    child.kill();
  }
}

const until = async (pred: () => boolean, what: string) => {
  const end = Date.now() + 10_000;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('diagnostics, hover, CodeLens and inlay hints from a trace file', async () => {
  const dir = tempDir();
  const src = path.join(dir, 'main.c');
  fs.writeFileSync(src, 'int main() {\n  int x;\n  open("/etc/x");\n  x = 1;\n  read(3);\n}\n');
  const trace = path.join(dir, 't.jsonl.gz');
  writeTrace(trace, src);
  const uri = pathToFileURL(src).toString();
  await withServer({ traceFile: trace, codeLens: true, inlayHints: true }, async (conn, diags) => {
    await until(() => diags.has(uri), 'diagnostics');
    const d = diags.get(uri)!;
    assert.equal(d.length, 1);
    assert.equal(d[0].code, 'ENOENT');
    assert.equal(d[0].range.start.line, 2);
    assert.equal(d[0].source, 'renacer');
    assert.match(d[0].message, /openat failed 2× with ENOENT \(No such file or directory\)/);

    const hover: any = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 4 } });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /3 syscalls in `load_config`/);
    assert.match(hover.contents.value, /\| `openat` \| 3 \| 2 ENOENT \|/);
    assert.match(hover.contents.value, /openat\(AT_FDCWD, "\/etc\/x", O_RDONLY\) = -1 ENOENT/);
    const none = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 0 } });
    assert.equal(none, null);

    const lenses: any[] = await conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command.title]).sort(), [
      [2, '3× openat · 2 ENOENT · 6.0 µs'],
      [4, '1× read · 2.0 µs'],
    ]);
    const hints: any[] = await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } } });
    assert.equal(hints.length, 2);
  });
});

test('an edit above annotated lines moves them; an edit on a line drops its annotation', async () => {
  const dir = tempDir();
  const src = path.join(dir, 'main.c');
  const text = 'int main() {\n  int x;\n  open("/etc/x");\n  x = 1;\n  read(3);\n}\n';
  fs.writeFileSync(src, text);
  const trace = path.join(dir, 't.jsonl.gz');
  writeTrace(trace, src);
  const uri = pathToFileURL(src).toString();
  await withServer({}, async (conn, diags) => {
    const r: any = await conn.sendRequest('workspace/executeCommand', { command: LspCommand.loadTrace, arguments: [trace, { lines: true }] });
    assert.deepEqual(r.lines.map((l: any) => l.line).sort(), [3, 5]);
    await until(() => (diags.get(uri) ?? []).length === 1, 'diagnostics after loadTrace');
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    // Insert two lines at the top: the ENOENT line moves from 3 to 5.
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// a\n// b\n' }],
    });
    await until(() => diags.get(uri)?.[0]?.range.start.line === 4, 'the diagnostic to move');
    const hover: any = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 0 } });
    assert.match(hover.contents.value, /openat/);
    // Rewrite the annotated line itself: its annotation no longer applies.
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '  puts("x");\n  puts("y");\n' }],
    });
    await until(() => (diags.get(uri) ?? []).length === 0, 'the diagnostic to be dropped');
  });
});

test('live line stats from the editor, then clear', async () => {
  const dir = tempDir();
  const src = path.join(dir, 'live.c');
  const uri = pathToFileURL(src).toString();
  await withServer({}, async (conn, diags) => {
    conn.sendNotification(LspNotification.lineStats, {
      lines: [{ file: src, line: 7, calls: 1, errors: 1, totalNs: 1000, syscalls: [{ name: 'connect', calls: 1, errors: { ECONNREFUSED: 1 }, totalNs: 1000, maxNs: 1000, samples: [] }] }],
    } satisfies LineStatsParams);
    await until(() => diags.get(uri)?.[0]?.code === 'ECONNREFUSED', 'live diagnostics');
    conn.sendNotification(LspNotification.clear, {});
    await until(() => (diags.get(uri) ?? []).length === 0, 'cleared');
  });
});

/** A run of the program in `src`: `calls` as [line, syscall, errno?], from functions declared at line 1. */
function writeRun(file: string, src: string, calls: Array<[number, string, string?]>): void {
  const w = new TraceFileWriter(file);
  w.onStart({ program: '/bin/demo', argv: ['demo'], pid: 10, attached: false, cwd: path.dirname(src), originWallNs: 1_000_000_000n });
  w.onEvents(
    calls.map(([line, name, errno], k) => ({
      type: 'syscall', pid: 10, tid: 10, nr: 257, name, args: ['AT_FDCWD', '"/etc/x"', 'O_RDONLY'], ret: errno ? -1 : 3, errno,
      startNs: k * 100, endNs: k * 100 + 50, source: { file: src, line, function: 'main', function_line: 1 },
    })),
  );
  w.onEnd({ exitStatus: 0, syscalls: calls.length, endNs: calls.length * 100 });
}

test('a diff of two runs for any LSP client: delta inlay hints, before/after hovers, new failures in Problems', async () => {
  const dir = tempDir();
  const src = path.join(dir, 'main.c');
  fs.writeFileSync(src, 'int main() {\n  open("/etc/x");\n  for (;;) write(1, "x", 1);\n  open("/nope");\n  getpid();\n}\n');
  fs.mkdirSync(path.join(dir, '.renacer'));
  const before = path.join(dir, '.renacer', 'trace-1.jsonl.gz');
  const after = path.join(dir, '.renacer', 'trace-2.jsonl.gz');
  writeRun(before, src, [[2, 'openat'], [3, 'write'], [3, 'write'], [3, 'write'], [5, 'getpid']]);
  writeRun(after, src, [[2, 'openat'], [3, 'write'], [3, 'write'], [3, 'write'], [3, 'write'], [3, 'write'], [4, 'openat', 'ENOENT']]);
  fs.utimesSync(before, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const uri = pathToFileURL(src).toString();
  await withServer(
    { inlayHints: true, followTraces: false },
    async (conn, diags) => {
      const r: any = await conn.sendRequest('workspace/executeCommand', { command: LspCommand.compareWithPrevious, arguments: [{ lines: true }] });
      assert.equal(r.before, before);
      assert.equal(r.after, after);
      assert.equal(r.changed, 3);
      assert.equal(r.newFailures, 1);
      await until(() => (diags.get(uri)?.length ?? 0) > 0, 'diagnostics');
      const d = diags.get(uri)!;
      assert.equal(d.length, 1, JSON.stringify(d));
      assert.equal(d[0].code, 'ENOENT');
      assert.equal(d[0].range.start.line, 3);
      assert.equal(d[0].source, 'renacer diff');
      assert.match(d[0].message, /new failure: openat failed 1× with ENOENT \(No such file or directory\), which it did not in trace-1\.jsonl\.gz/);

      const hints: any[] = await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } } });
      const label = (line: number) => hints.find((h) => h.position.line === line)?.label.trim();
      assert.equal(label(1), 'openat 1×');
      assert.equal(label(2), 'write 5× (+2)');
      assert.equal(label(3), 'openat 1× new · 1 ENOENT new');
      assert.equal(label(4), 'getpid gone (was 1×)');

      const hover: any = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 2 } });
      assert.match(hover.contents.value, /\*\*Renacer diff\*\* in `main`: trace-1\.jsonl\.gz → trace-2\.jsonl\.gz/);
      assert.match(hover.contents.value, /\| `write` \| changed \| 3 → 5 \(\+2\) \| — → — \|/);
      const gone: any = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 2 } });
      assert.match(gone.contents.value, /\| `getpid` \| gone \| 1 → — \(−1\) \|/);

      // Two files named: the same diff; a missing one: an error naming it, and the lines stay.
      const named: any = await conn.sendRequest('workspace/executeCommand', { command: LspCommand.compareTraces, arguments: [before, after] });
      assert.equal(named.changed, 3);
      await assert.rejects(
        conn.sendRequest('workspace/executeCommand', { command: LspCommand.compareTraces, arguments: [before, path.join(dir, 'gone.jsonl.gz')] }),
        /gone\.jsonl\.gz: no such file/,
      );
      const still: any[] = await conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } } });
      assert.equal(still.length, 4);
    },
    pathToFileURL(dir).toString(),
  );
});
