import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { currentActor } from '../common/actor';
import { currentCorrelationId } from '../common/correlation-id';
import { CsvBody } from '../common/csv-body';
import { NotFoundError, UnsupportedMediaTypeError, ValidationError } from '../common/errors';
import { ID_MESSAGE, ID_PATTERN } from '../common/ids';
import { formatMoney, parseMoney } from '../common/money';
import { assertPortfolioVisible, assertUnscoped, visibleOnly } from '../common/portfolio-scope';
import { Portfolio, Position, ReturnRow } from '../persistence/models';
import { AuditLogRepository, PortfolioRepository, PositionRepository, ReturnsRepository, TransactionRunner } from '../persistence/repositories';
import { ReturnSeriesCache } from '../persistence/return-series.cache';
import { closesToReturns } from './closes-to-returns';
import { CreatePortfolioDto, IngestResultDto, PortfolioResponseDto, WideIngestResultDto } from './dto/portfolio.dto';
import { IngestInput, parseCsvBatch, parseJsonBatch, ParsedValue, Problems } from './returns-parser';
import { parseWideCsv } from './wide-csv-parser';

const MAX_POSITIONS = 10_000;

/** Portfolios, their books and asset return series. */
@Injectable()
export class PortfoliosService {
  constructor(
    private readonly portfolios: PortfolioRepository,
    private readonly positions: PositionRepository,
    private readonly returns: ReturnsRepository,
    private readonly cache: ReturnSeriesCache,
    private readonly audit: AuditLogRepository,
    private readonly tx: TransactionRunner,
  ) {}

  async create(dto: CreatePortfolioDto): Promise<PortfolioResponseDto> {
    assertPortfolioVisible(dto.id); // a scoped key creates only portfolios of its scope
    const p = await this.tx.run(async (t) => {
      const created = await this.portfolios.create({ id: dto.id, name: dto.name, baseCurrency: dto.base_currency ?? 'USD' }, t);
      await this.audit.append({ actor: currentActor(), action: 'portfolio.create', entity: 'portfolio', entityId: dto.id, details: dto, correlationId: currentCorrelationId() }, t);
      return created;
    });
    return toResponse(p, []);
  }

  async list(): Promise<PortfolioResponseDto[]> {
    // Two queries whatever the number of portfolios (one per portfolio exhausted the pool: 503).
    const [all, books] = await Promise.all([this.portfolios.list(), this.positions.findAllBooks()]);
    return visibleOnly(all, (p) => p.id).map((p) => toResponse(p, books.get(p.id) ?? []));
  }

  async get(id: string): Promise<PortfolioResponseDto> {
    const p = await this.require(id);
    return toResponse(p, await this.positions.findByPortfolio(id));
  }

  async require(id: string): Promise<Portfolio> {
    const p = await this.portfolios.findById(id);
    if (!p) throw new NotFoundError(`portfolio ${id} not found`);
    return p;
  }

  /** Replaces the whole book atomically; the portfolio value is the sum of market values. */
  async replacePositions(id: string, body: unknown): Promise<PortfolioResponseDto> {
    const book = parsePositions(body);
    await this.tx.run(async (t) => {
      // The portfolio row lock serialises replacements of one book: the last one wins whole.
      if (!(await this.portfolios.lock(id, t))) throw new NotFoundError(`portfolio ${id} not found`);
      await this.positions.replaceBook(id, book, t);
      await this.portfolios.touch(id, t);
      await this.audit.append({ actor: currentActor(), action: 'positions.replace', entity: 'portfolio', entityId: id, details: { positions: book }, correlationId: currentCorrelationId() }, t);
    });
    await this.cache.portfoliosChanged([id]); // the cached books of the pre-trade check (here and on the other replicas)
    return this.get(id);
  }

  /**
   * Idempotent upsert of an asset's returns from JSON rows or CSV text, returns or (input
   * 'prices') closes turned into returns; a bad row, or a return beyond ±0.5 unless
   * `allowExtreme`, rejects the batch.
   */
  async ingestReturns(assetId: string, body: unknown, opts: IngestOptions = {}): Promise<IngestResultDto> {
    if (!ID_PATTERN.test(assetId)) throw new ValidationError(`asset_id ${ID_MESSAGE}`);
    assertUnscoped(`the return series of ${assetId}`);
    const { input, allowExtreme } = ingestOptions(opts);
    const isCsv = body instanceof CsvBody;
    const batch = isCsv ? await parseCsvBatch(body, input, allowExtreme) : await parseJsonBatch(body, input, allowExtreme);
    const problems = new Problems();
    const values = input === 'prices' ? closesToReturns(batch.values, batch.label, problems, allowExtreme) : batch.values;
    problems.throwIfAny();
    const counts = await this.store(new Map([[assetId, values]]), { format: isCsv ? 'csv' : 'json', input });
    return { asset_id: assetId, ...counts.get(assetId)!, received: batch.values.length };
  }

