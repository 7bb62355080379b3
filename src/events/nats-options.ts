import { readFileSync } from 'node:fs';
import { ConnectionOptions, credsAuthenticator } from 'nats';
import { NatsCredentials } from '../config/app-config';

/**
 * The authentication and TLS options of every NATS connection the service opens (the events
 * connection and the request handlers' transport): user + password, a token, or a .creds file
 * (read at each connect, so a rotated file is picked up on reconnect), and TLS with a CA and a
 * client certificate when configured.
 */
export function natsAuthOptions(c: NatsCredentials): Partial<ConnectionOptions> {
  const tls = c.tls
    ? {
        ...(c.tls.caFile ? { caFile: c.tls.caFile } : {}),
        ...(c.tls.certFile ? { certFile: c.tls.certFile, keyFile: c.tls.keyFile } : {}),
      }
    : undefined;
  return {
    ...(c.user ? { user: c.user, pass: c.pass } : {}),
    ...(c.token ? { token: c.token } : {}),
    ...(c.credsFile ? { authenticator: credsAuthenticator(() => readFileSync(c.credsFile!)) } : {}),
    ...(tls ? { tls } : {}),
  };
}
