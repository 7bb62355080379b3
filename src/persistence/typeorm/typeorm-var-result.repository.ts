import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThanOrEqual } from 'typeorm';
import { VarResultEntity } from '../entities';
import { Tx } from '../transaction-runner';
import { VarResult, VarResultRepository } from '../var-result.repository';
import { DuplicateKeyError } from '../errors';
import { isUniqueViolation, managerOf } from './sql';

const toModel = (e: VarResultEntity): VarResult => ({
  id: e.id,
  portfolioId: e.portfolioId,
  kind: e.kind,
  method: e.method,
  confidenceLevel: e.confidenceLevel,
  horizonDays: e.horizonDays,
  scaling: e.scaling,
  varReturn: e.varReturn,
  var: e.var,
  cvarReturn: e.cvarReturn,
  cvar: e.cvar,
  portfolioValue: e.portfolioValue,
  observations: e.observations,
  fromDate: e.fromDate,
  toDate: e.toDate,
  contributions: e.contributions,
  lambda: e.lambda,
  sigmaForecast: e.sigmaForecast,
  limitCheck: e.limitCheck,
  correlationId: e.correlationId,
  calculatedAt: e.calculatedAt,
  runId: e.runId,
});

@Injectable()
export class TypeOrmVarResultRepository extends VarResultRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async insert(r: VarResult, tx?: Tx): Promise<void> {
    try {
      await managerOf(this.ds, tx).insert(VarResultEntity, { ...r });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateKeyError(`risk run ${r.runId} has a result for portfolio ${r.portfolioId} already`);
      throw err;
    }
  }

  async history(portfolioId: string, opts: { since?: Date; limit: number }, tx?: Tx): Promise<VarResult[]> {
    const rows = await managerOf(this.ds, tx).find(VarResultEntity, {
      where: { portfolioId, ...(opts.since ? { calculatedAt: MoreThanOrEqual(opts.since) } : {}) },
      order: { calculatedAt: 'DESC', id: 'DESC' },
      take: opts.limit,
    });
    return rows.map(toModel);
  }
}
