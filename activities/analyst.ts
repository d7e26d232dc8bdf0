import { computeFeatures } from '../domain/analyst/feature-methods';
import { detectTrend } from '../domain/analyst/trend-methods';
import { ClassifiedError, FailureType } from '../domain/failures';
import { alignSnapshot, summarizeSnapshot } from '../domain/market/align';
import { SNAPSHOT_LOOKBACK_BARS } from '../domain/market/history-bars';
import { BAR_MS } from '../domain/schemas/config';
import { FeatureTableSchema, TrendCallSchema, type FeatureTable, type TrendCall } from '../domain/schemas/analysis';
import { type MarketSnapshot, type SnapshotSummary, SnapshotSummarySchema } from '../domain/schemas/market';
import {
  AlignDataInputSchema,
  BuildFeaturesInputSchema,
  DetectTrendInputSchema,
  type AlignDataInput,
  type BuildFeaturesInput,
  type DetectTrendInput,
} from '../domain/schemas/steps';
import type { ActivityDeps } from './deps';
import { inputOf } from './validate';

const FUNDING_HISTORY_MS = 30 * 24 * 3600_000;
const NEWS_HISTORY_MS = 48 * 3600_000;

/** A-A: read every stream, align it as of the bar close, store the snapshot, return its summary. */
export async function alignData(deps: ActivityDeps, raw: AlignDataInput): Promise<SnapshotSummary> {
  const { ctx, feed } = inputOf(deps, AlignDataInputSchema, raw);
  const market = deps.market(feed);
  const news = deps.news(feed);
  const until = ctx.barCloseMs;
  const [candles, funding, openInterest, headlines, orderBook] = await Promise.all([
    market.candles(until, deps.lookback ?? SNAPSHOT_LOOKBACK_BARS),
    market.funding(until - FUNDING_HISTORY_MS, until),
    market.openInterest(until - FUNDING_HISTORY_MS, until),
    news ? news.items(until - NEWS_HISTORY_MS, until) : Promise.resolve([]),
    feed.kind === 'live' ? market.orderBookTop() : Promise.resolve(null),
  ]);
  const snapshot = alignSnapshot({
    barCloseMs: until,
    barMs: BAR_MS,
    candles,
    funding,
    openInterest,
    news: headlines,
    orderBook,
    lookback: deps.lookback ?? SNAPSHOT_LOOKBACK_BARS,
  });
  const ref = await deps.blobs.put(snapshot);
  return SnapshotSummarySchema.parse(summarizeSnapshot(snapshot, ref));
}

/** Loads a snapshot stored by A-A; a missing one is a clear, non-retryable error. */
export async function loadSnapshot(deps: ActivityDeps, ref: string): Promise<MarketSnapshot> {
  const snapshot = await deps.blobs.get<MarketSnapshot>(ref);
  if (!snapshot)
    throw new ClassifiedError(
      FailureType.DataUnavailable,
      `snapshot ${ref} is not in the blob store: every worker must share one (DESK_BLOB_DIR or --blob-dir, README "Running on several machines")`,
      false,
    );
  return snapshot;
}

/** A-B: the analyst's chosen feature method on the aligned snapshot. */
export async function buildFeatures(deps: ActivityDeps, raw: BuildFeaturesInput): Promise<FeatureTable> {
  const input = inputOf(deps, BuildFeaturesInputSchema, raw);
  const snapshot = await loadSnapshot(deps, input.snapshotRef);
  const values = computeFeatures(snapshot, input.method);
  return FeatureTableSchema.parse({
    agentId: input.agent.id,
    barCloseMs: input.ctx.barCloseMs,
    method: input.method.id,
    values,
  });
}

/** A-C: the analyst's chosen trend/regime method. */
export async function detectTrendStep(deps: ActivityDeps, raw: DetectTrendInput): Promise<TrendCall> {
  const input = inputOf(deps, DetectTrendInputSchema, raw);
  const snapshot = await loadSnapshot(deps, input.snapshotRef);
  const call = detectTrend(snapshot, input.features.values, input.method);
  return TrendCallSchema.parse({
    agentId: input.agent.id,
    barCloseMs: input.ctx.barCloseMs,
    method: input.method.id,
    ...call,
  });
}
