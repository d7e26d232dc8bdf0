import { BAR_MS } from '../../../domain/schemas/config';
import { findStaleness } from '../../../domain/market/freshness';
import { analyseRisk } from '../../../domain/risk/checks';
import type { MarketSnapshot } from '../../../domain/schemas/market';
import { BAR_CLOSE_MS, makeInput, makeSnapshot } from './fixtures';

const BAR = BAR_MS;

/** The fixture snapshot with its newest `drop` bars removed (a feed that stopped) or bars cut out behind the newest. */
function withoutBars(snapshot: MarketSnapshot, drop: number, cutBehindNewest = 0): MarketSnapshot {
  const kept = snapshot.candles.slice(0, snapshot.candles.length - drop);
  const candles =
    cutBehindNewest > 0 ? [...kept.slice(0, kept.length - 1 - cutBehindNewest), kept[kept.length - 1]!] : kept;
  return { ...snapshot, candles };
}

describe('fresh_snapshot: no entry on stale or gapped prices', () => {
  test('a snapshot whose newest bar closes at the snapshot time passes', () => {
    const v = analyseRisk(makeInput(), makeSnapshot());
    expect(v.checks.find((c) => c.id === 'fresh_snapshot')).toMatchObject({ ok: true });
  });

  test('a snapshot whose newest bar closed 18 bars earlier is a hard fail naming the stale close', () => {
    const v = analyseRisk(makeInput(), withoutBars(makeSnapshot(), 18));
    expect(v.status).toBe('hard_fail');
    const reasons = v.status === 'hard_fail' ? v.reasons : [];
    expect(reasons.find((r) => r.startsWith('stale data'))).toBe(
      `stale data: the newest closed bar closes at ${new Date(BAR_CLOSE_MS - 18 * BAR).toISOString()}, 18 bar(s) before ${new Date(BAR_CLOSE_MS).toISOString()} (missing or late candles): no new entries on stale prices`,
    );
  });

  test('a bar that arrives with a gap right behind it is a hard fail too', () => {
    const v = analyseRisk(makeInput(), withoutBars(makeSnapshot(), 0, 18));
    expect(v.status).toBe('hard_fail');
    expect(v.checks.find((c) => c.id === 'fresh_snapshot')?.reason).toMatch(
      /^gapped data: 18 bar\(s\) missing between .* right behind the newest bar/,
    );
  });

  test('findStaleness: fresh, late by one bar, and no bar at all', () => {
    const s = makeSnapshot();
    expect(findStaleness(s.candles, BAR_CLOSE_MS, BAR)).toBeNull();
    expect(findStaleness(s.candles, BAR_CLOSE_MS + BAR, BAR)).toMatch(/1 bar\(s\) before/);
    expect(findStaleness([], BAR_CLOSE_MS, BAR)).toMatch(/^no closed bar/);
  });
});
