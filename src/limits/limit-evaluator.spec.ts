import { isBreach } from '../common/severity';
import { evaluateLimit } from './limit-evaluator';

const t = { warning: 0.8, breach: 1, critical: 1.25 };

describe('evaluateLimit', () => {
  it.each([
    [3.9, 5, 'ok', false],
    [4, 5, 'warning', false],
    [4.99, 5, 'warning', false],
    [5, 5, 'high', true],
    [6.2, 5, 'high', true],
    [6.25, 5, 'critical', true],
    [50, 5, 'critical', true],
  ])('%p %% against a %p %% limit is %s (a breach: %p)', (measured, limit, status, breach) => {
    const e = evaluateLimit(measured, limit, t);
    expect(e).toEqual({ utilization: expect.any(Number), status });
    expect(isBreach(e.status)).toBe(breach);
    expect(e.utilization).toBeCloseTo(measured / limit, 15);
  });

  it('uses configured thresholds', () => {
    expect(evaluateLimit(4, 5, { warning: 0.5, breach: 0.75, critical: 0.9 })).toMatchObject({ status: 'high' });
  });

  it('treats a missing or zero limit as no limit', () => {
    expect(evaluateLimit(10, 0, t)).toEqual({ utilization: 0, status: 'ok' });
  });
});
