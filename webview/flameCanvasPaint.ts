// How a flame graph's boxes are painted, the same in the Flame graph tab and
// in the Diff tab's differential graph: each box filled, the selected and
// the hovered one outlined, its label where it fits. Each view chooses the
// fill and the label.
import type { FlameRect, FlameTreeNode } from './flameGraph';
import { css, type Rgb, type ThemeColors } from './themeColors';

export interface FlameBoxes<N> {
  fill(n: N): Rgb;
  label(n: N): string;
  /** The label's colour (default: black or white at 0.9, against the theme). */
  labelColor?(n: N): string | undefined;
}

/** Paints `rects` (rows of `row` CSS pixels) over the canvas's background. */
export function paintFlame<N extends FlameTreeNode<N>>(
  ctx: CanvasRenderingContext2D,
  rects: Array<FlameRect<N>>,
  row: number,
  colors: ThemeColors,
  marked: { selected?: N; hovered?: N },
  boxes: FlameBoxes<N>,
): void {
  const W = ctx.canvas.width;
  const dpr = W / Math.max(1, ctx.canvas.clientWidth);
  ctx.fillStyle = css(colors.background);
  ctx.fillRect(0, 0, W, ctx.canvas.height);
  ctx.font = `${Math.round(Math.min(12, colors.fontSize - 1) * dpr)}px ${colors.fontFamily}`;
  ctx.textBaseline = 'middle';
  const onBox = css(colors.dark ? { r: 0, g: 0, b: 0 } : { r: 255, g: 255, b: 255 }, 0.9);
  for (const r of rects) {
    const n = r.node;
    const x = r.x0 * W;
    const w = Math.max(1, (r.x1 - r.x0) * W - dpr);
    const y = n.depth * row * dpr;
    const hgt = (row - 1) * dpr;
    ctx.fillStyle = css(boxes.fill(n));
    ctx.fillRect(x, y, w, hgt);
    if (n === marked.selected || n === marked.hovered) {
      ctx.strokeStyle = css(n === marked.selected ? colors.focus : colors.foreground, n === marked.selected ? 1 : 0.6);
      ctx.lineWidth = (n === marked.selected ? 2 : 1) * dpr;
      ctx.strokeRect(x + dpr, y + dpr, w - 2 * dpr, hgt - 2 * dpr);
    }
    if (w > 30 * dpr) {
      ctx.fillStyle = boxes.labelColor?.(n) ?? onBox;
      const text = fitText(ctx, boxes.label(n), w - 6 * dpr);
      if (text) ctx.fillText(text, x + 3 * dpr, y + hgt / 2);
    }
  }
}

/** The longest prefix of `text` (with an ellipsis) that fits in `width`; '' when not even one character does. */
export function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? `${text.slice(0, lo)}…` : '';
}
