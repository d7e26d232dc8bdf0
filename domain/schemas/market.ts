import { z } from 'zod';

/** Milliseconds since the Unix epoch, UTC. */
export const EpochMsSchema = z.number().int().nonnegative();

const price = z.number().finite().positive();

/** One OHLCV candle; `t` is the bar OPEN time (Binance/freqtrade convention), so it closes at `t + interval`. */
export const CandleSchema = z.object({
  t: EpochMsSchema,
  open: price,
  high: price,
  low: price,
  close: price,
  volume: z.number().finite().nonnegative(),
});
export type Candle = z.infer<typeof CandleSchema>;

/** A funding settlement: `rate` is a fraction per 8h (0.0001 = 0.01%); positive means longs pay shorts. */
export const FundingRateSchema = z.object({ t: EpochMsSchema, rate: z.number().finite().min(-0.05).max(0.05) });
export type FundingRate = z.infer<typeof FundingRateSchema>;

/** Open interest in BTC at time `t` (close of its sampling interval). */
export const OpenInterestSchema = z.object({ t: EpochMsSchema, oi: z.number().finite().nonnegative() });
export type OpenInterest = z.infer<typeof OpenInterestSchema>;

export const NewsStreamSchema = z.enum(['micro', 'macro']);
export type NewsStream = z.infer<typeof NewsStreamSchema>;

/** A dated headline; `t` is the time it became available (publication, or publication + delay for date-only feeds). */
export const NewsItemSchema = z.object({
  t: EpochMsSchema,
  headline: z.string().min(1),
  source: z.string(),
  url: z.string(),
  stream: NewsStreamSchema,
});
export type NewsItem = z.infer<typeof NewsItemSchema>;

export const OrderBookTopSchema = z.object({
  t: EpochMsSchema,
  bid: price,
  ask: price,
  bidSize: z.number().nonnegative(),
  askSize: z.number().nonnegative(),
});
export type OrderBookTop = z.infer<typeof OrderBookTopSchema>;

export const DataIssueKindSchema = z.enum([
  'gap',
  'duplicate',
  'out_of_order',
  'nan',
  'non_positive',
  'high_below_low',
  'stale',
]);
export const DataIssueSchema = z.object({
  kind: DataIssueKindSchema,
  stream: z.string(),
  at: EpochMsSchema.nullable(),
  detail: z.string(),
});
export type DataIssue = z.infer<typeof DataIssueSchema>;

/**
 * A-A output, full form: every stream as of the bar close. Lives in the blob store (it holds
 * arrays); workflow history carries only its {@link SnapshotSummary}.
 */
export const MarketSnapshotSchema = z.object({
  barCloseMs: EpochMsSchema,
  candles: z.array(CandleSchema),
  candles1d: z.array(CandleSchema),
  funding: z.array(FundingRateSchema),
  openInterest: z.array(OpenInterestSchema),
  news: z.array(NewsItemSchema),
  orderBook: OrderBookTopSchema.nullable(),
  issues: z.array(DataIssueSchema),
});
export type MarketSnapshot = z.infer<typeof MarketSnapshotSchema>;

/** A-A output as it appears in workflow history: a reference plus what a human wants to see. */
export const SnapshotSummarySchema = z.object({
  ref: z.string(),
  barCloseMs: EpochMsSchema,
  /** Open time of the last closed bar in the snapshot. */
  lastBarOpenMs: EpochMsSchema,
  bar: CandleSchema,
  bars: z.number().int().nonnegative(),
  bars1d: z.number().int().nonnegative(),
  fundingRate: z.number().nullable(),
  openInterest: z.number().nullable(),
  newsCount: z.number().int().nonnegative(),
  headlines: z.array(z.string()).max(8),
  issues: z.array(DataIssueSchema),
});
export type SnapshotSummary = z.infer<typeof SnapshotSummarySchema>;
