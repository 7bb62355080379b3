import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { Xoshiro128 } from '../math';
import { AppValidationPipe } from './app-validation.pipe';
import { fastValidatorFor } from './fast-validation';
import { numericArraysOf } from './numeric-array';
import { RiskRequestDto, VAR_METHODS } from '../calculation/dto/risk-request.dto';
import { PreTradeMessageDto, TradeDto, WhatIfRequestDto } from '../portfolio-risk/dto/what-if.dto';

/** Every DTO class of the service: the exports of src/**\/dto/*.ts with class-validator decorators. */
function dtoClasses(): Array<new () => object> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\/dto\/[^/]+\.ts$/.test(path) && !path.endsWith('.spec.ts')) files.push(path);
    }
  };
  walk(join(__dirname, '..'));
  const storage = getMetadataStorage();
  const classes = new Set<new () => object>();
  for (const file of files) {
    for (const value of Object.values(require(file) as Record<string, unknown>)) {
      if (typeof value === 'function' && storage.getTargetValidationMetadatas(value, '', false, false).length > 0) classes.add(value as new () => object);
    }
  }
  return [...classes];
}

const GENERIC: unknown[] = [
  0, 1, -1, 0.5, -0.5, 1.5, 50, 95, 99, 99.9, 100, 250, 251, 1_000_000, 1_000_001, 4294967295, 4294967296, 1e308, -1e-300, 2 ** 53,
  '', 'abc', '1', '1000000', '12.34', '-5', '1e3', '0.00', ' 1', '2024-01-02', '2024-02-30', 'a'.repeat(129), 'EQUITY', 'historical',
  true, false, [], [1, 2], ['2024-01-02', '2024-01-03'], ['x'], [null], {}, { a: 1 }, null,
];

/** Values worth trying for one property: its IsIn choices and the numbers around its Min / Max, then the generic pool. */
function candidates(cls: Function, property: string): unknown[] {
  const out: unknown[] = [];
  for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false)) {
    if (m.propertyName !== property || m.type !== ValidationTypes.CUSTOM_VALIDATION) continue;
    for (const c of (m.constraints ?? []) as unknown[]) {
      if (Array.isArray(c)) out.push(...c, [c[0]], c.slice(0, 2));
      else if (typeof c === 'number') out.push(c, c - 1, c + 1, c - 0.5, c + 0.5);
    }
  }
  return [...out, ...GENERIC];
}

// The reference: Nest's ValidationPipe with the options of AppValidationPipe, without the fast path.
const reference = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/** A body through the fast path and through the reference (each on its own copy). */
async function bothPaths(cls: new () => object, body: Record<string, unknown>): Promise<{ quick: object | null; slow: unknown; refused: boolean }> {
  const quick = fastValidatorFor(cls)!(structuredClone(body));
  try {
    return { quick, slow: await reference.transform(structuredClone(body), { type: 'body', metatype: cls }), refused: false };
  } catch {
    return { quick, slow: undefined, refused: true };
  }
}

