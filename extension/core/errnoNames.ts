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
    for (let i = 1; i < 600 && m === undefined; i++) {
      if (errnoInfo(i)[0] === name) m = errnoInfo(i)[1];
    }
    m ??= 'Unknown error';
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

const numberByName = new Map<string, number>();

/** 2 for 'ENOENT'; undefined for a name no errno has. */
export function errnoNumber(name: string): number | undefined {
  if (numberByName.size === 0) {
    for (let i = 1; i < 4096; i++) {
      const [n] = errnoInfo(i);
      if (!/^E\d+$/.test(n) && !numberByName.has(n)) numberByName.set(n, i);
    }
  }
  return numberByName.get(name.toUpperCase());
}
