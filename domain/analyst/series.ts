import type { Candle, MarketSnapshot } from '../schemas/market';

/** A snapshot's candles as columns, built once per snapshot object. */
export interface Columns {
  n: number;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

interface SnapshotCache {
  bars: Columns;
  daily: Columns;
  values: Map<string, unknown>;
}

// Keyed by object identity: a snapshot is immutable once built, so A-B and A-C (and the three
// analysts of a bar, when handed the same object) share columns and indicator values. A WeakMap
// never serves a value computed from another snapshot and frees itself with the snapshot.
const caches = new WeakMap<MarketSnapshot, SnapshotCache>();

function toColumns(candles: readonly Candle[]): Columns {
  const n = candles.length;
  // One allocation for all columns: this runs once per snapshot, 12k+ times in a fast backtest.
  const buf = new Float64Array(4 * n);
  const cols: Columns = {
    n,
    high: buf.subarray(0, n),
    low: buf.subarray(n, 2 * n),
    close: buf.subarray(2 * n, 3 * n),
    volume: buf.subarray(3 * n),
  };
  for (let i = 0; i < n; i++) {
    const c = candles[i] as Candle;
    cols.high[i] = c.high;
    cols.low[i] = c.low;
    cols.close[i] = c.close;
    cols.volume[i] = c.volume;
  }
  return cols;
}

function getCache(snapshot: MarketSnapshot): SnapshotCache {
  let cache = caches.get(snapshot);
  if (!cache) {
    cache = { bars: toColumns(snapshot.candles), daily: toColumns(snapshot.candles1d), values: new Map() };
    caches.set(snapshot, cache);
  }
  return cache;
}

/** The snapshot's 4h candles as columns. */
export function getBars(snapshot: MarketSnapshot): Columns {
  return getCache(snapshot).bars;
}

/** The snapshot's daily candles as columns. */
export function getDailyBars(snapshot: MarketSnapshot): Columns {
  return getCache(snapshot).daily;
}

/** Computes a value once per snapshot and key (e.g. 'ema:21'); later calls return the stored value. */
export function memoize<T>(snapshot: MarketSnapshot, key: string, compute: () => T): T {
  const values = getCache(snapshot).values;
  if (values.has(key)) return values.get(key) as T;
  const v = compute();
  values.set(key, v);
  return v;
}
