/**
 * npm run seed:demo — loads the demo data through the running service's API:
 * assets SMI and CAC (the closes of R's EuStockMarkets, data-demo/eustockmarkets-smi-cac.csv, sent
 * as they are to PUT /v1/returns?input=prices, which stores their daily simple returns), a portfolio
 * `demo-eu` holding 600,000 SMI and 400,000 CAC, and its limits. Idempotent.
 *
 *   RISK_URL (default http://localhost:3000), API_KEY (default ADMIN_API_KEY): a risk_manager or admin key.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const base = process.env.RISK_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const key = process.env.API_KEY ?? process.env.ADMIN_API_KEY;

async function call(method: string, path: string, body: unknown, contentType = 'application/json') {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'x-api-key': key ?? '', 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok && !(res.status === 409 && path === '/v1/portfolios')) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function main() {
  if (!key) throw new Error('set API_KEY (the admin key printed by the first `npm start`, or ADMIN_API_KEY)');
  // A wide CSV of closes (date,SMI,CAC), sent as it is: the service turns the closes into returns.
  const file = resolve(__dirname, '../../data-demo/eustockmarkets-smi-cac.csv');
  const counts: Record<string, { inserted: number; updated: number }> = await call('PUT', '/v1/returns?input=prices', readFileSync(file, 'utf8'), 'text/csv');
  for (const [asset, r] of Object.entries(counts)) console.log(`${asset}: ${r.inserted} inserted, ${r.updated} updated`);
  await call('POST', '/v1/portfolios', { id: 'demo-eu', name: 'Demo: SMI and CAC 40', base_currency: 'EUR' });
  await call('PUT', '/v1/portfolios/demo-eu/positions', [{ asset_id: 'SMI', market_value: '600000.00' }, { asset_id: 'CAC', market_value: '400000.00' }]);
  await call('PUT', '/v1/portfolios/demo-eu/limits', { max_var_percent: 5, max_drawdown_percent: 20, max_position_size_percent: 10, confidence: 99 });
  console.log(`portfolio demo-eu ready. Try:\n  curl -s -X POST ${base}/v1/portfolios/demo-eu/var -H 'x-api-key: …' -H 'content-type: application/json' -d '{"method":"historical","confidence":99,"lookback_days":1000}'`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
