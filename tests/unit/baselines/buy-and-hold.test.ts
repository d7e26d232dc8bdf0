import { runBaselines } from '../../../domain/baselines/run-baselines';
import { BAR_MS, COSTS, T0, buildCandles, buildFunding } from './fixtures';

describe('buy-and-hold baseline', () => {
  // 60 bars rising 0.4% a bar from 20,000; funding 0.01% every 8h (longs pay).
  const closes = Array.from({ length: 60 }, (_, i) => 20_000 * 1.004 ** i);
  const candles = buildCandles(closes);
  const fromMs = T0 + BAR_MS;
  const toMs = T0 + 60 * BAR_MS;
  const rate = 0.0001;
  const funding = buildFunding(T0, toMs, rate);
  const initialEquity = 1_000_000;
  const result = runBaselines({
    candles,
    funding,
    fromMs,
    toMs,
    barMs: BAR_MS,
    initialEquity,
    costs: COSTS,
    seeds: 1,
  }).buy_and_hold;
  const first = closes[0]!;
  const last = closes.at(-1)!;

  it('holds one 1x long from the first close to the last', () => {
    expect(result.trades).toHaveLength(1);
    const t = result.trades[0]!;
    expect(t.side).toBe('long');
    expect(t.leverage).toBe(1);
    expect(t.entryTimeMs).toBe(fromMs);
    expect(t.exitTimeMs).toBe(toMs);
    expect(t.exitReason).toBe('end_of_backtest');
    // Size = wallet / (slipped price · (1 + fee)), rounded down to 0.001 BTC.
    expect(t.size).toBeCloseTo(Math.floor(initialEquity / (first * 1.0002 * 1.0005) / 0.001) * 0.001, 9);
  });

  it('returns the price return minus fees, slippage and funding', () => {
    const entry = first * (1 + 2e-4);
    const exit = last * (1 - 2e-4);
    const size = result.trades[0]!.size;
    // Settlements strictly after the entry close, through the last close, charged at that bar's close.
    const paid = funding
      .filter((f) => f.t > fromMs && f.t <= toMs)
      .reduce((s, f) => s + size * closes[(f.t - T0) / BAR_MS - 1]! * f.rate, 0);
    const expectedFinal = initialEquity + size * (exit - entry) - size * (entry + exit) * COSTS.takerFee - paid;
    expect(result.metrics.final_equity).toBeCloseTo(expectedFinal, 6);
    expect(result.metrics.funding).toBeCloseTo(-paid, 9);
    // The rough rule a reader applies: price return − two taker fees − two slippages − Σ funding.
    const rough = last / first - 1 - 2 * COSTS.takerFee - 2 * 2e-4 - (rate * 29 * (last / first + 1)) / 2;
    expect(result.metrics.total_return).toBeGreaterThan(0.25);
    expect(Math.abs(result.metrics.total_return - rough)).toBeLessThan(2e-3);
  });

  it('marks an opening point at the initial equity and one point per traded close', () => {
    expect(result.curve).toHaveLength(61);
    expect(result.curve[0]).toEqual({ t: T0, equity: initialEquity, close: first });
    expect(result.curve.at(-1)?.t).toBe(toMs);
    expect(result.metrics.exposure).toBeCloseTo(59 / 61, 12);
  });
});

describe('buy-and-hold under funding that exhausts its margin', () => {
  // Flat at 20,000 for 60 bars; 5% funding every 8h asks ≈ 5% of the 1x margin per settlement.
  const candles = buildCandles(Array.from({ length: 60 }, () => 20_000));
  const fromMs = T0 + BAR_MS;
  const toMs = T0 + 60 * BAR_MS;
  const result = runBaselines({
    candles,
    funding: buildFunding(T0, toMs, 0.05),
    fromMs,
    toMs,
    barMs: BAR_MS,
    initialEquity: 10_000,
    costs: COSTS,
    seeds: 1,
  }).buy_and_hold;

  it('is liquidated at the settlement that eats its margin down to maintenance; funding and price loss stay within the margin', () => {
    const t = result.trades[0]!;
    const margin = (t.entryPrice * t.size) / t.leverage;
    expect(t.exitReason).toBe('liquidation');
    expect((t.exitTimeMs - T0) % (2 * BAR_MS)).toBe(0);
    expect(-t.funding).toBeGreaterThan(0.99 * margin);
    expect(-(t.realizedPnl + t.funding)).toBeLessThanOrEqual(margin * (1 + 1e-9));
    expect(result.metrics.liquidations).toBe(1);
  });

  it('never marks equity below zero and ends with what the trades left', () => {
    expect(Math.min(...result.curve.map((p) => p.equity))).toBeGreaterThanOrEqual(0);
    const net = result.trades.reduce((s, t) => s + t.realizedPnl - t.fees + t.funding, 0);
    expect(result.metrics.final_equity).toBeCloseTo(10_000 + net, 9);
    expect(result.metrics.final_equity).toBeGreaterThanOrEqual(0);
  });
});
