import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import { testDeps } from '../helpers/temporal';
import {
  FULL_SIZE,
  SCENARIO_RULE,
  LIQUIDATION_RISK,
  REAL_CANDLES,
  REAL_FUNDING,
  barsBreakingLedger,
  closeTo1e9,
  writeAndReadOutputs,
  writeGapCandles,
} from '../helpers/ledger-invariant';

/**
 * The fast runner's figures reconcile with the ledger at every bar and at the end, in the runs
 * that used to break it: a breaker halting with a position open, and a liquidation.
 */
describe('fast runner: every figure reconciles with the ledger', () => {
  const feed = csvFeed(REAL_CANDLES, { funding: REAL_FUNDING });

  async function run(input: Parameters<typeof buildSessionConfig>[0]) {
    const config = await buildSessionConfig(input);
    const deps = testDeps();
    const result = await runFastBacktest(config, deps);
    return { config, ...result, ...(await writeAndReadOutputs({ ...result, riskLog: deps.riskLog, runner: 'fast' })) };
  }

  it('a breaker halting with a position open: the flatten trade is in its bar report and trades.csv, final equity is the account', async () => {
    // 2022-05-01: a 1% daily loss limit set to halt trips at 16:00 with a long open.
    const r = await run({
      sessionId: 'ledger-halt',
      mode: 'backtest',
      feed,
      fromMs: Date.UTC(2022, 4, 1),
      toMs: Date.UTC(2022, 4, 3),
      risk: { dailyLossLimit: 0.01 },
      breakers: { dailyLoss: 'halt' },
      sizing: FULL_SIZE,
      decisionRule: SCENARIO_RULE,
    });
    // What a quant reads first: trades.csv holds the flatten and balances with final_equity, which is the account.
    expect(r.trades.map((t) => t.exit_reason)).toContain('emergency_stop');
    expect(closeTo1e9(r.summary.final_equity - r.summary.initial_equity, r.csvNet)).toBe(true);
    expect(closeTo1e9(r.summary.final_equity, r.state.account.wallet)).toBe(true);
    expect(closeTo1e9(r.reports.at(-1)!.equity, r.state.account.wallet)).toBe(true);
    expect(barsBreakingLedger(r.reports, r.config.initialEquity)).toEqual([]);

    expect(r.state.tradingState).toBe('halted');
    expect(r.state.account.position).toBeNull();
    const haltBar = r.reports.find((rep) => rep.halts.some((h) => h.kind === 'halt'));
    expect(haltBar?.closedTrades.map((t) => t.exitReason)).toContain('emergency_stop');
  });

  it('a liquidation through a price gap, a daily-loss cool-down and a position open at the end all reconcile', async () => {
    const gapFeed = csvFeed(await writeGapCandles(), { funding: REAL_FUNDING });
    const r = await run({
      sessionId: 'ledger-liq',
      mode: 'backtest',
      feed: gapFeed,
      fromMs: Date.UTC(2022, 4, 1),
      toMs: Date.UTC(2022, 4, 3),
      risk: LIQUIDATION_RISK,
      sizing: FULL_SIZE,
      decisionRule: SCENARIO_RULE,
    });
    expect(r.summary['liquidations']).toBeGreaterThanOrEqual(1);
    expect(r.trades.map((t) => t.exit_reason)).toContain('liquidation');
    expect(closeTo1e9(r.summary.final_equity - r.summary.initial_equity, r.csvNet)).toBe(true);
    expect(barsBreakingLedger(r.reports, r.config.initialEquity)).toEqual([]);

    expect(r.state.account.position).not.toBeNull();
    expect(r.reports.some((rep) => rep.open !== null && rep.open.funding !== 0)).toBe(true);
    expect(r.summary['halts']).toContainEqual(expect.objectContaining({ kind: 'cooldown', source: 'daily_loss' }));
  });

  it('orders refused for want of an operator (approval on): counted in summary.json, never traded, the ledger still reconciles', async () => {
    const base = {
      mode: 'backtest' as const,
      feed,
      fromMs: Date.UTC(2022, 4, 1),
      toMs: Date.UTC(2022, 5, 1),
      sizing: FULL_SIZE,
      decisionRule: SCENARIO_RULE,
    };
    // The threshold splits the month's entries: the median notional of the run without approval.
    const free = await run({ ...base, sessionId: 'ledger-approval-free' });
    const notionals = free.reports
      .flatMap((rep) => rep.closedTrades)
      .map((t) => t.entryPrice * t.size)
      .sort((a, b) => a - b);
    expect(notionals.length).toBeGreaterThanOrEqual(4);
    const aboveNotional = notionals[Math.floor(notionals.length / 2)]!;

    const r = await run({ ...base, sessionId: 'ledger-approval', approval: { aboveNotional } });
    const refused = r.reports.filter((rep) => rep.approval !== undefined);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const rep of refused) {
      expect(rep).toMatchObject({ decision: 'rejected_by_operator', order: null, approval: { outcome: 'rejected' } });
      expect(rep.approval!.notional).toBeGreaterThan(aboveNotional);
    }
    // Orders under the threshold still trade.
    expect(r.reports.filter((rep) => rep.order !== null).length).toBeGreaterThanOrEqual(1);
    expect((r.summary['decisions'] as Record<string, number>)['rejected_by_operator']).toBe(refused.length);
    expect(closeTo1e9(r.summary.final_equity - r.summary.initial_equity, r.csvNet)).toBe(true);
    expect(barsBreakingLedger(r.reports, r.config.initialEquity)).toEqual([]);
  });
});
