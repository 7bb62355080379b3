import { PassThrough } from 'node:stream';
import { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { CsvBody } from '../../src/common/csv-body';
import { UnsupportedMediaTypeError, ValidationError } from '../../src/common/errors';
import { ReturnsRepository } from '../../src/persistence/repositories';
import { ReturnSeriesCache } from '../../src/persistence/return-series.cache';
import { PortfoliosModule } from '../../src/portfolios/portfolios.module';
import { PortfoliosService } from '../../src/portfolios/portfolios.service';
import { loadReference, simpleReturns } from '../support/reference';
import { startServices, uid } from './support';

const ref = loadReference();
/** 300 closes of each index, from the reference data (R's EuStockMarkets). */
const SMI_CLOSES = ref.series.SMI.prices.slice(0, 300);
const CAC_CLOSES = ref.series.CAC.prices.slice(0, 300);
const DAYS = Array.from({ length: 300 }, (_, i) => new Date(Date.UTC(1991, 6, 1) + i * 86_400_000).toISOString().slice(0, 10));

/** A text/csv body as the content parser hands it to the service (a stream, read once). */
const csv = (text: string) => {
  const stream = new PassThrough();
  stream.end(text);
  return new CsvBody(stream, 32 * 1024 * 1024);
};
const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

describe('returns ingestion (PortfoliosService)', () => {
  let moduleRef: TestingModule;
  let svc: PortfoliosService;
  let returns: ReturnsRepository;

  beforeAll(async () => {
    moduleRef = await startServices(PortfoliosModule);
    svc = moduleRef.get(PortfoliosService);
    returns = moduleRef.get(ReturnsRepository);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  const stored = async (asset: string) => {
    const s = (await returns.getSeries([asset])).get(asset);
    return s ? { dates: s.dates, values: Array.from(s.values) } : undefined;
  };
  /** The validation messages of a refused call (it must be refused). */
  const refusal = async (p: Promise<unknown>): Promise<string[]> => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).messages;
  };
  const narrowCsv = (values: number[], dates = DAYS) => lines('date,return_pct', ...values.map((r, i) => `${dates[i]},${r}`));

  describe('the plausibility guard', () => {
    it('refuses 1.2 (meant as 1.2 %), naming the row and saying that 0.012 means 1.2 %, and writes nothing', async () => {
      const asset = `G-${uid()}`;
      const messages = await refusal(svc.ingestReturns(asset, csv(lines('date,return_pct', '2024-01-02,0.004', '2024-01-03,1.2', '2024-01-04,-0.003'))));
      expect(messages).toEqual(['line 3: return_pct 1.2 is a move of +120 %, beyond ±0.5: returns are fractions (0.012 means 1.2 %); send ?allow_extreme=true if the move is real']);
      expect(await stored(asset)).toBeUndefined();
    });

    it('accepts 1.2 with allow_extreme', async () => {
      const asset = `G-${uid()}`;
      const r = await svc.ingestReturns(asset, csv(lines('date,return_pct', '2024-01-02,0.004', '2024-01-03,1.2')), { allowExtreme: true });
      expect(r).toEqual({ asset_id: asset, inserted: 2, updated: 0, received: 2 });
      expect(await stored(asset)).toEqual({ dates: ['2024-01-02', '2024-01-03'], values: [0.004, 1.2] });
    });

    it('names every JSON row beyond ±0.5 by its index, and lets exactly ±0.5 through', async () => {
      const asset = `G-${uid()}`;
      const body = [{ date: '2024-01-02', return_pct: 0.5 }, { date: '2024-01-03', return_pct: -0.5 }, { date: '2024-01-04', return_pct: -0.75 }, { date: '2024-01-05', return_pct: 3 }];
      const messages = await refusal(svc.ingestReturns(asset, body));
      expect(messages.map((m) => m.split(':')[0])).toEqual(['[2]', '[3]']);
      expect(messages[0]).toMatch(/^\[2\]: return_pct -0\.75 is a move of -75 %/);
      expect(await svc.ingestReturns(asset, body.slice(0, 2))).toMatchObject({ inserted: 2 });
    });
  });

  describe('a wide CSV (PUT /v1/returns)', () => {
    it('stores the same returns as one narrow upload per asset, empty cells skipped', async () => {
      const [smiW, cacW, smiN, cacN] = [`SMI-W-${uid()}`, `CAC-W-${uid()}`, `SMI-N-${uid()}`, `CAC-N-${uid()}`];
      const smi = simpleReturns(SMI_CLOSES);
      const cac = simpleReturns(CAC_CLOSES);
      // CAC has no value on every 7th day: an empty cell
      const rows = smi.map((r, i) => `${DAYS[i]},${r},${i % 7 === 3 ? '' : cac[i]}`);
      const counts = await svc.ingestWide(csv(lines(`date,${smiW},${cacW}`, ...rows)));
      const cacKept = cac.map((r, i) => [DAYS[i], r] as const).filter((_, i) => i % 7 !== 3);
      expect(counts).toEqual({ [smiW]: { inserted: smi.length, updated: 0 }, [cacW]: { inserted: cacKept.length, updated: 0 } });
      await svc.ingestReturns(smiN, csv(narrowCsv(smi)));
      await svc.ingestReturns(cacN, cacKept.map(([date, r]) => ({ date, return_pct: r })));
      expect(await stored(smiW)).toEqual(await stored(smiN));
      expect(await stored(cacW)).toEqual(await stored(cacN));
    });

    it('answers each asset its own counts on a second upload: unchanged, updated and new rows', async () => {
      const [a, b] = [`A-${uid()}`, `B-${uid()}`];
      await svc.ingestWide(csv(lines(`date,${a},${b}`, '2024-01-02,0.01,0.02', '2024-01-03,0.03,')));
      const again = await svc.ingestWide(csv(lines(`date,${a},${b}`, '2024-01-02,0.01,0.025', '2024-01-03,0.03,0.04')));
      expect(again).toEqual({ [a]: { inserted: 0, updated: 0 }, [b]: { inserted: 1, updated: 1 } });
    });

    it('bumps the series version of every changed asset and drops their cached series', async () => {
      const [a, b] = [`V-${uid()}`, `V-${uid()}`];
      await svc.ingestWide(csv(lines(`date,${a},${b}`, '2024-01-02,0.01,0.02')));
      const cache = moduleRef.get(ReturnSeriesCache);
      await cache.getSeries([a, b]); // now cached
      const before = await returns.versions([a, b]);
      await svc.ingestWide(csv(lines(`date,${a},${b}`, '2024-01-02,0.015,0.025')));
      const after = await returns.versions([a, b]);
      expect([after.get(a), after.get(b)]).toEqual([String(Number(before.get(a)) + 1), String(Number(before.get(b)) + 1)]);
      expect(Array.from((await cache.getSeries([a, b])).get(b)!.values)).toEqual([0.025]);
    });

    it('writes nothing when one cell is bad, naming every bad cell by line and asset', async () => {
      const [a, b] = [`X-${uid()}`, `Y-${uid()}`];
      const messages = await refusal(svc.ingestWide(csv(lines(`date,${a},${b}`, '2024-01-02,0.01,0.02', '2024-01-03,abc,0.9', '2024-01-32,0.01,', '2024-01-05,0.01'))));
      expect(messages).toEqual([
        `line 3: ${a} must be a number (got "abc")`,
        `line 3: ${b} 0.9 is a move of +90 %, beyond ±0.5: returns are fractions (0.012 means 1.2 %); send ?allow_extreme=true if the move is real`,
        'line 4: date 2024-01-32 is not a calendar date',
        'line 5: expected 3 fields (date and one per asset, empty for no value), got 2',
      ]);
      expect(await returns.getSeries([a, b])).toEqual(new Map());
    });

    it('refuses a bad header at line 1: an invalid or repeated asset id, or the narrow column name', async () => {
      expect(await refusal(svc.ingestWide(csv(lines('date,A B,C,C', '2024-01-02,0.01,0.02,0.03'))))).toEqual([
        'line 1: column 2: an asset id must be 1 to 64 characters of letters, digits and . _ : - (got "A B")',
        'line 1: asset C appears twice (columns 3 and 4)',
      ]);
      expect((await refusal(svc.ingestWide(csv(lines('date,return_pct', '2024-01-02,0.01')))))[0]).toMatch(/^line 1: column 2 is "return_pct", the narrow format's column/);
      expect(await refusal(svc.ingestWide(csv(lines('when,A', '2024-01-02,0.01'))))).toEqual(['line 1: the header must be date,<asset_id>,<asset_id>,… (got "when,A")']);
    });

    it('takes text/csv only (415 for JSON rows)', async () => {
      await expect(svc.ingestWide([{ date: '2024-01-02', return_pct: 0.01 }])).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
    });

    it('writes one audit entry per asset', async () => {
      const [a, b] = [`AU-${uid()}`, `AU-${uid()}`];
      await svc.ingestWide(csv(lines(`date,${a},${b}`, '2024-01-02,0.01,0.02')));
      const rows = await moduleRef.get(DataSource).query(`SELECT entity_id, details FROM audit_log WHERE entity_id = ANY($1) ORDER BY entity_id`, [[a, b].sort()]);
      expect(rows).toEqual([a, b].sort().map((id) => ({ entity_id: id, details: { rows: 1, inserted: 1, updated: 0, format: 'csv-wide', input: 'returns' } })));
    });
  });

  describe('closes (input=prices)', () => {
    it('gives from a narrow CSV of closes the same stored returns as the equivalent narrow upload of returns', async () => {
      const [fromCloses, fromReturns] = [`P-${uid()}`, `R-${uid()}`];
      const r = await svc.ingestReturns(fromCloses, csv(lines('date,price', ...SMI_CLOSES.map((p, i) => `${DAYS[i]},${p}`))), { input: 'prices' });
      expect(r).toEqual({ asset_id: fromCloses, inserted: SMI_CLOSES.length - 1, updated: 0, received: SMI_CLOSES.length });
      await svc.ingestReturns(fromReturns, csv(narrowCsv(simpleReturns(SMI_CLOSES), DAYS.slice(1))));
      expect(await stored(fromCloses)).toEqual(await stored(fromReturns));
      expect((await stored(fromCloses))!.dates[0]).toBe(DAYS[1]); // the first close yields no return
    });

    it('gives from a wide CSV of closes the same stored returns as the narrow uploads, spanning an empty cell', async () => {
      const [smiW, cacW, smiN, cacN] = [`SMI-PW-${uid()}`, `CAC-PW-${uid()}`, `SMI-PN-${uid()}`, `CAC-PN-${uid()}`];
      const gap = 10; // CAC has no close on day 10: the return of day 11 spans days 9 to 11
      const rows = SMI_CLOSES.map((p, i) => `${DAYS[i]},${p},${i === gap ? '' : CAC_CLOSES[i]}`);
      const counts = await svc.ingestWide(csv(lines(`date,${smiW},${cacW}`, ...rows)), { input: 'prices' });
      expect(counts).toEqual({ [smiW]: { inserted: 299, updated: 0 }, [cacW]: { inserted: 298, updated: 0 } });
      await svc.ingestReturns(smiN, csv(narrowCsv(simpleReturns(SMI_CLOSES), DAYS.slice(1))));
      const cacDays = DAYS.filter((_, i) => i !== gap);
      const cacCloses = CAC_CLOSES.filter((_, i) => i !== gap);
      await svc.ingestReturns(cacN, csv(narrowCsv(simpleReturns(cacCloses), cacDays.slice(1))));
      expect(await stored(smiW)).toEqual(await stored(smiN));
      expect(await stored(cacW)).toEqual(await stored(cacN));
      const spanned = (await stored(cacW))!;
      expect(spanned.dates).not.toContain(DAYS[gap]);
      expect(spanned.values[spanned.dates.indexOf(DAYS[gap + 1])]).toBe(CAC_CLOSES[gap + 1] / CAC_CLOSES[gap - 1] - 1);
    });

    it('takes JSON closes in any row order (returns follow the dates)', async () => {
      const asset = `PJ-${uid()}`;
      const r = await svc.ingestReturns(asset, [{ date: '2024-01-04', price: 99 }, { date: '2024-01-02', price: 100 }, { date: '2024-01-03', price: 110 }], { input: 'prices' });
      expect(r).toMatchObject({ inserted: 2, received: 3 });
      expect(await stored(asset)).toEqual({ dates: ['2024-01-03', '2024-01-04'], values: [110 / 100 - 1, 99 / 110 - 1] });
    });

    it('refuses a computed return beyond ±0.5, naming the close and its predecessor, unless allow_extreme', async () => {
      const asset = `PX-${uid()}`;
      const body = lines('date,price', '2024-01-02,100', '2024-01-03,101', '2024-01-04,250');
      expect(await refusal(svc.ingestReturns(asset, csv(body), { input: 'prices' }))).toEqual([
        'line 4: the return from the close 101 on 2024-01-03 (line 3) to 250 on 2024-01-04 is a move of +147.525 %, beyond ±0.5: returns are fractions (0.012 means 1.2 %); send ?allow_extreme=true if the move is real',
      ]);
      expect(await svc.ingestReturns(asset, csv(body), { input: 'prices', allowExtreme: true })).toMatchObject({ inserted: 2 });
    });

    it('refuses a close that is not positive, and a returns header where closes are expected', async () => {
      expect(await refusal(svc.ingestReturns(`PZ-${uid()}`, csv(lines('date,price', '2024-01-02,100', '2024-01-03,0')), { input: 'prices' }))).toEqual(['line 3: price must be a close greater than 0 (got 0)']);
      expect(await refusal(svc.ingestReturns(`PZ-${uid()}`, csv(lines('date,return_pct', '2024-01-02,0.01')), { input: 'prices' }))).toEqual(['line 1: the header must be date,price (got "date,return_pct")']);
      expect(await refusal(svc.ingestReturns(`PZ-${uid()}`, csv(lines('date,price', '2024-01-02,101'))))).toEqual(['line 1: the header must be date,return_pct (got "date,price") (closes: add ?input=prices)']);
      expect(await refusal(svc.ingestWide(csv(lines('date,A', '2024-01-02,-3')), { input: 'prices' }))).toEqual(['line 2: A must be a close greater than 0 (got -3)']);
    });
  });
});
