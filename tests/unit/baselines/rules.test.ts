import { computeRsi } from '../../../domain/analyst/ema-rsi';
import { runBaselines } from '../../../domain/baselines/run-baselines';
import { BAR_MS, COSTS, T0, buildCandles } from './fixtures';

const BASE = { funding: [], barMs: BAR_MS, initialEquity: 100_000, costs: COSTS, seeds: 2 };

describe('EMA 21/55 crossover', () => {
  // 120 bars down 0.5% a bar, then 120 bars up 0.5% a bar: EMA(21) crosses above EMA(55) after the bottom.
  const closes = Array.from(
    { length: 240 },
    (_, i) => 30_000 * (i < 120 ? 0.995 ** i : 0.995 ** 119 * 1.005 ** (i - 119)),
  );
  const candles = buildCandles(closes);
  const bottomCloseMs = T0 + 120 * BAR_MS;
  const result = runBaselines({ ...BASE, candles, fromMs: T0 + 60 * BAR_MS, toMs: T0 + 240 * BAR_MS }).ema_crossover;

  it('is short on the down leg and flips long once after the V bottom', () => {
    expect(result.trades.map((t) => t.side)).toEqual(['short', 'long']);
    const [short, long] = result.trades;
    expect(short?.exitReason).toBe('signal');
    expect(short?.entryTimeMs).toBe(T0 + 60 * BAR_MS);
    expect(long?.entryTimeMs).toBe(short?.exitTimeMs);
    expect(long?.entryTimeMs).toBeGreaterThan(bottomCloseMs);
    expect(long?.exitReason).toBe('end_of_backtest');
  });

  it('makes money on both legs of a clean V', () => {
    for (const t of result.trades) expect(t.realizedPnl).toBeGreaterThan(0);
  });
});

describe('RSI(14) mean reversion', () => {
  // Zig-zag around 20,000 keeps RSI near 50; then five −3% bars push it below 30; then a rally above 50.
  const zigzag = Array.from({ length: 60 }, (_, i) => 20_000 * (i % 2 === 0 ? 1 : 1.002));
  const dip = [0.97, 0.94, 0.91, 0.88, 0.85].map((f) => 20_000 * f);
  const rally = Array.from({ length: 20 }, (_, i) => 17_000 * 1.02 ** (i + 1));
  const closes = [...zigzag, ...dip, ...rally];
  const candles = buildCandles(closes);
  const result = runBaselines({
    ...BASE,
    candles,
    fromMs: T0 + 30 * BAR_MS,
    toMs: T0 + closes.length * BAR_MS,
  }).rsi_mean_reversion;
  const firstBelow30 = closes.findIndex((_, i) => (computeRsi(closes, 14, i + 1) ?? 50) < 30);
  const firstAbove50After = closes.findIndex((_, i) => i > firstBelow30 && (computeRsi(closes, 14, i + 1) ?? 0) > 50);

  it('stays flat while RSI sits between 30 and 70', () => {
    expect(firstBelow30).toBeGreaterThanOrEqual(60);
    expect(result.trades[0]?.entryTimeMs).toBeGreaterThanOrEqual(T0 + 61 * BAR_MS);
  });

  it('goes long at the first close with RSI below 30 and exits at the first close above 50', () => {
    const trade = result.trades[0];
    expect(trade?.side).toBe('long');
    expect(trade?.entryTimeMs).toBe(candles[firstBelow30]!.t + BAR_MS);
    expect(trade?.exitTimeMs).toBe(candles[firstAbove50After]!.t + BAR_MS);
    expect(trade?.exitReason).toBe('signal');
  });
});
