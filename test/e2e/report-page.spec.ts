import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { DEMO_PORTFOLIO, SeedSummary, seedDemo } from '../../scripts/seed-demo';
import { launchChromium } from '../support/browser';
import { startHttpApp } from '../support/http-app';

/** Screenshots of the page (gitignored): test-output/report/. */
const OUT = resolve(__dirname, '../../test-output/report');
const KEY = process.env.ADMIN_API_KEY!;

/** What a chart shows, read from Chart.js' own objects and from the canvas' pixels. */
interface ChartState {
  type: string;
  labels: number;
  datasets: Array<{ label: string; type: string; points: number; values: Array<number | null> }>;
  inkedPixels: number;
}

async function chartState(page: Page, canvasId: string): Promise<ChartState | null> {
  return page.evaluate((id) => {
    const g = globalThis as any; // the page's window (this file is type-checked without the DOM library)
    const canvas = g.document.getElementById(id);
    const chart = g.Chart.getChart(canvas);
    if (!chart) return null;
    const ctx = canvas.getContext('2d')!;
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) inked++;
    return {
      type: chart.config.type,
      labels: (chart.data.labels ?? []).length,
      datasets: chart.data.datasets.map((d: any) => ({
        label: String(d.label),
        type: String(d.type ?? chart.config.type),
        points: d.data.length,
        values: d.data.map((v: any) => (v === null ? null : typeof v === 'number' ? v : v.y)),
      })),
      inkedPixels: inked,
    };
  }, canvasId);
}

function noHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const g = globalThis as any;
    return g.document.documentElement.scrollWidth <= g.innerWidth;
  });
}

/**
 * api.md "Report page": the demo data seeded through the HTTP API (npm run seed:demo's code), the
 * page opened in headless Chromium, the key entered once, every view drawn with data, no console
 * error, screenshots for the screen and for print.
 */
