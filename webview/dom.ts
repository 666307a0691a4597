// A small element builder for the viewer's DOM (no framework: the webview
// loads one script and nothing from the network).

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Sizes a canvas's backing store to its CSS box at the device pixel ratio; true when it changed. */
export function fitCanvas(canvas: HTMLCanvasElement): boolean {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const hgt = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width === w && canvas.height === hgt) return false;
  canvas.width = w;
  canvas.height = hgt;
  return true;
}

/** Puts a tooltip next to the pointer inside `host`, on the pointer's left when it would overflow. */
export function placeTooltip(tooltip: HTMLElement, host: HTMLElement, e: MouseEvent): void {
  const box = host.getBoundingClientRect();
  let x = e.clientX - box.left + 14;
  if (x + tooltip.offsetWidth > box.width - 4) x = e.clientX - box.left - tooltip.offsetWidth - 14;
  tooltip.style.left = `${Math.max(4, x)}px`;
  tooltip.style.top = `${e.clientY - box.top + 16}px`;
}
