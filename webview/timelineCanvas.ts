// Draws the timeline's tracks: one bar lane per row, the syscalls in it
// coloured by name, failures marked in the error colour, process events as
// ticks. Bars go into one pixel buffer (ImageData) per frame — the cost is
// the canvas's pixels, not the trace's calls — then labels and outlines are
// drawn over it. When a row shows few enough calls, each call is drawn on
// its own with a gap and its name; otherwise each pixel column shows how busy
// the thread was there (levelOfDetail.ts).
import { SYSCALL_UNFINISHED } from '../viewer/traceColumns';
import { bucketThread, callsInRange, firstCallEndingAfter, PixelBuckets } from './levelOfDetail';
import type { ThreadCalls } from './threadCalls';
import { axisTicks } from './timeAxis';
import type { RowLayout, TimelineRow } from './timelineLayout';
import type { TimeViewport } from './timeViewport';
import { mix, packRgba, css, type Rgb, type ThemeColors } from './themeColors';
import type { TraceModel } from './traceModel';

/** Alpha steps of a bar's colour by how busy its pixel is. */
const SHADES = 8;
/** Steps from a bar's colour to the error colour, by the share of the pixel's calls that failed. */
const TINTS = 4;
/** A row draws calls one by one when at most one call per this many device pixels is in view. */
const DETAIL_PX_PER_CALL = 4;
const BAR_INSET = 4;

export interface TrackScene {
  model: TraceModel;
  calls: ThreadCalls;
  layout: RowLayout;
  viewport: TimeViewport;
  /** Vertical scroll of the rows, CSS px. */
  scrollTop: number;
  selected: number;
  hovered: number;
  /** Row with keyboard focus, or -1. */
  focusedRow: number;
  colors: ThemeColors;
  /** Palette colour per syscall name. */
  nameColors: Rgb[];
}

export class TrackRenderer {
  private image?: ImageData;
  private pixels?: Uint32Array;
  private readonly buckets = new PixelBuckets();
  private readonly merged = new PixelBuckets();
  private shades = new Uint32Array(0);
  private tints = new Uint32Array(0);
  private shadesFor?: Rgb[];
  private readonly labelWidth = new Map<string, number>();
  private labelFont = '';

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Device pixels per CSS pixel. */
  get dpr(): number {
    return this.canvas.width / Math.max(1, this.canvas.clientWidth);
  }

  draw(scene: TrackScene): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const W = this.canvas.width;
    const H = this.canvas.height;
    if (W === 0 || H === 0) return;
    const dpr = this.dpr;
    if (!this.image || this.image.width !== W || this.image.height !== H) {
      this.image = ctx.createImageData(W, H);
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
    const px = this.pixels!;
    const { colors, viewport: vp, layout } = scene;
    this.prepareShades(scene);
    const bg = packRgba(colors.background);
    px.fill(bg);

    const nsPerPx = vp.nsPerPx(W);
    const top = scene.scrollTop;
    const bottom = top + H / dpr;
    const visible: TimelineRow[] = [];
    let focusedRow: TimelineRow | undefined;
    for (let r = 0; r < layout.rows.length; r++) {
      const row = layout.rows[r];
      if (row.y + row.height <= top) continue;
      if (row.y >= bottom) break;
      visible.push(row);
      if (r === scene.focusedRow) focusedRow = row;
    }
    // Row backgrounds, then grid lines, then bars.
    const altBg = packRgba(colors.rowAlt);
    const focusBg = packRgba(mix(colors.background, colors.selection, 0.35));
    for (const row of visible) {
      const color = row === focusedRow ? focusBg : row.kind === 'process' ? altBg : bg;
      if (color !== bg) this.fillRect(px, W, H, 0, Math.round((row.y - top) * dpr), W, Math.round(row.height * dpr), color);
    }
    const grid = packRgba(colors.grid);
    // The same ticks as the axis: round times since the trace began.
    for (const t of axisTicks(vp.t0 - vp.min, vp.t1 - vp.min, W / dpr).ticks) {
      const x = Math.round(vp.x(t + vp.min, W));
      if (x >= 0 && x < W) this.fillRect(px, W, H, x, 0, 1, H, grid);
    }
    const labels: Array<{ x: number; y: number; w: number; text: string }> = [];
    for (const row of visible) {
      const y0 = Math.round((row.y - top + BAR_INSET) * dpr);
      const barH = Math.max(1, Math.round((row.height - 2 * BAR_INSET) * dpr));
      if (row.kind === 'process' && !row.collapsed) {
        this.drawLifetime(scene, row, W, H, y0, barH, nsPerPx);
      } else if (row.kind === 'thread' && this.drawCallsOneByOne(scene, row.thread!, W, H, y0, barH, nsPerPx, labels)) {
        // drawn
      } else {
        const b = this.rowBuckets(scene, row, W, nsPerPx);
        this.drawBuckets(scene, b, W, H, y0, barH, nsPerPx);
      }
    }
    ctx.putImageData(this.image, 0, 0);

    // Over the pixels: marks, names, the hovered and the selected call.
    for (const row of visible) this.drawMarks(ctx, scene, row, W, dpr);
    const fontPx = Math.round(Math.min(12, colors.fontSize - 1) * dpr);
    const font = `${fontPx}px ${colors.fontFamily}`;
    if (font !== this.labelFont) {
      this.labelFont = font;
      this.labelWidth.clear();
    }
    ctx.font = font;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = css(colors.dark ? { r: 0, g: 0, b: 0 } : { r: 255, g: 255, b: 255 }, 0.85);
    for (const l of labels) {
      let w = this.labelWidth.get(l.text);
      if (w === undefined) this.labelWidth.set(l.text, (w = ctx.measureText(l.text).width));
      if (w + 6 * dpr <= l.w) ctx.fillText(l.text, l.x + 3 * dpr, l.y);
    }
    if (scene.hovered >= 0 && scene.hovered !== scene.selected) this.outline(ctx, scene, scene.hovered, css(colors.foreground, 0.6), 1, W, dpr);
    if (scene.selected >= 0) this.outline(ctx, scene, scene.selected, css(colors.focus), 2, W, dpr);
  }

