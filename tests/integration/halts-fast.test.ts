import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import { testDeps } from '../helpers/temporal';
import { FULL_SIZE, SCENARIO_RULE, REAL_CANDLES, REAL_FUNDING, writeAndReadOutputs } from '../helpers/ledger-invariant';

const feed = csvFeed(REAL_CANDLES, { funding: REAL_FUNDING });
const FROM = Date.UTC(2022, 4, 1);
const NEXT_DAY = Date.UTC(2022, 4, 2);

async function run(breakers: { dailyLoss?: 'cooldown' | 'halt' }) {
  // 2022-05-01 16:00: the day is down 1.18% with a long open, past a 1% daily loss limit.
  const config = await buildSessionConfig({
    sessionId: 'halts',
    mode: 'backtest',
    feed,
    fromMs: FROM,
    toMs: Date.UTC(2022, 4, 5),
    risk: { dailyLossLimit: 0.01 },
    breakers,
    sizing: FULL_SIZE,
    decisionRule: SCENARIO_RULE,
  });
  const deps = testDeps();
  const result = await runFastBacktest(config, deps);
  return { ...result, ...(await writeAndReadOutputs({ ...result, riskLog: deps.riskLog, runner: 'fast' })) };
}

describe('circuit breaker policy in a backtest', () => {
  it('by default a daily loss cools down until the next UTC day, then the desk trades again, each step recorded in summary.json', async () => {
    const r = await run({});
    expect(r.state.tradingState).not.toBe('halted');
    expect(r.reports.map((b) => b.decision)).not.toContain('halted');
    // The first two events; later days may cool down again, each followed by its resume.
    expect((r.summary['halts'] as unknown[]).slice(0, 2)).toEqual([
      expect.objectContaining({
        time: '2022-05-01T16:00:00.000Z',
        kind: 'cooldown',
        source: 'daily_loss',
        until: '2022-05-02T00:00:00.000Z',
        reason: expect.stringMatching(/daily loss 1\.18%/),
      }),
      expect.objectContaining({ time: '2022-05-02T00:00:00.000Z', kind: 'resume', source: 'daily_loss' }),
    ]);
    expect((r.summary['halts'] as { kind: string }[]).every((h) => h.kind === 'cooldown' || h.kind === 'resume')).toBe(
      true,
    );
    // No entry while cooling down; entries again from the next day.
    const during = r.reports.filter((b) => b.barCloseMs > Date.UTC(2022, 4, 1, 16) && b.barCloseMs < NEXT_DAY);
    expect(during.every((b) => b.order === null || b.order.status === 'rejected')).toBe(true);
    expect(r.reports.some((b) => b.barCloseMs >= NEXT_DAY && (b.decision === 'long' || b.decision === 'short'))).toBe(
      true,
    );
    expect(r.summary['halted_bars']).toBe(0);
    expect(r.summary['risk_metrics_note']).toBeNull();
  });

  it('with the halt policy a daily loss halts until resume: listed with its equity, halted bars counted and stated', async () => {
    const r = await run({ dailyLoss: 'halt' });
    expect(r.state.tradingState).toBe('halted');
    const halts = r.summary['halts'] as { time: string; kind: string; source: string; equity: number }[];
    expect(halts).toEqual([
      expect.objectContaining({ time: '2022-05-01T16:00:00.000Z', kind: 'halt', source: 'daily_loss' }),
    ]);
    expect(halts[0]!.equity).toBeCloseTo(9878.91, 2);
    const haltedBars = r.reports.filter((b) => b.decision === 'halted').length;
    expect(haltedBars).toBeGreaterThan(0);
    expect(r.summary['halted_bars']).toBe(haltedBars);
    expect(r.summary['risk_metrics_note']).toContain(`${haltedBars} of ${r.reports.length} bars`);
  });
});
