// Runs `renacer dap` for every "renacer" debug session: the ptrace loop lives
// in that child process, never in the extension host.
import * as vscode from 'vscode';

import type { Engine } from './engine';

export class RenacerDebugAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly engine: Engine) {}

  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    return new vscode.DebugAdapterExecutable(this.engine.runtime, this.engine.args('dap'), { env: this.engine.env() });
  }
}
