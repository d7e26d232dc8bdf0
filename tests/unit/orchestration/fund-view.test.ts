import {
  FIT_HISTORY,
  learningViewOf,
  ownForecastHistory,
  populationsViewOf,
} from '../../../domain/orchestration/fund-view';
import { ROLES } from '../../../domain/population/catalog';
import { selectMethod } from '../../../domain/population/select-method';
import { leaderOf, voteWeights } from '../../../domain/population/rank';
import { summarizeSkill } from '../../../domain/population/skill';
import { LearningViewSchema, PopulationsViewSchema } from '../../../domain/schemas/steps';
import { makeHits, makeLearning, makePopulations } from '../population/fixtures';

const T = Date.UTC(2022, 0, 1);
const scored = (p: number, outcome: 0 | 1, i: number) => ({ p, pRaw: p, outcome, barCloseMs: T + i });

/** A learning state in which researcher-3, analyst-2 and trader-2 lead on clear records. */
function learningWithLeaders() {
  return makeLearning({
    trendHits: { 'analyst-1': makeHits(0.5, 40), 'analyst-2': makeHits(0.75, 40) },
    forecastHistory: {
      'researcher-1': Array.from({ length: 40 }, (_, i) => scored(0.5, (i % 2) as 0 | 1, i)),
      'researcher-3': Array.from({ length: 40 }, (_, i) => scored(0.8, (i % 5 === 0 ? 0 : 1) as 0 | 1, i)),
    },
    traderR: {
      'trader-1': [-1, 0.2, -0.5],
      'trader-2': Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? -1 : 1.5)),
    },
    pendingTrendCalls: [
      {
        agentId: 'analyst-1',
        method: 'adx',
        regime: 'range',
        barCloseMs: T,
        maturesAtMs: T + 1,
        closeAtCall: 100,
        direction: 'flat',
      },
      {
        agentId: 'analyst-2',
        method: 'adx',
        regime: 'trend_up',
        barCloseMs: T + 1,
        maturesAtMs: T + 2,
        closeAtCall: 101,
        direction: 'up',
      },
    ],
  });
}

describe('learningViewOf: what the iteration reads of the learning state', () => {
  const populations = makePopulations();
  const learning = learningWithLeaders();
  const view = learningViewOf('learning-abc', populations, learning);

  it('gives the same leaders, vote weights, regime and skill the iteration computed from the state itself', () => {
    expect(view.ref).toBe('learning-abc');
    expect(view.regime).toBe('trend_up');
    expect(view.leaders).toEqual({
      analyst: leaderOf(populations, learning, 'analyst'),
      researcher: leaderOf(populations, learning, 'researcher'),
      trader: leaderOf(populations, learning, 'trader'),
      risk_manager: leaderOf(populations, learning, 'risk_manager'),
    });
    expect(view.leaders).toMatchObject({ analyst: 'analyst-2', researcher: 'researcher-3', trader: 'trader-2' });
    expect(view.voteWeights.researcher).toEqual(voteWeights(populations, learning, 'researcher'));
    expect(view.voteWeights.trader).toEqual(voteWeights(populations, learning, 'trader'));
    expect(Object.keys(view.skill)).toEqual(populations.trader.map((t) => t.id));
    for (const t of populations.trader)
      expect(view.skill[t.id]).toEqual(summarizeSkill(learning, 'researcher-3', t.id));
  });

  it('crosses the history unchanged (JSON) and passes its schema: no infinities, nothing the schema drops', () => {
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(LearningViewSchema.parse(view)).toEqual(view);
  });

  it('is small: the view, not the state, enters the iteration input', () => {
    expect(JSON.stringify(view).length).toBeLessThan(JSON.stringify(learning).length / 4);
  });

  it('has no regime before any trend call', () => {
    expect(learningViewOf('r', populations, makeLearning({})).regime).toBeNull();
  });

  it("a researcher's own history is its slice of the state, empty when it has none", () => {
    expect(ownForecastHistory(learning, 'researcher-3')).toEqual(learning.forecastHistory['researcher-3']);
    expect(ownForecastHistory(learning, 'researcher-2')).toEqual([]);
  });

  it('R-A and R-C fit on the newest FIT_HISTORY forecasts, though the state keeps the longer look-back of the bound', () => {
    const long = Array.from({ length: FIT_HISTORY + 40 }, (_, i) => ({
      p: 0.6,
      pRaw: 0.6,
      outcome: (i % 2) as 0 | 1,
      barCloseMs: i,
    }));
    const own = ownForecastHistory(makeLearning({ forecastHistory: { 'researcher-1': long } }), 'researcher-1');
    expect(own).toHaveLength(FIT_HISTORY);
    expect(own[0]!.barCloseMs).toBe(40);
  });
});

describe('populationsViewOf: what the iteration reads of the populations', () => {
  const populations = makePopulations();
  const ctx = { round: 7, seed: 42, regime: 'trend_up' };
  const view = populationsViewOf('state-p', populations, ctx);

  it("chooses each agent's methods as the iteration did: selectMethod on the stored agent, round, seed and regime", () => {
    const steps = {
      analyst: ['A-B', 'A-C'],
      researcher: ['R-A', 'R-B', 'R-C'],
      trader: ['T-A'],
      risk_manager: ['M-A'],
    } as const;
    for (const role of ROLES)
      for (const agent of populations[role])
        for (const step of steps[role]) expect(view.methods[agent.id]?.[step]).toEqual(selectMethod(agent, step, ctx));
    // Another round draws again: the view is per round, not a copy of the inventories.
    const later = populationsViewOf('state-p', populations, { ...ctx, round: 8 });
    expect(later.methods).not.toEqual(view.methods);
  });

  it('lists each role’s agents in order as steps know them (id, model, notes), never the inventory', () => {
    for (const role of ROLES)
      expect(view.agents[role]).toEqual(populations[role].map((a) => ({ id: a.id, model: a.model, notes: a.notes })));
    expect(JSON.stringify(view)).not.toContain('inventory');
    expect(PopulationsViewSchema.parse(view)).toEqual(view);
    expect(JSON.stringify(view).length).toBeLessThan(JSON.stringify(populations).length / 2);
  });
});
