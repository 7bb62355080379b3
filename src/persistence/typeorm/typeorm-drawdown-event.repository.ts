import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DrawdownEvent, DrawdownEventRepository } from '../drawdown-event.repository';
import { DrawdownEventEntity } from '../entities';
import { Tx } from '../transaction-runner';
import { managerOf } from './sql';

const toModel = (e: DrawdownEventEntity): DrawdownEvent => ({
  id: e.id,
  portfolioId: e.portfolioId,
  fromStatus: e.fromStatus,
  toStatus: e.toStatus,
  drawdown: e.drawdown,
  value: e.value,
  at: e.at,
});

@Injectable()
export class TypeOrmDrawdownEventRepository extends DrawdownEventRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async insert(e: DrawdownEvent, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).insert(DrawdownEventEntity, { ...e });
  }

  async list(portfolioId: string, tx?: Tx): Promise<DrawdownEvent[]> {
    const rows = await managerOf(this.ds, tx).find(DrawdownEventEntity, {
      where: { portfolioId },
      order: { at: 'DESC', createdAt: 'DESC' },
      take: 1000,
    });
    return rows.map(toModel);
  }
}
