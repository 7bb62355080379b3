import { Counter, Histogram, Registry } from 'prom-client';
import { CalculationMetrics } from '../observability/calculation-metrics.service';
import { PositionSizeRequestDto } from './dto/risk-request.dto';
import { PositionSizingService } from './position-sizing.service';
import type { LimitsService } from '../limits/limits.service';

function metricsFor(): CalculationMetrics {
  const registers = [new Registry()];
  return new CalculationMetrics(
    new Histogram({ name: 'duration', help: 'd', labelNames: ['method', 'asset_class'], registers }),
    new Counter({ name: 'success', help: 's', labelNames: ['method', 'asset_class'], registers }),
    new Counter({ name: 'errors', help: 'e', labelNames: ['method', 'error_type'], registers }),
    new Counter({ name: 'sla', help: 'l', labelNames: ['method'], registers }),
  );
}

function sizingService(): PositionSizingService {
  const metrics = metricsFor();
  // These cases send their own max_position_size_percent: no stored portfolio's limit is read.
  const noStoredLimits = { maxPositionSizePercent: () => Promise.reject(new Error('no stored portfolio in this spec')) } as unknown as LimitsService;
  return new PositionSizingService(metrics, noStoredLimits);
}

const request = (fields: Partial<PositionSizeRequestDto>) => Object.assign(new PositionSizeRequestDto(), { equity: '1000000', ...fields });

describe('PositionSizingService', () => {
  const sizing = sizingService();

  it('caps a fixed-fractional size at a 33.3 % limit with the whole units the decimal bound allows', async () => {
    // 50 % uncapped; 0.333 × 1,000,000 / 50 = 6,660 units exactly (33.3 / 100 in floating point would give 6,659)
    const res = await sizing.size(request({ method: 'fixed_fractional', risk_fraction: 0.02, entry_price: '50', stop_price: '48', max_position_size_percent: 33.3 }));
    expect(res).toMatchObject({ units: 6660, notional: '333000.00', fraction: 0.333, capped_by: 'position_limit', uncapped_fraction: 0.5 });
  });

  it('leaves a position of exactly the limit uncapped', async () => {
    // 6,660 units × 50 = 333,000 = 33.3 % of equity
    const res = await sizing.size(request({ method: 'fixed_fractional', risk_fraction: 0.01332, entry_price: '50', stop_price: '48', max_position_size_percent: 33.3 }));
    expect(res).toMatchObject({ units: 6660, notional: '333000.00', fraction: 0.333, capped_by: null, uncapped_fraction: 0.333 });
  });

  it('caps a half-Kelly fraction at the position limit, the notional in cents', async () => {
    const res = await sizing.size(request({ method: 'kelly', win_probability: 0.55, win_loss_ratio: 1.5, max_position_size_percent: 10 }));
    expect(res).toMatchObject({ fraction: 0.1, notional: '100000.00', capped_by: 'position_limit' });
    expect(res.uncapped_fraction).toBeCloseTo(0.125, 15);
  });

  it('caps a volatility target at the leverage when no position limit is tighter', async () => {
    // 0.2 / (0.005 √252) ≈ 2.52 of equity
    const res = await sizing.size(request({ method: 'volatility_target', target_annual_vol: 0.2, daily_volatility: 0.005, max_position_size_percent: 300 }));
    expect(res).toMatchObject({ fraction: 1, notional: '1000000.00', capped_by: 'leverage', max_leverage: 1 });
    expect(res.uncapped_fraction).toBeCloseTo(0.2 / (0.005 * Math.sqrt(252)), 14);
  });

  it('names the position limit when it ties with the leverage', async () => {
    const res = await sizing.size(request({ method: 'volatility_target', target_annual_vol: 0.2, daily_volatility: 0.005, max_position_size_percent: 150, max_leverage: 1.5 }));
    expect(res).toMatchObject({ fraction: 1.5, notional: '1500000.00', capped_by: 'position_limit' });
  });

  it('caps at the stored portfolio limit in force when portfolio_id is given without an override', async () => {
    const withLimit = new PositionSizingService(metricsFor(), { maxPositionSizePercent: async (id: string) => (id === 'desk-7' ? 5 : Promise.reject(new Error(id))) } as unknown as LimitsService);
    const res = await withLimit.size(request({ method: 'kelly', win_probability: 0.55, win_loss_ratio: 1.5, portfolio_id: 'desk-7' }));
    expect(res).toMatchObject({ fraction: 0.05, notional: '50000.00', capped_by: 'position_limit' });
  });
});
