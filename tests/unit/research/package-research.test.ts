import { ResearchCombineError } from '../../../domain/research/errors';
import { combineResearch, packageResearch } from '../../../domain/research/package-research';
import { ExchangeCostsSchema, RiskLimitsSchema } from '../../../domain/schemas/config';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import { ResearchReportSchema } from '../../../domain/schemas/research';
import { type PackageResearchInput } from '../../../domain/schemas/steps';
import { BAR_CLOSE_MS, CTX, makeAnalysis, makeReport, RESEARCHER } from './fixtures';

const PROV = { source: 'heuristic' as const, hash: null, model: null, warning: null, usage: ZERO_USAGE };
const ELEVEN_KEYS = [
  'Meta',
  'Market_State',
  'Forecast',
  'Signals',
  'Risk',
  'Recommendation',
  'Scenarios',
  'Explainability',
  'Constraints',
  'Confidence',
  'Post_trade_evaluation_keys',
];

function makeInput(
  pCal: number,
  over: { fundingRate?: number; values?: Record<string, number | null> } = {},
): PackageResearchInput {
  const analysis = makeAnalysis(
    { ret_6: 0.03, ema_21: 50_400, ema_50: 49_600, rsi_14: 62, ...over.values },
    { regime: 'trend_up', direction: 'up', strength: 0.6 },
  );
  analysis.snapshot.fundingRate = over.fundingRate ?? 0.0001;
  return {
    ctx: CTX,
    agent: RESEARCHER,
    analysis,
    forecast: {
      agentId: 'r1',
      barCloseMs: BAR_CLOSE_MS,
      method: 'momentum',
      pUp: 0.6,
      expectedReturn: 0.005,
      horizonBars: 6,
      rationale: 'momentum up',
      provenance: PROV,
    },
    uncertainty: {
      agentId: 'r1',
      method: 'ewma_vol',
      volPerBar: 0.008,
      annualVol: 0.374,
      var95: 0.013,
      cvar95: 0.016,
      atr: 500,
      stopDistance: 1000,
    },
    calibration: { agentId: 'r1', method: 'platt', pRaw: 0.6, pCalibrated: pCal, nHistory: 40 },
    limits: RiskLimitsSchema.parse({}),
  };
}

describe('packageResearch', () => {
  it('fills exactly the eleven keys of docs/architecture.md and parses with ResearchReportSchema', () => {
    const report = packageResearch(makeInput(0.6));
    expect(Object.keys(report)).toEqual(ELEVEN_KEYS);
    expect(() => ResearchReportSchema.parse(report)).not.toThrow();
    expect(report.Meta.methods).toMatchObject({ forecast: 'momentum', uncertainty: 'ewma_vol', calibration: 'platt' });
    expect(report.Post_trade_evaluation_keys).toEqual(
      expect.arrayContaining(['brier', 'log_loss', 'hit_rate', 'realized_return']),
    );
    expect(report.Constraints).toEqual({ maxLeverage: 5, minConfidence: 0.53 });
  });

  it('recommends long with Confidence = pCalibrated when the calibrated edge beats the cost hurdle', () => {
    const r = packageResearch(makeInput(0.62));
    expect(r.Recommendation.action).toBe('long');
    expect(r.Confidence).toBeCloseTo(0.62, 12);
  });

  it('recommends short with Confidence = 1 − pCalibrated for a bearish calibrated probability', () => {
    const r = packageResearch(makeInput(0.38));
    expect(r.Recommendation.action).toBe('short');
    expect(r.Confidence).toBeCloseTo(0.62, 12);
  });

  it('recommends flat when the edge is below the round-trip cost', () => {
    // 0.505 at 0.8% per-bar vol over 6 bars implies about 0.025% of edge, far below 0.14%.
    expect(packageResearch(makeInput(0.505)).Recommendation.action).toBe('flat');
    const costly = { ...makeInput(0.62), costs: ExchangeCostsSchema.parse({ takerFee: 0.01, slippageBps: 50 }) };
    expect(packageResearch(costly).Recommendation.action).toBe('flat');
  });

  it('states the net edge and its parts from the session costs: gross − 2·taker − 2·slippage − funding over the horizon', () => {
    const input = {
      ...makeInput(0.62, { fundingRate: 0.0003 }),
      costs: ExchangeCostsSchema.parse({ takerFee: 0.0004, slippageBps: 3 }),
    };
    const r = packageResearch(input).Recommendation;
    // 6 bars of 4h = 3 funding settlements of 8h: a long pays 3 × 0.03%.
    expect(r.edge).toMatchObject({ fees: 0.0008, slippage: 0.0006 });
    expect(r.edge!.funding).toBeCloseTo(0.0009, 12);
    expect(r.edge!.gross).toBeCloseTo(0.008 * Math.sqrt(6) * 0.305481, 5); // Φ⁻¹(0.62) ≈ 0.3055
    expect(r.netEdge).toBeCloseTo(r.edge!.gross - 0.0008 - 0.0006 - 0.0009, 12);
    // A short receives positive funding: its funding part is negative.
    expect(
      packageResearch({ ...input, calibration: { ...input.calibration, pCalibrated: 0.38 } }).Recommendation.edge!
        .funding,
    ).toBeCloseTo(-0.0009, 12);
  });

  it('counts funding over the horizon: heavy positive funding turns a marginal long flat but not a short', () => {
    expect(packageResearch(makeInput(0.53, { fundingRate: 0 })).Recommendation.action).toBe('long');
    expect(packageResearch(makeInput(0.53, { fundingRate: 0.002 })).Recommendation.action).toBe('flat');
    expect(packageResearch(makeInput(0.47, { fundingRate: 0.002 })).Recommendation.action).toBe('short');
  });

  it('builds bull/base/bear scenarios whose probabilities sum to 1 and whose targets are ordered', () => {
    const [bull, base, bear] = packageResearch(makeInput(0.6)).Scenarios;
    expect((bull?.probability ?? 0) + (base?.probability ?? 0) + (bear?.probability ?? 0)).toBeCloseTo(1, 9);
    expect(bull?.priceTarget).toBeGreaterThan(base?.priceTarget ?? Infinity);
    expect(base?.priceTarget).toBeGreaterThan(bear?.priceTarget ?? Infinity);
    expect(bull?.probability).toBeGreaterThan(bear?.probability ?? 1);
  });

  it('turns features into votes: trend features vote with the trend, RSI extremes against it', () => {
    const r = packageResearch(makeInput(0.6, { values: { rsi_14: 78, macd_hist: -3 } }));
    const vote = (name: string): string | undefined => r.Signals.find((s) => s.name === name)?.vote;
    expect(vote('ret_6')).toBe('long');
    expect(vote('ema21_vs_ema50')).toBe('long');
    expect(vote('rsi_14')).toBe('short');
    expect(vote('macd_hist')).toBe('short');
    expect(vote('trend:a1:ema_cross')).toBe('long');
    expect(r.Signals.some((s) => s.name === 'close_vs_ema200')).toBe(false);
  });
});

