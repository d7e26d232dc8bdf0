import { BAR_MS } from '../../../domain/schemas/config';
import { createRng } from '../../../domain/random/prng';
import { type Agent } from '../../../domain/schemas/agents';
import { type TrendCall } from '../../../domain/schemas/analysis';
import { type Candle, type MarketSnapshot, type SnapshotSummary } from '../../../domain/schemas/market';
import { type ResearchReport } from '../../../domain/schemas/research';
import { type Analysis, type StepContext } from '../../../domain/schemas/steps';

export const BAR_CLOSE_MS = 1_700_006_400_000; // 2023-11-15T00:00:00Z, a 4h boundary
export { BAR_MS };

export const CTX: StepContext = {
  sessionId: 's1',
  iterationId: 'iter-1',
  barCloseMs: BAR_CLOSE_MS,
  round: 3,
  symbol: 'BTC/USDT:USDT',
};

export const RESEARCHER: Agent = {
  id: 'r1',
  role: 'researcher',
  model: null,
  inventory: {},
  score: 0,
  n: 0,
  notes: [],
};
export const TRADER: Agent = { id: 't1', role: 'trader', model: null, inventory: {}, score: 0, n: 0, notes: [] };

/** Features of a market doing nothing: every method should say 0.5. */
export const NEUTRAL_VALUES: Record<string, number | null> = {
  close: 50_000,
  ret_1: 0,
  ret_6: 0,
  ret_30: 0,
  rsi_14: 50,
  ema_21: 50_000,
  ema_50: 50_000,
  atr_14: 500,
  vol_30: 0.008,
  funding_rate: 0,
};

export function makeTrend(over: Partial<TrendCall> = {}): TrendCall {
  return {
    agentId: 'a1',
    barCloseMs: BAR_CLOSE_MS,
    method: 'ema_cross',
    direction: 'flat',
    strength: 0,
    regime: 'range',
    evidence: {},
    ...over,
  };
}

export function makeSummary(over: Partial<SnapshotSummary> = {}): SnapshotSummary {
  return {
    ref: 'snap-1',
    barCloseMs: BAR_CLOSE_MS,
    lastBarOpenMs: BAR_CLOSE_MS - BAR_MS,
    bar: { t: BAR_CLOSE_MS - BAR_MS, open: 49_900, high: 50_200, low: 49_800, close: 50_000, volume: 1234 },
    bars: 500,
    bars1d: 80,
    fundingRate: 0,
    openInterest: null,
    newsCount: 0,
    headlines: [],
    issues: [],
    ...over,
  };
}

export function makeAnalysis(
  values: Record<string, number | null> = {},
  trend: Partial<TrendCall> = {},
  headlines: string[] = [],
): Analysis {
  const consensus = makeTrend(trend);
  return {
    snapshot: makeSummary({ headlines, newsCount: headlines.length }),
    features: { agentId: 'a1', barCloseMs: BAR_CLOSE_MS, method: 'standard', values: { ...NEUTRAL_VALUES, ...values } },
    trends: [consensus],
    consensus,
  };
}

/** A seeded PRNG so test data is random-looking yet reproducible (the domain's own). */
export const makeRng = createRng;

/** Candles whose close-to-close log returns are exactly `returns`, closing before BAR_CLOSE_MS. */
export function makeCandles(returns: readonly number[], start = 50_000): Candle[] {
  const candles: Candle[] = [];
  let close = start;
  const n = returns.length + 1;
  for (let i = 0; i < n; i++) {
    if (i > 0) close *= Math.exp(returns[i - 1] ?? 0);
    const t = BAR_CLOSE_MS - (n - i) * BAR_MS;
    candles.push({ t, open: close, high: close * 1.004, low: close * 0.996, close, volume: 10 });
  }
  return candles;
}

export function makeSnapshot(candles: Candle[]): MarketSnapshot {
  return {
    barCloseMs: BAR_CLOSE_MS,
    candles,
    candles1d: [],
    funding: [],
    openInterest: [],
    news: [],
    orderBook: null,
    issues: [],
  };
}

export function makeReport(
  over: {
    action?: 'long' | 'short' | 'flat';
    confidence?: number;
    pCal?: number;
    fundingRate?: number | null;
    maxLeverage?: number;
  } = {},
): ResearchReport {
  const confidence = over.confidence ?? 0.6;
  const action = over.action ?? 'long';
  const pCal = over.pCal ?? (action === 'short' ? 1 - confidence : confidence);
  return {
    Meta: { agentId: 'r1', barCloseMs: BAR_CLOSE_MS, symbol: 'BTC/USDT:USDT', methods: { forecast: 'momentum' } },
    Market_State: {
      close: 50_000,
      regime: 'trend_up',
      trend: 'up',
      trendStrength: 0.6,
      fundingRate: over.fundingRate === undefined ? 0.0001 : over.fundingRate,
    },
    Forecast: { pUp: pCal, pUpCalibrated: pCal, expectedReturn: 0.004, horizonBars: 6 },
    Signals: [{ name: 'ret_6', value: 0.02, vote: 'long' }],
    Risk: { volPerBar: 0.008, annualVol: 0.37, var95: 0.013, cvar95: 0.017, atr: 500, stopDistance: 1000 },
    Recommendation: { action, conviction: confidence },
    Scenarios: [{ name: 'base', probability: 1, priceTarget: 50_000 }],
    Explainability: { summary: 'test', drivers: [] },
    Constraints: { maxLeverage: over.maxLeverage ?? 5, minConfidence: 0.53 },
    Confidence: confidence,
    Post_trade_evaluation_keys: ['brier'],
  };
}
