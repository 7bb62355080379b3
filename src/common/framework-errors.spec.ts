import net from 'node:net';
import Fastify, { FastifyInstance } from 'fastify';
import { frameworkErrorOptions, registerClosingAnswer } from './framework-errors';

/** Reads HTTP responses (status line, headers, Content-Length body) from one socket as they come. */
function responses(socket: net.Socket) {
  let buf = Buffer.alloc(0);
  const parsed: Array<{ status: number; headers: Record<string, string>; body: any }> = [];
  const waiters: Array<() => void> = [];
  socket.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [line, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? 0);
      if (buf.length < end + 4 + length) return;
      const text = buf.subarray(end + 4, end + 4 + length).toString('utf8');
      buf = buf.subarray(end + 4 + length);
      parsed.push({ status: Number(line.split(' ')[1]), headers, body: JSON.parse(text) });
      waiters.splice(0).forEach((w) => w());
    }
  });
  return async (n: number) => {
    while (parsed.length < n) await new Promise<void>((r) => waiters.push(r));
    return parsed;
  };
}

describe("Fastify's own answers as the api.md error body", () => {
  let app: FastifyInstance;
  let release!: () => void;
  let started!: Promise<void>;

  beforeEach(async () => {
    app = Fastify({ ...frameworkErrorOptions(), genReqId: () => 'corr-1' });
    registerClosingAnswer(app);
    let markStarted!: () => void;
    started = new Promise((r) => (markStarted = r));
    const held = new Promise<void>((r) => (release = r));
    app.get('/slow', async () => {
      markStarted();
      await held;
      return { ok: true };
    });
    app.get('/fast', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    release();
    await app.close();
  });

  it('answers a request that arrives while the server closes with 503 and the error body', async () => {
    const socket = net.connect((app.server.address() as net.AddressInfo).port, '127.0.0.1');
    const read = responses(socket);
    // A request still in flight keeps the connection busy (not closed as idle) when closing starts;
    // the second request arrives on it after that.
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await started;
    const closed = app.close();
    await new Promise((r) => setTimeout(r, 50));
    socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    release();
    const [first, second] = await read(2);
    socket.destroy();
    await closed;
    expect(first.status).toBe(200);
    expect(second.status).toBe(503);
    expect(second.body).toEqual({
      status_code: 503,
      error: 'Service Unavailable',
      error_type: 'DEPENDENCY_UNAVAILABLE',
      message: ['the service is shutting down: retry on another replica'],
      correlation_id: 'corr-1',
    });
    expect(second.headers.connection).toBe('close');
  });
});
