import { printTable, writeResults } from './harness';
import { printHttpTable, runHttpBench } from './http.bench';
import { runMathBench } from './math.bench';
import { runNavBench } from './nav.bench';
import { runServiceBench } from './service.bench';

/**
 * `npm run bench` (maths, in process), `npm run bench:service` (the running stack) and
 * `npm run bench:http` (the built service against a bare node:http server), `npm run bench:nav` (the NAV
 * figures alone): prints tables
 * and merges the figures into bench/results.json.
 */
async function main() {
  const suites = (process.argv[2] ?? 'math').split(',');
  const out: Record<string, unknown> = {};
  if (suites.includes('math')) {
    const { rows, speedups } = runMathBench();
    printTable(rows);
    console.log('\nspeed-up over the naive big.js full-sort baseline (p50):', speedups);
    out.math = { rows, speedup_vs_naive_p50: speedups };
  }
  if (suites.includes('service')) {
    const { rows, figures } = await runServiceBench();
    printTable(rows);
    console.log('\nservice figures:', figures);
    out.service = { rows, figures };
  }
  if (suites.includes('nav')) {
    const figures = await runNavBench();
    console.log('\nNAV figures (updates/s, one per run):', figures);
    out.nav = { figures, measured_at: new Date().toISOString() };
  }
  if (suites.includes('http')) {
    const { rows, settings } = await runHttpBench();
    printHttpTable(rows);
    out.http = { rows, settings, measured_at: new Date().toISOString() };
  }
  console.log(`\nwritten to ${writeResults(out)}`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
