import { BAR_MS } from '../../../domain/schemas/config';
import { readCandleFile, readFundingFile } from '../../../adapters/market/csv-files';
import type { ExchangeCosts } from '../../../domain/schemas/config';
import type { Candle, FundingRate } from '../../../domain/schemas/market';
import { SHARED_DATA } from '../../helpers/shared-data';

export { BAR_MS };
export const COSTS: ExchangeCosts = { makerFee: 0.0002, takerFee: 0.0005, slippageBps: 2 };
/** 2023-01-01 00:00 UTC, an 8h funding boundary. */
export const T0 = Date.UTC(2023, 0, 1);

/** Candles with the given closes: each opens at the previous close, ±0.1% wicks. */
export function buildCandles(closes: readonly number[], startMs = T0): Candle[] {
  return closes.map((close, i) => {
    const open = i === 0 ? close : (closes[i - 1] as number);
    return {
      t: startMs + i * BAR_MS,
      open,
      high: Math.max(open, close) * 1.001,
      low: Math.min(open, close) * 0.999,
      close,
      volume: 1,
    };
  });
}

/** A funding settlement every 8h from `fromMs` through `toMs` at a fixed rate. */
export function buildFunding(fromMs: number, toMs: number, rate: number): FundingRate[] {
  const out: FundingRate[] = [];
  for (let t = fromMs; t <= toMs; t += 8 * 3_600_000) out.push({ t, rate });
  return out;
}

export interface RealYear {
  candles: Candle[];
  funding: FundingRate[];
  /** First bar close of 2023 (the bar opening 2023-01-01 00:00). */
  fromMs: number;
  /** Last bar close of 2023 (2024-01-01 00:00). */
  toMs: number;
}

/** Binance BTCUSDT perp 4h bars and 8h funding of 2023, with two months of warm-up before. */
export function loadRealYear2023(): RealYear {
  const dir = SHARED_DATA;
  const { candles } = readCandleFile(`${dir}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, BAR_MS);
  const funding = readFundingFile(`${dir}/funding/binance_usdm_btcusdt_funding_8h.csv`);
  const warmupFrom = Date.UTC(2022, 10, 1);
  const end = Date.UTC(2024, 0, 1);
  return {
    candles: candles.filter((c) => c.t >= warmupFrom && c.t < end),
    funding: funding.filter((f) => f.t >= warmupFrom && f.t <= end),
    fromMs: T0 + BAR_MS,
    toMs: end,
  };
}
