import { type ResearchReport } from '../schemas/research';
import { clamp, normCdf, normPdf } from './math';

export type Scenario = ResearchReport['Scenarios'][number];

/**
 * Bull / base / bear over the horizon for r ~ N(mu, s²), s = volPerBar·sqrt(h): bull is r > +s/2,
 * bear r < −s/2, base in between. Each target is close·exp(E[r | bucket]) using truncated-normal
 * means (e.g. Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions, ch. 13).
 */
export function buildScenarios(close: number, mu: number, volPerBar: number, horizonBars: number): Scenario[] {
  const s = Math.max(volPerBar * Math.sqrt(horizonBars), 1e-9);
  const alpha = (0.5 * s - mu) / s;
  const beta = (-0.5 * s - mu) / s;
  const pBull = 1 - normCdf(alpha);
  const pBear = normCdf(beta);
  const pBase = Math.max(0, 1 - pBull - pBear);
  const guard = (x: number): number => Math.max(x, 1e-12);
  const rBull = mu + (s * normPdf(alpha)) / guard(pBull);
  const rBear = mu - (s * normPdf(beta)) / guard(pBear);
  const rBase = mu + (s * (normPdf(beta) - normPdf(alpha))) / guard(pBase);
  const target = (r: number): number => close * Math.exp(clamp(r, -1, 1));
  return [
    { name: 'bull', probability: clamp(pBull, 0, 1), priceTarget: target(rBull) },
    { name: 'base', probability: clamp(pBase, 0, 1), priceTarget: target(rBase) },
    { name: 'bear', probability: clamp(pBear, 0, 1), priceTarget: target(rBear) },
  ];
}
