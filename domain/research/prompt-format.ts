/** Helpers that keep prompts short, stable (same input → same text, good for the prompt cache) and readable. */

/** Rounds to `digits` significant figures; null stays null. */
export function roundSig(x: number | null, digits = 5): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  if (x === 0) return 0;
  return Number(x.toPrecision(digits));
}

/** A feature record with keys sorted and values rounded. */
export function formatValues(values: Readonly<Record<string, number | null>>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const key of Object.keys(values).sort()) out[key] = roundSig(values[key] ?? null);
  return out;
}

/** Brier score and hit rate of matured forecasts (the model sees how calibrated it has been). */
export function summariseTrackRecord(history: ReadonlyArray<{ p: number; outcome: 0 | 1 }>): {
  n: number;
  brier: number | null;
  hitRate: number | null;
} {
  const n = history.length;
  if (n === 0) return { n, brier: null, hitRate: null };
  let brier = 0;
  let hits = 0;
  for (const h of history) {
    brier += (h.p - h.outcome) ** 2;
    if ((h.p >= 0.5 ? 1 : 0) === h.outcome) hits += 1;
  }
  return { n, brier: roundSig(brier / n, 3), hitRate: roundSig(hits / n, 3) };
}
