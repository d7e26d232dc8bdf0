import { BAR_MS } from '../../../domain/schemas/config';
import { computePerformance, drawdownSeries, monthlyReturns } from '../../../domain/metrics/performance';
import { DAY_MS, FIVE_POINT_CURVE, FOUR_TRADES, JAN_30_2024, makeTrade } from './fixtures';

const opts = { barMs: DAY_MS, initialEquity: 100 };

describe('computePerformance on a hand-computed five-point curve', () => {
  const m = computePerformance(FIVE_POINT_CURVE, [], opts);

  it('annualises Sharpe as mean/sample-sd × √(bars per year) with a zero risk-free rate', () => {
    // mean 0.05 / sd 0.1 = 0.5 per bar; daily bars → 365 per year.
    expect(m.sharpe).toBeCloseTo(0.5 * Math.sqrt(365), 10);
  });

  it('uses the downside deviation with target 0 for Sortino', () => {
    // √((0.1²) / 4) = 0.05 → 0.05 / 0.05 = 1 per bar.
    expect(m.sortino).toBeCloseTo(Math.sqrt(365), 10);
  });

  it('reports volatility as the annualised sample sd', () => {
    expect(m.volatility).toBeCloseTo(0.1 * Math.sqrt(365), 10);
  });

  it('measures the max drawdown as a positive fraction of the peak and its duration in bars', () => {
    expect(m.max_drawdown).toBeCloseTo(0.1, 12); // 110 → 99
    expect(m.max_drawdown_duration_bars).toBe(2); // 99 and 108.9 are under 110; 119.79 recovers
  });

  it('measures total and geometric annualised return from the initial equity', () => {
    expect(m.total_return).toBeCloseTo(0.1979, 12);
    expect(m.final_equity).toBe(119.79);
    expect(m.annualised_return).toBeCloseTo(1.1979 ** (365 / 4) - 1, 6);
    expect(m.calmar).toBeCloseTo(m.annualised_return / 0.1, 6);
  });

  it('scales the annualisation with the bar length (4h bars → 2190 per year)', () => {
    const fourHour = computePerformance(FIVE_POINT_CURVE, [], { barMs: BAR_MS, initialEquity: 100 });
    expect(fourHour.sharpe).toBeCloseTo(0.5 * Math.sqrt(2190), 10);
  });

  it('returns zeros rather than NaN for a flat curve', () => {
    const flat = computePerformance(
      FIVE_POINT_CURVE.map((p) => ({ ...p, equity: 100 })),
      [],
      opts,
    );
    expect([flat.sharpe, flat.sortino, flat.calmar, flat.max_drawdown, flat.volatility]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('computePerformance on four crafted trades', () => {
  const m = computePerformance(FIVE_POINT_CURVE, FOUR_TRADES, opts);

  it('counts a win when net PnL (price PnL − fees + funding) is positive', () => {
    expect(m.win_rate).toBe(0.5);
  });

  it('computes profit factor as gross net profit over gross net loss', () => {
    expect(m.profit_factor).toBeCloseTo(33 / 32, 12);
  });

  it('averages R multiples of net PnL over riskAmount', () => {
    expect(m.avg_r).toBeCloseTo((2.9 - 1 + 1 - 2) / 4, 12);
  });

  it('sums fees and funding and counts liquidations', () => {
    expect([m.n_trades, m.fees, m.funding, m.liquidations]).toEqual([4, 6, 2, 1]);
  });

  it('derives exposure from entry/exit times without double counting overlapping trades', () => {
    // Marks Jan 30, Jan 31 (trades 1, 3) and Feb 2, Feb 3 (trade 4) are in a position; Feb 1 is flat.
    expect(m.exposure).toBeCloseTo(4 / 5, 12);
  });

  it('counts the mark where one trade exits and the next enters as in a position', () => {
    const backToBack = [
      makeTrade({ entryTimeMs: JAN_30_2024, exitTimeMs: JAN_30_2024 + 2 * DAY_MS }),
      makeTrade({ entryTimeMs: JAN_30_2024 + 2 * DAY_MS, exitTimeMs: JAN_30_2024 + 3 * DAY_MS }),
    ];
    // Marks 0, 1 (first trade) and 2 (second trade) are in; 3 is the second exit; 4 is flat.
    expect(computePerformance(FIVE_POINT_CURVE, backToBack, opts).exposure).toBeCloseTo(3 / 5, 12);
  });

  it('reports a null profit factor when no trade lost', () => {
    const winners = computePerformance(FIVE_POINT_CURVE, [makeTrade({ realizedPnl: 5 })], opts);
    expect(winners.profit_factor).toBeNull();
    expect(winners.win_rate).toBe(1);
  });
});

describe('monthlyReturns', () => {
  it('splits at the UTC month boundary, a close at midnight on the 1st ending the previous month, and chains month-end to month-end', () => {
    const months = monthlyReturns(FIVE_POINT_CURVE);
    expect(months.map((x) => x.month)).toEqual(['2024-01', '2024-02']);
    expect(months[0]!.ret).toBeCloseTo(99 / 100 - 1, 12); // 100 → 99 at the Feb 1 00:00 close (Jan 31's bar)
    expect(months[1]!.ret).toBeCloseTo(119.79 / 99 - 1, 12); // → Feb 3
  });

  it('compounds back to the total return', () => {
    const product = monthlyReturns(FIVE_POINT_CURVE).reduce((a, x) => a * (1 + x.ret), 1);
    expect(product).toBeCloseTo(1.1979, 12);
  });

  it('gives the opening mark no month of its own', () => {
    const months = monthlyReturns([
      { t: Date.UTC(2024, 1, 29, 23, 59, 59, 999), equity: 100, close: 1 },
      { t: Date.UTC(2024, 2, 1), equity: 105, close: 1 },
    ]);
    expect(months).toEqual([{ month: '2024-03', ret: expect.closeTo(0.05, 12) as number }]);
  });

  it('shows no boundary rows for a 4h backtest from 2023-01-01 to 2024-01-01, and compounds to its total return', () => {
    const bar = BAR_MS;
    const from = Date.UTC(2023, 0, 1);
    const to = Date.UTC(2024, 0, 1);
    // Opening mark one bar before the first close traded, as the backtest output builds it.
    const curve = Array.from({ length: (to - from) / bar + 2 }, (_, i) => ({
      t: from - bar + i * bar,
      equity: 100 * (1 + 0.0001 * i + 0.01 * Math.sin(i / 9)),
      close: 1,
    }));
    const months = monthlyReturns(curve);
    expect(months.map((m) => m.month)).toEqual(
      Array.from({ length: 12 }, (_, k) => `2023-${String(k + 1).padStart(2, '0')}`),
    );
    const product = months.reduce((a, m) => a * (1 + m.ret), 1);
    expect(Math.abs(product - curve.at(-1)!.equity / curve[0]!.equity) / product).toBeLessThan(1e-9);
  });
});

describe('drawdownSeries', () => {
  it('gives the fall below the running peak at every mark', () => {
    const dd = drawdownSeries(FIVE_POINT_CURVE).map((x) => x.drawdown);
    [0, 0, 0.1, 0.01, 0].forEach((want, i) => expect(dd[i]).toBeCloseTo(want, 12));
    expect(drawdownSeries(FIVE_POINT_CURVE)[2]!.t).toBe(JAN_30_2024 + 2 * DAY_MS);
  });
});
