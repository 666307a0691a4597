// What the benchmarks share: their command line (`--name value` flags and a
// bare number) and the medians they report.
export const args = process.argv.slice(2);

/** The value after `--name` on the command line, or undefined. */
export function flag(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The one argument that is neither a flag nor a flag's value, as a number; `dflt` without one. */
export function countArg(dflt) {
  return Number(args.find((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')) ?? dflt);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The middle value, the lower of the two for an even count (always one that was measured). */
export const lowerMedian = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
