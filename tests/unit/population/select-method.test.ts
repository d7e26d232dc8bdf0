import { NoMethodError, PRUNED_TAG } from '../../../domain/population/catalog';
import { recordUse, selectMethod } from '../../../domain/population/select-method';
import type { Agent, MethodStats } from '../../../domain/schemas/agents';
import { makePopulations } from './fixtures';

function withScores(agent: Agent, scores: Record<string, { score: number; n: number; tags?: string[] }>): Agent {
  const methods = agent.inventory['A-C']!.map((m): MethodStats => ({ ...m, ...scores[m.id] }));
  return { ...agent, inventory: { ...agent.inventory, 'A-C': methods } };
}

function countPicks(agent: Agent, rounds: number, regime: string | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let round = 1; round <= rounds; round++) {
    const { id } = selectMethod(agent, 'A-C', { round, seed: 42, regime });
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe('selectMethod (Thompson sampling)', () => {
  const analyst = makePopulations().analyst[0]!;

  it('returns the same choice for the same seed, round, agent and step', () => {
    const ctx = { round: 5, seed: 9, regime: 'range' };
    const picks = Array.from({ length: 5 }, () => selectMethod(analyst, 'A-C', ctx));
    expect(new Set(picks.map((p) => p.id)).size).toBe(1);
  });

  it('varies its choice across rounds when nothing is known', () => {
    const counts = countPicks(analyst, 200, null);
    expect(Object.keys(counts).length).toBe(4);
  });

  it('shifts toward the method with the better track record', () => {
    const agent = withScores(analyst, {
      'ema-cross': { score: 0.7, n: 60 },
      adx: { score: 0.4, n: 60 },
      'range-band': { score: 0.45, n: 60 },
      donchian: { score: 0.5, n: 60 },
    });
    const counts = countPicks(agent, 200, null);
    expect(counts['ema-cross']! / 200).toBeGreaterThan(0.9);
  });

  it('explores more when the evidence is thin', () => {
    const thin = withScores(analyst, {
      'ema-cross': { score: 0.7, n: 3 },
      adx: { score: 0.4, n: 3 },
      'range-band': { score: 0.45, n: 3 },
      donchian: { score: 0.5, n: 3 },
    });
    expect(countPicks(thin, 200, null)['ema-cross']! / 200).toBeLessThan(0.8);
  });

  it('favours methods tagged for the current regime and penalises those tagged for others', () => {
    const even = withScores(analyst, {
      'ema-cross': { score: 0.5, n: 40 },
      adx: { score: 0.5, n: 40 },
      'range-band': { score: 0.5, n: 40 },
      donchian: { score: 0.5, n: 40 },
    });
    const inRange = countPicks(even, 300, 'range');
    expect(inRange['range-band'] ?? 0).toBeGreaterThan(200);
    expect(inRange.adx ?? 0).toBeLessThan(10);
    const inTrend = countPicks(even, 300, 'trend_up');
    expect(inTrend.adx ?? 0).toBeGreaterThan(200);
  });

  it('never picks a pruned method', () => {
    const agent = withScores(analyst, { 'ema-cross': { score: 0.99, n: 500, tags: [PRUNED_TAG] } });
    expect(countPicks(agent, 100, null)['ema-cross']).toBeUndefined();
  });

  it('returns a copy of the chosen method params', () => {
    const choice = selectMethod(analyst, 'A-C', { round: 1, seed: 1, regime: null });
    const method = analyst.inventory['A-C']!.find((m) => m.id === choice.id)!;
    expect(choice.params).toEqual(method.params);
    expect(choice.params).not.toBe(method.params);
  });

  it("throws NoMethodError when every method of the step is pruned or the step is not the role's", () => {
    const pruned = {
      ...analyst,
      inventory: { ...analyst.inventory, 'A-C': analyst.inventory['A-C']!.map((m) => ({ ...m, tags: [PRUNED_TAG] })) },
    };
    expect(() => selectMethod(pruned, 'A-C', { round: 1, seed: 1, regime: null })).toThrow(NoMethodError);
    expect(() => selectMethod(analyst, 'T-A', { round: 1, seed: 1, regime: null })).toThrow(NoMethodError);
  });
});

describe('recordUse', () => {
  it('counts the use and stamps the round without touching other agents', () => {
    const p = makePopulations();
    const next = recordUse(recordUse(p, 'analyst-2', 'A-C', 'adx', 3), 'analyst-2', 'A-C', 'adx', 4);
    const adx = next.analyst[1]!.inventory['A-C']!.find((m) => m.id === 'adx')!;
    expect(adx.uses).toBe(2);
    expect(adx.lastUsedRound).toBe(4);
    expect(next.analyst[0]).toBe(p.analyst[0]);
    expect(p.analyst[1]!.inventory['A-C']!.find((m) => m.id === 'adx')!.uses).toBe(0);
  });

  it('throws for an unknown method', () => {
    expect(() => recordUse(makePopulations(), 'analyst-1', 'A-C', 'nope', 1)).toThrow(NoMethodError);
  });
});
