// The webview's side of the conversation with the extension: messages out
// through acquireVsCodeApi(), replies to detail requests matched by id, and
// the view state VS Code keeps while the panel is hidden or restored.
import type { HostMessage, SyscallDetails, ViewerMessage } from '../viewer/traceViewerProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class HostBridge {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private nextRequest = 1;
  private readonly pending = new Map<number, (d: SyscallDetails | undefined, error?: string) => void>();

  constructor(private readonly onMessage: (m: HostMessage) => void) {
    window.addEventListener('message', (e: MessageEvent) => {
      const m = e.data as HostMessage;
      if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
      if (m.type === 'details') {
        const done = this.pending.get(m.requestId);
        this.pending.delete(m.requestId);
        done?.(m.details, m.error);
        return;
      }
      this.onMessage(m);
    });
  }

  post(m: ViewerMessage): void {
    this.api.postMessage(m);
  }

  /** The full event of syscall `index`, read back from the trace file by the host. */
  details(index: number, process: number): Promise<{ details?: SyscallDetails; error?: string }> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.pending.set(requestId, (details, error) => resolve({ details, error }));
      this.post({ type: 'details', requestId, index, process });
    });
  }

  get state(): Record<string, unknown> {
    return (this.api.getState() as Record<string, unknown> | undefined) ?? {};
  }

  saveState(patch: Record<string, unknown>): void {
    this.api.setState({ ...this.state, ...patch });
  }
}
