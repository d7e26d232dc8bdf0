import { applyPatch, diffJson, JsonPatchSchema } from '../../../domain/schemas/json-patch';
import { createRng } from '../../../domain/random/prng';

/** The round trip every user of a patch relies on: a with diff(a, b) applied is b, key order included. */
function expectRoundTrip(a: unknown, b: unknown) {
  const patch = diffJson(a, b);
  // A patch crosses Temporal's history as JSON: it must survive the trip and the schema.
  const wired = JSON.parse(JSON.stringify(patch)) as typeof patch;
  if (wired !== null) expect(JsonPatchSchema.parse(wired)).toEqual(wired);
  const out = applyPatch(structuredClone(a), wired);
  expect(JSON.stringify(out)).toBe(JSON.stringify(b));
  return patch;
}

describe('JSON patches of the fund (diffJson / applyPatch)', () => {
  it('no change is null, and null applies nothing', () => {
    const a = { x: [1, 2, { y: 'z' }] };
    expect(diffJson(a, structuredClone(a))).toBeNull();
    expect(applyPatch(a, null)).toBe(a);
  });

  it('a bounded window that dropped its oldest and appended the newest costs the new item, not the window', () => {
    const window = Array.from({ length: 200 }, (_, i) => ({
      p: 0.5 + i / 1000,
      pRaw: 0.51,
      outcome: i % 2,
      barCloseMs: 1_700_000_000_000 + i * 14_400_000,
    }));
    const next = [...window.slice(1), { p: 0.7, pRaw: 0.71, outcome: 1, barCloseMs: 1_800_000_000_000 }];
    const patch = expectRoundTrip({ forecastHistory: { r1: window } }, { forecastHistory: { r1: next } });
    expect(JSON.stringify(patch).length).toBeLessThan(200);
  });

  it('pending items leaving from the middle of a list cost their positions, not the items that stayed', () => {
    const pending = Array.from({ length: 40 }, (_, i) => ({
      agentId: `r${i % 4}`,
      method: 'tsmom',
      barCloseMs: 1_700_000_000_000 + i * 14_400_000,
      maturesAtMs: 1_700_000_000_000 + (i + 1 + (i % 12)) * 14_400_000,
      pRaw: 0.5 + i / 100,
    }));
    // Matured ones leave wherever they sit (horizons differ); this bar's new ones join at the end.
    const next = [
      ...pending.filter((_, i) => i % 12 !== 5),
      { ...pending[0]!, barCloseMs: 1_800_000_000_000, maturesAtMs: 1_800_100_000_000 },
    ];
    const patch = expectRoundTrip({ pendingForecasts: pending }, { pendingForecasts: next });
    expect(JSON.stringify(patch)).toContain('"runs"');
    expect(JSON.stringify(patch).length).toBeLessThan(JSON.stringify(next[0]).length * 2 + 100);
    // Items equal by value but not by reference still match.
    expectRoundTrip(pending, structuredClone(next));
    expectRoundTrip([1, 2, 3, 4, 5], [1, 3, 5, 9]);
    expectRoundTrip([1, 2, 3], [3, 2, 1]);
  });

  it('a changed counter is said as its new value', () => {
    const a = { id: 'ema_cross', uses: 8, lastUsedRound: 29, score: 0.5, tags: ['trend_up'] };
    const patch = expectRoundTrip(a, { ...a, uses: 9, lastUsedRound: 30 });
    expect(patch).toEqual({ keys: {}, set: { uses: 9, lastUsedRound: 30 } });
  });

  it('in-place edits, added and removed keys, a changed key order, type changes and nested arrays', () => {
    const a = {
      agents: [
        { id: 'a1', uses: 3, tags: ['x'] },
        { id: 'a2', uses: 1, tags: [] },
      ],
      gone: 1,
      same: { k: 1 },
      n: null,
    };
    const b = {
      n: 5,
      agents: [
        { id: 'a1', uses: 4, tags: ['x', 'y'] },
        { id: 'a2', uses: 1, tags: [] },
      ],
      same: { k: 1 },
      added: { deep: [1] },
    };
    expectRoundTrip(a, b);
    expectRoundTrip([1, 2, 3], []);
    expectRoundTrip([], [1]);
    expectRoundTrip({ a: [1, 2, 3, 4] }, { a: [3, 9, 4, 5, 6] });
    expectRoundTrip({ a: undefined, b: 1 }, { b: 1, c: undefined });
  });

  it('random edits of random JSON round-trip (seeded)', () => {
    const rng = createRng(7);
    const value = (depth: number): unknown => {
      const r = rng();
      if (depth <= 0 || r < 0.3)
        return r < 0.1 ? null : r < 0.2 ? Math.round(rng() * 100) / 7 : `s${Math.floor(rng() * 5)}`;
      if (r < 0.65) return Array.from({ length: Math.floor(rng() * 5) }, () => value(depth - 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(rng() * 4) }, () => [`k${Math.floor(rng() * 6)}`, value(depth - 1)]),
      );
    };
    const edit = (x: unknown, depth: number): unknown => {
      if (rng() < 0.2 || depth <= 0) return value(2);
      if (Array.isArray(x))
        return rng() < 0.4
          ? [...x.slice(1), value(1)]
          : rng() < 0.5
            ? [...x.filter(() => rng() > 0.3), ...(rng() < 0.5 ? [value(1)] : [])]
            : x.map((y) => (rng() < 0.3 ? edit(y, depth - 1) : y));
      if (x && typeof x === 'object')
        return Object.fromEntries(
          Object.entries(x)
            .filter(() => rng() > 0.1)
            .map(([k, v]) => [k, rng() < 0.4 ? edit(v, depth - 1) : v])
            .concat(rng() < 0.3 ? [[`n${Math.floor(rng() * 3)}`, value(1)]] : []),
        );
      return value(1);
    };
    for (let i = 0; i < 300; i++) {
      const a = value(4);
      expectRoundTrip(a, edit(a, 4));
    }
  });
});
