// Which TRACEPARENT an editor-launched trace joins (DESIGN.md, "Editor"):
// the launch configuration, then the `renacer.traceParent` setting, then the
// integrated terminal's environment where the editor exposes it, then the
// editor's own environment; else a new trace.
export type TraceParentSource = 'launch configuration' | 'renacer.traceParent setting' | 'terminal environment' | 'editor environment' | 'new trace';

export interface TraceParentCandidates {
  launch?: { traceParent?: string; traceState?: string };
  setting?: { traceParent?: string; traceState?: string };
  terminalEnv?: Record<string, string | undefined>;
  editorEnv?: Record<string, string | undefined>;
}

export interface ChosenTraceParent {
  traceParent?: string;
  traceState?: string;
  source: TraceParentSource;
}

const present = (s: string | undefined): s is string => typeof s === 'string' && s.trim() !== '';

export function chooseTraceParent(c: TraceParentCandidates): ChosenTraceParent {
  if (present(c.launch?.traceParent)) return { traceParent: c.launch!.traceParent!.trim(), traceState: c.launch!.traceState, source: 'launch configuration' };
  if (present(c.setting?.traceParent)) return { traceParent: c.setting!.traceParent!.trim(), traceState: c.setting!.traceState, source: 'renacer.traceParent setting' };
  if (present(c.terminalEnv?.TRACEPARENT)) return { traceParent: c.terminalEnv!.TRACEPARENT!.trim(), traceState: c.terminalEnv!.TRACESTATE, source: 'terminal environment' };
  if (present(c.editorEnv?.TRACEPARENT)) return { traceParent: c.editorEnv!.TRACEPARENT!.trim(), traceState: c.editorEnv!.TRACESTATE, source: 'editor environment' };
  return { source: 'new trace' };
}
