import { learningViewOf, ownForecastHistory } from '../../../domain/orchestration/learning-view';
import { leaderOf, voteWeights } from '../../../domain/population/rank';
import { summarizeSkill } from '../../../domain/population/skill';
import { LearningViewSchema } from '../../../domain/schemas/steps';
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
    expect(ownForecastHistory(learning, 'researcher-3')).toBe(learning.forecastHistory['researcher-3']);
    expect(ownForecastHistory(learning, 'researcher-2')).toEqual([]);
  });
});
