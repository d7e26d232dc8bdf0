/** Gamma and Beta draws for Thompson sampling, over the shared seeded generators. */
import { sampleNormal } from '../random/prng';

export { createKeyedRng, createRng, hashString } from '../random/prng';

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), "A simple method for generating gamma variables", with the shape < 1 boost. */
export function sampleGamma(rng: () => number, shape: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1) * Math.pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = sampleNormal(rng);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(rng: () => number, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}