describe('fast validation (the pipe\'s accept-only path)', () => {
  const classes = dtoClasses();

  it('finds the service\'s DTO classes', () => {
    expect(classes.length).toBeGreaterThan(15);
    expect(classes).toContain(RiskRequestDto);
  });

  it('accepts exactly what class-validator accepts, and gives the same DTO, on 400 random bodies per DTO', async () => {
    const rng = new Xoshiro128(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.nextDouble() * xs.length)];
    let fastAccepted = 0;
    for (const cls of classes) {
      const fast = fastValidatorFor(cls);
      if (!fast) continue;
      const arrays = numericArraysOf(cls);
      const properties = [...new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false).map((m) => m.propertyName))].filter((p) => !arrays?.has(p));
      for (let i = 0; i < 400; i++) {
        const body: Record<string, unknown> = {};
        // Mostly a few fields from the likely values; now and then an unknown field.
        for (const p of properties) if (rng.nextDouble() < 0.6) body[p] = pick(candidates(cls, p));
        if (rng.nextDouble() < 0.05) body.unknown_field = 1;
        for (const k of Object.keys(body)) if (body[k] === null) delete body[k]; // null is absent (nullFieldsAsAbsent runs first)
        const { quick, slow, refused } = await bothPaths(cls, body);
        if (quick !== null) {
          fastAccepted++;
          expect({ cls: cls.name, body, refused }).toEqual({ cls: cls.name, body, refused: false });
          expect(Object.getPrototypeOf(quick)).toBe(cls.prototype);
          expect(quick).toEqual(slow);
        }
      }
    }
    expect(fastAccepted).toBeGreaterThan(500);
  });

  it('takes the fast path for a usual POST /v1/var body and leaves every error to class-validator', async () => {
    expect(fastValidatorFor(RiskRequestDto)!({ confidence: 99, portfolio_value: '1000000', method: 'parametric' })).toBeInstanceOf(RiskRequestDto);
    expect(fastValidatorFor(RiskRequestDto)!({ confidence: 'high' })).toBeNull();
    expect(fastValidatorFor(RiskRequestDto)!({ horizon_days: 0 })).toBeNull();
    expect(fastValidatorFor(RiskRequestDto)!({ extra: 1 })).toBeNull();
    const pipe = new AppValidationPipe();
    await expect(pipe.transform({ returns: [0.01, -0.02], confidence: 'high', horizon_days: 0 }, { type: 'body', metatype: RiskRequestDto })).rejects.toMatchObject({
      messages: expect.arrayContaining(['confidence must be a number (a percentage, e.g. 95)', 'horizon_days must not be less than 1']),
    });
    const dto = (await pipe.transform({ returns: [0.01, -0.02], confidence: 99 }, { type: 'body', metatype: RiskRequestDto })) as RiskRequestDto;
    expect(dto).toBeInstanceOf(RiskRequestDto);
    expect(Array.from(dto.returns)).toEqual([0.01, -0.02]);
    expect(dto.confidence).toBe(99);
  });

  it('takes the fast path for a pre-trade check (an array of trades) and leaves every error, nested ones included, to class-validator', async () => {
    const fast = fastValidatorFor(PreTradeMessageDto)!;
    const ok = fast({ portfolio_id: 'desk-7', trades: [{ asset_id: 'CAC', market_value_change: '25000' }, { asset_id: 'SMI', market_value_change: -5 }], confidence: 99 }) as PreTradeMessageDto;
    expect(ok).toBeInstanceOf(PreTradeMessageDto);
    expect(ok.trades.map((t) => t instanceof TradeDto)).toEqual([true, true]);
    expect(ok.trades[1]).toEqual({ asset_id: 'SMI', market_value_change: -5 });
    for (const trades of [[{ asset_id: 'bad id!', market_value_change: '1' }], [{ asset_id: 'CAC', market_value_change: '1', extra: 1 }], ['CAC'], [[{ asset_id: 'CAC', market_value_change: '1' }]], { asset_id: 'CAC', market_value_change: '1' }, []]) {
      expect(fast({ portfolio_id: 'desk-7', trades })).toBeNull();
    }
    const pipe = new AppValidationPipe();
    await expect(pipe.transform({ portfolio_id: 'desk-7', trades: [{ asset_id: 'CAC', market_value_change: '12abc' }] }, { type: 'body', metatype: PreTradeMessageDto })).rejects.toMatchObject({
      messages: [expect.stringContaining('market_value_change')],
    });
  });

  it('accepts exactly the what-if and pre-trade bodies class-validator accepts, with the same DTO and TradeDto elements, on 2,000 near-valid random bodies', async () => {
    const rng = new Xoshiro128(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.nextDouble() * xs.length)];
    // Each field: a valid value 80 % of the time, else one that is wrong in some way.
    const field = (valid: unknown[], invalid: unknown[]) => (rng.nextDouble() < 0.8 ? pick(valid) : pick(invalid));
    const trade = (): unknown => {
      if (rng.nextDouble() < 0.03) return pick(['CAC', 1, null, [], [{ asset_id: 'CAC', market_value_change: '1' }]]);
      const t: Record<string, unknown> = {};
      if (rng.nextDouble() < 0.97) t.asset_id = field(['CAC', 'SMI', 'x.y:z-1', 'A'.repeat(64)], ['bad id!', '', 5, 'A'.repeat(65), ['CAC'], {}]);
      if (rng.nextDouble() < 0.97) t.market_value_change = field(['25000', -5, '-250000.50', 0, '1e3', '0.001'], ['12abc', '+1', 1e30, '', true, [1]]);
      if (rng.nextDouble() < 0.03) t.extra = 1;
      return t;
    };
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const cls = i % 2 ? PreTradeMessageDto : WhatIfRequestDto;
      const body: Record<string, unknown> = {};
      if (cls === PreTradeMessageDto && rng.nextDouble() < 0.97) body.portfolio_id = field(['desk-7', 'P1'], ['bad id!', '', 7]);
      if (rng.nextDouble() < 0.97) body.trades = rng.nextDouble() < 0.95 ? Array.from({ length: Math.floor(rng.nextDouble() * 4) }, trade) : pick(['CAC', {}, 3]);
      if (rng.nextDouble() < 0.5) body.method = field([...VAR_METHODS], ['magic', 1]);
      if (rng.nextDouble() < 0.5) body.confidence = field([95, 99, 99.9], ['95', [99]]);
      if (rng.nextDouble() < 0.5) body.horizon_days = field([1, 10, 250], [0, 251, 1.5]);
      if (rng.nextDouble() < 0.5) body.lookback_days = field([2, 252, 1000], [1, 100_001, '252']);
      if (rng.nextDouble() < 0.03) body.unknown_field = 1;
      const { quick, slow, refused } = await bothPaths(cls, body);
      if (quick === null) continue;
      accepted++;
      expect({ body, refused }).toEqual({ body, refused: false });
      expect(Object.getPrototypeOf(quick)).toBe(cls.prototype);
      expect(quick).toEqual(slow);
      for (const t of (quick as WhatIfRequestDto).trades) expect(Object.getPrototypeOf(t)).toBe(TradeDto.prototype);
    }
    expect(accepted).toBeGreaterThan(200);
  });
});
