// What a flame graph's canvas does with the pointer and the keyboard, the
// same in the Flame graph tab and in the Diff tab's differential graph: a
// tooltip on hover, arrows between boxes (flameNeighbour), Z to zoom in,
// Escape to zoom out, the focused box chosen when the canvas gets focus.
// Clicks differ between the two and stay with each view.
import { placeTooltip } from './dom';
import { flameNeighbour, type FlameTreeNode } from './flameGraph';

export interface FlameCanvasView<N extends FlameTreeNode<N>> {
  readonly element: HTMLElement;
  readonly tooltip: HTMLElement;
  /** The box under the pointer. */
  at(e: MouseEvent): N | undefined;
  /** The box under the pointer changed (undefined: none): draw it highlighted. */
  hover(n: N | undefined): void;
  /** The tooltip's lines for a box. */
  describe(n: N): Array<HTMLElement | string>;
  selected(): N | undefined;
  /** The box zoomed into. */
  zoomed(): N | undefined;
  /** Select a box from the keyboard (Enter: `enter` true). */
  choose(n: N, enter: boolean): void;
  zoom(n: N): void;
  /** Enter zooms (the diff's graph) rather than choosing with `enter` (the flame graph's: shows the source line). */
  readonly enterZooms: boolean;
}

export function wireFlameCanvas<N extends FlameTreeNode<N>>(canvas: HTMLCanvasElement, v: FlameCanvasView<N>): void {
  let hovered: N | undefined;
  canvas.addEventListener('pointermove', (e) => {
    const n = v.at(e);
    if (n !== hovered) {
      hovered = n;
      v.hover(n);
    }
    if (!n) {
      v.tooltip.hidden = true;
      return;
    }
    v.tooltip.replaceChildren(...v.describe(n));
    v.tooltip.hidden = false;
    placeTooltip(v.tooltip, v.element, e);
  });
  canvas.addEventListener('pointerleave', () => {
    hovered = undefined;
    v.tooltip.hidden = true;
    v.hover(undefined);
  });
  canvas.addEventListener('keydown', (e) => {
    const n = v.selected() ?? v.zoomed();
    if (!n) return;
    const next = flameNeighbour(n, e.key);
    if (next !== null) {
      e.preventDefault();
      if (next) v.choose(next, false);
      return;
    }
    switch (e.key) {
      case 'Enter':
        if (v.enterZooms) v.zoom(n);
        else v.choose(n, true);
        e.preventDefault();
        return;
      case 'z':
      case 'Z':
        v.zoom(n);
        e.preventDefault();
        return;
      case 'Escape': {
        const parent = v.zoomed()?.parent;
        if (parent) v.zoom(parent);
        e.preventDefault();
        return;
      }
      default:
        return;
    }
  });
  canvas.addEventListener('focus', () => {
    const z = v.zoomed();
    if (!v.selected() && z) v.choose(z, false);
  });
}
