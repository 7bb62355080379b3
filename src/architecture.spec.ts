import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The module layout, read from the source text (cheap: no module graph is loaded). That each
 * module imports what it uses is checked by Nest itself whenever the application starts (with
 * @Global gone from feature modules, a missing import fails the start): every e2e suite.
 */
const SRC = __dirname;
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [join(dir, e.name)] : []));
const source = files(SRC).map((f) => ({ file: relative(SRC, f), text: readFileSync(f, 'utf8') }));
const importsOf = (moduleFile: string): string[] => {
  const text = source.find((s) => s.file === moduleFile)!.text;
  return (/imports:\s*\[([^\]]*)\]/.exec(text)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
};

describe('module layout', () => {
  it('keeps @Global for infrastructure only: config, persistence, observability', () => {
    expect(source.filter((s) => /@Global\(\)/.test(s.text)).map((s) => s.file).sort()).toEqual(['config/config.module.ts', 'observability/observability.module.ts', 'persistence/persistence.module.ts']);
  });

  it('serves the stored-risk routes from portfolio-risk and none from limits', () => {
    const routes = (dir: string) => source.filter((s) => s.file.startsWith(`${dir}/`)).flatMap((s) => [...s.text.matchAll(/@(?:Get|Post|Put)\('([^']*)'\)/g)].map((m) => m[1]));
    expect(routes('portfolio-risk').sort()).toEqual([':id', 'cvar', 'returns', 'stress', 'var', 'var-history', 'what-if']); // :id: GET /v1/risk-runs/:id
    expect(routes('limits').filter((r) => /var/.test(r))).toEqual([]);
    expect(source.filter((s) => s.file.startsWith('portfolio-risk/')).some((s) => s.text.includes('HANDLER.portfolioVar'))).toBe(true);
  });

  it('points the feature modules one way: portfolio-risk → calculation → limits → alerts, events', () => {
    expect(importsOf('portfolio-risk/portfolio-risk.module.ts')).toEqual(['CalculationModule', 'LimitsModule', 'EventsModule']);
    expect(importsOf('calculation/calculation.module.ts')).toEqual(['LimitsModule']);
    expect(importsOf('drawdown/drawdown.module.ts')).toEqual(['LimitsModule', 'EventsModule']);
    expect(importsOf('limits/limits.module.ts')).toEqual(['AlertsModule', 'EventsModule']);
    expect(importsOf('events/events.module.ts')).toEqual([]);
  });

  it('defines the severity scale in one file', () => {
    const scale = source.filter((s) => /'warning',\s*'high',\s*'critical'|'high'\s*\|\s*'critical'|warning:\s*1,\s*high:\s*2/.test(s.text)).map((s) => s.file);
    expect(scale).toEqual(['common/severity.ts']);
  });
});
