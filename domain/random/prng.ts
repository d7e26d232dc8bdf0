/**
 * Seeded randomness for the domain (no Math.random): mulberry32 streams, optionally keyed by a string
 * hashed to a 32-bit seed. Same key, same stream, so replays and both runners make the same choices.
 */

/** FNV-1a 32-bit hash of a string (http://www.isthe.com/chongo/tech/comp/fnv/). */
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

