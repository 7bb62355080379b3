import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, consumerOpts, JSONCodec, NatsConnection } from 'nats';
import { OutboxRelayService } from '../../src/events/outbox-relay.service';
import { PortfolioRiskService } from '../../src/portfolio-risk/portfolio-risk.service';
import { OutboxRepository, PortfolioRepository, PositionRepository, ReturnsRepository, RiskLimitRepository } from '../../src/persistence/repositories';
import { startHttpApp } from '../support/http-app';
import { TcpProxy } from '../support/tcp-proxy';

const json = JSONCodec();

describe('transactional outbox across a broker outage', () => {
  let app: NestFastifyApplication;
  let nc: NatsConnection;
  const proxy = new TcpProxy(Number(new URL(process.env.NATS_URL!).port || 4222));

  beforeAll(async () => {
    await proxy.start();
    ({ app } = await startHttpApp({ NATS_URL: `nats://127.0.0.1:${proxy.port}`, NATS_HANDLERS_ENABLED: 'false' }));
    nc = await connect({ servers: process.env.NATS_URL });
  });
  afterAll(async () => {
    await nc.close();
    await app.close();
    await proxy.stop();
  });

  it('accepts 1,000 breaches with NATS unreachable and delivers every event once when it returns', async () => {
    await proxy.stop(); // the broker is gone
    const run = randomUUID().slice(0, 8);
    const asset = `OUT-${run}`;
    const rng = (i: number) => Math.sin(i * 12.9898) * 0.03;
    await app.get(ReturnsRepository).upsert(Array.from({ length: 300 }, (_, i) => ({ assetId: asset, date: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), returnPct: String(rng(i)) })));
    const ids = Array.from({ length: 1000 }, (_, i) => `out-${run}-${i}`);
    const risk = app.get(PortfolioRiskService);
    for (let start = 0; start < ids.length; start += 25) {
      await Promise.all(
        ids.slice(start, start + 25).map(async (id) => {
          await app.get(PortfolioRepository).create({ id, name: id, baseCurrency: 'USD' });
          await app.get(PositionRepository).replaceBook(id, [{ assetId: asset, marketValue: '1000' }]);
          await app.get(RiskLimitRepository).addVersion({ id: randomUUID(), portfolioId: id, maxVarPercent: 0.1, maxDrawdownPercent: null, maxPositionSizePercent: null, confidenceLevel: 95, horizonDays: 1, effectiveDate: new Date(Date.now() - 1000), createdAt: new Date(), createdBy: 'test' });
          const r = await risk.calculate(id, { confidence: 95 }, 'VAR');
          expect(r.limit).toMatchObject({ status: 'critical' });
        }),
      );
    }
    expect(await app.get(OutboxRepository).countPending()).toBeGreaterThanOrEqual(2000);

    // Subscribe (directly, not through the proxy), then bring the broker back.
    const opts = consumerOpts();
    opts.orderedConsumer();
    opts.filterSubject('risk.limit.breach');
    opts.deliverNew();
    const sub = await nc.jetstream().subscribe('risk.limit.breach', opts);
    const wanted = new Set(ids);
    const seen = new Map<string, number>();
    let ours = 0;
    const done = (async () => {
      for await (const m of sub) {
        const e = json.decode(m.data) as { id: string; portfolio_id: string };
        if (!wanted.has(e.portfolio_id)) continue;
        seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
        if (++ours === 1000) return;
      }
    })();
    await proxy.start();
    await Promise.race([done, new Promise((_, rej) => setTimeout(() => rej(new Error(`only ${ours} of 1000 breach events arrived`)), 50_000))]);
    // Everything due is published; a last drain shows nothing is left and nothing comes twice.
    await app.get(OutboxRelayService).drain();
    await nc.flush();
    sub.unsubscribe();
    expect(ours).toBe(1000);
    expect(seen.size).toBe(1000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(new Set([...seen.keys()]).size).toBe(1000);
  });
});
