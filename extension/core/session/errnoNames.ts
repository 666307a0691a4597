// errno and signal names as strace prints them, from the native tables (memoised).
import { loadAddon } from './nativeAddon';

const errnoCache = new Map<number, [string, string]>();
const messageByName = new Map<string, string>();
const signalCache = new Map<number, string>();

/** ['ENOENT', 'No such file or directory'] */
export function errnoInfo(errno: number): [string, string] {
  let v = errnoCache.get(errno);
  if (!v) {
    v = loadAddon().errnoInfo(errno);
    errnoCache.set(errno, v);
    if (!messageByName.has(v[0])) messageByName.set(v[0], v[1]);
  }
  return v;
}

/** 'No such file or directory' for 'ENOENT' (events carry the name). */
export function errnoMessage(name: string): string {
  let m = messageByName.get(name);
  if (m === undefined) {
    const n = errnoNumber(name);
    m = n === undefined ? 'Unknown error' : errnoInfo(n)[1];
    messageByName.set(name, m);
  }
  return m;
}

/** 'SIGSEGV' */
export function signalName(sig: number): string {
  let v = signalCache.get(sig);
  if (!v) {
    v = loadAddon().signalName(sig);
    signalCache.set(sig, v);
  }
  return v;
}

let numberByName: Map<string, number> | undefined;

/** 2 for 'ENOENT'; undefined for a name no errno has (the native table, read once). */
export function errnoNumber(name: string): number | undefined {
  if (!numberByName) {
    numberByName = new Map();
    const names = loadAddon().errnoNames();
    // The first number of a name shared by two (EAGAIN, EWOULDBLOCK) is its number.
    for (let n = 1; n < names.length; n++) if (names[n] && !numberByName.has(names[n])) numberByName.set(names[n], n);
  }
  return numberByName.get(name.toUpperCase());
}

/** 10 for 'SIGUSR1', 'USR1' or '10'; undefined for no signal. */
export function signalNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    return n >= 1 && n <= 64 ? n : undefined;
  }
  const want = name.toUpperCase().startsWith('SIG') ? name.toUpperCase() : `SIG${name.toUpperCase()}`;
  for (let n = 1; n <= 64; n++) if (signalName(n) === want) return n;
  return undefined;
}
