import { BAR_MS } from '../../domain/schemas/config';
import type { DataIssue, OrderBookTop } from '../../domain/schemas/market';
import { type SyntheticSeries, generateSyntheticSeries } from '../../domain/market/synthetic';
import type { Candle, FundingRate, OpenInterest } from '../../domain/schemas/market';
import { type MarketData, computeRange } from './market-data-port';
import { sliceClosed, sliceRange } from './series-slice';

/** The project's deterministic synthetic BTC-like series (domain/market/synthetic.ts) behind MarketData. */
export class SyntheticMarketData implements MarketData {
  readonly id: string;
  private series: SyntheticSeries | null = null;

  constructor(
    private readonly opts: { seed: number; startMs: number; bars: number },
    private readonly barMs = BAR_MS,
  ) {
    this.id = `synthetic:seed=${opts.seed}:start=${opts.startMs}:bars=${opts.bars}`;
  }

  private get data(): SyntheticSeries {
    this.series ??= generateSyntheticSeries({ ...this.opts, barMs: this.barMs });
    return this.series;
  }

  async candles(untilMs: number, limit: number): Promise<Candle[]> {
    return sliceClosed(this.data.candles, this.barMs, untilMs, limit);
  }

  async funding(sinceMs: number, untilMs: number): Promise<FundingRate[]> {
    return sliceRange(this.data.funding, sinceMs, untilMs);
  }

  async openInterest(sinceMs: number, untilMs: number): Promise<OpenInterest[]> {
    return sliceRange(this.data.openInterest, sinceMs, untilMs);
  }

  async orderBookTop(): Promise<OrderBookTop | null> {
    return null;
  }

  async range(warmupBars: number): Promise<{ firstCloseMs: number; lastCloseMs: number }> {
    return computeRange(this.id, this.data.candles, this.barMs, warmupBars);
  }

  async issues(): Promise<DataIssue[]> {
    return [];
  }
}
