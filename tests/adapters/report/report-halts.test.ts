import { BAR_MS } from '../../../domain/schemas/config';
import { renderHaltsSection } from '../../../adapters/report/report-halts';

const T0 = Date.UTC(2022, 4, 1);
const H = BAR_MS;
const curve = Array.from({ length: 25 }, (_, i) => ({ t: T0 + i * H, equity: 10_000, close: 100 }));

describe('the report marks halts', () => {
  it('shows each halt, cool-down and resume with reason and equity, a timeline span per halted or cooling stretch, and the halted-bars note', () => {
    const html = renderHaltsSection(
      {
        halts: [
          {
            time: '2022-05-01T08:00:00.000Z',
            kind: 'cooldown',
            source: 'daily_loss',
            reason: 'daily loss 1.13% <limit>',
            equity: 9881.54,
            until: '2022-05-02T00:00:00.000Z',
          },
          {
            time: '2022-05-02T00:00:00.000Z',
            kind: 'resume',
            source: 'daily_loss',
            reason: 'cool-down over',
            equity: 9880,
            until: null,
          },
          {
            time: '2022-05-03T00:00:00.000Z',
            kind: 'halt',
            source: 'drawdown',
            reason: 'drawdown 26%',
            equity: 7400,
            until: null,
          },
        ],
        risk_metrics_note:
          'sharpe, sortino, volatility, drawdown and exposure include 8 of 25 bars (32.0%) spent halted with a flat book',
      },
      curve,
    );
    expect(html).toContain('1 halt · 1 cooldown · 1 resume');
    expect(html).toContain('daily loss 1.13% &lt;limit&gt;');
    expect(html).toContain('9,881.54');
    expect(html).toContain('include 8 of 25 bars');
    // Two spans: the cool-down (08:00 → next day) and the halt (to the end of the period).
    expect(html.match(/position:absolute/g)).toHaveLength(2);
    expect(html).toContain('left:8.333%;width:16.667%');
    expect(html).toContain('left:50.000%;width:50.000%');
  });

  it('says so when no breaker tripped', () => {
    expect(renderHaltsSection({ halts: [], risk_metrics_note: null }, curve)).toContain(
      'The circuit breakers never tripped.',
    );
  });
});
