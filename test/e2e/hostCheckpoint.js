// In-host half of the harness's checkpoints (plain CommonJS: it runs inside the
// extension host, next to an extension's `run()` tests module).
//
// An in-host test that wants the browser side to look at the screen while its
// state is still there (an extension's decorations vanish once the extension
// host stops) calls `await checkpoint('name')`: it tells the harness it got
// there, then waits until the harness calls `session.releaseCheckpoint('name')`.
//
// Outside the code-server harness (RENACER_E2E_SYNC_DIR unset, e.g. under
// @vscode/test-electron) a checkpoint returns at once, so the same `run()`
// module runs everywhere.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * @param {string} name  letters, digits, `_`, `.`, `-`
 * @param {{ timeoutMs?: number }} [options]  how long to wait for the release (default 120 s)
 * @returns {Promise<void>}
 */
async function checkpoint(name, options = {}) {
  if (!NAME.test(name)) throw new Error(`checkpoint name ${JSON.stringify(name)}: use [A-Za-z0-9_.-]`);
  const dir = process.env.RENACER_E2E_SYNC_DIR;
  if (!dir) return;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const reached = path.join(dir, `${name}.reached`);
  fs.writeFileSync(`${reached}.tmp`, String(Date.now()));
  fs.renameSync(`${reached}.tmp`, reached);
  const released = path.join(dir, `${name}.released`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let verdict;
    try {
      verdict = fs.readFileSync(released, 'utf8');
    } catch {
      verdict = undefined;
    }
    if (verdict !== undefined) {
      if (verdict !== 'ok') throw new Error(`checkpoint ${name}: the browser side reported: ${verdict}`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`checkpoint ${name}: not released within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

module.exports = { checkpoint };
