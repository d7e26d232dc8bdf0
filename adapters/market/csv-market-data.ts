import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BAR_MS } from '../../domain/schemas/config';
import type { Candle, DataIssue, FundingRate, OpenInterest, OrderBookTop } from '../../domain/schemas/market';
import { toDataIssueReport } from '../../domain/market/data-issue-report';
import type { DataIssueReport } from '../../domain/schemas/data-issues';
import { type AbsurdPricePolicy, readCandleFile, readFundingFile, readOpenInterestFile } from './csv-files';
import { DataFileError } from './data-file-error';
import { type MarketData, computeRange } from './market-data-port';
import { sliceClosed, sliceRange } from './series-slice';

export interface CsvPaths {
  candles: string;
  funding: string | null;
  openInterest: string | null;
  /** @default 'reject' */
  absurdPrices?: AbsurdPricePolicy;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (e) {
    throw new DataFileError(file, null, `cannot read file (${(e as Error).message})`);
  }
}

/** Market data from CSV files in the shared/data formats, parsed strictly once, on first use. */
export class CsvMarketData implements MarketData {
  readonly id: string;
  private loaded: {
    candles: Candle[];
    funding: FundingRate[];
    openInterest: OpenInterest[];
    issues: DataIssue[];
    skipped: DataIssueReport[];
  } | null = null;

  constructor(
    private readonly paths: CsvPaths,
    private readonly barMs = BAR_MS,
  ) {
    const candles = resolve(paths.candles);
    this.id = `csv:${candles}:${fileSize(candles)}`;
  }

  private load(): NonNullable<CsvMarketData['loaded']> {
    if (!this.loaded) {
      const c = readCandleFile(this.paths.candles, this.barMs, this.paths.absurdPrices ?? 'reject');
      this.loaded = {
        candles: c.candles,
        funding: this.paths.funding ? readFundingFile(this.paths.funding) : [],
        openInterest: this.paths.openInterest ? readOpenInterestFile(this.paths.openInterest) : [],
        issues: c.issues,
        skipped: c.skipped,
      };
    }
    return this.loaded;
  }

  async candles(untilMs: number, limit: number): Promise<Candle[]> {
    return sliceClosed(this.load().candles, this.barMs, untilMs, limit);
  }

  async funding(sinceMs: number, untilMs: number): Promise<FundingRate[]> {
    return sliceRange(this.load().funding, sinceMs, untilMs);
  }

  async openInterest(sinceMs: number, untilMs: number): Promise<OpenInterest[]> {
    return sliceRange(this.load().openInterest, sinceMs, untilMs);
  }

  async orderBookTop(): Promise<OrderBookTop | null> {
    return null;
  }

  async range(warmupBars: number): Promise<{ firstCloseMs: number; lastCloseMs: number }> {
    return computeRange(this.id, this.load().candles, this.barMs, warmupBars);
  }

  async issues(): Promise<DataIssue[]> {
    return this.load().issues;
  }

  /** Everything found while loading, in the summary.json form: gaps and other loader issues, then skipped rows. */
  async reportIssues(): Promise<DataIssueReport[]> {
    const { issues, skipped } = this.load();
    return [...issues.map((i) => toDataIssueReport(i, this.paths.candles)), ...skipped];
  }
}
