import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DrawdownState, DrawdownStateRepository } from '../drawdown-state.repository';
import { Tx } from '../transaction-runner';
import { date, dec, managerOf, num } from './sql';

const toState = (r: Record<string, any>): DrawdownState => ({
  portfolioId: r.portfolio_id,
  peakValue: dec(r.peak_value),
  peakAt: date(r.peak_at),
  currentValue: dec(r.current_value),
  currentAt: date(r.current_at),
  maxDrawdown: num(r.max_drawdown),
  status: r.status,
  updatedAt: date(r.updated_at),
});

@Injectable()
export class SqlDrawdownStateRepository extends DrawdownStateRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async get(portfolioId: string, tx?: Tx, forUpdate = false): Promise<DrawdownState | null> {
    const rows = await managerOf(this.ds, tx).query(
      `SELECT * FROM drawdown_states WHERE portfolio_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [portfolioId],
    );
    return rows.length ? toState(rows[0]) : null;
  }
  async save(s: DrawdownState, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      `INSERT INTO drawdown_states (portfolio_id, peak_value, peak_at, current_value, current_at, max_drawdown, status, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,now())
       ON CONFLICT (portfolio_id) DO UPDATE SET peak_value=$2, peak_at=$3, current_value=$4, current_at=$5, max_drawdown=$6,
         status=$7, updated_at=now()`,
      [s.portfolioId, s.peakValue, s.peakAt, s.currentValue, s.currentAt, s.maxDrawdown, s.status],
    );
  }
}
