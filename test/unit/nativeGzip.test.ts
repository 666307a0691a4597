// The addon's gzip (libdeflate on the thread pool), which packs the viewer's
// columns: standard gzip that zlib (and the webview's DecompressionStream)
// inflate to the same bytes, for empty, small and multi-MB inputs, several
// at once; a wrong argument is an error, not a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';

import { loadAddon } from '../../extension/core/session/nativeAddon';

test('gzip round-trips through zlib, in parallel, whatever the size', async () => {
  const { gzip } = loadAddon();
  const big = new Uint8Array(6 << 20);
  // Compressible but not trivial: byte planes of slowly varying numbers, like the columns.
  for (let i = 0; i < big.length; i++) big[i] = (i >> 10) ^ (i % 7 === 0 ? i & 0xff : 0);
  const inputs = [new Uint8Array(0), Uint8Array.from([1, 2, 3]), big, big.subarray(12345, 3_000_000)];
  const out = await Promise.all(inputs.map((b) => gzip(b, 1)));
  out.forEach((gz, k) => {
    assert.equal(gz[0], 0x1f, 'a gzip header');
    assert.deepEqual(new Uint8Array(zlib.gunzipSync(gz)), inputs[k], `input ${k}`);
  });
  assert.ok(out[2].length < big.length / 2, `compressed to ${out[2].length} bytes`);
  assert.deepEqual(new Uint8Array(zlib.gunzipSync(await gzip(big, 9))), big);
});

test('gzip refuses what is not a Uint8Array, or a level libdeflate does not have', () => {
  const { gzip } = loadAddon();
  assert.throws(() => gzip('text' as unknown as Uint8Array), /gzip\(bytes: Uint8Array/);
  assert.throws(() => gzip(new Uint16Array(4) as unknown as Uint8Array), /gzip\(bytes: Uint8Array/);
  assert.throws(() => gzip(new Uint8Array(4), 13), /level must be 0-12/);
});
