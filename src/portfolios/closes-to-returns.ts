import { implausible, ParsedValue, Problems } from './returns-parser';

/**
 * Simple returns from one asset's closes (docs/api.md "Ingestion", ?input=prices): in date order,
 * r_t = P_t / P_{t−1} − 1 between consecutive closes of the batch (a date without a close is
 * spanned by the next return); the first close yields no return. Computed in float64, as numpy's
 * `p[1:] / p[:-1] - 1`, and kept as the shortest text that reads back as the same double.
 * Each return takes the position of its later close. Unless `allowExtreme`, a return beyond ±0.5
 * is a problem named at that close (`asset` prefixes the message in a wide file).
 */
export function closesToReturns(closes: readonly ParsedValue[], label: (position: number) => string, problems: Problems, allowExtreme: boolean, asset?: string): ParsedValue[] {
  const sorted = [...closes].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out: ParsedValue[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    const r = Number(cur.text) / Number(prev.text) - 1;
    if (!allowExtreme) {
      const what = `${asset ? `${asset}: ` : ''}the return from the close ${prev.text} on ${prev.date} (${label(prev.position)}) to ${cur.text} on ${cur.date}`;
      const problem = implausible(what, r);
      if (problem) problems.add(label(cur.position), problem);
    }
    out.push({ date: cur.date, text: String(r), position: cur.position });
  }
  return out;
}
