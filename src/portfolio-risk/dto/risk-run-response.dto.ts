import { ApiProperty } from '@nestjs/swagger';

/** 202 to POST /v1/risk-runs: the run was accepted; follow it with GET /v1/risk-runs/{id}. */
export class RiskRunAcceptedDto {
  @ApiProperty({ example: '0b8f1c2d-3e4a-4b5c-8d6e-7f8091a2b3c4', format: 'uuid' }) id!: string;
  @ApiProperty({ example: 200, description: 'Portfolios in the run: one task each' }) total!: number;
}

/** GET /v1/risk-runs/{id}: the progress of a run. */
export class RiskRunDto {
  @ApiProperty({ example: '0b8f1c2d-3e4a-4b5c-8d6e-7f8091a2b3c4', format: 'uuid' }) id!: string;
  @ApiProperty({
    example: 'running',
    enum: ['running', 'done', 'failed'],
    description: 'running until every task is settled; then done, or failed when no portfolio got a result',
  })
  status!: 'running' | 'done' | 'failed';
  @ApiProperty({ example: 200 }) total!: number;
  @ApiProperty({ example: 153, description: 'Portfolios whose result is stored (each stored once, with run_id, and checked against its limits)' }) done!: number;
  @ApiProperty({ example: 2, description: 'Portfolios without a result: no positions, missing or too few returns, deleted during the run' }) failed!: number;
  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' }) started_at!: string;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'When the last task was settled; null while running' }) finished_at!: string | null;
}
