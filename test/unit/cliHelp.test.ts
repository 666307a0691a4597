// `renacer --help` reads as strace's: each option's default said once, in
// its description, never commander's "(default: false)" after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildCommand } from '../../extension/cli/cliOptions';

test('--help says no default twice and none that a person does not need', () => {
  const help = buildCommand('0.0.0').helpInformation();
  const lines = help.split('\n').filter((l) => /^\s+-/.test(l));
  assert.ok(lines.length > 40, help);
  for (const l of lines) {
    assert.doesNotMatch(l, /\(default: (false|true|\[\]|\d+)\)/, l);
    assert.ok((l.match(/default/g) ?? []).length <= 1, l);
  }
  assert.ok(lines.some((l) => /--string-limit <n> +the longest string to print \(default 32\)$/.test(l)), help);
});
