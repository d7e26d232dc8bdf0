import { evaluateRound } from '../../../domain/population/evaluate';
import { decodeMethods } from '../../../domain/population/method-credit';
import { RESEARCHER_FORECAST_WINDOW } from '../../../domain/population/rank';
import { recordUse } from '../../../domain/population/select-method';
import type { EvaluateResult } from '../../../domain/schemas/steps';
import { makeForecastPair, makeInput, makeOrder, makeTrade, makeTrend } from './evaluate-fixtures';
import { makeCtx, makeLearning, makePopulations } from './fixtures';

/** Runs evaluateRound over consecutive rounds with the given closes, feeding `first` extras on the first round. */
function runRounds(
  closes: number[],
  first: Parameters<typeof makeInput>[4],
  start: EvaluateResult = { populations: makePopulations(), learning: makeLearning() },
): EvaluateResult[] {
  const out: EvaluateResult[] = [];
  let state = start;
  closes.forEach((close, i) => {
    state = evaluateRound(makeInput(i + 1, close, state.populations, state.learning, i === 0 ? first : {}));
    out.push(state);
  });
  return out;
}

const method = (
  r: EvaluateResult,
  role: 'analyst' | 'researcher' | 'trader' | 'risk_manager',
  i: number,
  step: string,
  id: string,
) => r.populations[role][i]!.inventory[step as 'A-C']!.find((m) => m.id === id)!;

describe('evaluateRound: forecasts', () => {
  it('matures a forecast exactly at the horizon, not a bar before', () => {
    const f = makeForecastPair('researcher-1', makeCtx(1).barCloseMs, 0.6, 0.7);
    const rounds = runRounds([100, 90, 90, 101], { forecasts: [f] });
    expect(rounds[0]!.learning.pendingForecasts).toHaveLength(1);
    expect(rounds[0]!.learning.pendingForecasts[0]!.maturesAtMs).toBe(makeCtx(4).barCloseMs);
    expect(rounds[2]!.learning.pendingForecasts).toHaveLength(1);
    expect(rounds[2]!.learning.forecastHistory['researcher-1']).toBeUndefined();
    expect(rounds[3]!.learning.pendingForecasts).toHaveLength(0);
    // up = close at maturity (101) > close at forecast (100); the lower closes in between do not matter
    expect(rounds[3]!.learning.forecastHistory['researcher-1']).toEqual([
      { p: 0.7, pRaw: 0.6, outcome: 1, barCloseMs: makeCtx(1).barCloseMs },
    ]);
  });

  it("keeps a researcher's newest RESEARCHER_FORECAST_WINDOW forecasts, the look-back of its bound", () => {
    const old = Array.from({ length: RESEARCHER_FORECAST_WINDOW }, (_, i) => ({
      p: 0.5,
      pRaw: 0.5,
      outcome: 0 as const,
      barCloseMs: i,
    }));
    const start = {
      populations: makePopulations(),
      learning: makeLearning({ forecastHistory: { 'researcher-1': old } }),
    };
    const f = makeForecastPair('researcher-1', makeCtx(1).barCloseMs, 0.6, 0.7);
    const kept = runRounds([100, 100, 100, 101], { forecasts: [f] }, start)[3]!.learning.forecastHistory[
      'researcher-1'
    ]!;
    expect(RESEARCHER_FORECAST_WINDOW).toBeGreaterThan(200); // longer than the other records' limit
    expect(kept).toHaveLength(RESEARCHER_FORECAST_WINDOW);
    expect(kept[0]!.barCloseMs).toBe(1);
    expect(kept.at(-1)).toEqual({ p: 0.7, pRaw: 0.6, outcome: 1, barCloseMs: makeCtx(1).barCloseMs });
  });

  it('credits the forecasting and calibration methods and rescores the researcher', () => {
    const f = makeForecastPair('researcher-1', makeCtx(1).barCloseMs, 0.6, 0.7);
    const last = runRounds([100, 100, 100, 99], { forecasts: [f] })[3]!;
    const logistic = method(last, 'researcher', 0, 'R-A', 'logistic');
    expect(logistic.n).toBe(1);
    expect(logistic.score).toBeCloseTo(1 - 0.36, 12); // outcome down: 1 − 0.6²
    // calibration made it worse: 0.5 + 0.36 − 0.49
    expect(method(last, 'researcher', 0, 'R-C', 'platt').score).toBeCloseTo(0.37, 12);
    const r1 = last.populations.researcher[0]!;
    expect(r1.n).toBe(1);
    expect(r1.score).toBeCloseTo(1 - 0.49 / 0.25, 12); // Brier skill of the calibrated p
    expect(last.populations.researcher[1]!.n).toBe(0);
  });

  it('packs the R-A and R-C methods into the pending forecast', () => {
    const [r] = runRounds([100], { forecasts: [makeForecastPair('researcher-2', makeCtx(1).barCloseMs, 0.5, 0.5)] });
    expect(decodeMethods(r!.learning.pendingForecasts[0]!.method, 'R-A')).toEqual([
      ['R-A', 'logistic'],
      ['R-C', 'platt'],
    ]);
  });
});