describe('the report page in a browser, on the demo data', () => {
  let app: NestFastifyApplication;
  let url: string;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let seeded: SeedSummary;

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    seeded = await seedDemo(url, KEY);
    browser = await launchChromium();
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    problems = [];
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  });
  afterEach(async () => {
    await page.context().close();
  });

  // The demo portfolio by the page's #<portfolio id> link: the suite's database holds the other
  // suites' portfolios too, and the first of the list (drawn without the link) may have no returns.
  const openWithKey = async (key = KEY) => {
    await page.goto(`${url}/report#${DEMO_PORTFOLIO}`);
    await page.locator('#key-input').fill(key);
    await page.locator('#key-form button[type=submit]').click();
    await page.locator('body[data-state="ready"]').waitFor();
  };

  it('seeds through the API what the whole file gives: every return of the closes, a VaR per replay step, a CVaR', async () => {
    expect(seeded).toEqual({ portfolio: DEMO_PORTFOLIO, varResults: 14, cvarResults: 1 });
    const all = await fetch(`${url}/v1/portfolios/${DEMO_PORTFOLIO}/returns?lookback_days=100000`, { headers: { 'x-api-key': KEY } });
    const body = (await all.json()) as { observations: number; from: string; to: string };
    // 1,860 closes a column give 1,859 returns: the steps overlap by one close, so none is lost.
    expect([body.observations, body.from, body.to]).toEqual([1859, '1991-07-02', '1998-08-14']);
    // A second seed (npm run seed:demo again) changes nothing and stores no second history.
    expect(await seedDemo(url, KEY)).toEqual({ portfolio: DEMO_PORTFOLIO, varResults: 0, cvarResults: 0 });
  });

  it('asks for the key once, keeps it in session storage (never in a URL) and draws every view of the portfolio with data', async () => {
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${url}/report`);
    await expect(page.locator('#key-form').isVisible()).resolves.toBe(true);
    await expect(page.locator('#report').isVisible()).resolves.toBe(false);
    await openWithKey();

    // The key: in this tab's session storage, in no URL the page loaded or asked for.
    await expect(page.evaluate(() => (globalThis as any).sessionStorage.getItem('risk-report.api-key'))).resolves.toBe(KEY);
    await expect(page.evaluate(() => (globalThis as any).localStorage.length)).resolves.toBe(0);
    expect(requested.filter((u) => u.includes(KEY))).toEqual([]);
    expect(page.url()).not.toContain(KEY);

    // The picker lists the demo portfolio and shows it.
    await expect(page.locator('#portfolio option').allTextContents()).resolves.toContain('demo-eu — Demo: SMI and CAC 40');
    await page.locator('#portfolio').selectOption(DEMO_PORTFOLIO);
    await page.locator(`body[data-state="ready"][data-portfolio="${DEMO_PORTFOLIO}"]`).waitFor();
    await expect(page.locator('#summary').textContent()).resolves.toContain('1000000.00 EUR');

    // VaR history against the limit: one point per stored VaR (the seed's replay), the limit line beside it.
    const history = (await chartState(page, 'chart-var'))!;
    expect(history.datasets.map((d) => d.label)).toEqual(['VaR (% of value)', 'Limit (% of value)']);
    expect(history.datasets[0].points).toBeGreaterThanOrEqual(10);
    expect(history.datasets[1].values.every((v) => v === 2.5)).toBe(true);
    expect(Math.max(...(history.datasets[0].values as number[]))).toBeGreaterThan(2.5); // the breach the seed produces
    expect(history.inkedPixels).toBeGreaterThan(1000);

    // Underwater curve: one point per return plus the start, every depth ≤ 0, some below.
    const underwater = (await chartState(page, 'chart-underwater'))!;
    expect(underwater.datasets[0].points).toBe(251);
    expect(underwater.labels).toBe(251);
    expect(underwater.datasets[0].values.every((v) => v !== null && v <= 0)).toBe(true);
    expect(Math.min(...(underwater.datasets[0].values as number[]))).toBeLessThan(-1);
    expect(underwater.inkedPixels).toBeGreaterThan(1000);

    // Euler contributions: one bar per asset of the book, summing to the latest VaR.
    const contributions = (await chartState(page, 'chart-contributions'))!;
    expect(contributions.labels).toBe(2);
    expect(contributions.datasets[0].values.every((v) => v !== null && v < 0)).toBe(true);
    await expect(page.locator('#panel-contributions tbody tr').count()).resolves.toBe(2);
    expect(contributions.inkedPixels).toBeGreaterThan(1000);

    // Histogram: bars counting all 250 returns, VaR and CVaR lines, CVaR beyond VaR.
    const histogram = (await chartState(page, 'chart-histogram'))!;
    const [bars, varLine, cvarLine] = histogram.datasets;
    expect(bars.type).toBe('bar');
    expect((bars.values as number[]).reduce((a, b) => a + b, 0)).toBe(250);
    expect(varLine.label).toMatch(/^VaR -\d/);
    expect(cvarLine.label).toMatch(/^CVaR -\d/);
    expect(histogram.inkedPixels).toBeGreaterThan(1000);

    // Open alerts: the VaR breach of the last replayed results.
    const alertRows = page.locator('#panel-alerts tbody tr');
    await expect(alertRows.count()).resolves.toBeGreaterThanOrEqual(1);
    await expect(alertRows.first().textContent()).resolves.toMatch(/VAR/);

    // Stress: a table or, where this build has no stress operation, one short line.
    const stress = await page.locator('#panel-stress').getAttribute('data-status');
    expect(['ok', 'unavailable']).toContain(stress);
    if (stress === 'unavailable') await expect(page.locator('#panel-stress .note').textContent()).resolves.toMatch(/not available/);
    else await expect(page.locator('#panel-stress tbody tr').count()).resolves.toBe(2);

    for (const id of ['panel-var', 'panel-underwater', 'panel-contributions', 'panel-histogram', 'panel-alerts']) {
      await expect(page.locator(`#${id}`).getAttribute('data-status')).resolves.toBe('ok');
    }
    // Reads on a 1366 × 768 laptop screen: nothing wider than the window.
    await expect(noHorizontalScroll(page)).resolves.toBe(true);
    await page.screenshot({ path: resolve(OUT, 'report-1366x768.png'), fullPage: true });

    // Printed: the controls are gone, the charts are redrawn for the page, nothing overflows.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#portfolio').isVisible()).resolves.toBe(false);
    await page.waitForFunction(() => {
      const g = globalThis as any;
      return g.document.getElementById('chart-var').getBoundingClientRect().width > g.innerWidth * 0.8; // one column when printed
    });
    await expect(noHorizontalScroll(page)).resolves.toBe(true);
    await page.screenshot({ path: resolve(OUT, 'report-print.png'), fullPage: true });

    expect(problems).toEqual([]);
  });

  it('does not ask again in the same tab, and asks again once the key is forgotten', async () => {
    await openWithKey();
    await page.reload();
    await page.locator('body[data-state="ready"]').waitFor();
    await expect(page.locator('#key-form').isVisible()).resolves.toBe(false);
    expect(await chartState(page, 'chart-var')).not.toBeNull();

    await page.locator('#forget-key').click();
    await expect(page.locator('#key-form').isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => (globalThis as any).sessionStorage.getItem('risk-report.api-key'))).resolves.toBeNull();
    expect(problems).toEqual([]);
  });

  it('asks again, saying so, when the key is refused', async () => {
    await page.goto(`${url}/report`);
    await page.locator('#key-input').fill('rk_not-a-key');
    await page.locator('#key-form button[type=submit]').click();
    await page.locator('body[data-state="key"] #key-error:not(:empty)').waitFor();
    await expect(page.locator('#key-error').textContent()).resolves.toMatch(/^That key was refused/);
    await expect(page.evaluate(() => (globalThis as any).sessionStorage.getItem('risk-report.api-key'))).resolves.toBeNull();
    // Chromium's own network line for the 401; the page adds nothing.
    expect(problems).toEqual([expect.stringMatching(/status of 401 .*\/v1\/portfolios\)$/)]);
  });

  it('draws what a viewer key may read, and says the underwater curve and the stress table need a higher role', async () => {
    const created = await fetch(`${url}/v1/api-keys`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'report-viewer', role: 'viewer' }) });
    expect(created.status).toBe(201);
    const viewer = ((await created.json()) as { key: string }).key;
    await openWithKey(viewer);
    for (const id of ['panel-var', 'panel-contributions', 'panel-histogram', 'panel-alerts']) {
      await expect(page.locator(`#${id}`).getAttribute('data-status')).resolves.toBe('ok');
    }
    await expect(page.locator('#panel-underwater').getAttribute('data-status')).resolves.toBe('unavailable');
    await expect(page.locator('#panel-underwater .note').textContent()).resolves.toMatch(/^The underwater curve needs a key with a higher role: .*analyst/);
    await expect(page.locator('#panel-stress').getAttribute('data-status')).resolves.toBe('unavailable');
    await expect(page.locator('#panel-stress .note').textContent()).resolves.toMatch(/^The stress table needs a key with a higher role: .*analyst/);
    expect([...problems].sort()).toEqual([expect.stringMatching(/status of 403 .*\/v1\/drawdown\)$/), expect.stringMatching(/status of 403 .*\/v1\/portfolios\/demo-eu\/stress\)$/)]);
  });

  /** The stress table: the service's own POST …/stress answer for the demo book, laid out row by row. */
  describe('stress table', () => {
    it('asks for the worst 1-day and 10-day windows and lists the P&L of each as the API answers it', async () => {
      const bodies: unknown[] = [];
      page.on('request', (req) => {
        if (req.url().endsWith(`/v1/portfolios/${DEMO_PORTFOLIO}/stress`)) bodies.push(req.postDataJSON());
      });
      await openWithKey();
      const scenarios = [{ name: 'Worst day', type: 'worst_window', days: 1 }, { name: 'Worst 10 days', type: 'worst_window', days: 10 }];
      expect(bodies).toEqual([{ scenarios }]);
      await expect(page.locator('#panel-stress').getAttribute('data-status')).resolves.toBe('ok');
      const direct = await fetch(`${url}/v1/portfolios/${DEMO_PORTFOLIO}/stress`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ scenarios }) });
      expect(direct.status).toBe(200);
      const answer = (await direct.json()) as { scenarios: Array<{ name: string; from: string; to: string; pnl: string; pnl_return: number; assets: Array<{ asset_id: string; pnl: string }> }> };
      const rows = await page.locator('#panel-stress tbody tr').allInnerTexts();
      expect(rows).toHaveLength(2);
      answer.scenarios.forEach((sc, i) => {
        expect(Number(sc.pnl)).toBeLessThan(0);
        expect(rows[i]).toContain(sc.name);
        expect(rows[i]).toContain(sc.from);
        expect(rows[i]).toContain(sc.to);
        expect(rows[i]).toContain(sc.pnl);
        expect(rows[i]).toContain(`${(sc.pnl_return * 100).toFixed(2)} %`);
        for (const a of sc.assets) expect(rows[i]).toContain(`${a.asset_id} ${a.pnl}`);
      });
      await page.locator('#panel-stress').screenshot({ path: resolve(OUT, 'report-stress-table.png') });
      expect(problems).toEqual([]);
    });

    it('says "not available" in one line when the operation answers an error, and logs no error of its own', async () => {
      await page.route('**/v1/portfolios/*/stress', (route) =>
        route.fulfill({ status: 422, json: { status_code: 422, error: 'Unprocessable Entity', error_type: 'INSUFFICIENT_DATA', message: ['a 10-day window needs 10 aligned dates'], correlation_id: 'x' } }),
      );
      await openWithKey();
      await expect(page.locator('#panel-stress').getAttribute('data-status')).resolves.toBe('unavailable');
      await expect(page.locator('#panel-stress .note').textContent()).resolves.toBe('No stress table: the portfolio has no history to replay yet (a 10-day window needs 10 aligned dates).');
      // Chromium itself logs the 422 of the request as a network line (not the page's doing, and
      // not avoidable by a page that makes the request): that line and nothing else.
      expect(problems).toEqual([expect.stringMatching(/^console error: Failed to load resource: the server responded with a status of 422 .*\/v1\/portfolios\/demo-eu\/stress\)$/)]);
    });
  });
});
