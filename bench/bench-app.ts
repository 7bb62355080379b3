import { randomUUID } from 'node:crypto';
import { createApp } from '../src/app.factory';
import { restCaller } from './books';

/** The app as the service benches run it (the real stack; loopback defaults), listening on a free port, and a JSON caller. */
export async function startBenchApp() {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  process.env.NATS_URL ??= 'nats://127.0.0.1:4222';
  process.env.ADMIN_API_KEY ??= `bench-${randomUUID()}`;
  process.env.LOG_LEVEL ??= 'error';
  process.env.NATS_NAV_DURABLE ??= `risk-service-nav-bench-${process.pid}`;
  process.env.NATS_NAV_INACTIVE_SECONDS ??= '300';
  const app = await createApp();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const key = process.env.ADMIN_API_KEY!;
  const call = restCaller(base, key);
  return { app, base, key, call };
}
