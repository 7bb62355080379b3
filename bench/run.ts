import { printTable, writeResults } from './harness';
import { runMathBench } from './math.bench';

/** `npm run bench`: prints a table and merges the figures into bench/results.json. */
async function main() {
  const suites = (process.argv[2] ?? 'math').split(',');
  const out: Record<string, unknown> = {};
  if (suites.includes('math')) {
    const { rows, speedups } = runMathBench();
    printTable(rows);
    console.log('\nspeed-up over the naive big.js full-sort baseline (p50):', speedups);
    out.math = { rows, speedup_vs_naive_p50: speedups };
  }
  console.log(`\nwritten to ${writeResults(out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
