// The editor theme's colours for the canvases (the DOM parts use the
// --vscode-* CSS variables directly). Read again whenever VS Code switches
// theme (it changes the body's class).

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export interface ThemeColors {
  background: Rgb;
  foreground: Rgb;
  muted: Rgb;
  grid: Rgb;
  selection: Rgb;
  focus: Rgb;
  error: Rgb;
  rowAlt: Rgb;
  /** Categorical colours for syscalls (red is kept for errors). */
  palette: Rgb[];
  /** A run-to-run diff: more calls in the later run, and fewer. */
  more: Rgb;
  fewer: Rgb;
  fontFamily: string;
  fontSize: number;
  dark: boolean;
}

const FALLBACK_PALETTE = ['#3794ff', '#89d185', '#cca700', '#d18616', '#b180d7', '#4ec9b0', '#6c9ef8', '#c586c0'];

/** Parses `#rgb`, `#rrggbb(aa)` or `rgb(a)(…)`; undefined when it is none of them. */
export function parseColor(text: string): Rgb | undefined {
  const s = text.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return { r: parseInt(m[1][0] + m[1][0], 16), g: parseInt(m[1][1] + m[1][1], 16), b: parseInt(m[1][2] + m[1][2], 16) };
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(s);
  if (m) return { r: parseInt(m[1].slice(0, 2), 16), g: parseInt(m[1].slice(2, 4), 16), b: parseInt(m[1].slice(4, 6), 16) };
  m = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/i.exec(s);
  if (m) return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]) };
  return undefined;
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return { r: Math.round(a.r + (b.r - a.r) * t), g: Math.round(a.g + (b.g - a.g) * t), b: Math.round(a.b + (b.b - a.b) * t) };
}

export function css(c: Rgb, alpha = 1): string {
  return alpha >= 1 ? `rgb(${c.r},${c.g},${c.b})` : `rgba(${c.r},${c.g},${c.b},${alpha})`;
}

/** 0xAABBGGRR, as a little-endian Uint32Array over ImageData wants it. */
export function packRgba(c: Rgb, alpha = 255): number {
  return ((alpha << 24) | (c.b << 16) | (c.g << 8) | c.r) >>> 0;
}

function luminance(c: Rgb): number {
  return (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255;
}

/** The syscall name's colour: stable across runs and views. */
export function paletteIndex(name: string, size: number): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return (h >>> 0) % size;
}

export function readThemeColors(el: Element = document.body): ThemeColors {
  const style = getComputedStyle(el);
  const v = (name: string, fallback: string) => parseColor(style.getPropertyValue(name) || fallback) ?? parseColor(fallback)!;
  const background = v('--vscode-editor-background', '#1e1e1e');
  const foreground = v('--vscode-editor-foreground', '#cccccc');
  const dark = luminance(background) < 0.5;
  const palette = [
    '--vscode-charts-blue',
    '--vscode-charts-green',
    '--vscode-charts-yellow',
    '--vscode-charts-orange',
    '--vscode-charts-purple',
    '--vscode-terminal-ansiCyan',
    '--vscode-terminal-ansiBrightBlue',
    '--vscode-terminal-ansiMagenta',
  ].map((name, i) => v(name, FALLBACK_PALETTE[i]));
  return {
    background,
    foreground,
    muted: v('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    grid: mix(background, foreground, 0.12),
    selection: v('--vscode-list-activeSelectionBackground', dark ? '#04395e' : '#0060c0'),
    focus: v('--vscode-focusBorder', '#007fd4'),
    error: v('--vscode-errorForeground', dark ? '#f48771' : '#a1260d'),
    rowAlt: mix(background, foreground, 0.035),
    palette,
    more: v('--vscode-charts-red', '#f14c4c'),
    fewer: v('--vscode-charts-blue', '#3794ff'),
    fontFamily: style.getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif',
    fontSize: parseFloat(style.getPropertyValue('--vscode-font-size')) || 13,
    dark,
  };
}
