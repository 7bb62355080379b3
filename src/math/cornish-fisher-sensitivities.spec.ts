import { cornishFisherSensitivities } from './cornish-fisher-sensitivities';
import { cornishFisherZ } from './cornish-fisher-var';
import { cornishFisherTail } from './expected-shortfall';
import { normalQuantile } from './normal';

/** Central finite difference of f at x. */
const slope = (f: (x: number) => number, x: number, eps = 1e-6) => (f(x + eps) - f(x - eps)) / (2 * eps);

describe('cornishFisherSensitivities', () => {
  it.each([
    [0.05, -0.3, 1.5],
    [0.01, -0.5, 3],
    [0.025, 0.2, 0.5],
  ])('gives z, z_cf and ∂z_cf/∂S, ∂z_cf/∂K at α = %p, S = %p, K = %p', (alpha, S, K) => {
    const s = cornishFisherSensitivities(alpha, S, K);
    expect(s.z).toBe(normalQuantile(alpha));
    expect(s.g).toBe(cornishFisherZ(s.z, S, K));
    expect(s.gS).toBeCloseTo(slope((x) => cornishFisherZ(s.z, x, K), S), 8);
    expect(s.gK).toBeCloseTo(slope((x) => cornishFisherZ(s.z, S, x), K), 8);
  });

  it.each([
    [0.05, -0.3, 1.5],
    [0.05, 0, 10],
    [0.025, -1, 10],
  ])('differentiates the modified ES on the Edgeworth branch (E_G < z_cf) at α = %p, S = %p, K = %p', (alpha, S, K) => {
    const tail = cornishFisherTail(alpha, S, K);
    expect(tail.edgeworthMean).toBeLessThan(tail.g);
    const s = cornishFisherSensitivities(alpha, S, K);
    expect(s.es).toBe(tail.es);
    expect(s.eS).toBeCloseTo(slope((x) => cornishFisherTail(alpha, x, K).es, S), 7);
    expect(s.eK).toBeCloseTo(slope((x) => cornishFisherTail(alpha, S, x).es, K), 7);
  });

  it('follows z_cf on the floor branch, where the modified ES is the modified VaR', () => {
    const [alpha, S, K] = [0.01, -0.5, 5.6];
    const tail = cornishFisherTail(alpha, S, K);
    expect(tail.edgeworthMean).toBeGreaterThan(tail.g);
    const s = cornishFisherSensitivities(alpha, S, K);
    expect(s.es).toBe(s.g);
    expect(s.eS).toBe(s.gS);
    expect(s.eK).toBe(s.gK);
  });
});
