import type { ExchangeCosts } from '../schemas/config';
import type { Candle, FundingRate } from '../schemas/market';
import { prepareBaselineWindow } from './baseline-window';
import { runRandomEntries, type RandomEntriesSummary } from './random-entries';
import { createBuyAndHoldRule, createEmaCrossoverRule, createRsiReversionRule } from './rules';
import { walkPolicy, type BaselineResult } from './walk-policy';

export type { BaselineResult } from './walk-policy';
export type { Distribution } from './distribution';
export type { RandomEntriesSummary } from './random-entries';

/** Input of {@link runBaselines}: the desk's own bars, funding and costs. */
export interface RunBaselinesInput {
  /** Sorted by open time (t = bar open); those closing before `fromMs` only warm the indicators up. */
  candles: Candle[];
  funding: FundingRate[];
  /** First bar close traded, inclusive. */
  fromMs: number;
  /** Last bar close traded, inclusive; every baseline is flat after it. */
  toMs: number;
  barMs: number;
  initialEquity: number;
  costs: ExchangeCosts;
  /** Number of random-entries runs (seeds 0 … seeds − 1). @default 50 */
  seeds?: number;
  /** Exposure the random entries match: the desk's fraction of marks in a position. @default 0.5 */
  targetExposure?: number;
  /** Mean holding period of a random entry, in bars. @default 6 */
  meanHoldBars?: number;
}

export interface RunBaselinesResult {
  buy_and_hold: BaselineResult;
  ema_crossover: BaselineResult;
  rsi_mean_reversion: BaselineResult;
  random_entries: RandomEntriesSummary;
}

/** Thrown when runBaselines gets a number of seeds, exposure or holding period it cannot use. */
export class BaselineInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineInputError';
  }
}

/**
 * Simple strategies run on the same simulator, bars, funding and costs as the desk, so its metrics
 * can be read against them: 1x buy-and-hold, EMA 21/55 crossover, RSI(14) mean reversion, and
 * seeded random entries at the desk's exposure (is the desk better than chance at that exposure?).
 * Indicator series are computed once over all candles (warm-up included), then read per bar.
 */
export function runBaselines(input: RunBaselinesInput): RunBaselinesResult {
  const runs = input.seeds ?? 50;
  const targetExposure = input.targetExposure ?? 0.5;
  const meanHoldBars = input.meanHoldBars ?? 6;
  if (!Number.isInteger(runs) || runs < 1)
    throw new BaselineInputError(`seeds must be a positive integer, got ${runs}`);
  if (!(targetExposure >= 0 && targetExposure <= 1))
    throw new BaselineInputError(`targetExposure must lie in [0, 1], got ${targetExposure}`);
  if (!(meanHoldBars >= 1)) throw new BaselineInputError(`meanHoldBars must be at least 1, got ${meanHoldBars}`);

  const w = prepareBaselineWindow(input);
  const closes = Float64Array.from(input.candles, (c) => c.close);
  return {
    buy_and_hold: walkPolicy(w, 'buy_and_hold', createBuyAndHoldRule()),
    ema_crossover: walkPolicy(w, 'ema_crossover', createEmaCrossoverRule(closes, w.offset)),
    rsi_mean_reversion: walkPolicy(w, 'rsi_mean_reversion', createRsiReversionRule(closes, w.offset)),
    random_entries: runRandomEntries(w, { runs, targetExposure, meanHoldBars }),
  };
}
