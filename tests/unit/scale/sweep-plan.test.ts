import { planSweepRuns, summarizeArms } from '../../../domain/orchestration/sweep-plan';

const W = [
  { fromMs: 0, toMs: 10 },
  { fromMs: 10, toMs: 20 },
];
const ARMS = [
  { name: 'leader', overrides: {} },
  { name: 'vote rule', overrides: { decisionRule: 'vote' } },
];

describe('planSweepRuns', () => {
  it('plans every (window, seed, arm) once with unique, id-safe ids', () => {
    const runs = planSweepRuns([...W, { fromMs: 20, toMs: 30 }, { fromMs: 30, toMs: 40 }], [1, 2], ARMS);
    expect(runs).toHaveLength(16);
    expect(new Set(runs.map((r) => r.id)).size).toBe(16);
    expect(runs[1]).toEqual({ id: 'w0-s1-vote_rule', window: W[0], seed: 1, arm: ARMS[1] });
  });

  it('refuses two arms with one name, which would merge their results', () => {
    expect(() => planSweepRuns(W, [1], [ARMS[0]!, { name: 'leader', overrides: { seed: 3 } }])).toThrow(
      /distinct names/,
    );
  });
});

describe('summarizeArms', () => {
  it('averages return and sharpe per arm and keeps its worst drawdown', () => {
    const s = summarizeArms([
      { arm: 'a', total_return: 0.1, sharpe: 1, max_drawdown: 0.05, n_trades: 3 },
      { arm: 'a', total_return: -0.05, sharpe: -0.5, max_drawdown: 0.2, n_trades: 1 },
      { arm: 'b', total_return: 0, sharpe: 0, max_drawdown: 0, n_trades: 0 },
    ]);
    expect(s.a).toEqual({
      runs: 2,
      mean_return: expect.closeTo(0.025, 12),
      mean_sharpe: expect.closeTo(0.25, 12),
      worst_drawdown: 0.2,
      trades: 4,
    });
    expect(s.b!.runs).toBe(1);
  });
});
