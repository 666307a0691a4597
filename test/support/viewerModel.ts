// A TraceModel (the viewer's view of a trace) decoded from a synthetic trace
// file, for the unit tests of the viewer's pure modules.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { decodeTraceFile } from '../../viewer/traceColumnsDecoder';
import { TraceModel } from '../../webview/traceModel';
import { writeSyntheticTrace, type SyntheticOptions, type SyntheticSummary } from './syntheticTrace';

export async function syntheticModel(options: SyntheticOptions = {}): Promise<{ model: TraceModel; summary: SyntheticSummary; file: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-viewer-'));
  const file = path.join(dir, 'trace.jsonl.gz');
  const summary = writeSyntheticTrace(file, options);
  const r = await decodeTraceFile(file);
  return { model: new TraceModel(r.trace.columns, r.trace.tables), summary, file };
}
