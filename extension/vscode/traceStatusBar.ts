// `$(loading~spin) Renacer: 12,345 syscalls` while a trace runs; click to stop.
// At the end, click to open the trace in the viewer: the item stays until the
// next run (or until hidden from the status bar's menu).
import * as vscode from 'vscode';

export class TraceStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('renacer.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Renacer';
  }

  started(): void {
    this.item.text = '$(loading~spin) Renacer: starting…';
    this.item.tooltip = 'Renacer is tracing — click to stop';
    this.item.command = 'renacer.stopTracing';
    this.item.show();
  }

  progress(syscalls: number): void {
    this.item.text = `$(loading~spin) Renacer: ${syscalls.toLocaleString('en')} syscalls`;
  }

  ended(syscalls: number | undefined): void {
    this.item.text = `$(pulse) Renacer: ${syscalls === undefined ? 'done' : `${syscalls.toLocaleString('en')} syscalls`}`;
    this.item.tooltip = 'Renacer: the trace is complete — click to open it in the trace viewer';
    this.item.command = 'renacer.showViewer';
  }

  dispose(): void {
    this.item.dispose();
  }
}
