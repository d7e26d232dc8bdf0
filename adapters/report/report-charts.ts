import type { ClosedTrade } from '../../domain/schemas/account';
import { drawdownSeries, type EquityPoint } from '../../domain/metrics/performance';

/** One reliability-diagram bin: mean forecast probability, observed frequency of "up", count. */
export interface CalibrationBin {
  bin: number;
  meanP: number;
  freq: number;
  n: number;
}

type Column = (number | null)[];

/** Data for uPlot: `data[0]` is x (seconds for time charts), the rest are series aligned to it. */
export interface ChartData {
  data: Column[];
}

/** Everything the client script needs to draw the charts. */
export interface ChartsPayload {
  equity: ChartData;
  drawdown: ChartData;
  price: ChartData & { counts: { longEntries: number; shortEntries: number; exits: number; liquidations: number } };
  calibration: { name: string; n: number; data: Column[] }[];
}

const toSeconds = (ms: number): number => ms / 1000;

/** Put several (t → value) maps on one sorted x axis, null where a series has no value (uPlot's gap convention). */
function alignOnUnion(series: readonly Map<number, number>[]): Column[] {
  const xs = [...new Set(series.flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);
  return [xs.map(toSeconds), ...series.map((s) => xs.map((x) => s.get(x) ?? null))];
}

function mapPoints(points: readonly EquityPoint[], pick: (p: EquityPoint) => number): Map<number, number> {
  return new Map(points.map((p) => [p.t, pick(p)]));
}

/** Markers keyed by time; several trades at one time keep the last (they overlap on screen anyway). */
function mapMarkers(
  trades: readonly ClosedTrade[],
  timeOf: (t: ClosedTrade) => number,
  priceOf: (t: ClosedTrade) => number,
): Map<number, number> {
  return new Map(trades.map((t) => [timeOf(t), priceOf(t)]));
}

function buildCalibration(calibration: Record<string, CalibrationBin[]>): ChartsPayload['calibration'] {
  return Object.entries(calibration).map(([name, bins]) => {
    const used = bins.filter((b) => b.n > 0).sort((a, b) => a.meanP - b.meanP);
    const xs = [...new Set([0, 1, ...used.map((b) => b.meanP)])].sort((a, b) => a - b);
    const freqAt = new Map(used.map((b) => [b.meanP, b.freq]));
    return { name, n: used.reduce((a, b) => a + b.n, 0), data: [xs, xs.slice(), xs.map((x) => freqAt.get(x) ?? null)] };
  });
}

/** Chart data for the report: equity vs buy-and-hold, drawdown, price with trade markers, reliability diagrams. */
export function buildChartsPayload(
  curve: readonly EquityPoint[],
  buyHold: readonly EquityPoint[],
  trades: readonly ClosedTrade[],
  calibration: Record<string, CalibrationBin[]>,
): ChartsPayload {
  const closed = trades.filter((t) => t.exitReason !== 'liquidation');
  const liquidated = trades.filter((t) => t.exitReason === 'liquidation');
  const longs = trades.filter((t) => t.side === 'long');
  const shorts = trades.filter((t) => t.side === 'short');
  return {
    equity: { data: alignOnUnion([mapPoints(curve, (p) => p.equity), mapPoints(buyHold, (p) => p.equity)]) },
    // Drawdown is drawn below zero, in percent, as traders read it.
    drawdown: { data: [curve.map((p) => toSeconds(p.t)), drawdownSeries(curve).map((d) => -d.drawdown * 100)] },
    price: {
      data: alignOnUnion([
        mapPoints(curve, (p) => p.close),
        mapMarkers(
          longs,
          (t) => t.entryTimeMs,
          (t) => t.entryPrice,
        ),
        mapMarkers(
          shorts,
          (t) => t.entryTimeMs,
          (t) => t.entryPrice,
        ),
        mapMarkers(
          closed,
          (t) => t.exitTimeMs,
          (t) => t.exitPrice,
        ),
        mapMarkers(
          liquidated,
          (t) => t.exitTimeMs,
          (t) => t.exitPrice,
        ),
      ]),
      counts: {
        longEntries: longs.length,
        shortEntries: shorts.length,
        exits: closed.length,
        liquidations: liquidated.length,
      },
    },
    calibration: buildCalibration(calibration),
  };
}
