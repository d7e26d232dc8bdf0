import { createRng, sampleNormal } from '../random/prng';

/** A seeded uniform and normal stream for the synthetic market (mulberry32, see domain/random/prng.ts). */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

/** The same seed always yields the same sequence. */
export function createPrng(seed: number): Prng {
  const next = createRng(seed);
  return { next, normal: () => sampleNormal(next) };
}
