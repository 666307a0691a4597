// Runs `renacer dap` for every "renacer" debug session: the ptrace loop lives
// in that child process, never in the extension host.
import * as vscode from 'vscode';

import type { Engine } from './engine';
import { OTLP_HEADERS_SECRET } from './traceFileCommands';

export class RenacerDebugAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(
    private readonly engine: Engine,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  async createDebugAdapterDescriptor(): Promise<vscode.DebugAdapterDescriptor> {
    // The OTLP auth header reaches the adapter's environment only: not the
    // launch configuration, not settings, not logs.
    const headers = await this.secrets.get(OTLP_HEADERS_SECRET);
    const env = this.engine.env(headers ? { OTEL_EXPORTER_OTLP_HEADERS: headers } : {});
    return new vscode.DebugAdapterExecutable(this.engine.runtime, this.engine.args('dap'), { env });
  }
}
