// The flame graph: syscall time by user call stack. The root is every
// syscall the filter lets through; below it the outermost function of each
// call stack (usually `main`), then its callees down to the function that
// made the call, and last the syscall itself. A frame is a function in a
// file: calls from different lines of one function add up in one box, and
// the box leads to the line that contributed the most time.
import type { TraceTables } from '../viewer/traceColumns';
import { baseName } from './traceModel';

export type FlameKind = 'root' | 'frame' | 'unknown' | 'syscall';

export interface FlameNode {
  label: string;
  kind: FlameKind;
  valueNs: number;
  calls: number;
  errors: number;
  depth: number;
  parent: FlameNode | null;
  /** Heaviest first. */
  children: FlameNode[];
  /** Where a click leads: the source line of the call path that put the most time here. */
  file?: number;
  line?: number;
  column?: number;
  /** A syscall box: the name index. */
  name?: number;
  /** The heaviest contribution so far (while building). */
  bestNs: number;
}

export interface FlameColumns {
  count: number;
  name: Uint16Array;
  errno: Uint16Array;
  site: Uint32Array;
  dur: Float64Array;
}

function node(label: string, kind: FlameKind, parent: FlameNode | null): FlameNode {
  return { label, kind, valueNs: 0, calls: 0, errors: 0, depth: parent ? parent.depth + 1 : 0, parent, children: [], bestNs: -1 };
}

export function buildFlameGraph(c: FlameColumns, tables: TraceTables, mask: Uint8Array | null): FlameNode {
  // One pass over the calls: totals per (site, syscall). The tree is built from those.
  const names = tables.names.length;
  const acc = new Map<number, { ns: number; calls: number; errors: number }>();
  for (let i = 0; i < c.count; i++) {
    if (mask && !mask[i]) continue;
    const key = c.site[i] * names + c.name[i];
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { ns: 0, calls: 0, errors: 0 }));
    a.ns += c.dur[i];
    a.calls++;
    if (c.errno[i] !== 0) a.errors++;
  }
  const root = node('all syscalls', 'root', null);
  const childIndex = new Map<FlameNode, Map<string, FlameNode>>();
  const child = (parent: FlameNode, key: string, make: () => FlameNode) => {
    let m = childIndex.get(parent);
    if (!m) childIndex.set(parent, (m = new Map()));
    let n = m.get(key);
    if (!n) {
      n = make();
      m.set(key, n);
      parent.children.push(n);
    }
    return n;
  };
  const add = (n: FlameNode, a: { ns: number; calls: number; errors: number }, where?: { file: number; line: number; column?: number }) => {
    n.valueNs += a.ns;
    n.calls += a.calls;
    n.errors += a.errors;
    if (where && a.ns > n.bestNs) {
      n.bestNs = a.ns;
      n.file = where.file;
      n.line = where.line;
      n.column = where.column;
    }
  };
  for (const [key, a] of acc) {
    const siteIndex = Math.floor(key / names);
    const nameIndex = key - siteIndex * names;
    const site = tables.sites[siteIndex];
    add(root, a);
    let at = root;
    if (siteIndex === 0 || site.frames.length === 0) {
      at = child(at, '\0unknown', () => node('(no source)', 'unknown', root));
      add(at, a);
    } else {
      for (let k = site.frames.length - 1; k >= 0; k--) {
        const f = tables.frames[site.frames[k]];
        const parent = at;
        at = child(parent, `${f.function ?? ''}\0${f.file}${f.function ? '' : `:${f.line}`}`, () =>
          node(f.function ?? `${baseName(tables.files[f.file])}:${f.line}`, 'frame', parent),
        );
        add(at, a, f);
      }
    }
    const parent = at;
    const leaf = child(parent, `\0syscall\0${nameIndex}`, () => {
      const n = node(tables.names[nameIndex], 'syscall', parent);
      n.name = nameIndex;
      return n;
    });
    add(leaf, a, site && site.file >= 0 ? { file: site.file, line: site.line } : undefined);
  }
  const sort = (n: FlameNode) => {
    n.children.sort((x, y) => y.valueNs - x.valueNs || x.label.localeCompare(y.label));
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}

/** What the layout needs of a tree: the flame graph's own (FlameNode) or the run-to-run diff's (diffModelView.ts). */
export interface FlameTreeNode<N> {
  depth: number;
  parent: N | null;
  children: N[];
}

export interface FlameRect<N = FlameNode> {
  node: N;
  /** Left and right edges as fractions of the width. */
  x0: number;
  x1: number;
}

/**
 * Boxes to draw with `focus` spanning the full width (its ancestors too,
 * above it); boxes narrower than `minFraction` are left out with their
 * children.
 */
export function layoutFlame(focus: FlameNode, minFraction: number): FlameRect[] {
  return layoutTree(focus, minFraction, (n) => n.valueNs);
}

/** layoutFlame for any tree whose children's `value`s add up to (at most) their parent's. */
export function layoutTree<N extends FlameTreeNode<N>>(focus: N, minFraction: number, value: (n: N) => number): Array<FlameRect<N>> {
  const out: Array<FlameRect<N>> = [];
  for (let a = focus.parent; a; a = a.parent) out.push({ node: a, x0: 0, x1: 1 });
  out.reverse();
  const fv = value(focus);
  const total = fv > 0 ? fv : 1;
  const walk = (n: N, x0: number) => {
    const w = n === focus ? 1 : value(n) / total;
    if (w < minFraction) return;
    out.push({ node: n, x0, x1: x0 + w });
    let x = x0;
    for (const k of n.children) {
      walk(k, x);
      x += value(k) / total;
    }
  };
  walk(focus, 0);
  return out;
}

/** The greatest depth in the subtree (rows needed to draw it). */
/** The box under a pointer at (x, y) CSS pixels of a canvas `width` wide, rows `row` high. */
export function flameNodeAt<N extends FlameTreeNode<N>>(rects: Array<FlameRect<N>>, x: number, y: number, width: number, row: number): N | undefined {
  const fx = x / Math.max(1, width);
  const depth = Math.floor(y / row);
  return rects.find((r) => r.node.depth === depth && fx >= r.x0 && fx < r.x1)?.node;
}

/** Where an arrow key moves from `n` in a flame graph (↑ parent, ↓ first child, ←/→ siblings); null for other keys. */
export function flameNeighbour<N extends FlameTreeNode<N>>(n: N, key: string): N | undefined | null {
  const siblings = n.parent?.children ?? [];
  const k = siblings.indexOf(n);
  switch (key) {
    case 'ArrowUp':
      return n.parent ?? undefined;
    case 'ArrowDown':
      return n.children[0];
    case 'ArrowLeft':
      return k > 0 ? siblings[k - 1] : undefined;
    case 'ArrowRight':
      return k >= 0 && k < siblings.length - 1 ? siblings[k + 1] : undefined;
    default:
      return null;
  }
}

export function flameDepth<N extends FlameTreeNode<N>>(n: N): number {
  let d = n.depth;
  for (const k of n.children) d = Math.max(d, flameDepth(k));
  return d;
}
