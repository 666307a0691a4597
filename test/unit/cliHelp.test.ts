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

test('--help is in strace --help\'s sections, in its order, each strace flag in strace\'s section; renacer\'s own last', () => {
  const help = buildCommand('0.0.0').helpInformation();
  const headings = help.split('\n').filter((l) => /^[A-Z].*:$/.test(l));
  assert.deepEqual(headings, ['Arguments:', 'General:', 'Startup:', 'Tracing:', 'Filtering:', 'Output format:', 'Statistics:', 'Tampering:', 'Miscellaneous:', 'Renacer (beyond strace):']);
  const sectionOf = (flag: string) => {
    let section = '';
    for (const l of help.split('\n')) {
      if (/^[A-Z].*:$/.test(l)) section = l;
      else if (new RegExp(`^\\s+(-\\w, )?${flag.replace(/[-]/g, '\\-')}\\b`).test(l)) return section;
    }
    return undefined;
  };
  // strace 6.1's sections of some of its flags.
  for (const [flag, section] of [['-e', 'General:'], ['-E', 'Startup:'], ['-p', 'Startup:'], ['-f', 'Tracing:'], ['-D', 'Tracing:'], ['-P', 'Filtering:'], ['-z', 'Filtering:'], ['-k', 'Output format:'], ['-v', 'Output format:'], ['--raw', 'Output format:'], ['-c', 'Statistics:'], ['-w', 'Statistics:'], ['--inject', 'Tampering:'], ['--seccomp-bpf', 'Miscellaneous:'], ['-h', 'Miscellaneous:'], ['--source', 'Renacer (beyond strace):']])
    assert.equal(sectionOf(flag), section, `${flag}:\n${help}`);
});
