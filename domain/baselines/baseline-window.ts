import type { ExchangeCosts } from '../schemas/config';
import type { Candle, FundingRate } from '../schemas/market';
import { fundingIntervalOf, settlementTimeOf } from '../exchange/funding-settlement';

/** The bars a baseline trades and what it needs to walk them through the paper exchange. */
export interface BaselineWindow {
  /** Bars whose close lies in [fromMs, toMs], in time order: the bars the desk trades. */
  bars: Candle[];
  /** Index of bars[0] in the full candle array (indicator series are indexed by the full array). */
  offset: number;
  /**
   * Funding rows whose settlement instant lies in each bar's (previous close, close], precomputed so applyBar scans one or two
   * entries instead of the whole funding history on every bar; index 0 (the entry bar) is empty.
   */
  fundingByBar: FundingRate[][];
  barMs: number;
  initialEquity: number;
  costs: ExchangeCosts;
}

export interface BaselineWindowInput {
  /** Sorted by open time; candles closing before fromMs are warm-up history only. */
  candles: readonly Candle[];
  funding: readonly FundingRate[];
  /** First bar close traded (inclusive). */
  fromMs: number;
  /** Last bar close traded (inclusive). */
  toMs: number;
  barMs: number;
  initialEquity: number;
  costs: ExchangeCosts;
}

const NO_FUNDING: FundingRate[] = [];

/** Selects the traded bars and buckets funding rows by the bar whose close settles them (the venue's grid). */
export function prepareBaselineWindow(input: BaselineWindowInput): BaselineWindow {
  const { candles, barMs } = input;
  let offset = 0;
  while (offset < candles.length && (candles[offset] as Candle).t + barMs < input.fromMs) offset++;
  let end = offset;
  while (end < candles.length && (candles[end] as Candle).t + barMs <= input.toMs) end++;
  const bars = candles.slice(offset, end);

  // Stable sort: rows with equal timestamps keep their order, so the exchange's "last published wins" holds.
  const funding = [...input.funding].sort((a, b) => a.t - b.t);
  const interval = fundingIntervalOf(input.costs);
  const settles = (k: number): number => settlementTimeOf((funding[k] as FundingRate).t, interval);
  const fundingByBar: FundingRate[][] = [];
  let k = 0;
  let prevClose = -Infinity;
  for (let i = 0; i < bars.length; i++) {
    const close = (bars[i] as Candle).t + barMs;
    while (k < funding.length && settles(k) <= prevClose) k++;
    const due: FundingRate[] = [];
    while (k < funding.length && settles(k) <= close) due.push(funding[k++] as FundingRate);
    // The account starts at the first close, so nothing settles on the entry bar.
    fundingByBar.push(i === 0 || due.length === 0 ? NO_FUNDING : due);
    prevClose = close;
  }
  return { bars, offset, fundingByBar, barMs, initialEquity: input.initialEquity, costs: input.costs };
}
