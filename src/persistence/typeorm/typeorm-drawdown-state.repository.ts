import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DrawdownState, DrawdownStateRepository } from '../drawdown-state.repository';
import { DrawdownStateEntity } from '../entities';
import { normaliseDecimal } from '../entities/transformers';
import { StaleVersionError } from '../errors';
import { Tx } from '../transaction-runner';
import { lockIf, managerOf, resultRows } from './sql';

const toModel = (e: DrawdownStateEntity): DrawdownState => ({
  portfolioId: e.portfolioId,
  peakValue: e.peakValue,
  peakAt: e.peakAt,
  currentValue: e.currentValue,
  currentAt: e.currentAt,
  maxDrawdown: e.maxDrawdown,
  status: e.status,
  updatedAt: e.updatedAt,
  version: e.version,
});

const COLUMNS = 'portfolio_id, peak_value, peak_at, current_value, current_at, max_drawdown, status';
const SET = 'peak_value = $2, peak_at = $3, current_value = $4, current_at = $5, max_drawdown = $6, status = $7, updated_at = now()';

@Injectable()
export class TypeOrmDrawdownStateRepository extends DrawdownStateRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async get(portfolioId: string, tx?: Tx, forUpdate = false): Promise<DrawdownState | null> {
    const row = await managerOf(this.ds, tx).findOne(DrawdownStateEntity, { where: { portfolioId }, ...lockIf(tx, forUpdate) });
    return row ? toModel(row) : null;
  }

  async save(s: DrawdownState, tx?: Tx): Promise<number> {
    const params = [s.portfolioId, normaliseDecimal(s.peakValue), s.peakAt, normaliseDecimal(s.currentValue), s.currentAt, s.maxDrawdown, s.status];
    const m = managerOf(this.ds, tx);
    let sql: string;
    if (s.version === undefined) {
      sql = `INSERT INTO drawdown_states (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7)
             ON CONFLICT (portfolio_id) DO UPDATE SET ${SET}, version = drawdown_states.version + 1 RETURNING version`;
    } else if (s.version === 0) {
      sql = `INSERT INTO drawdown_states (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (portfolio_id) DO NOTHING RETURNING version`;
    } else {
      sql = `UPDATE drawdown_states SET ${SET}, version = version + 1 WHERE portfolio_id = $1 AND version = $8 RETURNING version`;
      params.push(s.version);
    }
    const rows = resultRows<{ version: number }>(await m.query(sql, params));
    if (rows.length === 0) throw new StaleVersionError(`drawdown state of ${s.portfolioId} changed since version ${s.version}`);
    return rows[0].version;
  }
}
