import { evaluateLimit, levelOf } from './limit-evaluator';

const t = { warning: 0.8, breach: 1, critical: 1.25 };

describe('evaluateLimit', () => {
  it.each([
    [3.9, 5, 'ok', null],
    [4, 5, 'warning', null],
    [4.99, 5, 'warning', null],
    [5, 5, 'breach', 'high'],
    [6.2, 5, 'breach', 'high'],
    [6.25, 5, 'breach', 'critical'],
    [50, 5, 'breach', 'critical'],
  ])('%p %% against a %p %% limit is %s (%s)', (measured, limit, status, severity) => {
    const e = evaluateLimit(measured, limit, t);
    expect(e).toMatchObject({ status, severity });
    expect(e.utilization).toBeCloseTo(measured / limit, 15);
  });

  it('uses configured thresholds', () => {
    expect(evaluateLimit(4, 5, { warning: 0.5, breach: 0.75, critical: 0.9 })).toMatchObject({ status: 'breach', severity: 'high' });
  });

  it('treats a missing or zero limit as no limit', () => {
    expect(evaluateLimit(10, 0, t)).toEqual({ utilization: 0, status: 'ok', severity: null });
  });

  it('maps evaluations to one severity scale', () => {
    expect(levelOf(evaluateLimit(7, 5, t))).toBe('critical');
    expect(levelOf(evaluateLimit(4.5, 5, t))).toBe('warning');
  });
});
