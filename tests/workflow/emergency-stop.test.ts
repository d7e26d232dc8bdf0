import { resolve } from 'node:path';
import { MemoryRunLog } from '../../adapters/store/run-log';
import type { SessionStatus } from '../../domain/orchestration/status';
import { barClosedSignal, emergencyStopSignal, resumeSignal, statusQuery } from '../../workflows/messages';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import { eventually, startTestTemporal, startWorkers, testDeps, type TestTemporal } from '../helpers/temporal';
import { tradingSessionWorkflow } from '../../workflows/session';

const DATA = resolve(__dirname, '../../../shared/data');
const feed = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, {
  funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
});

describe('kill switch on a real Temporal dev server', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await startTestTemporal();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('emergencyStop flattens the paper position, refuses new entries, survives a worker restart, and resume lifts it', async () => {
    const taskQueue = `stop-${Date.now()}`;
    const runLog = new MemoryRunLog();
    let w = await startWorkers(t, taskQueue, testDeps({ runLog }));
    try {
      const config = await buildSessionConfig({
        sessionId: `stop-session-${Date.now()}`,
        mode: 'paper',
        feed,
        fromMs: Date.UTC(2023, 0, 1),
        risk: { minConfidence: 0.5 },
      });
      const handle = await t.client.workflow.start(tradingSessionWorkflow, {
        taskQueue,
        workflowId: config.sessionId,
        args: [{ config, scheduleId: null }],
      });
      const status = () => handle.query(statusQuery);
      const tick = async (): Promise<SessionStatus> => {
        const before = (await status()).iterations;
        await handle.signal(barClosedSignal, { firedAtMs: Date.now() });
        try {
          return await eventually(
            async () => {
              const s = await status();
              return s.iterations > before ? s : null;
            },
            'the next iteration',
            60_000,
          );
        } catch (err) {
          const d = await handle.describe();
          const h = await handle.fetchHistory();
          console.error(
            (h.events ?? [])
              .map(
                (e) =>
                  `${e.eventId} ${e.eventType} ${e.signalExternalWorkflowExecutionInitiatedEventAttributes ? '' : ''}${e.workflowExecutionSignaledEventAttributes?.signalName ?? ''}${e.activityTaskScheduledEventAttributes?.activityType?.name ?? ''}${e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? ''}`,
              )
              .join('\n'),
          );
          const st = await status();
          console.error(
            JSON.stringify(
              {
                it: st.iterations,
                last: st.last_bar,
                halted: st.halted,
                decision: st.last_decision,
                pending: d.raw.pendingActivities,
                children: d.raw.pendingChildren,
                status: d.status.name,
              },
              null,
              1,
            ).slice(0, 4000),
          );
          throw err;
        }
      };

      // Trade bar by bar until the desk holds a position (real 2023 bars; bounded).
      let s = await tick();
      for (let i = 0; i < 30 && s.position === null; i++) s = await tick();
      expect(s.position).not.toBeNull();

      // Stop with the next bar in flight.
      await handle.signal(barClosedSignal, { firedAtMs: Date.now() });
      await handle.signal(emergencyStopSignal, 'test: flatten now');
      s = await eventually(async () => {
        const x = await status();
        return x.halted && x.position === null && x.open_orders === 0 ? x : null;
      }, 'a flat, halted book');
      expect(s.halt_reason).toBe('test: flatten now');
      expect({ state: s.trading_state, reason: s.trading_state_reason }).toEqual({
        state: 'halted',
        reason: 'test: flatten now',
      });
      expect(s.recent_trades.at(-1)?.exitReason).toBe('emergency_stop');
      expect(s.halts).toContainEqual(
        expect.objectContaining({ kind: 'halt', source: 'kill_switch', reason: 'test: flatten now' }),
      );
      // One flatten, one report: the kill switch's closing trade reaches the run log once.
      const flattens = await eventually(async () => {
        const closed = (await runLog.read(config.sessionId))
          .flatMap((r) => r.closedTrades)
          .filter((tr) => tr.exitReason === 'emergency_stop');
        return closed.length > 0 ? closed : null;
      }, 'the flatten in the run log');
      expect(flattens).toEqual([s.recent_trades.at(-1)]);

      // Halted: bars still arrive, nothing opens.
      for (let i = 0; i < 3; i++) {
        s = await tick();
        expect({ position: s.position, open_orders: s.open_orders }).toEqual({ position: null, open_orders: 0 });
      }

      // The halt is durable: a new worker sees it.
      await w.stop();
      w = await startWorkers(t, taskQueue, testDeps({ runLog }));
      s = await tick();
      expect(s.halted).toBe(true);
      expect(s.position).toBeNull();

      await handle.signal(resumeSignal);
      s = await eventually(async () => {
        const x = await status();
        return x.halted ? null : x;
      }, 'resume');
      expect(s.halt_reason).toBeNull();
      expect(['active', 'reducing']).toContain(s.trading_state);
      expect(s.halts.at(-1)).toMatchObject({
        kind: 'resume',
        source: 'operator',
        reason: 'resumed after: test: flatten now',
      });
      await handle.terminate('test done');
    } finally {
      await w.stop();
    }
  });
});
