import { BAR_MS } from '../schemas/config';
import type { Candle, FundingRate, OpenInterest } from '../schemas/market';
import { createRng, sampleNormal } from '../random/prng';
import { gridAtOrAfter } from './time-grid';

/** Options of {@link generateSyntheticSeries}. */
export interface SyntheticOptions {
  seed: number;
  /** First bar opens at the first multiple of `barMs` at or after this time. */
  startMs: number;
  bars: number;
  /** @default 4h */
  barMs?: number;
  /** @default 30000 */
  startPrice?: number;
}

export interface SyntheticSeries {
  candles: Candle[];
  funding: FundingRate[];
  openInterest: OpenInterest[];
}

export const SYNTHETIC_REGIMES = ['trend_up', 'trend_down', 'range', 'high_vol'] as const;
type SyntheticRegime = (typeof SYNTHETIC_REGIMES)[number];

// Per-4h-bar log-return drift and volatility by regime. BTC's long-run 4h stdev is ~1.2%
// (about 60-70% annualised); trends drift ~0.15%/bar (~+30% a month), high-vol doubles sigma.
const REGIME_PARAMS: Record<SyntheticRegime, { drift: number; vol: number; meanRevert: number }> = {
  trend_up: { drift: 0.0015, vol: 0.009, meanRevert: 0 },
  trend_down: { drift: -0.0015, vol: 0.011, meanRevert: 0 },
  range: { drift: 0, vol: 0.006, meanRevert: 0.03 },
  high_vol: { drift: 0, vol: 0.022, meanRevert: 0 },
};

// Markov switching: each regime persists ~80-100 bars (2-3 weeks); high_vol is shorter.
const STAY = { trend_up: 0.99, trend_down: 0.99, range: 0.988, high_vol: 0.96 } as const;

const FUNDING_MS = 8 * 60 * 60 * 1000;
const FUNDING_CLIP = 0.003;
// A weak pull of log price toward the start level (half-life ~1,400 bars, about 8 months) keeps
// multi-year series in a BTC-like band instead of drifting off like a pure random walk.
const LONG_RUN_PULL = 0.0005;

function chooseNextRegime(current: SyntheticRegime, u: number, v: number): SyntheticRegime {
  if (u < STAY[current]) return current;
  const others = SYNTHETIC_REGIMES.filter((r) => r !== current);
  return others[Math.min(others.length - 1, Math.floor(v * others.length))] as SyntheticRegime;
}

function roundPrice(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * A deterministic BTC-like 4h series: Markov-switching regimes (trend up/down, range, high
 * volatility), GARCH(1,1)-style volatility clustering (Bollerslev 1986: h = w + a·z² + b·h),
 * intrabar ranges and volume that scale with volatility, and 8-hourly funding that follows the
 * recent trend (a premium proxy) clipped to ±0.3% as on Binance. Same options → same series.
 */
export function generateSyntheticSeries(opts: SyntheticOptions): SyntheticSeries {
  const barMs = opts.barMs ?? BAR_MS;
  const next = createRng(opts.seed);
  const normal = (): number => sampleNormal(next);
  const candles: Candle[] = [];
  const funding: FundingRate[] = [];
  const openInterest: OpenInterest[] = [];
  let regime: SyntheticRegime = 'range';
  const startPrice = opts.startPrice ?? 30_000;
  let price = startPrice;
  let anchor = price;
  let h = 1;
  let lastZ = 0;
  let trendEma = 0;
  let oi = 80_000;
  let t = gridAtOrAfter(opts.startMs, barMs);
  for (let i = 0; i < opts.bars; i++, t += barMs) {
    regime = chooseNextRegime(regime, next(), next());
    const p = REGIME_PARAMS[regime];
    h = 0.08 + 0.1 * lastZ * lastZ + 0.82 * h; // unconditional mean of h is 1
    const z = normal();
    lastZ = z;
    const sigma = p.vol * Math.sqrt(h);
    const reversion = p.meanRevert * Math.log(anchor / price) + LONG_RUN_PULL * Math.log(startPrice / price);
    const r = p.drift + reversion + sigma * z;
    if (regime !== 'range') anchor = anchor * 0.97 + price * 0.03;
    const open = price;
    const close = open * Math.exp(r);
    const high = Math.max(open, close) * Math.exp(Math.abs(normal()) * sigma * 0.6);
    const low = Math.min(open, close) * Math.exp(-Math.abs(normal()) * sigma * 0.6);
    const volume = 18_000 * (0.6 + Math.abs(r) / 0.01) * Math.exp(0.3 * normal());
    const o = roundPrice(open);
    const c = roundPrice(close);
    candles.push({
      t,
      open: o,
      high: Math.max(roundPrice(high), o, c),
      low: Math.min(roundPrice(low), o, c),
      close: c,
      volume: Math.round(volume * 1000) / 1000,
    });
    price = close;
    trendEma = trendEma * 0.92 + r * 0.08;
    oi = Math.max(10_000, oi * Math.exp(0.4 * trendEma + 0.01 * normal()));
    openInterest.push({ t: t + barMs, oi: Math.round(oi * 1000) / 1000 });
    // Funding settles at 00:00, 08:00, 16:00 UTC: when one falls inside this bar, the rate is the
    // 0.01% base plus a premium that follows the trend (longs pay in rallies).
    const settle = Math.ceil((t + 1) / FUNDING_MS) * FUNDING_MS;
    if (settle <= t + barMs) {
      const raw = 0.0001 + 0.12 * trendEma + 0.00005 * normal();
      const rate = Math.max(-FUNDING_CLIP, Math.min(FUNDING_CLIP, raw));
      funding.push({ t: settle, rate: Math.round(rate * 1e8) / 1e8 });
    }
  }
  return { candles, funding, openInterest };
}
