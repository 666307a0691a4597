// Accuracy of --source on the fixtures: the share of marked syscalls
// attributed to their marked file:line, per fixture and overall.
//   node --import tsx scripts/source-accuracy.mjs [NAME-SUBSTRING]
// (RENACER_KEEP_FIXTURES=1 keeps the build directory.)
import { CASES, checkAttribution, cleanup, makeBuild, traceSource } from '../test/native/sourceHarness.ts';

const only = process.argv[2];
const b = makeBuild('renacer-acc-');
let right = 0;
let expected = 0;
for (const c of CASES) {
  if (only && !c.name.includes(only)) continue;
  if ((c.needs ?? []).some((t) => !b.has(t))) {
    console.log(`${c.name.padEnd(50)} skipped (needs ${c.needs.join(', ')})`);
    continue;
  }
  const argv = c.build(b);
  const run = traceSource(b.dir, argv, { follow: c.follow });
  const r = checkAttribution(run, c.sources.map((s) => `${b.dir}/${s}`), b.dir);
  right += r.right;
  expected += r.expected;
  console.log(`${c.name.padEnd(50)} ${r.right}/${r.expected} ${((100 * r.right) / r.expected).toFixed(1)} %`);
  for (const p of r.problems) console.log(`    ${p}`);
}
console.log(`${'total'.padEnd(50)} ${right}/${expected} ${((100 * right) / expected).toFixed(1)} %`);
if (process.env.RENACER_KEEP_FIXTURES) console.log(`fixtures kept in ${b.dir}`);
cleanup(b);