  private prepareShades(scene: TrackScene): void {
    if (this.shadesFor === scene.nameColors && this.shades.length === scene.nameColors.length * SHADES) return;
    this.shadesFor = scene.nameColors;
    this.shades = new Uint32Array(scene.nameColors.length * SHADES);
    this.tints = new Uint32Array(scene.nameColors.length * TINTS);
    scene.nameColors.forEach((c, n) => {
      for (let s = 0; s < SHADES; s++) this.shades[n * SHADES + s] = packRgba(mix(scene.colors.background, c, 0.4 + (0.6 * s) / (SHADES - 1)));
      for (let t = 0; t < TINTS; t++) this.tints[n * TINTS + t] = packRgba(mix(c, scene.colors.error, 0.35 + (0.65 * t) / (TINTS - 1)));
    });
  }

  private fillRect(px: Uint32Array, W: number, H: number, x: number, y: number, w: number, h: number, color: number): void {
    const x0 = Math.max(0, x);
    const x1 = Math.min(W, x + w);
    const y0 = Math.max(0, y);
    const y1 = Math.min(H, y + h);
    if (x0 >= x1) return;
    for (let yy = y0; yy < y1; yy++) px.fill(color, yy * W + x0, yy * W + x1);
  }

  private rowBuckets(scene: TrackScene, row: TimelineRow, W: number, nsPerPx: number): PixelBuckets {
    const c = scene.model.columns;
    if (row.threads.length === 1) {
      bucketThread(scene.calls.lods[row.threads[0]], c, scene.viewport.t0, nsPerPx, W, this.buckets);
      return this.buckets;
    }
    this.merged.reset(W);
    for (const t of row.threads) {
      bucketThread(scene.calls.lods[t], c, scene.viewport.t0, nsPerPx, W, this.buckets);
      this.merged.merge(this.buckets);
    }
    return this.merged;
  }

  private drawBuckets(scene: TrackScene, b: PixelBuckets, W: number, H: number, y0: number, barH: number, nsPerPx: number): void {
    const px = this.pixels!;
    const names = scene.model.columns.name;
    const errH = Math.max(2, Math.round(barH / 4));
    for (let x = 0; x < W; x++) {
      const pick = b.pick[x];
      if (pick < 0) continue;
      const busy = Math.min(1, b.busy[x] / nsPerPx);
      const color = this.shades[names[pick] * SHADES + Math.round(busy * (SHADES - 1))];
      // Failures tint the top of the bar, fully red once a quarter of the pixel's calls failed.
      const failed = b.errors[x] > 0 ? Math.min(1, (4 * b.errors[x]) / Math.max(1, b.calls[x])) : -1;
      const tint = failed < 0 ? color : this.tints[names[pick] * TINTS + Math.round(failed * (TINTS - 1))];
      for (let y = Math.max(0, y0), y1 = Math.min(H, y0 + barH); y < y1; y++) px[y * W + x] = y < y0 + errH ? tint : color;
    }
  }

