import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { temporalCliPath } from '../../workers/temporal-server';
import { iterationIdFor } from '../../domain/orchestration/run-iteration';
import { STEP_CODES } from '../../domain/orchestration/steps';
import type { SessionConfig } from '../../domain/schemas/config';
import type { SessionResult } from '../../workflows/session';
import { MemoryRiskLog } from '../../adapters/risk-log/risk-log';
import { MemoryRunLog } from '../../adapters/store/run-log';
import { buildSessionConfig } from '../../workers/session-config';
import { historyNames, startTestTemporal, startWorkers, testDeps, type TestTemporal } from '../helpers/temporal';
import { tradingSessionWorkflow } from '../../workflows/session';

const FEED = { kind: 'synthetic', seed: 11, startMs: Date.UTC(2024, 0, 1), bars: 600 } as const;

describe('tradingSessionWorkflow on a real Temporal dev server', () => {
  let t: TestTemporal;
  beforeAll(async () => {
    t = await startTestTemporal();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs 5 iterations end to end; every step code is in the history; knowledge transfer runs at rounds K and 2K only', async () => {
    const taskQueue = `session-${Date.now()}`;
    const riskLog = new MemoryRiskLog();
    const runLog = new MemoryRunLog();
    const w = await startWorkers(t, taskQueue, testDeps({ riskLog, runLog }));
    try {
      const config: SessionConfig = await buildSessionConfig({
        sessionId: `test-session-${Date.now()}`,
        mode: 'backtest',
        feed: FEED,
        knowledgeTransferEvery: 2,
        // A tight CVaR budget makes M-A soft-fail (reduce size): the loop must run and stay bounded.
        maxSoftFails: 1,
        risk: { cvarBudget: 0.002, minConfidence: 0.5 },
        // Any positive net edge trades at full size, so five bars reach the risk review and its CVaR
        // soft fail (the desk's default margin and its skill sizing are stricter).
        sizing: { edgeMargin: 0, skillGate: false, kellyFraction: 1 },
      });
      const toMs = config.fromMs! + 4 * config.barMs;
      const handle = await t.client.workflow.start(tradingSessionWorkflow, {
        taskQueue,
        workflowId: config.sessionId,
        args: [{ config: { ...config, toMs }, scheduleId: null }],
      });
      const result = (await handle.result()) as SessionResult;
      expect(result.state.round).toBe(5);
      const reports = await runLog.read(config.sessionId);
      expect(reports.map((r) => r.round)).toEqual([1, 2, 3, 4, 5]);

      const firstIteration = iterationIdFor(config.sessionId, config.fromMs!);
      const { activities, children } = await historyNames(t.client, firstIteration);
      const codes = new Set(activities.map((a) => a.split('.')[0]));
      for (const code of Object.values(STEP_CODES).filter((c) => c !== 'M-A' && c !== 'M-B')) {
        expect({ code, present: codes.has(code) }).toEqual({ code, present: true });
      }
      expect(children).toContain('riskReviewWorkflow');

      // M-A and M-B live in the risk review child wherever a trader proposed an order.
      const reviewed = reports.filter((r) => r.riskAttempts > 0);
      expect(reviewed.length).toBeGreaterThan(0);
      const review = await historyNames(t.client, `${iterationIdFor(config.sessionId, reviewed[0]!.barCloseMs)}-risk`);
      expect(review.activities).toEqual(expect.arrayContaining(['M-A.analyseRisk', 'M-B.logRisk']));

      // Soft-fail loop: bounded by maxSoftFails (1) → at most 2 attempts per iteration, every attempt logged.
      for (const r of reports) expect(r.riskAttempts).toBeLessThanOrEqual(2);
      const entries = await riskLog.read({ sessionId: config.sessionId });
      expect(entries.some((e) => e.verdict.status === 'soft_fail')).toBe(true);

      // Knowledge transfer child exactly at rounds 2 and 4.
      const kt = reports.filter((r) => r.knowledgeTransfer).map((r) => r.round);
      expect(kt).toEqual([2, 4]);
      for (const r of reports) {
        const names = await historyNames(t.client, iterationIdFor(config.sessionId, r.barCloseMs));
        expect({ round: r.round, kt: names.children.includes('knowledgeTransferWorkflow') }).toEqual({
          round: r.round,
          kt: r.round % 2 === 0,
        });
      }

      // Each step gets what it reads (docs/architecture.md, "What crosses the history"): no step input
      // but E's carries an agent's inventory or the learning state; the iteration gets the fund, not the
      // session's logs, and returns a delta whose populations and learning state are patches.
      for (const id of [firstIteration, `${iterationIdFor(config.sessionId, reviewed[0]!.barCloseMs)}-risk`]) {
        const { events } = await t.client.workflow.getHandle(id).fetchHistory();
        const scheduled = (events ?? []).flatMap((e) => {
          const a = e.activityTaskScheduledEventAttributes;
          return a && a.activityType?.name !== 'E.evaluate'
            ? [
                {
                  type: a.activityType?.name,
                  input: (a.input?.payloads ?? []).map((p) => Buffer.from(p.data!).toString()).join(''),
                },
              ]
            : [];
        });
        expect(scheduled.length).toBeGreaterThan(0);
        for (const { type, input } of scheduled)
          expect({
            type,
            inventory: input.includes('"inventory"'),
            learning: input.includes('"forecastHistory"'),
          }).toEqual({ type, inventory: false, learning: false });
      }
      const iteration = await t.client.workflow.getHandle(firstIteration).fetchHistory();
      const started = iteration.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      const input = JSON.parse(Buffer.from(started!.data!).toString()) as { fund: Record<string, unknown> };
      for (const key of ['recentTrades', 'events', 'usage', 'paused', 'lastDecision'])
        expect({ key, crossed: key in input.fund }).toEqual({ key, crossed: false });
      // The populations and learning state stay in the shared store: the input has views and refs only,
      // and nothing in the iteration's history (input, step inputs, local markers, result) carries them whole.
      expect(input.fund).toMatchObject({
        populations: { ref: expect.stringMatching(/^state-[0-9a-f]{64}$/) },
        learning: { ref: expect.stringMatching(/^state-[0-9a-f]{64}$/) },
      });
      const whole = payloadTextOf(iteration.events);
      expect(whole).toContain('"ref":"state-');
      // A whole inventory is `"inventory":{"A-B":[…`; E's patches name the key (`"inventory":{"keys":…`), which is fine.
      const wholeInventory = /"inventory":\{"[A-Z]-[A-Z]":\[/;
      expect({ inventory: wholeInventory.test(whole), learning: whole.includes('"pendingForecasts":[') }).toEqual({
        inventory: false,
        learning: false,
      });
      // E's changes cross by ref too: the iteration's result names them, the session reads them once.
      const outcome = (await t.client.workflow.getHandle(firstIteration).result()) as {
        delta: { populations?: object | null; learning?: object | null; changes?: string | null };
      };
      expect(outcome.delta.changes).toMatch(/^state-[0-9a-f]{64}$/);
      expect(outcome.delta.learning).toBeUndefined();
      expect(outcome.delta.populations === undefined || !('analyst' in (outcome.delta.populations ?? {}))).toBe(true);

      if (process.env.UPDATE_HISTORIES === '1') {
        const dir = resolve(__dirname, '../replay/histories');
        mkdirSync(dir, { recursive: true });
        const index: Record<string, string> = {};
        for (const [name, id] of [
          ['session', config.sessionId],
          ['iteration', firstIteration],
          ['iteration-kt', iterationIdFor(config.sessionId, config.fromMs! + config.barMs)],
          ['risk-review', `${iterationIdFor(config.sessionId, reviewed[0]!.barCloseMs)}-risk`],
        ] as const) {
          // The CLI's JSON export is the format Worker.runReplayHistories reads.
          const json = execFileSync(
            temporalCliPath(),
            ['workflow', 'show', '--address', t.server.address, '--workflow-id', id, '--output', 'json'],
            { maxBuffer: 64 << 20 },
          );
          writeFileSync(resolve(dir, `${name}.json`), json);
          index[name] = id;
        }
        // Child workflow ids derive from the parent's id, so replay needs the original ids.
        writeFileSync(
          resolve(dir, 'workflow-ids.txt'),
          Object.entries(index)
            .map(([k, v]) => `${k} ${v}`)
            .join('\n') + '\n',
        );
      }
    } finally {
      await w.stop();
    }
  });
});

/** Every payload's bytes in a history, as text (inputs, results, local activities' markers). */
function payloadTextOf(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString();
  if (value === null || typeof value !== 'object') return '';
  return Object.values(value).map(payloadTextOf).join('\n');
}
