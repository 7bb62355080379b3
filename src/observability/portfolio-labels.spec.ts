import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { withoutPortfolioLabel } from './portfolio-labels';

describe('withoutPortfolioLabel', () => {
  it('adds a counter up over portfolios, with no portfolio_id label', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'breaches_total', help: 'h', labelNames: ['portfolio_id', 'severity'], registers: [registry] });
    const view = withoutPortfolioLabel(counter);
    view.inc({ portfolio_id: 'desk-1', severity: 'high' });
    view.inc({ portfolio_id: 'desk-2', severity: 'high' }, 2);
    const text = await registry.metrics();
    expect(text).toContain('breaches_total{severity="high"} 3');
    expect(text).not.toContain('portfolio_id');
  });

  it('records nothing in a per-portfolio gauge', async () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'var_current', help: 'h', labelNames: ['portfolio_id', 'confidence_level'], registers: [registry] });
    withoutPortfolioLabel(gauge).set({ portfolio_id: 'desk-1', confidence_level: '99' }, -0.02);
    expect(await registry.metrics()).not.toMatch(/^var_current\{/m);
  });

  it('drops the label from histogram observations', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'latency', help: 'h', labelNames: ['portfolio_id'], buckets: [1], registers: [registry] });
    withoutPortfolioLabel(h).observe({ portfolio_id: 'desk-1' }, 0.5);
    const text = await registry.metrics();
    expect(text).toContain('latency_count 1');
    expect(text).not.toContain('portfolio_id');
  });

  it('leaves the metric itself untouched (the registry shares it) and metrics without the label as they are', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'c_total', help: 'h', labelNames: ['portfolio_id'], registers: [registry] });
    withoutPortfolioLabel(counter);
    counter.inc({ portfolio_id: 'desk-1' });
    expect(await registry.metrics()).toContain('c_total{portfolio_id="desk-1"} 1');
    const plain = new Counter({ name: 'p_total', help: 'h', labelNames: ['method'], registers: [registry] });
    expect(withoutPortfolioLabel(plain)).toBe(plain);
  });
});
