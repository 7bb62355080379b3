import { connect } from 'nats';

/**
 * A bare NATS responder in a process of its own (the service's arrangement): answers every request
 * on `subject` with `replySize` spaces. Usage: node dist/bench/nats-echo.js <nats url> <subject> <reply size>;
 * prints "ready" once subscribed, ends on SIGTERM.
 */
async function main(): Promise<void> {
  const [url, subject, size] = process.argv.slice(2);
  const nc = await connect({ servers: url });
  const reply = new Uint8Array(Number(size)).fill(0x20);
  nc.subscribe(subject, { callback: (_err, m) => m.respond(reply) });
  await nc.flush();
  process.on('SIGTERM', () => void nc.close().then(() => process.exit(0)));
  console.log('ready');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
