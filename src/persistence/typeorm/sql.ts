import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Tx } from '../repositories';

/** The manager a call runs on: the caller's transaction, or the data source itself. */
export function managerOf(ds: DataSource, tx?: Tx): EntityManager {
  return (tx as EntityManager | undefined) ?? ds.manager;
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505';
}

export const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
export const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));
/** numeric → canonical decimal text (pg gives strings; never a float). */
export const dec = (v: unknown): string => String(v);
export const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
