import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DrawdownEvent, DrawdownEventRepository } from '../drawdown-event.repository';
import { Tx } from '../transaction-runner';
import { date, dec, managerOf, num } from './sql';

@Injectable()
export class SqlDrawdownEventRepository extends DrawdownEventRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async insert(e: DrawdownEvent, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      'INSERT INTO drawdown_events (id, portfolio_id, from_status, to_status, drawdown, value, at) VALUES ($1,$2,$3,$4,$5,$6,$7)',
      [e.id, e.portfolioId, e.fromStatus, e.toStatus, e.drawdown, e.value, e.at],
    );
  }
  async list(portfolioId: string, tx?: Tx): Promise<DrawdownEvent[]> {
    const rows: Record<string, any>[] = await managerOf(this.ds, tx).query(
      'SELECT * FROM drawdown_events WHERE portfolio_id = $1 ORDER BY at DESC, created_at DESC LIMIT 1000',
      [portfolioId],
    );
    return rows.map((r) => ({
      id: r.id,
      portfolioId: r.portfolio_id,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      drawdown: num(r.drawdown),
      value: dec(r.value),
      at: date(r.at),
    }));
  }
}
