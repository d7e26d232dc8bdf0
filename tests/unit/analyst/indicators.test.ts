import { ADX, ATR, EMA, MACD, OBV, RSI, SD } from 'technicalindicators';
import { readCandleFile } from '../../../adapters/market/csv-files';
import { computeEma, computeRsi } from '../../../domain/analyst/ema-rsi';
import {
  computeAdx,
  computeAtr,
  computeLogReturnStdev,
  computeMacd,
  computeObvSeries,
  computeRegression,
  computeStdevPop,
} from '../../../domain/analyst/indicators';
import { SHARED_DATA } from '../../helpers/shared-data';

describe('indicator reference values', () => {
  // Closes of the RSI worked example in StockCharts ChartSchool ("Relative Strength Index (RSI)",
  // cs-rsi.xls). Expected values are Wilder's definition (New Concepts in Technical Trading
  // Systems, 1978) recomputed by hand. First value: over the 14 changes, gains sum 3.34 and
  // losses 1.40, so RS = (3.34/14)/(1.40/14) = 2.3857 and RSI = 100 - 100/3.3857 = 70.46.
  // ChartSchool's sheet shows 70.53 there (it rounds its averages); Wilder smoothing converges
  // and its last rows, 33.09 and 37.79, agree with ours to the cent.
  const closes = [
    44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0, 46.03,
    46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57, 43.42, 42.66, 43.13,
  ];

  it("RSI(14) follows Wilder's smoothing on the ChartSchool closes", () => {
    expect(computeRsi(closes, 14, 14)).toBeNull();
    expect(computeRsi(closes, 14, 15)).toBeCloseTo(100 - 100 / (1 + 3.34 / 1.4), 9);
    expect(computeRsi(closes, 14, 32)).toBeCloseTo(33.09, 2);
    expect(computeRsi(closes, 14)).toBeCloseTo(37.79, 2);
  });

  it('EMA(10) matches the ChartSchool moving-average worked table (SMA seed, k = 2/11)', () => {
    // ChartSchool "Moving Averages - Simple and Exponential", 10-day EMA column (rounded to cents).
    const px = [
      22.27, 22.19, 22.08, 22.17, 22.18, 22.13, 22.23, 22.43, 22.24, 22.29, 22.15, 22.39, 22.38, 22.61, 23.36, 24.05,
      23.75, 23.83, 23.95, 23.63, 23.82, 23.87, 23.65, 23.19, 23.1, 23.33, 22.68, 23.1, 22.4, 22.17,
    ];
    const expected = [
      22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.8, 22.97, 23.13, 23.28, 23.34, 23.43, 23.51, 23.54, 23.47, 23.4,
      23.39, 23.26, 23.23, 23.08, 22.92,
    ];
    const got = expected.map((_, i) => computeEma(px, 10, 10 + i) as number);
    got.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThanOrEqual(0.011));
    expect(computeEma(px, 10, 9)).toBeNull();
  });

  it('regression slope is exact on a line and a constant has zero slope and zero t-stat', () => {
    expect(computeRegression([1, 2, 3, 4, 5], 5)?.slope).toBeCloseTo(1, 12);
    expect(computeRegression([2, 2, 2, 2], 4)).toEqual({ slope: 0, tstat: 0, r2: 0 });
    // Log regression of a 1%-per-bar geometric series has slope ln(1.01).
    expect(computeRegression([100, 101, 102.01, 103.0301], 4, 4, true)?.slope).toBeCloseTo(Math.log(1.01), 12);
  });

  it('log-return stdev equals the sample stdev computed by hand', () => {
    const px = [100, 110, 99, 108.9];
    const r = [Math.log(1.1), Math.log(0.9), Math.log(1.1)];
    const m = (r[0]! + r[1]! + r[2]!) / 3;
    const sd = Math.sqrt(r.reduce((a, x) => a + (x - m) ** 2, 0) / 2);
    expect(computeLogReturnStdev(px, 3)).toBeCloseTo(sd, 12);
  });
});

describe('indicators agree with technicalindicators on real BTC 4h bars', () => {
  // 400 real bars from before the 2025-07-01 holdout.
  const all = readCandleFile(`${SHARED_DATA}/candles/binance_usdm_btcusdt_perp_4h_2023-2025.csv`).candles.slice(
    1000,
    1400,
  );
  const close = all.map((c) => c.close);
  const high = all.map((c) => c.high);
  const low = all.map((c) => c.low);
  const volume = all.map((c) => c.volume);
  const last = <T>(xs: T[]): T => xs[xs.length - 1] as T;

  it('EMA 9/21/50/200', () => {
    for (const p of [9, 21, 50, 200])
      expect(computeEma(close, p)).toBeCloseTo(last(EMA.calculate({ period: p, values: close })), 6);
  });

  it('RSI 14 (technicalindicators rounds to 2 decimals)', () => {
    expect(
      Math.abs((computeRsi(close, 14) as number) - last(RSI.calculate({ period: 14, values: close }))),
    ).toBeLessThanOrEqual(0.005 + 1e-9);
  });

  it('MACD 12/26/9 line, signal and histogram', () => {
    const ref = last(
      MACD.calculate({
        values: close,
        fastPeriod: 12,
        slowPeriod: 26,
        signalPeriod: 9,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      }),
    );
    const got = computeMacd(close, 12, 26, 9);
    expect(got?.macd).toBeCloseTo(ref.MACD as number, 6);
    expect(got?.signal).toBeCloseTo(ref.signal as number, 6);
    expect(got?.histogram).toBeCloseTo(ref.histogram as number, 6);
  });

  it('ATR 14 and ADX/DI 14', () => {
    expect(computeAtr(high, low, close, 14)).toBeCloseTo(last(ATR.calculate({ high, low, close, period: 14 })), 6);
    const ref = last(ADX.calculate({ high, low, close, period: 14 }));
    const got = computeAdx(high, low, close, 14);
    expect(got?.adx).toBeCloseTo(ref.adx, 6);
    expect(got?.pdi).toBeCloseTo(ref.pdi, 6);
    expect(got?.mdi).toBeCloseTo(ref.mdi, 6);
  });

  it('population SD(20) and OBV', () => {
    expect(computeStdevPop(close, 20)).toBeCloseTo(last(SD.calculate({ period: 20, values: close })), 6);
    const obv = OBV.calculate({ close, volume });
    expect(computeObvSeries(close, volume)[close.length - 1]).toBeCloseTo(last(obv), 3);
  });

  it('returns null in warm-up instead of a number', () => {
    expect(computeAdx(high.slice(0, 27), low.slice(0, 27), close.slice(0, 27), 14)).toBeNull();
    expect(computeAtr(high.slice(0, 14), low.slice(0, 14), close.slice(0, 14), 14)).toBeNull();
    expect(computeMacd(close.slice(0, 25), 12, 26, 9)).toBeNull();
    expect(computeMacd(close.slice(0, 30), 12, 26, 9)?.signal).toBeNull();
  });
});