describe('evaluateRound: trend calls', () => {
  it('scores up/down on the sign of the move and flat within 0.5%', () => {
    const t = makeCtx(1).barCloseMs;
    const trends = [
      makeTrend('analyst-1', t, 'up'),
      makeTrend('analyst-2', t, 'flat'),
      makeTrend('analyst-3', t, 'down'),
    ];
    const small = runRounds([100, 100, 100, 100.4], { trends })[3]!;
    expect(small.learning.trendHits).toEqual({ 'analyst-1': [1], 'analyst-2': [1], 'analyst-3': [0] });
    const big = runRounds([100, 100, 100, 99], { trends })[3]!;
    expect(big.learning.trendHits).toEqual({ 'analyst-1': [0], 'analyst-2': [0], 'analyst-3': [1] });
    expect(big.populations.analyst[2]!.score).toBe(1);
  });

  it('credits the A-B method the analyst used that round along with the A-C method', () => {
    const pops = recordUse(makePopulations(), 'analyst-1', 'A-B', 'vol-features', 1);
    const rounds = runRounds(
      [100, 100, 100, 101],
      { trends: [makeTrend('analyst-1', makeCtx(1).barCloseMs, 'up', 'adx')] },
      { populations: pops, learning: makeLearning() },
    );
    expect(method(rounds[3]!, 'analyst', 0, 'A-C', 'adx')).toMatchObject({ n: 1, score: 1 });
    expect(method(rounds[3]!, 'analyst', 0, 'A-B', 'vol-features')).toMatchObject({ n: 1, score: 1 });
    expect(method(rounds[3]!, 'analyst', 0, 'A-B', 'basic').n).toBe(0);
  });

  it('keeps only the newest 200 hits per analyst', () => {
    const learning = makeLearning({ trendHits: { 'analyst-1': Array.from({ length: 200 }, () => 0) } });
    const rounds = runRounds(
      [100, 100, 100, 101],
      { trends: [makeTrend('analyst-1', makeCtx(1).barCloseMs, 'up')] },
      { populations: makePopulations(), learning },
    );
    const hits = rounds[3]!.learning.trendHits['analyst-1']!;
    expect(hits).toHaveLength(200);
    expect(hits.at(-1)).toBe(1);
  });
});

describe('evaluateRound: traders', () => {
  it('turns closed trades into R multiples net of fees and funding', () => {
    const pops = recordUse(makePopulations(), 'trader-2', 'T-A', 'limit-pullback', 1);
    const [r] = runRounds(
      [100],
      {
        closedTrades: [
          makeTrade({ traderId: 'trader-2', realizedPnl: 3, fees: 0.5, funding: -0.5, riskAmount: 2 }),
          makeTrade({ riskAmount: 0 }),
        ],
      },
      { populations: pops, learning: makeLearning() },
    );
    expect(r!.learning.traderR).toEqual({ 'trader-2': [1] }); // (3 − 0.5 − 0.5) / 2; zero-risk trade skipped
    expect(r!.populations.trader[1]!).toMatchObject({ score: 1, n: 1 });
    expect(method(r!, 'trader', 1, 'T-A', 'limit-pullback').score).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
});

describe('evaluateRound: risk manager', () => {
  const pops = recordUse(makePopulations(), 'risk_manager-1', 'M-A', 'strict', 1);
  const start = { populations: pops, learning: makeLearning() };

  it('counts a vetoed order that would have hit its stop as a loss avoided', () => {
    const rounds = runRounds(
      [100, 99, 97.5, 110],
      { riskDecision: { riskManagerId: 'risk_manager-1', vetoed: true, order: makeOrder() } },
      start,
    );
    expect(rounds[1]!.learning.pendingRiskDecisions).toHaveLength(1);
    // stop 98 is crossed at the third close: −1 R avoided, before the later rally
    expect(rounds[2]!.learning.riskScores['risk_manager-1']).toEqual({ lossesAvoided: 1, gainsVetoed: 0, n: 1 });
    expect(rounds[2]!.learning.pendingRiskDecisions).toHaveLength(0);
    expect(method(rounds[2]!, 'risk_manager', 0, 'M-A', 'strict')).toMatchObject({ score: 1, n: 1 });
  });

  it('counts a vetoed winner as gains vetoed, judged on the final move when no level is hit', () => {
    const rounds = runRounds(
      [100, 101, 101, 103],
      { riskDecision: { riskManagerId: 'risk_manager-1', vetoed: true, order: makeOrder() } },
      start,
    );
    expect(rounds[2]!.learning.pendingRiskDecisions).toHaveLength(1);
    expect(rounds[3]!.learning.riskScores['risk_manager-1']).toEqual({ lossesAvoided: 0, gainsVetoed: 1.5, n: 1 });
    expect(rounds[3]!.populations.risk_manager[0]!.score).toBe(-1.5);
  });

  it('scores an approved short that hit its take-profit as a right decision without changing avoided/vetoed R', () => {
    const order = makeOrder({ direction: 'short', takeProfit: 96, stopLoss: 102 });
    const rounds = runRounds(
      [100, 95],
      { riskDecision: { riskManagerId: 'risk_manager-1', vetoed: false, order } },
      start,
    );
    expect(rounds[1]!.learning.riskScores['risk_manager-1']).toEqual({ lossesAvoided: 0, gainsVetoed: 0, n: 1 });
    expect(method(rounds[1]!, 'risk_manager', 0, 'M-A', 'strict').score).toBe(1);
  });
});

describe('evaluateRound: bookkeeping', () => {
  it('counts the regime and leaves the input untouched', () => {
    const pops = makePopulations();
    const learning = makeLearning({ regimeCounts: { range: 2 } });
    const before = structuredClone({ pops, learning });
    const r = evaluateRound(
      makeInput(1, 100, pops, learning, {
        regime: 'range',
        trends: [makeTrend('analyst-1', makeCtx(1).barCloseMs, 'up')],
      }),
    );
    expect(r.learning.regimeCounts).toEqual({ range: 3 });
    expect({ pops, learning }).toEqual(before);
  });
});
