// Setting a held syscall's "errno" or "result" in the Syscall scope (DAP
// setVariable): at its entry the call is skipped and fails or returns that;
// at its return the result is replaced.
import { errnoInfo, errnoNumber } from '../core/session/errnoNames';
import type { HeldTask } from '../core/session/heldTask';
import type { NativeSession } from '../core/session/nativeAddon';

export const ONLY_OUTCOME = 'Only the syscall\'s "errno" and "result" can be set (fault injection).';

/** Sets `name` to `text` in the tracer and in `held` (what VARIABLES shows): the value to show, or why not. */
export function injectOutcome(held: HeldTask, control: NativeSession, name: string, text: string): { value: string } | { refused: string } {
  if (held.phase !== 'entry' && held.phase !== 'exit') return { refused: 'The outcome of a call can be set at its entry or its return, not while it is blocked.' };
  const value = text.trim();
  if (name === 'errno') {
    const n = /^\d+$/.test(value) ? Number(value) : errnoNumber(value);
    if (!n || n <= 0 || n > 4095) return { refused: `"${value}" is not an errno name or number (e.g. ENOENT, EACCES, 5)` };
    const errno = errnoInfo(n)[0];
    control.setOutcome(held.tid, 'errno', n);
    if (held.phase === 'exit') Object.assign(held, { ret: -n, errno, retText: undefined, injected: true });
    else held.planned = { errno };
    return { value: held.phase === 'exit' ? errno : `${errno} (will fail without running the call)` };
  }
  if (name === 'result') {
    if (!/^-?\d+$/.test(value) && !/^0x[0-9a-f]+$/i.test(value)) return { refused: `"${value}" is not an integer` };
    const v = Number(value);
    if (v < 0) return { refused: 'Set "errno" to make the call fail; "result" is what a successful call returns.' };
    control.setOutcome(held.tid, 'retval', v);
    if (held.phase === 'exit') Object.assign(held, { ret: v, errno: undefined, retText: undefined, injected: true });
    else held.planned = { retval: v };
    return { value: String(v) };
  }
  return { refused: ONLY_OUTCOME };
}
