import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { connect, NatsConnection } from 'nats';
import { BenchRow, measureAlternating, measureAsync } from './harness';

/**
 * risk.pretrade.check through a plain `nats` client (request / reply, one at a time, warm caches)
 * beside a bare NATS echo responder answering a reply of the same size to a request of the same
 * size: the difference is the service's own time; and the floor of any Nest NATS handler
 * (risk.var.calculate over 20 returns) in the same run. The echo runs where the service does: on
 * its own connection in this process when the service is in this process (bench:service), in a
 * process of its own (bench/nats-echo.ts) when the service is (`echoInOwnProcess`, bench:http), so
 * that both pay the same hops between processes.
 */
export async function runPreTradeBench(natsUrl: string, portfolioId: string, assets: string[], run: string, echoInOwnProcess = false): Promise<{ rows: BenchRow[]; figures: Record<string, number> }> {
  const rows: BenchRow[] = [];
  const figures: Record<string, number> = {};
  const client = await connect({ servers: natsUrl });
  const echo = await connect({ servers: natsUrl });
  const iterations = 5000;
  const methods = ['historical', 'parametric'];
  const requestOf = (method: string) =>
    new TextEncoder().encode(JSON.stringify({ portfolio_id: portfolioId, trades: [{ asset_id: assets[0], market_value_change: '25000' }], method, confidence: 99, lookback_days: 1000 }));
  try {
    // Warm: checks of both methods in turn for BENCH_PRETRADE_WARMUP_SECONDS (default 10) before
    // anything is timed. A few hundred checks fill the caches, but the what-if's code is still being
    // optimised for some seconds after (V8's compiler shares the 2 cores): timed from the 500th
    // check, the first method's p99 was 2.8–4.3 ms against 0.95–1.06 ms for the same checks 8 s later.
    const warmUntil = performance.now() + Number(process.env.BENCH_PRETRADE_WARMUP_SECONDS ?? 10) * 1000;
    const warmRequests = methods.map(requestOf);
    for (let i = 0; performance.now() < warmUntil; i++) await client.request('risk.pretrade.check', warmRequests[i % warmRequests.length], { timeout: 5000 });
    for (const method of methods) {
      const request = requestOf(method);
      const answer = await client.request('risk.pretrade.check', request, { timeout: 5000 });
      const text = new TextDecoder().decode(answer.data);
      if (!text.includes('"incremental_var"')) throw new Error(`risk.pretrade.check answered ${text}`);
      const replySize = answer.data.length;
      const subject = `bench.echo.${run}.${method}`;
      const stopEcho = echoInOwnProcess ? await echoProcess(natsUrl, subject, replySize) : echoHere(echo, subject, replySize);
      await echo.flush();
      const size = assets.length;
      // In turns (5 rounds of 1,000 each), so that the machine's drift falls on both alike.
      const [check, bare] = await measureAlternating(
        { suite: 'service', name: `risk.pretrade.check ${method} (10 assets × 1,000 dates)`, fn: () => client.request('risk.pretrade.check', request, { timeout: 5000 }) },
        { suite: 'baseline', name: `bare NATS echo${echoInOwnProcess ? ' in its own process' : ''}, same sizes (${request.length} B → ${replySize} B)`, fn: () => client.request(subject, request, { timeout: 5000 }) },
        size,
        iterations,
        5,
        500,
      );
      rows.push(check, bare);
      figures[`pretrade_${method}_p50_us`] = check.p50_us;
      figures[`pretrade_${method}_p99_us`] = check.p99_us;
      figures[`nats_echo_${method}_p50_us`] = bare.p50_us;
      figures[`nats_echo_${method}_p99_us`] = bare.p99_us;
      await stopEcho();
    }
    // The floor of a Nest NATS handler (deserializer, correlation / tracing interceptor, validation
    // pipe, serializer) with next to no work: a 20-return historical VaR.
    const floor = new TextEncoder().encode(JSON.stringify({ returns: Array.from({ length: 20 }, (_, i) => ((i * 7919) % 41) / 1000 - 0.02), confidence: 95 }));
    const handler = await measureAsync('service', 'risk.var.calculate, 20 returns (Nest handler floor)', 20, () => client.request('risk.var.calculate', floor, { timeout: 5000 }), iterations, 500);
    rows.push(handler);
    figures.nats_handler_floor_p50_us = handler.p50_us;
    figures.nats_handler_floor_p99_us = handler.p99_us;
  } finally {
    await Promise.all([client, echo].map((nc: NatsConnection) => nc.close()));
  }
  return { rows, figures };
}

/** The echo on `nc` (this process); answers how to stop it. */
function echoHere(nc: NatsConnection, subject: string, replySize: number): () => Promise<void> {
  const reply = new Uint8Array(replySize).fill(0x20);
  const sub = nc.subscribe(subject, { callback: (_err, m) => m.respond(reply) });
  return async () => sub.unsubscribe();
}

/** The echo in a child process (dist/bench/nats-echo.js), subscribed when this resolves; answers how to stop it. */
async function echoProcess(natsUrl: string, subject: string, replySize: number): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [join(__dirname, 'nats-echo.js'), natsUrl, subject, String(replySize)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([once(child.stdout!, 'data'), exited.then(() => [Buffer.from('exited')])])) as Buffer[];
  if (!line.toString().startsWith('ready')) throw new Error(`the NATS echo process did not start: ${line.toString()}`);
  return async () => {
    child.kill('SIGTERM');
    await exited;
  };
}