  /** Draws each call of the thread on its own when few are in view; false when too many are. */
  private drawCallsOneByOne(
    scene: TrackScene,
    thread: number,
    W: number,
    H: number,
    y0: number,
    barH: number,
    nsPerPx: number,
    labels: Array<{ x: number; y: number; w: number; text: string }>,
  ): boolean {
    const lod = scene.calls.lods[thread];
    const c = scene.model.columns;
    const vp = scene.viewport;
    const limit = Math.floor(W / DETAIL_PX_PER_CALL);
    if (callsInRange(lod, c, vp.t0, vp.t1, limit) > limit) return false;
    const px = this.pixels!;
    const err = packRgba(scene.colors.error);
    const errH = Math.max(2, Math.round(barH / 4));
    const names = scene.model.tables.names;
    for (let p = firstCallEndingAfter(lod, c, vp.t0); p < lod.calls.length; p++) {
      const i = lod.calls[p];
      const s = c.start[i];
      if (s >= vp.t1) break;
      const x0 = Math.floor((s - vp.t0) / nsPerPx);
      let x1 = Math.floor((s + c.dur[i] - vp.t0) / nsPerPx);
      // A gap after each call wide enough to spare one, so neighbours stay apart.
      if (x1 - x0 >= 3) x1--;
      const color = this.shades[c.name[i] * SHADES + SHADES - 1];
      const failed = c.errno[i] !== 0;
      const unfinished = (c.flags[i] & SYSCALL_UNFINISHED) !== 0;
      const xa = Math.max(0, x0);
      const xb = Math.min(W - 1, Math.max(x0, x1));
      for (let y = Math.max(0, y0), y1 = Math.min(H, y0 + barH); y < y1; y++) {
        const rowColor = failed && y < y0 + errH ? err : color;
        px.fill(rowColor, y * W + xa, y * W + xb + 1);
      }
      if (unfinished && xb >= xa) this.fillRect(px, W, H, xb, y0, 1, barH, err);
      if (xb - xa >= 24) labels.push({ x: xa, y: y0 + barH / 2, w: xb - xa, text: names[c.name[i]] });
    }
    return true;
  }

  private drawLifetime(scene: TrackScene, row: TimelineRow, W: number, H: number, y0: number, barH: number, nsPerPx: number): void {
    const p = scene.model.tables.processes[row.process];
    const vp = scene.viewport;
    const x0 = Math.max(0, Math.floor((p.startNs - vp.t0) / nsPerPx));
    const x1 = Math.min(W - 1, Math.floor((p.endNs - vp.t0) / nsPerPx));
    if (x1 < 0 || x0 >= W) return;
    const h = Math.max(2, Math.round(barH / 3));
    const color = packRgba(mix(scene.colors.background, scene.colors.muted, 0.6));
    this.fillRect(this.pixels!, W, H, x0, y0 + Math.round((barH - h) / 2), Math.max(1, x1 - x0 + 1), h, color);
  }

  private drawMarks(ctx: CanvasRenderingContext2D, scene: TrackScene, row: TimelineRow, W: number, dpr: number): void {
    if (row.kind === 'process' && !row.collapsed) return;
    const vp = scene.viewport;
    const y = (row.y - scene.scrollTop) * dpr;
    let lastX = -1;
    for (const t of row.threads) {
      const marks = scene.calls.marks[t];
      let lo = 0;
      let hi = marks.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (marks[mid].timeNs < vp.t0) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < marks.length && marks[k].timeNs <= vp.t1; k++) {
        const m = marks[k];
        const x = Math.round(vp.x(m.timeNs, W));
        if (x === lastX) continue;
        lastX = x;
        const color = m.kind === 'signal' || m.kind === 'stopped' ? scene.colors.palette[3] : m.kind === 'exit' || m.kind === 'detach' ? scene.colors.muted : scene.colors.focus;
        ctx.fillStyle = css(color);
        ctx.beginPath();
        ctx.moveTo(x - 4 * dpr, y + 1);
        ctx.lineTo(x + 4 * dpr, y + 1);
        ctx.lineTo(x, y + 6 * dpr);
        ctx.closePath();
        ctx.fill();
        ctx.fillRect(x, y, Math.max(1, dpr), row.height * dpr);
      }
    }
  }

  private outline(ctx: CanvasRenderingContext2D, scene: TrackScene, call: number, color: string, width: number, W: number, dpr: number): void {
    const c = scene.model.columns;
    const thread = c.thread[call];
    const process = scene.model.tables.threads[thread].process;
    const row = scene.layout.rows.find((r) => (r.kind === 'thread' ? r.thread === thread : r.collapsed && r.process === process));
    if (!row) return;
    const vp = scene.viewport;
    const x0 = vp.x(c.start[call], W);
    const x1 = Math.max(x0 + 2 * dpr, vp.x(c.start[call] + c.dur[call], W));
    const y = (row.y - scene.scrollTop + BAR_INSET - 2) * dpr;
    const h = (row.height - 2 * BAR_INSET + 4) * dpr;
    ctx.strokeStyle = color;
    ctx.lineWidth = width * dpr;
    ctx.strokeRect(x0 - 2 * dpr, y, x1 - x0 + 4 * dpr, h);
  }
}
