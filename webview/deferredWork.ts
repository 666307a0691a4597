// Work put off until it shows: a redraw waits for the next animation frame
// (many requests, one draw), and a hidden tab's rebuild for the filter's mask
// waits until the tab is shown (only the latest mask is built).

/** Calls `draw` once on the next animation frame, however often it is requested. */
export class FrameRequest {
  private frame = 0;

  constructor(private readonly draw: () => void) {}

  request(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }
}

/** Hands the filter's latest mask to `build`, but only while the tab is shown. */
export class MaskWhenShown {
  private pending: { mask: Uint8Array | null } | undefined;
  private visible = false;

  constructor(private readonly build: (mask: Uint8Array | null) => void) {}

  setMask(mask: Uint8Array | null): void {
    this.pending = { mask };
    if (this.visible) this.flush();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.flush();
  }

  private flush(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.build(pending.mask);
  }
}
