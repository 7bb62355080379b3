import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../config/app-config';
import { RiskLimit } from '../persistence/models';
import { RiskLimitRepository, Tx } from '../persistence/repositories';
import { EffectiveLimits, effectiveLimits } from './limits.service';

/** The limits in force at any time, from one portfolio's whole history of versions. */
export type LimitsAt = (at: Date) => EffectiveLimits;

interface Entry {
  stamp: string;
  history: RiskLimit[];
}

/**
 * Each portfolio's history of limit versions, kept in memory for the hot paths that evaluate many
 * figures of one portfolio (a batch of NAV updates: each update needs the limit in force at its own
 * time). The copy is trusted only while it matches the database: every use reads the history's stamp
 * (RiskLimitRepository.stamp: the number of versions and the newest created_at; versions are only
 * ever added) inside the caller's transaction, and reloads the history when it moved. So a version
 * written by any replica (or by any other writer of risk_limits) is seen by the next transaction that
 * starts after its commit, exactly as an uncached read would see it; there is no TTL. The caller holds
 * the portfolio's row lock, the lock LimitsService.put takes before adding a version, so the history
 * cannot change between the stamp and the evaluation.
 */
@Injectable()
export class LimitHistoryCache {
  private readonly entries = new LRUCache<string, Entry>({ max: 10_000 });

  constructor(
    private readonly limits: RiskLimitRepository,
    private readonly config: AppConfig,
  ) {}

  /** The limits in force at any time for `portfolioId`, valid inside `tx` (one small read when cached). */
  async inForce(portfolioId: string, tx: Tx): Promise<LimitsAt> {
    const stamp = await this.limits.stamp(portfolioId, tx);
    let entry = this.entries.get(portfolioId);
    if (!entry || entry.stamp !== stamp) {
      entry = { stamp, history: await this.limits.history(portfolioId, tx) };
      this.entries.set(portfolioId, entry);
    }
    const { history } = entry;
    // history is effective_date DESC, created_at DESC: the first version in effect at `at` is in force (findInForce's rule).
    return (at) => effectiveLimits(history.find((l) => l.effectiveDate.getTime() <= at.getTime()) ?? null, this.config);
  }
}
