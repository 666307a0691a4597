// How the extension runs the engine: the CLI bundle as a child process,
// with the editor's own runtime (in desktop VS Code that is Electron, so
// ELECTRON_RUN_AS_NODE=1; a plain `node` may not exist on the machine).
import * as path from 'node:path';
import type * as vscode from 'vscode';

export class Engine {
  constructor(private readonly extension: vscode.ExtensionContext) {}

  /** bin/renacer.js inside the extension. */
  get cli(): string {
    return path.join(this.extension.extensionPath, 'bin', 'renacer.js');
  }

  get runtime(): string {
    return process.execPath;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    return { ...env, ELECTRON_RUN_AS_NODE: '1', ...extra };
  }

  args(...rest: string[]): string[] {
    return [this.cli, ...rest];
  }
}
