import { cornishFisherZ } from './cornish-fisher-var';
import { cornishFisherTail } from './expected-shortfall';
import { normalPdf, normalQuantile } from './normal';

/** Partial derivatives of the standardised Cornish–Fisher VaR and ES (see cornishFisherSensitivities). */
export interface CornishFisherSensitivities {
  /** z = Φ⁻¹(α). */
  z: number;
  /** g = z_cf, the standardised modified VaR, and its partials ∂g/∂S, ∂g/∂K. */
  g: number;
  gS: number;
  gK: number;
  /** es = min(E_G, g), the standardised modified ES, and its total partials ∂es/∂S, ∂es/∂K. */
  es: number;
  eS: number;
  eK: number;
}

/**
 * Sensitivities of the standardised Cornish–Fisher figures to skewness S and excess kurtosis K:
 * g = z_cf and its partials gS, gK; es = min(E_G, g) and its total partials eS, eK (through g and
 * directly; on the floor branch they equal gS, gK). dE_G/dg = g·f_E(g)/α with f_E the Edgeworth
 * density φ(g)[1 + S·He₃/6 + K·He₄/24 + S²·He₆/72].
 */
export function cornishFisherSensitivities(alpha: number, skewness: number, excessKurtosis: number): CornishFisherSensitivities {
  const z = normalQuantile(alpha);
  const z3 = z * z * z;
  const g = cornishFisherZ(z, skewness, excessKurtosis);
  const gS = (z * z - 1) / 6 - ((2 * z3 - 5 * z) * skewness) / 18;
  const gK = (z3 - 3 * z) / 24;
  const tail = cornishFisherTail(alpha, skewness, excessKurtosis);
  let eS = gS;
  let eK = gK;
  if (tail.edgeworthMean < g) {
    const g2 = g * g;
    const g4 = g2 * g2;
    const he3 = g2 * g - 3 * g;
    const he4 = g4 - 6 * g2 + 3;
    const he6 = g4 * g2 - 15 * g4 + 45 * g2 - 15;
    const phi = normalPdf(g);
    const S = skewness;
    const density = phi * (1 + (S * he3) / 6 + (excessKurtosis * he4) / 24 + (S * S * he6) / 72);
    const dEdg = (g * density) / alpha;
    const dEdS = (-phi * ((g2 * g) / 6 + (S * (g4 * g2 - 9 * g4 + 9 * g2 + 3)) / 36)) / alpha;
    const dEdK = (-phi * (g4 - 2 * g2 - 1)) / (24 * alpha);
    eS = dEdg * gS + dEdS;
    eK = dEdg * gK + dEdK;
  }
  return { z, g, gS, gK, es: tail.es, eS, eK };
}
