// The linux-x64 .vsix, built exactly as `npm run package` does, for the
// end-to-end tests that install it into code-server.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

import { REPO } from './codeServerHarness';

export function packageVsix(): string {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(REPO, 'renacer-linux-x64.vsix');
}

/**
 * runExtensionTests options for the extension under test: this checkout, or
 * `vsix` installed as a user's code-server gets it (a driver extension then
 * carries the tests).
 */
export function extensionUnderTest(name: string, vsix: string | undefined): { name: string; extensionDevelopmentPath: string; installExtensions?: string[] } {
  return vsix
    ? { name: `${name}-vsix`, extensionDevelopmentPath: path.join(REPO, 'test', 'e2e', 'vsixDriver'), installExtensions: [vsix] }
    : { name, extensionDevelopmentPath: REPO };
}
