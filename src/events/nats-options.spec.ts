import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from 'nats';
import { natsAuthOptions } from './nats-options';

describe('natsAuthOptions', () => {
  it('passes user and password, or a token, as nats.js options', () => {
    expect(natsAuthOptions({ user: 'risk-service', pass: 'p' })).toEqual({ user: 'risk-service', pass: 'p' });
    expect(natsAuthOptions({ token: 't' })).toEqual({ token: 't' });
    expect(natsAuthOptions({})).toEqual({});
  });

  it('maps the TLS files to nats.js tls options', () => {
    expect(natsAuthOptions({ tls: { caFile: '/ca.pem' } })).toEqual({ tls: { caFile: '/ca.pem' } });
    expect(natsAuthOptions({ tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' } })).toEqual({ tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' } });
  });

  it('builds a creds authenticator that reads the file at each connect (a rotated file is picked up)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'creds-'));
    const file = join(dir, 'svc.creds');
    const creds = (jwt: string, seed: Uint8Array) =>
      `-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${new TextDecoder().decode(seed)}\n------END USER NKEY SEED------\n`;
    try {
      const first = nkeys.createUser();
      writeFileSync(file, creds('jwt.one', first.getSeed()));
      const { authenticator } = natsAuthOptions({ credsFile: file });
      const auth = authenticator as (nonce?: string) => { jwt?: string; nkey?: string; sig?: string };
      expect(auth('nonce')).toMatchObject({ jwt: 'jwt.one', nkey: first.getPublicKey() });
      const second = nkeys.createUser();
      writeFileSync(file, creds('jwt.two', second.getSeed()));
      expect(auth('nonce')).toMatchObject({ jwt: 'jwt.two', nkey: second.getPublicKey() });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
