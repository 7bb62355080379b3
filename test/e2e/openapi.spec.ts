import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { startHttpApp } from '../support/http-app';

type Operation = {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; description?: string; required?: boolean }>;
  requestBody?: { content: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown; example?: unknown }> }>;
};

describe('OpenAPI document (/docs-json)', () => {
  let app: NestFastifyApplication;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };
  const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([verb, op]) => ({ name: `${verb.toUpperCase()} ${path}`, path, verb, op })));

  beforeAll(async () => {
    ({ app } = await startHttpApp());
    const res = await request(app.getHttpServer()).get('/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(async () => {
    await app.close();
  });

  it('declares the API key on every /v1 operation, the calculations included', () => {
    expect(doc.components.securitySchemes).toHaveProperty('api-key');
    const v1 = operations().filter((o) => o.path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThanOrEqual(25);
    const without = v1.filter((o) => !o.op.security?.some((s) => 'api-key' in s)).map((o) => o.name);
    expect(without).toEqual([]);
  });

  it('documents a 2xx with a response schema on every operation (a 204 documents no body)', () => {
    const missing = operations()
      .filter(({ op }) => {
        const success = Object.entries(op.responses).filter(([code]) => /^2\d\d$/.test(code));
        if (success.length === 0) return true;
        return !success.every(([code, r]) => (code === '204' ? r.content === undefined : !!r.content?.['application/json']?.schema));
      })
      .map((o) => o.name);
    expect(missing).toEqual([]);
  });

  it('gives every documented error an example whose status_code is its own response code', () => {
    const wrong: string[] = [];
    let errors = 0;
    for (const { name, op } of operations()) {
      for (const [code, r] of Object.entries(op.responses)) {
        if (!/^[45]\d\d$/.test(code)) continue;
        errors++;
        const example = r.content?.['application/json']?.example as { status_code?: number; error_type?: string; message?: unknown } | undefined;
        if (example?.status_code !== Number(code) || typeof example.error_type !== 'string' || !Array.isArray(example.message)) wrong.push(`${name} ${code}`);
      }
    }
    expect(errors).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it('documents 201 where the service answers 201', () => {
    for (const path of ['/v1/portfolios', '/v1/api-keys']) {
      expect(Object.keys(doc.paths[path].post.responses).filter((c) => c.startsWith('2'))).toEqual(['201']);
    }
  });

  it('describes every path parameter', () => {
    const bare = operations().flatMap(({ name, op }) => (op.parameters ?? []).filter((p) => p.in === 'path' && !p.description).map((p) => `${name} :${p.name}`));
    expect(bare).toEqual([]);
  });

  it('shows the returns upload with a CSV example under text/csv and no content-type parameter to fill in', () => {
    const op = doc.paths['/v1/assets/{asset_id}/returns'].put;
    const csv = op.requestBody!.content['text/csv'];
    const csvExample = csv.example ?? Object.values(csv.examples ?? {})[0]?.value;
    expect(typeof csvExample).toBe('string');
    expect(csvExample as string).toMatch(/^date,return_pct\n\d{4}-\d{2}-\d{2},/);
    const json = op.requestBody!.content['application/json'];
    expect(Array.isArray(json.example ?? Object.values(json.examples ?? {})[0]?.value)).toBe(true);
    expect((op.parameters ?? []).filter((p) => p.in === 'header')).toEqual([]);
  });

  it('shows a worked example on every /v1 request body', () => {
    const without = operations()
      .filter(({ path, op }) => path.startsWith('/v1/') && op.requestBody)
      .filter(({ op }) => Object.values(op.requestBody!.content).some((c) => c.example === undefined && c.examples === undefined))
      .map((o) => o.name);
    expect(without).toEqual([]);
  });
});
