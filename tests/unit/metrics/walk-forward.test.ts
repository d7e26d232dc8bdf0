import { BAR_MS } from '../../../domain/schemas/config';
import { splitWalkForward } from '../../../domain/metrics/walk-forward';

const H = BAR_MS;
const curve = [100, 110, 99, 99, 108.9].map((equity, i) => ({ t: i * H, equity, close: 1000 + i * 10 }));

describe('walk-forward windows', () => {
  it('scores consecutive windows on their own equity, chained end to start', () => {
    const w = splitWalkForward(curve, [], 2, H);
    expect(w.map((x) => x.bars)).toEqual([2, 2]);
    expect(w[0]!.total_return).toBeCloseTo(99 / 100 - 1, 12);
    expect(w[1]!.total_return).toBeCloseTo(108.9 / 99 - 1, 12);
    expect(w[0]!.max_drawdown).toBeCloseTo(1 - 99 / 110, 12);
    expect(w[1]!.buy_and_hold_return).toBeCloseTo(1040 / 1020 - 1, 12);
    // Compounded windows give back the whole run's return.
    expect((1 + w[0]!.total_return) * (1 + w[1]!.total_return) - 1).toBeCloseTo(108.9 / 100 - 1, 12);
  });

  it('returns nothing when there are fewer bars than windows', () => {
    expect(splitWalkForward(curve, [], 9, H)).toEqual([]);
  });
});
