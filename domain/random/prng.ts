/**
 * Seeded randomness for the domain (no Math.random), the one home of every draw: mulberry32 streams, optionally
 * keyed by a string hashed to a 32-bit seed, and the normal, gamma and beta draws over them. Same key, same
 * stream, so replays and both runners make the same choices.
 */

/** FNV-1a 32-bit hash of a string (Fowler–Noll–Vo, offset basis 0x811c9dc5, prime 0x01000193). */
export function hashString(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32 (Tommy Ettinger, public domain): a small, fast 32-bit generator returning floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createKeyedRng(...parts: (string | number)[]): () => number {
  return createRng(hashString(parts.join('|')));
}

/** Standard normal by Box–Muller. */
export function sampleNormal(rng: () => number): number {
  const u = 1 - rng(); // (0, 1]: log(0) impossible
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

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
