import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cliMessage } from '../../extension/core/format/cliMessage';

test('a CLI failure reads as one message: no doubled prefix, no "warning" inside an error', () => {
  assert.equal(
    cliMessage('renacer: warning: export to http://127.0.0.1:9/v1/traces failed: connect ECONNREFUSED\n'),
    'export to http://127.0.0.1:9/v1/traces failed: connect ECONNREFUSED',
  );
  assert.equal(cliMessage('renacer: a\nrenacer: error: b\n\n'), 'a b');
  assert.equal(cliMessage(''), 'no output');
});
