import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ExclusiveLease } from '../exclusive-lease';

/** The advisory-lock space of these leases (first key of pg_try_advisory_lock(int4, int4)): "RSKL". */
const LEASE_SPACE = 0x52534b4c;

@Injectable()
export class TypeOrmExclusiveLease extends ExclusiveLease {
  private session?: QueryRunner;
  private embeddedHeld = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Embedded PGlite serves one process: nothing to share, and a session held here would stall every other query. */
  private get embedded(): boolean {
    return !this.config.databaseUrl;
  }

  async tryAcquire(name: string): Promise<boolean> {
    if (this.embedded) return (this.embeddedHeld = true);
    if (this.session) return this.held();
    const session = this.ds.createQueryRunner();
    try {
      await session.connect();
      const [row] = (await session.query('SELECT pg_try_advisory_lock($1::int4, hashtext($2)) AS got', [LEASE_SPACE, name])) as { got: boolean }[];
      if (row.got) {
        this.session = session;
        return true;
      }
    } catch (err) {
      await session.release().catch(() => undefined);
      throw err; // the database is unavailable: the caller retries
    }
    await session.release().catch(() => undefined);
    return false;
  }

  async held(): Promise<boolean> {
    if (this.embedded) return this.embeddedHeld;
    if (!this.session) return false;
    try {
      // A session-level lock lasts as long as its session: a session that answers still holds it.
      await this.session.query('SELECT 1');
      return true;
    } catch {
      await this.release();
      return false;
    }
  }

  async release(): Promise<void> {
    this.embeddedHeld = false;
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    await session.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await session.release().catch(() => undefined);
  }
}
