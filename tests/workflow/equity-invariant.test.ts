import { MemoryRunLog } from '../../adapters/store/run-log';
import { MemoryRiskLog } from '../../adapters/risk-log/risk-log';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import type { SessionResult } from '../../workflows/session';
import { startTestTemporal, startWorkers, testDeps, type TestTemporal } from '../helpers/temporal';
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
import { tradingSessionWorkflow } from '../../workflows/session';

/**
 * The temporal runner (real session and iteration workflows on a dev server) reconciles with the
 * ledger at every bar and at the end, on the runs that used to break it; a dozen bars each.
 */
describe('temporal runner: every figure reconciles with the ledger', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await startTestTemporal();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function runBoth(input: Parameters<typeof buildSessionConfig>[0]) {
    const config = await buildSessionConfig({ ...input, localPureSteps: true });
    const fast = await runFastBacktest(config, testDeps());
    const runLog = new MemoryRunLog();
    const riskLog = new MemoryRiskLog();
    const taskQueue = `${config.sessionId}-q`;
    const w = await startWorkers(t, taskQueue, testDeps({ runLog, riskLog }));
    try {
      const handle = await t.client.workflow.start(tradingSessionWorkflow, {
        taskQueue,
        workflowId: config.sessionId,
        args: [{ config, scheduleId: null }],
      });
      const result = (await handle.result()) as SessionResult;
      const reports = await runLog.read(config.sessionId);
      return {
        config,
        fast,
        state: result.state,
        reports,
        ...(await writeAndReadOutputs({ state: result.state, reports, riskLog, runner: 'temporal' })),
      };
    } finally {
      await w.stop();
    }
  }

  it('a breaker halting with a position open: one flatten, in the halting bar report, and the same halts as the fast runner', async () => {
    const feed = csvFeed(REAL_CANDLES, { funding: REAL_FUNDING });
    const r = await runBoth({
      sessionId: `ledger-halt-${Date.now()}`,
      mode: 'backtest',
      feed,
      fromMs: Date.UTC(2022, 4, 1),
      toMs: Date.UTC(2022, 4, 3),
      risk: { dailyLossLimit: 0.01 },
      breakers: { dailyLoss: 'halt' },
      sizing: FULL_SIZE,
      decisionRule: SCENARIO_RULE,
    });
    expect(r.state.tradingState).toBe('halted');
    expect(r.state.account.position).toBeNull();
    const flattens = r.reports.flatMap((rep) => rep.closedTrades).filter((tr) => tr.exitReason === 'emergency_stop');
    expect(flattens).toHaveLength(1);
    expect(r.reports.find((rep) => rep.halts.some((h) => h.kind === 'halt'))?.closedTrades).toContainEqual(flattens[0]);

    expect(barsBreakingLedger(r.reports, r.config.initialEquity)).toEqual([]);
    expect(closeTo1e9(r.summary.final_equity - r.summary.initial_equity, r.csvNet)).toBe(true);
    expect(closeTo1e9(r.summary.final_equity, r.state.account.wallet)).toBe(true);
    expect(r.state.halts).toEqual(r.fast.state.halts);
    expect(r.reports.map((rep) => rep.equity)).toEqual(r.fast.reports.map((rep) => rep.equity));
  });

  it('a liquidation through a price gap and a position open at the end reconcile', async () => {
    const feed = csvFeed(await writeGapCandles(), { funding: REAL_FUNDING });
    const r = await runBoth({
      sessionId: `ledger-liq-${Date.now()}`,
      mode: 'backtest',
      feed,
      fromMs: Date.UTC(2022, 4, 1),
      toMs: Date.UTC(2022, 4, 3),
      risk: LIQUIDATION_RISK,
      sizing: FULL_SIZE,
      decisionRule: SCENARIO_RULE,
    });
    expect(r.trades.map((tr) => tr.exit_reason)).toContain('liquidation');
    expect(r.state.account.position).not.toBeNull();

    expect(barsBreakingLedger(r.reports, r.config.initialEquity)).toEqual([]);
    expect(closeTo1e9(r.summary.final_equity - r.summary.initial_equity, r.csvNet)).toBe(true);
    expect(r.summary['halts']).toEqual(
      r.fast.state.halts.map((h) => expect.objectContaining({ kind: h.kind, source: h.source, equity: h.equity })),
    );
  });
});
