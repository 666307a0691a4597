// "Renacer: Trace Program" configurations: initial and dynamic ones (the
// workspace's built binaries), and resolution before launch (trust,
// platform, defaults, which TRACEPARENT applies).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { chooseTraceParent } from '../core/otel/traceParentPrecedence';

export const DEBUG_TYPE = 'renacer';

/** Where builds usually put binaries; searched (shallowly) for ELF executables. */
const BUILD_DIRS = ['.', 'build', 'bin', 'out', 'target/debug', 'target/release', 'cmake-build-debug', 'builddir'];

export function findWorkspaceBinaries(root: string, limit = 20): string[] {
  const found: string[] = [];
  for (const dir of BUILD_DIRS) {
    const abs = path.join(root, dir);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!e.isFile()) continue;
      const file = path.join(abs, e.name);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        const fd = fs.openSync(file, 'r');
        const magic = Buffer.alloc(4);
        fs.readSync(fd, magic, 0, 4, 0);
        fs.closeSync(fd);
        if (magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) found.push(file);
      } catch {
        // unreadable: not ours to trace
      }
      if (found.length >= limit) return found;
    }
  }
  return found;
}

export class RenacerConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly log: vscode.OutputChannel) {}

  /**
   * "Create a launch.json file": one configuration (the manifest has no
   * initialConfigurations, which VS Code would add as a second), for a binary
   * the workspace has, else a picker when it runs.
   */
  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    const binary = folder ? findWorkspaceBinaries(folder.uri.fsPath, 1)[0] : undefined;
    return [
      {
        type: DEBUG_TYPE,
        request: 'launch',
        name: 'Renacer: Trace Program',
        program: binary && folder ? `\${workspaceFolder}/${path.relative(folder.uri.fsPath, binary)}` : '${command:renacer.pickProgram}',
        args: [],
        cwd: '${workspaceFolder}',
        source: true,
        followForks: true,
      },
    ];
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (process.platform !== 'linux') {
      void vscode.window.showErrorMessage(
        `Renacer traces Linux programs with ptrace; this editor runs on ${process.platform}. Open the folder on a Linux machine (Remote - SSH, WSL or Dev Containers) and trace it there.`,
      );
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Renacer does not run programs in an untrusted workspace. Trust the workspace to trace.');
      return undefined;
    }
    // F5 with no launch.json: trace the active file's program, or ask.
    if (!config.type && !config.request && !config.name) {
      const picked = await pickBinary(folder);
      if (!picked) return undefined;
      config = { type: DEBUG_TYPE, request: 'launch', name: 'Renacer: Trace Program', program: picked, cwd: folder?.uri.fsPath };
    }
    const settings = vscode.workspace.getConfiguration('renacer', folder);
    const chosen = chooseTraceParent({
      launch: { traceParent: config.traceParent, traceState: config.traceState },
      setting: { traceParent: settings.get<string>('traceParent'), traceState: settings.get<string>('traceState') },
      // The stable API does not expose a running shell's environment; the
      // "Trace in Terminal" command covers that case.
      editorEnv: process.env,
    });
    config.traceParent = chosen.traceParent;
    config.traceState = chosen.traceState;
    config.traceParentSource = chosen.source;
    config.otlpEndpoint ??= settings.get<string>('otlp.endpoint') || undefined;
    config.otlpProtocol ??= settings.get<string>('otlp.protocol') || undefined;
    config.otlpServiceName ??= settings.get<string>('otlp.serviceName') || undefined;
    config.consoleLimit ??= settings.get<number>('debugConsole.maxLines');
    this.log.appendLine(`resolved ${config.request} ${config.program ?? config.processId}: trace context from ${chosen.source}`);
    return config;
  }
}

/** Dynamic configurations: one per built binary in the workspace. */
export class RenacerDynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    if (!folder) return [];
    return findWorkspaceBinaries(folder.uri.fsPath).map((bin) => ({
      type: DEBUG_TYPE,
      request: 'launch',
      name: `Renacer: Trace ${path.relative(folder.uri.fsPath, bin)}`,
      program: bin,
      cwd: folder.uri.fsPath,
      source: true,
    }));
  }
}

export async function pickBinary(folder: vscode.WorkspaceFolder | undefined): Promise<string | undefined> {
  const bins = folder ? findWorkspaceBinaries(folder.uri.fsPath) : [];
  const browse = '$(folder-opened) Browse…';
  const choice = await vscode.window.showQuickPick([...bins.map((b) => (folder ? path.relative(folder.uri.fsPath, b) : b)), browse], {
    placeHolder: 'Program to trace',
  });
  if (!choice) return undefined;
  if (choice !== browse) return folder ? path.join(folder.uri.fsPath, choice) : choice;
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Trace', defaultUri: folder?.uri });
  return uris?.[0]?.fsPath;
}
