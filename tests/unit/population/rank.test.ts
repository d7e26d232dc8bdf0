import { leaderOf, rankRole, voteWeights } from '../../../domain/population/rank';
import { makeHits, makeLearning, makePopulations } from './fixtures';

describe('rankRole', () => {
  it('orders analysts by hit rate over the window, best first', () => {
    const learning = makeLearning({
      trendHits: { 'analyst-1': makeHits(0.5, 20), 'analyst-2': makeHits(0.7, 20), 'analyst-3': makeHits(0.6, 20) },
    });
    expect(rankRole(makePopulations(), learning, 'analyst', 50)).toMatchObject([
      { agentId: 'analyst-2', metric: 0.7, n: 20 },
      { agentId: 'analyst-3', metric: 0.6, n: 20 },
      { agentId: 'analyst-1', metric: 0.5, n: 20 },
    ]);
  });

  it('looks only at the last `window` outcomes', () => {
    // analyst-1: 10 misses then 10 hits; over the last 10 it is perfect
    const learning = makeLearning({
      trendHits: { 'analyst-1': [...makeHits(0, 10), ...makeHits(1, 10)], 'analyst-2': makeHits(0.8, 20) },
    });
    expect(rankRole(makePopulations(), learning, 'analyst', 10)[0]).toMatchObject({
      agentId: 'analyst-1',
      metric: 1,
      n: 10,
    });
    expect(rankRole(makePopulations(), learning, 'analyst', 20)[0]!.agentId).toBe('analyst-2');
  });

  it('ranks researchers by Brier skill and traders by mean R', () => {
    const learning = makeLearning({
      forecastHistory: {
        'researcher-1': [{ p: 0.5, pRaw: 0.5, outcome: 1, barCloseMs: 0 }],
        'researcher-3': [{ p: 0.9, pRaw: 0.9, outcome: 1, barCloseMs: 0 }],
      },
      traderR: { 'trader-1': [-1, 0.5], 'trader-2': [1, 0.2] },
    });
    const researchers = rankRole(makePopulations(), learning, 'researcher', 50);
    expect(researchers.map((r) => r.agentId)).toEqual(['researcher-3', 'researcher-1', 'researcher-2']);
    expect(researchers[0]!.metric).toBeCloseTo(1 - 0.01 / 0.25, 12);
    expect(researchers[2]).toEqual({ agentId: 'researcher-2', metric: 0, n: 0, lower: -Infinity, upper: Infinity });
    expect(rankRole(makePopulations(), learning, 'trader', 50).map((r) => r.agentId)).toEqual(['trader-2', 'trader-1']);
  });
});

describe('leaderOf', () => {
  it('breaks ties by the lowest id, comparing numeric suffixes as numbers', () => {
    expect(leaderOf(makePopulations(), makeLearning(), 'analyst')).toBe('analyst-1');
    const learning = makeLearning({ trendHits: { 'analyst-2': makeHits(0.6, 10), 'analyst-3': makeHits(0.6, 10) } });
    expect(leaderOf(makePopulations(), learning, 'analyst')).toBe('analyst-2');
  });
});

describe('voteWeights', () => {
  it('gives equal weights without a track record and sums to one', () => {
    const w = voteWeights(makePopulations(), makeLearning(), 'analyst');
    expect(Object.values(w)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('weights a proven agent more, and a long record more than a short lucky one', () => {
    const learning = makeLearning({
      trendHits: { 'analyst-1': makeHits(0.65, 100), 'analyst-2': makeHits(1, 3), 'analyst-3': makeHits(0.4, 100) },
    });
    const w = voteWeights(makePopulations(), learning, 'analyst');
    expect(w['analyst-1']! + w['analyst-2']! + w['analyst-3']!).toBeCloseTo(1, 12);
    expect(w['analyst-1']!).toBeGreaterThan(w['analyst-2']!);
    expect(w['analyst-2']!).toBeGreaterThan(w['analyst-3']!);
  });
});

describe('rankRole by confidence bounds', () => {
  it('a lucky streak of five does not lead a long steady record', () => {
    // analyst-1: 5 of 5 right; analyst-2: 130 of 200 right (0.65 with a tight interval).
    const learning = makeLearning({ trendHits: { 'analyst-1': makeHits(1, 5), 'analyst-2': makeHits(0.65, 200) } });
    const ranked = rankRole(makePopulations(), learning, 'analyst', 200);
    expect(ranked[0]).toMatchObject({ agentId: 'analyst-2', n: 200 });
    expect(ranked.find((r) => r.agentId === 'analyst-1')!.metric).toBe(1);
    expect(leaderOf(makePopulations(), learning, 'analyst', 200)).toBe('analyst-2');
  });

  it('five winning trades do not lead a trader with a long positive record', () => {
    const learning = makeLearning({
      traderR: {
        'trader-1': [2, 2.5, 1.5, 3, 2],
        'trader-2': Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? -1 : 1.2)),
      },
    });
    const ranked = rankRole(makePopulations(), learning, 'trader', 60);
    const t1 = ranked.find((r) => r.agentId === 'trader-1')!;
    const t2 = ranked.find((r) => r.agentId === 'trader-2')!;
    expect(t1.metric).toBeGreaterThan(t2.metric); // 2.2 R against ≈ 0.47 R
    expect(t2.lower).toBeGreaterThan(0);
    expect(ranked.map((r) => r.agentId)).toEqual(['trader-2', 'trader-1']);
  });
});
