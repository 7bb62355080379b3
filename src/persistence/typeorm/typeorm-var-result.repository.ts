import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThanOrEqual } from 'typeorm';
import { VarResultEntity } from '../entities';
import { normaliseDecimal } from '../entities/transformers';
import { NewOutboxEvent } from '../outbox.repository';
import { Tx } from '../transaction-runner';
import { VarResult, VarResultRepository } from '../var-result.repository';
import { DuplicateKeyError } from '../errors';
import { isUniqueViolation, limitInForceFrom, managerOf, openAlertExists, preparedQuery } from './sql';

const toModel = (e: VarResultEntity): VarResult => ({
  id: e.id,
  portfolioId: e.portfolioId,
  kind: e.kind,
  method: e.method,
  confidenceLevel: e.confidenceLevel,
  horizonDays: e.horizonDays,
  scaling: e.scaling,
  varReturn: e.varReturn,
  var: e.var,
  cvarReturn: e.cvarReturn,
  cvar: e.cvar,
  portfolioValue: e.portfolioValue,
  observations: e.observations,
  fromDate: e.fromDate,
  toDate: e.toDate,
  contributions: e.contributions,
  lambda: e.lambda,
  sigmaForecast: e.sigmaForecast,
  limitCheck: e.limitCheck,
  correlationId: e.correlationId,
  calculatedAt: e.calculatedAt,
  runId: e.runId,
});

/**
 * insertIfUnchanged: lock the portfolio row when the limit in force and the open alerts are as
 * expected; insert the result from that row (nothing when there is none) and the outbox events
 * from the inserted result (in their order: seq follows it). Parameters are cast where the
 * INSERT … SELECT cannot infer them.
 */
const INSERT_IF_UNCHANGED = `
WITH p AS (
  SELECT p.id FROM portfolios p
   WHERE p.id = $2
     AND (SELECT l.id ${limitInForceFrom('p.id', '$21::timestamptz')}) IS NOT DISTINCT FROM $23::uuid
     AND ($24::text IS NULL OR NOT ${openAlertExists('p.id', '$24::text')})
   FOR UPDATE OF p),
r AS (
  INSERT INTO var_results (id, portfolio_id, kind, method, confidence_level, horizon_days, scaling, var_return, var, cvar_return, cvar, portfolio_value,
                           observations, from_date, to_date, contributions, lambda, sigma_forecast, limit_check, correlation_id, calculated_at, run_id)
  SELECT $1::uuid, p.id, $3::text, $4::text, $5::float8, $6::int, $7::text, $8::float8, $9::numeric, $10::float8, $11::numeric, $12::numeric,
         $13::int, $14::date, $15::date, $16::jsonb, $17::float8, $18::float8, $19::jsonb, $20::text, $21::timestamptz, $22::uuid FROM p
  RETURNING id),
o AS (
  INSERT INTO outbox_events (id, subject, payload, headers, correlation_id, traceparent)
  SELECT (e.x->>'id')::uuid, e.x->>'subject', e.x->'payload', e.x->'headers', e.x->>'correlation_id', e.x->>'traceparent'
    FROM r, jsonb_array_elements($25::jsonb) WITH ORDINALITY AS e(x, n)
   ORDER BY e.n)
SELECT count(*)::int AS stored FROM r`;

const money = (v: string | null) => (v === null ? null : normaliseDecimal(v));
const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

@Injectable()
export class TypeOrmVarResultRepository extends VarResultRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async insert(r: VarResult, tx?: Tx): Promise<void> {
    try {
      await managerOf(this.ds, tx).insert(VarResultEntity, { ...r });
    } catch (err) {
      throw this.duplicate(err, r);
    }
  }

  /** A unique violation (a second result of one portfolio in one risk run) as DuplicateKeyError; any other error as is. */
  private duplicate(err: unknown, r: VarResult): unknown {
    return isUniqueViolation(err) ? new DuplicateKeyError(`risk run ${r.runId} has a result for portfolio ${r.portfolioId} already`) : err;
  }

  async insertIfUnchanged(r: VarResult, events: NewOutboxEvent[], expect: { limitId: string | null; noOpenAlert: string | null }): Promise<boolean> {
    const params = [
      r.id, r.portfolioId, r.kind, r.method, r.confidenceLevel, r.horizonDays, r.scaling, r.varReturn, money(r.var), r.cvarReturn, money(r.cvar), money(r.portfolioValue),
      r.observations, r.fromDate, r.toDate, json(r.contributions), r.lambda, r.sigmaForecast, json(r.limitCheck), r.correlationId, r.calculatedAt, r.runId,
      expect.limitId, expect.noOpenAlert,
      JSON.stringify(events.map((e) => ({ id: e.id, subject: e.subject, payload: e.payload, headers: e.headers, correlation_id: e.correlationId, traceparent: e.traceparent ?? null }))),
    ];
    try {
      const rows = await preparedQuery<{ stored: number }>(this.ds, 'var_result_insert_if_unchanged', INSERT_IF_UNCHANGED, params);
      return rows[0]?.stored === 1;
    } catch (err) {
      throw this.duplicate(err, r);
    }
  }

  async history(portfolioId: string, opts: { since?: Date; limit: number }, tx?: Tx): Promise<VarResult[]> {
    const rows = await managerOf(this.ds, tx).find(VarResultEntity, {
      where: { portfolioId, ...(opts.since ? { calculatedAt: MoreThanOrEqual(opts.since) } : {}) },
      order: { calculatedAt: 'DESC', id: 'DESC' },
      take: opts.limit,
    });
    return rows.map(toModel);
  }
}
