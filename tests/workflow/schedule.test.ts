import { pauseSignal, emergencyStopSignal, resumeSignal, statusQuery } from '../../workflows/messages';
import { BAR_MS } from '../../domain/schemas/config';
import { createSchedulePauser } from '../../workers/build-deps';
import { upsertSchedule } from '../../workers/schedule';
import { buildSessionConfig } from '../../workers/session-config';
import { eventually, startTestTemporal, startWorkers, testDeps, type TestTemporal } from '../helpers/temporal';
import { tradingSessionWorkflow } from '../../workflows/session';

describe('the Schedule drives the session', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await startTestTemporal();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('fires iterations at the replay cadence; pause and the kill switch pause it; resume unpauses it', async () => {
    const taskQueue = `sched-${Date.now()}`;
    const w = await startWorkers(t, taskQueue, testDeps({ setSchedulePaused: createSchedulePauser(t.client) }));
    const config = await buildSessionConfig({
      sessionId: `sched-session-${Date.now()}`,
      mode: 'paper',
      feed: { kind: 'synthetic', seed: 3, startMs: Date.UTC(2024, 0, 1), bars: 400 },
    });
    const scheduleId = `schedule-${config.sessionId}`;
    const handle = await t.client.workflow.start(tradingSessionWorkflow, {
      taskQueue,
      workflowId: config.sessionId,
      args: [{ config, scheduleId }],
    });
    const schedule = t.client.schedule.getHandle(scheduleId);
    try {
      await upsertSchedule(t.client, { scheduleId, sessionId: config.sessionId, taskQueue, barSeconds: 1 });
      const s = await eventually(async () => {
        const x = await handle.query(statusQuery);
        return x.iterations >= 2 ? x : null;
      }, 'two scheduled iterations');
      expect(s.last_bar).not.toBeNull();
      // Bars advance one at a time, in order, never twice.
      expect(Date.parse(s.last_bar!)).toBe(config.fromMs! + (s.iterations - 1) * config.barMs);

      await handle.signal(pauseSignal);
      await eventually(async () => (await schedule.describe()).state.paused, 'the schedule paused by pause()');
      await handle.signal(resumeSignal);
      await eventually(async () => !(await schedule.describe()).state.paused, 'the schedule unpaused by resume()');

      await handle.signal(emergencyStopSignal, 'schedule test');
      const d = await eventually(async () => {
        const x = await schedule.describe();
        return x.state.paused ? x : null;
      }, 'the schedule paused by the kill switch');
      expect(d.state.note).toMatch(/emergency stop/);
      const halted = await handle.query(statusQuery);
      expect(halted.halted).toBe(true);
    } finally {
      await schedule.delete().catch(() => undefined);
      await handle.terminate('test done').catch(() => undefined);
      await w.stop();
    }
  });

  it("a live session's Schedule fires once per bar length (BAR_MS), 30 s after the close, and is not started paused", async () => {
    const scheduleId = `schedule-live-cadence-${Date.now()}`;
    await upsertSchedule(t.client, { scheduleId, sessionId: 'live-cadence', taskQueue: 'unused', barSeconds: null });
    const schedule = t.client.schedule.getHandle(scheduleId);
    try {
      const d = await schedule.describe();
      expect(d.spec.intervals).toEqual([{ every: BAR_MS, offset: 30_000 }]);
      expect(d.state.paused).toBe(false);
    } finally {
      await schedule.delete();
    }
  });
});
