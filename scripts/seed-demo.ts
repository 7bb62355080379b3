/**
 * npm run seed:demo — loads the demo data through the running service's API, enough for every
 * panel of the report page (GET /report):
 * - assets SMI and CAC: the closes of R's EuStockMarkets (data-demo/eustockmarkets-smi-cac.csv),
 *   sent to PUT /v1/returns?input=prices, which stores their daily simple returns;
 * - a portfolio `demo-eu` holding 600,000 SMI and 400,000 CAC, its limits (VaR 2.5 % at 99 %,
 *   1 day; drawdown 20 %; position size 70 %);
 * - a VaR history: the file is replayed half a year at a time (1992 to August 1998), a 99 % 1-day
 *   historical VaR over the last 250 dates stored after each step, as a daily risk job would have
 *   stored them; the VaR rises above the limit in the 1997–98 crises, so the last results breach it
 *   and an alert is open;
 * - a stored 99 % 1-day CVaR over the last 250 dates (the report's histogram marks its VaR and CVaR).
 *
 * Idempotent: returns are upserted (unchanged rows count as nothing), and the replay and the CVaR
 * run only when the portfolio has no stored result yet. `seedDemo` is also called by the report
 * page's browser test.
 *
 *   RISK_URL (default http://localhost:3000), API_KEY (default ADMIN_API_KEY): a risk_manager or admin key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const DEMO_PORTFOLIO = 'demo-eu';
const CSV_NAME = 'data-demo/eustockmarkets-smi-cac.csv';
/** Rows of the first step (about a year: a 99 % historical VaR needs 100 dates), then of each later one (about half a year). */
const FIRST_STEP = 260;
const STEP = 130;
const VAR_REQUEST = { method: 'historical', confidence: 99, horizon_days: 1, lookback_days: 250 };

/** The demo CSV, from the sources (scripts/) or the build (dist/scripts/). */
export function demoCsvPath(): string {
  const candidates = [resolve(__dirname, '..', CSV_NAME), resolve(__dirname, '..', '..', CSV_NAME)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`${CSV_NAME} not found (looked at ${candidates.join(', ')})`);
  return found;
}

export interface SeedSummary {
  portfolio: string;
  /** VaR results stored by this run (0 when the portfolio already had results). */
  varResults: number;
  cvarResults: number;
}

/**
 * Seeds the demo through the HTTP API of the service at `baseUrl` with `key` (risk_manager or
 * admin: portfolios, positions and limits need risk_manager). `log` receives one line per step.
 */
export async function seedDemo(baseUrl: string, key: string, log: (line: string) => void = () => undefined): Promise<SeedSummary> {
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok && !(res.status === 409 && path === '/v1/portfolios')) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const [header, ...rows] = readFileSync(demoCsvPath(), 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const upload = async (from: number, to: number) => {
    // Closes from row `from − 1`: its close is the base of the first return of the step (a batch's
    // first close yields no return), so the steps together store exactly the returns of the whole file.
    const body = [header, ...rows.slice(Math.max(0, from - 1), to)].join('\n') + '\n';
    return (await call('PUT', '/v1/returns?input=prices', body, 'text/csv')) as Record<string, { inserted: number; updated: number }>;
  };

  await call('POST', '/v1/portfolios', { id: DEMO_PORTFOLIO, name: 'Demo: SMI and CAC 40', base_currency: 'EUR' });
  await call('PUT', `/v1/portfolios/${DEMO_PORTFOLIO}/positions`, [{ asset_id: 'SMI', market_value: '600000.00' }, { asset_id: 'CAC', market_value: '400000.00' }]);
  await call('PUT', `/v1/portfolios/${DEMO_PORTFOLIO}/limits`, { max_var_percent: 2.5, max_drawdown_percent: 20, max_position_size_percent: 70, confidence: 99, horizon_days: 1 });
  const history = (await call('GET', `/v1/portfolios/${DEMO_PORTFOLIO}/var-history?limit=1`)) as unknown[];
  if (history.length > 0) {
    const counts = await upload(0, rows.length);
    for (const [asset, r] of Object.entries(counts)) log(`${asset}: ${r.inserted} inserted, ${r.updated} updated`);
    log(`portfolio ${DEMO_PORTFOLIO} already has stored results: no replay`);
    return { portfolio: DEMO_PORTFOLIO, varResults: 0, cvarResults: 0 };
  }
  let varResults = 0;
  for (let from = 0, to = FIRST_STEP; from < rows.length; from = to, to = Math.min(rows.length, to + STEP)) {
    await upload(from, to);
    const v = (await call('POST', `/v1/portfolios/${DEMO_PORTFOLIO}/var`, VAR_REQUEST)) as { to: string; var: string; limit: { var_percent: number; status: string } };
    varResults++;
    log(`data to ${v.to}: VaR ${v.var} (${v.limit.var_percent.toFixed(2)} % of value, ${v.limit.status})`);
  }
  const c = (await call('POST', `/v1/portfolios/${DEMO_PORTFOLIO}/cvar`, VAR_REQUEST)) as { var: string; cvar: string };
  log(`CVaR ${c.cvar} (VaR ${c.var}) over the last 250 dates`);
  return { portfolio: DEMO_PORTFOLIO, varResults, cvarResults: 1 };
}

if (require.main === module) {
  const base = process.env.RISK_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  const key = process.env.API_KEY ?? process.env.ADMIN_API_KEY;
  (async () => {
    if (!key) throw new Error('set API_KEY (the admin key printed by the first `npm start`, or ADMIN_API_KEY)');
    await seedDemo(base, key, (line) => console.log(line));
    console.log(`portfolio ${DEMO_PORTFOLIO} ready: open ${base}/report in a browser and enter the key.`);
  })().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
