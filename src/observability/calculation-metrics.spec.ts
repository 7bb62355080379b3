import { Counter, Histogram, Registry } from 'prom-client';
import { ValidationError } from '../common/errors';
import { CalculationMetrics, errorTypeLabel } from './calculation-metrics.service';

function metrics() {
  const registers = [new Registry()];
  const errors = new Counter({ name: 'e', help: 'e', labelNames: ['method', 'error_type'], registers });
  const m = new CalculationMetrics(
    new Histogram({ name: 'd', help: 'd', labelNames: ['method', 'asset_class'], registers }),
    new Counter({ name: 's', help: 's', labelNames: ['method', 'asset_class'], registers }),
    errors,
    new Counter({ name: 'v', help: 'v', labelNames: ['method'], registers }),
  );
  const count = async (labels: { method: string; error_type: string }) =>
    (await errors.get()).values.find((v) => v.labels.method === labels.method && v.labels.error_type === labels.error_type)?.value ?? 0;
  return { m, count };
}

describe('CalculationMetrics error counting', () => {
  it('labels invalid input "validation" and other api.md types in lower case', () => {
    expect(errorTypeLabel('INVALID_INPUT')).toBe('validation');
    expect(errorTypeLabel('INSUFFICIENT_DATA')).toBe('insufficient_data');
    expect(errorTypeLabel(undefined)).toBe('unknown_error');
  });

  it('counts an error raised inside a calculation once, even when the filter reports it again', async () => {
    const { m, count } = metrics();
    const err = new ValidationError('returns[0] must be finite');
    expect(() => m.measure('historical', undefined, () => { throw err; })).toThrow(err);
    m.countRejection(err, 'historical', 'INVALID_INPUT');
    expect(await count({ method: 'historical', error_type: 'validation' })).toBe(1);
  });

  it('counts a rejection that never reached a calculation', async () => {
    const { m, count } = metrics();
    m.countRejection(new ValidationError('confidence must be a percentage'), 'parametric', 'INVALID_INPUT');
    expect(await count({ method: 'parametric', error_type: 'validation' })).toBe(1);
  });
});
