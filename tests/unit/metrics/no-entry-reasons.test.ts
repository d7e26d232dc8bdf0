import { countNoEntryReasons, reasonTemplate } from '../../../domain/metrics/no-entry-reasons';

describe('why no entry', () => {
  it('replaces every figure of a reason so bars standing aside for the same rule count together', () => {
    expect(reasonTemplate('net edge 0.118% after costs and funding does not exceed the margin 0.800%')).toBe(
      'net edge …% after costs and funding does not exceed the margin …%',
    );
    expect(reasonTemplate('funding -0.0001 does not pay the long side')).toBe('funding … does not pay the long side');
    expect(reasonTemplate('confidence 5e-3 below minimum 0.53')).toBe('confidence … below minimum …');
  });

  it('counts only flat and hold bars, apart, most frequent first', () => {
    const rows = countNoEntryReasons([
      { decision: 'flat', reason: 'net edge 0.1% below 0.8%' },
      { decision: 'hold', reason: 'net edge 0.3% below 0.8%' },
      { decision: 'flat', reason: 'net edge 0.2% below 0.8%' },
      { decision: 'long', reason: 'net edge 1.2% above 0.8%' },
      { decision: 'halted', reason: 'drawdown 25%' },
      { decision: 'hold', reason: 'already long: holding the open position' },
    ]);
    expect(rows).toEqual([
      { reason: 'net edge …% below …%', flat: 2, hold: 1 },
      { reason: 'already long: holding the open position', flat: 0, hold: 1 },
    ]);
  });
});
