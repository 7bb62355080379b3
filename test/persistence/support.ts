import { randomUUID } from 'node:crypto';
import { Test, TestingModule } from '@nestjs/testing';
import { ConfigModule } from '../../src/config/config.module';
import { PersistenceModule } from '../../src/persistence/persistence.module';

/** A short unique suffix: suites share one database, so every test writes its own rows. */
export const uid = (): string => randomUUID().slice(0, 8);

/**
 * ConfigModule + PersistenceModule, initialised (migrations run). `env` overrides variables while
 * the module is built (undefined deletes one), then the previous environment comes back.
 */
export async function startPersistence(env: Record<string, string | undefined> = {}): Promise<TestingModule> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  setEnv(env);
  try {
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, PersistenceModule] }).compile();
    await moduleRef.init();
    return moduleRef;
  } finally {
    setEnv(saved);
  }
}

function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** Resolves when `check` holds, polling every 10 ms; rejects after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
