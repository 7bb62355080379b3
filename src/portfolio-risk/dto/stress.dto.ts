import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, registerDecorator, ValidateIf, ValidateNested, ValidationArguments } from 'class-validator';
import { isIsoDate } from '../../common/date-array';
import { ID_MESSAGE, ID_PATTERN } from '../../common/ids';

export const STRESS_TYPES = ['shock', 'historical', 'worst_window'] as const;
export type StressType = (typeof STRESS_TYPES)[number];
/** Scenarios in one request. */
export const MAX_STRESS_SCENARIOS = 50;
/** Assets shocked in one scenario. */
export const MAX_SHOCKS = 10_000;
/** Longest worst window, in aligned dates (as lookback_days). */
export const MAX_WINDOW_DAYS = 100_000;
export const MAX_SCENARIO_NAME = 128;

/** The problem with a `shocks` value, or null: an object of asset id → a return ≥ −1 (finite). */
export function shocksProblem(value: unknown): string | null {
  if (value === undefined) return 'shocks is required for a scenario of type shock: { "<asset_id>": -0.2, … }';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'shocks must be an object of asset id → return, e.g. { "SMI": -0.2 }';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return 'shocks must name at least one asset';
  if (entries.length > MAX_SHOCKS) return `shocks names ${entries.length} assets: at most ${MAX_SHOCKS.toLocaleString('en')}`;
  for (const [id, shock] of entries) {
    if (!ID_PATTERN.test(id)) return `shocks.${id.slice(0, 70)}: an asset id ${ID_MESSAGE}`;
    if (typeof shock !== 'number' || !Number.isFinite(shock) || shock < -1) {
      return `shocks.${id} must be a finite return of at least -1 (e.g. -0.2 for a 20 % fall), got ${JSON.stringify(shock)}`;
    }
  }
  return null;
}

/**
 * A class-validator decorator from a function answering the problem with a value (its message,
 * naming the field) or null: one message per field, whatever is wrong with it.
 */
function Checked(name: string, problem: (value: unknown, object: Record<string, unknown>, field: string) => string | null): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    const field = String(propertyName);
    const of = (args?: ValidationArguments) => problem(args?.value, (args?.object ?? {}) as Record<string, unknown>, field);
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: field,
      validator: { validate: (_value: unknown, args?: ValidationArguments) => of(args) === null, defaultMessage: (args?: ValidationArguments) => of(args) ?? `${field} is invalid` },
    });
  };
}

/** A property of the scenario `type` given only: sent with another type it is refused (400), not ignored. */
const OnlyFor = (type: StressType) => Checked('onlyForStressType', (_value, o, field) => (o.type === type ? null : `${field} applies to scenarios of type ${type} only`));

const IsShocks = () => Checked('isShocks', shocksProblem);

const IsIsoDay = () =>
  Checked('isIsoDay', (value, _o, field) => {
    if (isIsoDate(value)) return null;
    return value === undefined
      ? `${field} is required for a scenario of type historical (a YYYY-MM-DD date)`
      : `${field} must be a YYYY-MM-DD calendar date (got ${JSON.stringify(value)})`;
  });

const IsWindowDays = () =>
  Checked('isWindowDays', (value) => {
    if (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_WINDOW_DAYS) return null;
    return value === undefined
      ? 'days is required for a scenario of type worst_window (the window length in aligned dates)'
      : `days must be an integer from 1 to ${MAX_WINDOW_DAYS.toLocaleString('en')} (aligned dates), got ${JSON.stringify(value)}`;
  });

function nameProblem(value: unknown): string | null {
  if (value === undefined) return `name is required (a label of 1 to ${MAX_SCENARIO_NAME} characters)`;
  if (typeof value !== 'string') return 'name must be a string';
  if (!/\S/.test(value)) return 'name must not be blank';
  if (value.length > MAX_SCENARIO_NAME) return `name must be at most ${MAX_SCENARIO_NAME} characters, got ${value.length}`;
  return null;
}

const IsScenarioName = () => Checked('isScenarioName', nameProblem);

/** The problem with a `scenarios` value as a list (its items are validated each), or null. */
function scenarioListProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'scenarios must be an array of scenarios';
  if (value.length === 0) return 'scenarios must hold at least one scenario';
  if (value.length > MAX_STRESS_SCENARIOS) return `scenarios holds ${value.length} scenarios: at most ${MAX_STRESS_SCENARIOS} in one request`;
  const bad = value.findIndex((s) => typeof s !== 'object' || s === null || Array.isArray(s));
  return bad < 0 ? null : `scenarios[${bad}] must be a scenario object: { "name", "type", … }`;
}

const IsScenarioList = () => Checked('isScenarioList', scenarioListProblem);