describe('combineResearch', () => {
  it('states the consensus net edge as the weighted mean over the reports on the winning side', () => {
    const edge = (action: 'long' | 'short', netEdge: number, confidence: number) => {
      const r = makeReport({ action, confidence });
      return { ...r, Recommendation: { ...r.Recommendation, netEdge } };
    };
    const combined = combineResearch(
      [edge('long', 0.004, 0.6), edge('long', 0.001, 0.6), edge('short', 0.02, 0.55)],
      [3, 1, 1],
    );
    expect(combined.Recommendation.action).toBe('long');
    expect(combined.Recommendation.netEdge).toBeCloseTo((3 * 0.004 + 1 * 0.001) / 4, 12);
    // Reports without a stated edge give the consensus none: T-B's gate then refuses it.
    expect(combineResearch([makeReport({ action: 'long' })], [1]).Recommendation.netEdge).toBeUndefined();
  });

  it('takes the action with the largest weight × confidence and parses as a report', () => {
    const longs = [makeReport({ action: 'long', confidence: 0.6 }), makeReport({ action: 'long', confidence: 0.58 })];
    const short = makeReport({ action: 'short', confidence: 0.7 });
    const combined = combineResearch([...longs, short], [1, 1, 1]);
    expect(() => ResearchReportSchema.parse(combined)).not.toThrow();
    expect(combined.Recommendation.action).toBe('long');
    expect(combineResearch([...longs, short], [0.2, 0.2, 1]).Recommendation.action).toBe('short');
  });

  it('reports the confidence of the chosen side from the weighted calibrated probability', () => {
    const combined = combineResearch(
      [makeReport({ action: 'long', pCal: 0.6 }), makeReport({ action: 'long', pCal: 0.7 })],
      [1, 3],
    );
    expect(combined.Forecast.pUpCalibrated).toBeCloseTo(0.675, 12);
    expect(combined.Confidence).toBeCloseTo(0.675, 12);
  });

  it('goes flat on a tie and keeps the strictest constraints', () => {
    const combined = combineResearch(
      [
        makeReport({ action: 'long', confidence: 0.6, maxLeverage: 5 }),
        makeReport({ action: 'short', confidence: 0.6, maxLeverage: 3 }),
      ],
      [1, 1],
    );
    expect(combined.Recommendation.action).toBe('flat');
    expect(combined.Constraints.maxLeverage).toBe(3);
  });

  it('throws ResearchCombineError with no reports or mismatched weights', () => {
    expect(() => combineResearch([], [])).toThrow(ResearchCombineError);
    expect(() => combineResearch([makeReport()], [1, 2])).toThrow(ResearchCombineError);
  });
});
