import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startHttpApp } from '../support/http-app';

/**
 * A new user's first minute in Swagger UI, in a real (headless) browser: Authorize with the API
 * key, then Try it out → Execute on POST /v1/var with the worked example.
 */
describe('Swagger UI in a browser', () => {
  let app: NestFastifyApplication;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
  });
  afterEach(async () => {
    await page.context().close();
  });

  const openVarOperation = async () => {
    await page.goto(`${url}/docs`);
    const op = page.locator('#operations-calculations-CalculationController_var');
    await op.locator('.opblock-summary').click();
    await op.locator('button.try-out__btn').click();
    return op;
  };

  it('authorizes with the API key and executes POST /v1/var with an answer of 200', async () => {
    await page.goto(`${url}/docs`);
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.locator('input').first().fill(process.env.ADMIN_API_KEY!);
    await dialog.locator('button.modal-btn.auth.authorize').click();
    await dialog.locator('button.btn-done').click();

    const op = await openVarOperation();
    const sent = page.waitForRequest((r) => r.url().endsWith('/v1/var') && r.method() === 'POST');
    await op.locator('button.execute').click();
    expect((await sent).headers()['x-api-key']).toBe(process.env.ADMIN_API_KEY);
    const status = op.locator('.live-responses-table .response .response-col_status').first();
    await expect(status.textContent()).resolves.toMatch(/^\s*200/);
    const body = await op.locator('.live-responses-table .response-col_description pre').first().textContent();
    expect(JSON.parse(body!)).toMatchObject({ method: 'historical', confidence_level: 95, portfolio_id: 'desk-7' });
  });

  it('without Authorize the same Execute answers 401 (the key is what makes it work)', async () => {
    const op = await openVarOperation();
    await op.locator('button.execute').click();
    const status = op.locator('.live-responses-table .response .response-col_status').first();
    await expect(status.textContent()).resolves.toMatch(/^\s*401/);
  });
});
