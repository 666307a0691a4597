// The debug adapter's own DAP messages, each named once with its body: what
// `renacer dap` (extension/debugAdapter/) sends beside standard DAP, and what
// the VS Code extension (extension/vscode/extension.ts) listens for, as
// vscode-js-debug declares its custom events in src/build/dapCustom.ts. Both
// sides import the names from here (test/unit/protocolNames.test.ts fails
// when one is spelled out anywhere else). Pure TypeScript: no vscode, no
// @vscode/debugadapter.
//
// There are no custom requests: the extension asks the adapter only
// standard DAP requests, and the launch/attach arguments are
// core/session/launchArgs.ts (checked against package.json by
// test/unit/launchAttributes.test.ts).
import type { LineStats } from '../source/lineStats';

/** The custom events the adapter sends, by name. */
export const DapEvent = {
  /** The lines whose stats changed since the last one: while the program runs (every 200 ms) and once more at its end. */
  lineStats: 'renacer.lineStats',
  /** Syscalls and tasks traced so far, with each lineStats tick. */
  progress: 'renacer.progress',
  /** The trace file the run wrote, when it wrote one: once, at the end, before `terminated`. */
  traceFile: 'renacer.traceFile',
} as const;

export type DapEventName = (typeof DapEvent)[keyof typeof DapEvent];

/** Each custom event's body. */
export interface DapEventBodies {
  [DapEvent.lineStats]: { lines: LineStats[] };
  [DapEvent.progress]: { syscalls: number; tasks: number };
  [DapEvent.traceFile]: { path: string };
}

/** A custom event as the client receives it: a union on `event`, so a switch on it narrows `body`. */
export type RenacerDapEvent = { [N in DapEventName]: { event: N; body: DapEventBodies[N] } }[DapEventName];
