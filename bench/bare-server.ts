import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { formatMoney, parseMoney, scaleMoney } from '../src/common/money';
import { computeRisk, VarMethod } from '../src/math';

/**
 * The baseline of `npm run bench:http`: a bare node:http server doing the work of the service's
 * GET /health/live and POST /v1/var and nothing else: read the body, JSON.parse it, call the same
 * src/math function (computeRisk), shape the same answer (money through big.js) and
 * JSON.stringify it. No framework, validation, logging, metrics, auth or correlation ids: the
 * difference with the service is the service's fixed per-request cost.
 */
export function createBareServer(resultTtlSeconds = 900): Server {
  return createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health/live') return send(res, 200, { status: 'ok' });
    if (req.method === 'POST' && req.url === '/v1/var') return void readJson(req).then((body) => send(res, 200, riskAnswer(body, resultTtlSeconds)), (err: Error) => send(res, 400, { message: [err.message] }));
    send(res, 404, { message: ['not found'] });
  });
}

function riskAnswer(body: Record<string, unknown>, ttlSeconds: number) {
  const value = parseMoney(body.portfolio_value ?? '1', 'portfolio_value', { positive: true });
  const r = computeRisk({
    returns: Float64Array.from(body.returns as number[]),
    confidence: (body.confidence as number | undefined) ?? 95,
    method: ((body.method as VarMethod | undefined) ?? 'historical'),
    horizonDays: (body.horizon_days as number | undefined) ?? 1,
  });
  const now = new Date();
  const s = r.statistics;
  return {
    method: r.method, confidence_level: r.confidenceLevel, horizon_days: r.horizonDays, scaling: r.scaling,
    var_return: r.varReturn, var: formatMoney(scaleMoney(r.varReturn, value)), portfolio_value: formatMoney(value),
    statistics: { count: s.count, mean: s.mean, std_dev: s.stdDev, skewness: s.skewness, excess_kurtosis: s.excessKurtosis, min: s.min, max: s.max },
    calculated_at: now.toISOString(), expires_at: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  };
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      } catch (err) {
        reject(err as Error);
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

if (require.main === module) {
  const server = createBareServer();
  server.keepAliveTimeout = 72_000;
  server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
}
