import { computeBrier, computeLogLoss, reliabilityTable, traderStats } from '../../../domain/population/evaluate';

const H = [
  { p: 0.8, outcome: 1 as const },
  { p: 0.3, outcome: 0 as const },
  { p: 0.6, outcome: 0 as const },
];

describe('probability scores', () => {
  it('computes the Brier score as the mean squared error of p against the outcome', () => {
    // (0.2² + 0.3² + 0.6²) / 3 = 0.49 / 3
    expect(computeBrier(H)).toBeCloseTo(0.49 / 3, 12);
  });

  it('computes log loss as the mean negative log likelihood', () => {
    const expected = -(Math.log(0.8) + Math.log(0.7) + Math.log(0.4)) / 3; // ≈ 0.498703
    expect(computeLogLoss(H)).toBeCloseTo(expected, 12);
    expect(computeLogLoss(H)).toBeCloseTo(0.498703, 5);
  });

  it('keeps log loss finite for a fully confident miss', () => {
    const loss = computeLogLoss([{ p: 1, outcome: 0 }]);
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeCloseTo(-Math.log(1e-6), 6);
  });

  it('returns NaN for an empty history rather than a fake score', () => {
    expect(computeBrier([])).toBeNaN();
    expect(computeLogLoss([])).toBeNaN();
  });

  it('bins forecasts into a reliability table with observed frequencies', () => {
    const rows = reliabilityTable(
      [
        { p: 0.05, outcome: 0 },
        { p: 0.71, outcome: 1 },
        { p: 0.79, outcome: 0 },
        { p: 1, outcome: 1 },
      ],
      10,
    );
    expect(rows).toEqual([
      { bin: 0, meanP: 0.05, freq: 0, n: 1 },
      { bin: 7, meanP: 0.75, freq: 0.5, n: 2 },
      { bin: 9, meanP: 1, freq: 1, n: 1 },
    ]);
  });
});

describe('traderStats', () => {
  it('computes win rate, profit factor, mean R, Sharpe and drawdown on a crafted R series', () => {
    const s = traderStats([1, -1, 2, -0.5, 1.5]);
    expect(s.n).toBe(5);
    expect(s.winRate).toBeCloseTo(0.6, 12);
    expect(s.profitFactor).toBeCloseTo(4.5 / 1.5, 12);
    expect(s.avgR).toBeCloseTo(0.6, 12);
    // sample sd = sqrt(6.7 / 4)
    expect(s.sharpe).toBeCloseTo(0.6 / Math.sqrt(6.7 / 4), 12);
    // cumulative R: 1, 0, 2, 1.5, 3 → worst fall is 1 (from 1 to 0)
    expect(s.maxDrawdownR).toBeCloseTo(1, 12);
  });

  it('reports an infinite profit factor with wins and no losses, and zeros for no trades', () => {
    expect(traderStats([1, 2]).profitFactor).toBe(Infinity);
    expect(traderStats([])).toEqual({ n: 0, winRate: 0, profitFactor: 0, avgR: 0, sharpe: 0, maxDrawdownR: 0 });
  });

  it('measures drawdown from the zero start when the first trades lose', () => {
    expect(traderStats([-1, -1, 3]).maxDrawdownR).toBeCloseTo(2, 12);
  });
});