  /**
   * PUT /v1/returns: many assets from one wide CSV (`date,<asset_id>,…`), in one transaction,
   * returns or (input 'prices') closes; the same all-or-nothing rule as one asset.
   */
  async ingestWide(body: unknown, opts: IngestOptions = {}): Promise<WideIngestResultDto> {
    assertUnscoped('asset return series');
    if (!(body instanceof CsvBody)) throw new UnsupportedMediaTypeError('PUT /v1/returns takes text/csv with a header date,<asset_id>,<asset_id>,… (JSON rows of one asset: PUT /v1/assets/{asset_id}/returns)');
    const { input, allowExtreme } = ingestOptions(opts);
    const batch = await parseWideCsv(body, input, allowExtreme);
    let values = batch.values;
    if (input === 'prices') {
      const problems = new Problems();
      values = new Map([...values].map(([asset, closes]) => [asset, closesToReturns(closes, (line) => `line ${line}`, problems, allowExtreme, asset)]));
      problems.throwIfAny();
    }
    const counts = await this.store(values, { format: 'csv-wide', input });
    return Object.fromEntries(batch.assets.map((a) => [a, counts.get(a)!]));
  }

  /**
   * One transaction for every asset (the upsert bumps each changed series' version), an audit
   * entry per asset, then the cached series of every asset of the batch invalidated.
   */
  private async store(values: Map<string, ParsedValue[]>, how: { format: string; input: IngestInput }) {
    const rows: ReturnRow[] = [];
    for (const [assetId, list] of values) for (const v of list) rows.push({ assetId, date: v.date, returnPct: v.text });
    const assets = [...values.keys()];
    const counts = await this.tx.run(async (t) => {
      await this.returns.lockAssets(assets, t); // one writer of a series at a time: one batch wins whole
      const c = await this.returns.upsertByAsset(rows, t);
      for (const assetId of assets) {
        const mine = c.get(assetId) ?? { inserted: 0, updated: 0 };
        c.set(assetId, mine);
        await this.audit.append({ actor: currentActor(), action: 'returns.upsert', entity: 'asset', entityId: assetId, details: { rows: values.get(assetId)!.length, ...mine, ...how }, correlationId: currentCorrelationId() }, t);
      }
      return c;
    });
    await this.cache.invalidate(assets);
    return counts;
  }
}

export interface IngestOptions {
  input?: IngestInput;
  allowExtreme?: boolean;
}

function ingestOptions(o: IngestOptions): Required<IngestOptions> {
  return { input: o.input ?? 'returns', allowExtreme: o.allowExtreme ?? false };
}

function parsePositions(body: unknown): Position[] {
  if (!Array.isArray(body)) throw new ValidationError('body must be a JSON array of { "asset_id", "market_value" }');
  if (body.length > MAX_POSITIONS) throw new ValidationError(`at most ${MAX_POSITIONS} positions per book`);
  const problems: string[] = [];
  const seen = new Set<string>();
  const book: Position[] = [];
  body.forEach((row: unknown, i) => {
    if (!row || typeof row !== 'object' || Array.isArray(row)) return problems.push(`[${i}] must be an object { "asset_id", "market_value" }`);
    const r = row as Record<string, unknown>;
    const extra = Object.keys(r).filter((k) => k !== 'asset_id' && k !== 'market_value');
    if (extra.length) problems.push(`[${i}]: unknown field ${extra.join(', ')}`);
    const id = r.asset_id;
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) problems.push(`[${i}].asset_id ${ID_MESSAGE}`);
    else if (seen.has(id)) problems.push(`[${i}].asset_id ${id} appears twice in the book`);
    else seen.add(id);
    let mv: Big | null = null;
    try {
      mv = parseMoney(r.market_value, `[${i}].market_value`);
    } catch (err) {
      problems.push((err as Error).message);
    }
    if (problems.length === 0) book.push({ assetId: id as string, marketValue: mv!.toFixed() });
  });
  if (problems.length) throw new ValidationError(problems);
  return book;
}

function toResponse(p: Portfolio, positions: Position[]): PortfolioResponseDto {
  const total = positions.reduce((acc, x) => acc.plus(x.marketValue), new Big(0));
  return {
    id: p.id,
    name: p.name,
    base_currency: p.baseCurrency,
    positions: positions.map((x) => ({ asset_id: x.assetId, market_value: formatMoney(new Big(x.marketValue)) })),
    portfolio_value: formatMoney(total),
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}
