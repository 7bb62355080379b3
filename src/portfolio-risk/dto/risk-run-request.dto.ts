import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationArguments } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../../common/ids';
import { PortfolioRiskRequestDto } from './portfolio-risk-request.dto';

/** At most this many ids in one list ("*" has no limit). */
export const MAX_RUN_PORTFOLIOS = 10_000;

/** The problem with a `portfolios` value, or null when it is "*" or a list of distinct, well-formed ids. */
export function portfolioSelectionProblem(value: unknown): string | null {
  if (value === '*') return null;
  if (!Array.isArray(value)) return 'portfolios must be "*" (every portfolio) or an array of portfolio ids';
  if (value.length === 0) return 'portfolios must not be empty: send "*" for every portfolio';
  if (value.length > MAX_RUN_PORTFOLIOS) return `portfolios has ${value.length} ids: at most ${MAX_RUN_PORTFOLIOS} in one run (or "*")`;
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const id: unknown = value[i];
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) return `portfolios[${i}] ${ID_MESSAGE}`;
    if (seen.has(id)) return `portfolios[${i}] repeats ${id}`;
    seen.add(id);
  }
  return null;
}

function IsPortfolioSelection(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isPortfolioSelection',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => portfolioSelectionProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) => portfolioSelectionProblem(args?.value) ?? 'portfolios is invalid',
      },
    });
}

/** POST /v1/risk-runs: which portfolios, and the stored-VaR calculation each of them gets. */
export class RiskRunRequestDto extends PortfolioRiskRequestDto {
  @ApiProperty({
    oneOf: [{ type: 'string', enum: ['*'] }, { type: 'array', items: { type: 'string', pattern: ID_PATTERN.source }, minItems: 1, maxItems: MAX_RUN_PORTFOLIOS }],
    example: ['desk-7', 'desk-8'],
    description: `"*" for every portfolio, or a list of distinct portfolio ids (1 to ${MAX_RUN_PORTFOLIOS.toLocaleString('en')}); an unknown id is 404 and nothing starts.`,
  })
  @IsPortfolioSelection()
  portfolios!: '*' | string[];
}

/** One task of a run as it travels on the RISK_RUNS work queue (risk.runs.task). */
export interface RiskRunTaskMessage {
  run_id: string;
  portfolio_id: string;
}
