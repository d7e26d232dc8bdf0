import { resolve } from 'node:path';
import { MemoryRunLog } from '../../adapters/store/run-log';
import type { IterationReport } from '../../domain/schemas/session';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import type { SessionResult } from '../../workflows/session';
import { historyNames, startTestTemporal, startWorkers, testDeps, type TestTemporal } from '../helpers/temporal';
import { iterationIdFor } from '../../domain/orchestration/run-iteration';
import { tradingSessionWorkflow } from '../../workflows/session';

const DATA = resolve(__dirname, '../../../shared/data');
const feed = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, {
  funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
});

/** What must match between runners: every decision, order, fill and the money. */
function fingerprint(reports: IterationReport[]) {
  return reports.map((r) => ({
    bar: r.barCloseMs,
    decision: r.decision,
    order: r.order,
    risk: [r.riskOutcome, r.riskAttempts],
    equity: r.equity,
    closed: r.closedTrades,
    kt: r.knowledgeTransfer,
    events: r.learningEvents,
  }));
}

describe('one orchestration, two runners', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await startTestTemporal();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the fast runner and the Temporal workflows give identical orders, fills, equity and populations on real data, across continue-as-new', async () => {
    const config = await buildSessionConfig({
      sessionId: `parity-${Date.now()}`,
      mode: 'backtest',
      feed,
      fromMs: Date.UTC(2023, 2, 8),
      toMs: Date.UTC(2023, 2, 11, 8),
      knowledgeTransferEvery: 4,
    });
    const fast = await runFastBacktest(config, testDeps());

    const runLog = new MemoryRunLog();
    const taskQueue = `parity-${Date.now()}`;
    const w = await startWorkers(t, taskQueue, testDeps({ runLog }));
    try {
      // Continue-as-new every 6 iterations: the fund's state (account, populations, learning) must survive it.
      const handle = await t.client.workflow.start(tradingSessionWorkflow, {
        taskQueue,
        workflowId: config.sessionId,
        args: [{ config, scheduleId: null, iterationsPerRun: 6 }],
      });
      const result = (await handle.result()) as SessionResult;
      const firstRun = await t.client.workflow.getHandle(config.sessionId, handle.firstExecutionRunId).describe();
      expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
      const temporal = await runLog.read(config.sessionId);

      expect(temporal.length).toBe(fast.reports.length);
      expect(fast.reports.some((r) => r.order !== null)).toBe(true);
      expect(fingerprint(temporal)).toEqual(fingerprint(fast.reports));
      expect(result.state.account).toEqual(fast.state.account);
      expect(result.state.populations).toEqual(fast.state.populations);
      expect(result.state.learning).toEqual(fast.state.learning);
    } finally {
      await w.stop();
    }
  });

  it('with pure steps as local activities (the temporal backtest speed-up) the decisions are the same', async () => {
    const config = await buildSessionConfig({
      sessionId: `parity-local-${Date.now()}`,
      mode: 'backtest',
      feed,
      fromMs: Date.UTC(2023, 2, 8),
      toMs: Date.UTC(2023, 2, 10),
      localPureSteps: true,
    });
    const fast = await runFastBacktest(config, testDeps());
    const runLog = new MemoryRunLog();
    const taskQueue = `parity-local-${Date.now()}`;
    const w = await startWorkers(t, taskQueue, testDeps({ runLog }));
    try {
      const handle = await t.client.workflow.start(tradingSessionWorkflow, {
        taskQueue,
        workflowId: config.sessionId,
        args: [{ config, scheduleId: null }],
      });
      const result = (await handle.result()) as SessionResult;
      expect(fingerprint(await runLog.read(config.sessionId))).toEqual(fingerprint(fast.reports));
      expect(result.state.account).toEqual(fast.state.account);
      // The pure steps left markers, not activity tasks, in the iteration's history.
      const names = await historyNames(t.client, iterationIdFor(config.sessionId, config.fromMs!));
      expect(names.activities).not.toContain('A-B.buildFeatures');
      // LLM steps stay activities on the LLM queue (T-A asks every bar; R-A only when llm_narrative is drawn).
      expect(names.activities).toContain('T-A.chooseStyle');
    } finally {
      await w.stop();
    }
  });
});