const given = (field: 'shocks' | 'from' | 'to' | 'days', type: StressType) => (o: Record<string, unknown>) => o.type === type || o[field] !== undefined;

/** One scenario of POST /v1/portfolios/:id/stress; the fields of the other types are refused. */
export class StressScenarioDto {
  @ApiProperty({ example: 'equity crash', maxLength: MAX_SCENARIO_NAME, description: 'Your label, echoed back; unique within the request' })
  @IsScenarioName()
  name!: string;

  @ApiProperty({
    enum: STRESS_TYPES,
    example: 'shock',
    description:
      'shock: Rᵢ = the given shock (assets not listed: 0); historical: Rᵢ = Π(1 + rᵢ,t) − 1 over the asset\'s own stored dates in [from, to]; ' +
      'worst_window: the `days` consecutive aligned dates with the lowest compounded portfolio return (earliest on a tie), Rᵢ compounded over them',
  })
  @IsIn(STRESS_TYPES)
  type!: StressType;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number', minimum: -1 },
    example: { SMI: -0.2, CAC: -0.15 },
    description: `shock only: asset id → its return under the scenario, a fraction ≥ −1 (−0.2 = a 20 % fall; −1 wipes the position out); 1 to ${MAX_SHOCKS.toLocaleString('en')} assets, each held by the portfolio (else 422)`,
  })
  @ValidateIf(given('shocks', 'shock')) @OnlyFor('shock') @IsShocks()
  shocks?: Record<string, number>;

  @ApiPropertyOptional({ example: '1998-07-20', format: 'date', description: 'historical only: first date of the range (inclusive), YYYY-MM-DD' })
  @ValidateIf(given('from', 'historical')) @OnlyFor('historical') @IsIsoDay()
  from?: string;

  @ApiPropertyOptional({ example: '1998-10-05', format: 'date', description: 'historical only: last date of the range (inclusive), YYYY-MM-DD, not before `from`; every asset needs a stored return in [from, to] (else 422)' })
  @ValidateIf(given('to', 'historical')) @OnlyFor('historical') @IsIsoDay()
  to?: string;

  @ApiPropertyOptional({ example: 10, minimum: 1, maximum: MAX_WINDOW_DAYS, description: 'worst_window only: k, the window length in aligned dates; at most the dates the assets share (else 422)' })
  @ValidateIf(given('days', 'worst_window')) @OnlyFor('worst_window') @IsWindowDays()
  days?: number;
}

/** Body of POST /v1/portfolios/:id/stress. */
export class StressRequestDto {
  @ApiProperty({ type: [StressScenarioDto], minItems: 1, maxItems: MAX_STRESS_SCENARIOS, description: `1 to ${MAX_STRESS_SCENARIOS} scenarios, answered in this order` })
  @IsScenarioList()
  @ValidateNested({ each: true })
  @Type(() => StressScenarioDto)
  scenarios!: StressScenarioDto[];
}

export class StressAssetDto {
  @ApiProperty({ example: 'SMI' }) asset_id!: string;
  @ApiProperty({ example: -0.2, description: 'Rᵢ, the asset\'s return under the scenario (a fraction)' }) return!: number;
  @ApiProperty({ example: '-120000.00', description: 'vᵢ Rᵢ in money, 2 places half-even' }) pnl!: string;
}

export class StressScenarioResultDto {
  @ApiProperty({ example: 'equity crash' }) name!: string;
  @ApiProperty({ enum: STRESS_TYPES, example: 'shock' }) type!: StressType;
  @ApiPropertyOptional({ example: '1997-10-14', description: 'historical: the requested first date; worst_window: the first date of the worst window found' }) from?: string;
  @ApiPropertyOptional({ example: '1997-10-28', description: 'historical: the requested last date; worst_window: the last date of the worst window found' }) to?: string;
  @ApiPropertyOptional({ example: 10, description: 'worst_window: the window length asked for' }) days?: number;
  @ApiProperty({ example: '-180000.00', description: 'Σ vᵢRᵢ of the unrounded asset terms, then rounded half-even to 2 places (may differ from the sum of the rounded lines by a cent per asset)' }) pnl!: string;
  @ApiProperty({ example: -0.18, description: 'The unrounded total P&L / portfolio_value (a fraction)' }) pnl_return!: number;
  @ApiProperty({ type: [StressAssetDto], description: 'One line per position of the book, in the order of the positions' }) assets!: StressAssetDto[];
}

/** Answer of POST /v1/portfolios/:id/stress: not stored, no event. */
export class StressResponseDto {
  @ApiProperty({ example: 'desk-7' }) portfolio_id!: string;
  @ApiProperty({ example: '1000000.00', description: 'Σ vᵢ, the market values of the book' }) portfolio_value!: string;
  @ApiProperty({ type: [StressScenarioResultDto] }) scenarios!: StressScenarioResultDto[];
}
