// End-of-line annotations: `12× openat · 2 ENOENT · 0.4 ms` in the CodeLens
// colour (errors in the error colour) and overview-ruler heat, on visible
// editors only, moving with edits. Hovers come from the language server.
import * as vscode from 'vscode';

import { deltaDirection } from '../core/diff/lineDeltas';
import { annotationText } from '../core/source/lineAnnotation';
import { LineStatsByFile, type LineStats } from '../core/source/lineStats';

export type AnnotationStyle = 'full' | 'count' | 'errors';

const HEAT = ['rgba(255, 170, 0, 0.35)', 'rgba(255, 120, 0, 0.6)', 'rgba(255, 40, 0, 0.9)'];

export class AnnotationController implements vscode.Disposable {
  private readonly store = new LineStatsByFile();
  private get files() {
    return this.store.files;
  }
  private enabled = true;
  private readonly normal: vscode.TextEditorDecorationType;
  private readonly failing: vscode.TextEditorDecorationType;
  /** A diff's lines: more calls (or new failures) than before, and fewer. */
  private readonly more: vscode.TextEditorDecorationType;
  private readonly fewer: vscode.TextEditorDecorationType;
  private readonly heat: vscode.TextEditorDecorationType[];
  private readonly disposables: vscode.Disposable[] = [];
  private pending?: NodeJS.Timeout;

  constructor() {
    // Text after the line's end, in the theme's colour `color`.
    const annotation = (color: string) =>
      vscode.window.createTextEditorDecorationType({
        after: { margin: '0 0 0 2em', fontStyle: 'italic', color: new vscode.ThemeColor(color) },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
    this.normal = annotation('editorCodeLens.foreground');
    this.failing = annotation('errorForeground');
    this.more = annotation('charts.red');
    this.fewer = annotation('charts.green');
    this.heat = HEAT.map((color) =>
      vscode.window.createTextEditorDecorationType({ overviewRulerColor: color, overviewRulerLane: vscode.OverviewRulerLane.Right }),
    );
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('renacer.annotations') && this.schedule()),
    );
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Adds or updates lines (live during a session). */
  merge(lines: LineStats[]): void {
    this.store.merge(lines);
    this.schedule();
  }

  replace(lines: LineStats[]): void {
    this.files.clear();
    this.merge(lines);
  }

  clear(): void {
    this.files.clear();
    this.render();
  }

  toggle(): boolean {
    this.enabled = !this.enabled;
    this.render();
    return this.enabled;
  }

  linesOf(file: string): LineStats[] {
    return this.store.linesOf(file);
  }

  /** Coalesces bursts of updates into one repaint. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.render();
    }, 50);
  }

  render(): void {
    const cfg = vscode.workspace.getConfiguration('renacer.annotations');
    const on = this.enabled && cfg.get<boolean>('enabled', true);
    const minCount = cfg.get<number>('minCount', 1);
    const style = cfg.get<AnnotationStyle>('style', 'full');
    for (const editor of vscode.window.visibleTextEditors) {
      const f = on ? this.files.get(editor.document.uri.fsPath) : undefined;
      const normal: vscode.DecorationOptions[] = [];
      const failing: vscode.DecorationOptions[] = [];
      const more: vscode.DecorationOptions[] = [];
      const fewer: vscode.DecorationOptions[] = [];
      const heat: vscode.DecorationOptions[][] = HEAT.map(() => []);
      if (f) {
        const lines = [...f.byLine.values()].filter((st) => (st.calls >= minCount || st.delta) && st.line - 1 < editor.document.lineCount);
        const maxNs = Math.max(1, ...lines.map((st) => st.totalNs));
        for (const st of lines) {
          if (style === 'errors' && !st.errors) continue;
          const line = editor.document.lineAt(st.line - 1);
          const range = new vscode.Range(line.range.end, line.range.end);
          const text = style === 'count' && !st.delta ? `${st.calls}×` : annotationText(st);
          const direction = st.delta ? deltaDirection(st.delta) : undefined;
          const kind = direction === 'more' ? more : direction === 'fewer' ? fewer : direction === 'same' ? normal : st.errors ? failing : normal;
          kind.push({ range, renderOptions: { after: { contentText: text } } });
          const level = Math.min(HEAT.length - 1, Math.floor((st.totalNs / maxNs) * HEAT.length));
          heat[level].push({ range: line.range });
        }
      }
      editor.setDecorations(this.normal, normal);
      editor.setDecorations(this.failing, failing);
      editor.setDecorations(this.more, more);
      editor.setDecorations(this.fewer, fewer);
      this.heat.forEach((t, i) => editor.setDecorations(t, heat[i]));
    }
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const f = this.files.get(e.document.uri.fsPath);
    if (!f || e.contentChanges.length === 0) return;
    for (const c of e.contentChanges) {
      f.applyEdit(c.range.start.line + 1, c.range.end.line + 1, c.text.split('\n').length);
    }
    this.schedule();
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const d of this.disposables) d.dispose();
    for (const t of [this.normal, this.failing, this.more, this.fewer, ...this.heat]) t.dispose();
  }
}
