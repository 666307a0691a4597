// What renacer does when it is interrupted.
//
// Ctrl-C in a terminal reaches the whole foreground process group: the
// launched program gets its own SIGINT and may want to clean up. So a first
// SIGINT gives a launched program a short grace period to exit on its own;
// after it, or on a second Ctrl-C, SIGTERM or SIGHUP, the program is killed
// (as strace does). An attached process is detached at once: it is not ours
// to kill, and detaching never harms it.
export interface Stoppable {
  stop(): void;
}

export const SIGINT_GRACE_MS = 1000;

export class InterruptPolicy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly session: Stoppable,
    private readonly attached: boolean,
    private readonly graceMs = SIGINT_GRACE_MS,
  ) {}

  onSignal(sig: NodeJS.Signals): void {
    if (this.attached || sig !== 'SIGINT' || this.timer) {
      this.stopNow();
      return;
    }
    this.timer = setTimeout(() => this.stopNow(), this.graceMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private stopNow(): void {
    this.dispose();
    this.session.stop();
  }
}
