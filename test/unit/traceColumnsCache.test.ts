// Decoded traces on disk: what is written reads back the same (the columns'
// bytes make the same columns), an entry belongs to one version of one file,
// only the most recently used entries stay, and a damaged entry is ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { columnsOn, COLUMN_KEYS } from '../../viewer/traceColumns';
import { CACHE_ENTRIES, COLUMN_PARTS, cacheKey, readCache, readCachedParts, writeCache } from '../../viewer/traceColumnsCache';
import { decodeColumnsFile } from '../../viewer/traceColumnsFile';
import { decodeTraceFile } from '../../viewer/traceColumnsDecoder';
import { tempDir } from '../support/fixtures';
import { writeSyntheticTrace } from '../support/syntheticTrace';

test('an entry reads back as written, and its columns file holds the same columns', async (t) => {
  const dir = tempDir('renacer-cache-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'trace.jsonl.gz');
  writeSyntheticTrace(file, { syscalls: 3000, batch: 400 });
  const r = await decodeTraceFile(file);
  const cache = path.join(dir, 'cache');
  const key = cacheKey(file, 1e6);
  const written = await writeCache(cache, key, file, r, 12);
  const read = readCache(cache, key)!;
  assert.ok(read);
  assert.deepEqual(read.tables, r.trace.tables);
  assert.deepEqual(read.members, r.members);
  assert.equal(read.count, 3000);
  assert.equal(read.decodeMs, 12);
  assert.deepEqual(read.columnsFiles, written.columnsFiles);
  assert.equal(read.columnsFiles.length, COLUMN_PARTS);
  // The parts read back are the ones the webview was sent when the trace was decoded.
  const sent = await readCachedParts(read);
  assert.deepEqual(sent.map((p) => Buffer.from(p)), written.parts.map((p) => Buffer.from(p)));
  const columns = decodeColumnsFile(sent.map((p) => zlib.gunzipSync(p)), read.count, read.tables.threads.length);
  for (const k of COLUMN_KEYS) assert.deepEqual(columns[k], r.trace.columns[k], k);
  assert.throws(() => decodeColumnsFile(new Uint8Array(8), read.count, read.tables.threads.length), /not a columns file/);
  // A part missing: the sizes no longer add up.
  const parts = await Promise.all(read.columnsFiles.map((f) => zlib.gunzipSync(fs.readFileSync(f))));
  assert.throws(() => decodeColumnsFile(parts.slice(0, -1), read.count, read.tables.threads.length), /does not hold 3000 syscalls/);
  assert.throws(() => decodeColumnsFile(parts, read.count + 1, read.tables.threads.length), /holds 3000 syscalls/);
  assert.throws(() => columnsOn(new ArrayBuffer(8), read.count, read.tables.threads.length), /do not hold 3000 syscalls/);
});

test('a changed trace file, or another limit, is another entry; damaged entries are not read', async (t) => {
  const dir = tempDir('renacer-cache-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'trace.jsonl.gz');
  writeSyntheticTrace(file, { syscalls: 500 });
  const key = cacheKey(file, 1e6);
  assert.notEqual(cacheKey(file, 1000), key);
  const cache = path.join(dir, 'cache');
  await writeCache(cache, key, file, await decodeTraceFile(file), 1);
  writeSyntheticTrace(file, { syscalls: 600 });
  fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.notEqual(cacheKey(file, 1e6), key, 'rewritten: a new key');
  fs.writeFileSync(path.join(cache, `${key}.json`), '{"format":1,');
  assert.equal(readCache(cache, key), undefined);
  assert.equal(readCache(cache, 'no-such-key'), undefined);
});

test(`only the ${CACHE_ENTRIES} most recently used entries stay`, async (t) => {
  const dir = tempDir('renacer-cache-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cache = path.join(dir, 'cache');
  const keys: string[] = [];
  for (let k = 0; k < CACHE_ENTRIES + 2; k++) {
    const file = path.join(dir, `t${k}.jsonl.gz`);
    writeSyntheticTrace(file, { syscalls: 100, seed: k });
    keys.push(cacheKey(file, 1e6));
    await writeCache(cache, keys[k], file, await decodeTraceFile(file), 1);
    // Using the first entry keeps it.
    const past = new Date(Date.now() - 1000 * (10 - k));
    fs.utimesSync(path.join(cache, `${keys[k]}.json`), past, past);
    if (k > 0) readCache(cache, keys[0]);
  }
  const left = new Set(fs.readdirSync(cache).map((n) => n.replace(/\.(json|columns\.\d+\.gz)$/, '')));
  assert.equal(left.size, CACHE_ENTRIES);
  assert.ok(left.has(keys[0]), 'the entry in use stays');
  assert.ok(left.has(keys.at(-1)!), 'the newest stays');
  assert.ok(!left.has(keys[1]), 'the least recently used goes');
});
