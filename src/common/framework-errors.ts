import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CORRELATION_HEADER } from './correlation-id';
import { ErrorBody, toErrorBody } from './error-body';
import { DependencyUnavailableError } from './errors';

function send(reply: FastifyReply, body: ErrorBody): void {
  if (body.correlation_id) reply.header(CORRELATION_HEADER, body.correlation_id);
  reply.code(body.status_code).header('content-type', 'application/json; charset=utf-8').send(body);
}

/**
 * Fastify options under which the errors Fastify answers by itself come out as api.md's error body:
 * a bad percent-encoding (FST_ERR_BAD_URL, 400), an over-long path parameter
 * (FST_ERR_MAX_PARAM_LENGTH, 414), a malformed request the HTTP parser refuses (400, 408, 431),
 * and requests arriving while the server closes (503, see `registerClosingAnswer`).
 */
export function frameworkErrorOptions() {
  return {
    // Fastify's own 503 while closing has its own body: answered by registerClosingAnswer instead.
    return503OnClosing: false,
    frameworkErrors: (err: Error, request: FastifyRequest, reply: FastifyReply) => send(reply, toErrorBody(err, String(request.id))),
    clientErrorHandler: (err: Error & { code?: string }, socket: Socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const message =
        status === 408 ? 'the request did not arrive in time' : status === 431 ? 'the request headers are too large' : 'malformed HTTP request';
      const body = JSON.stringify(toErrorBody({ statusCode: status, message }, randomUUID()));
      if (socket.writable) {
        socket.write(
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
            `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy(err);
    },
  };
}

/**
 * While the server closes (after close() starts), a request that still arrives on an open
 * keep-alive connection is answered 503 with the error body and `Connection: close`, as Fastify's
 * return503OnClosing would, but in api.md's format. Register it first among onRequest hooks.
 */
export function registerClosingAnswer(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close').header('retry-after', '1');
    send(reply, toErrorBody(new DependencyUnavailableError('the service is shutting down: retry on another replica'), String(request.id)));
  });
}
