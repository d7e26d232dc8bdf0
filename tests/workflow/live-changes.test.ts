import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { loadLlmConfig, type LlmConfig } from '../../adapters/llm/config';
import { createLlm } from '../../adapters/llm/create-llm';
import { createLlmChooser } from '../../adapters/llm/llm-chooser';
import { MemoryBlobStore } from '../../adapters/store/blob-store';
import { iterationIdFor } from '../../domain/orchestration/run-iteration';
import type { SessionStatus } from '../../domain/orchestration/status';
import type { IterationFund } from '../../domain/schemas/steps';
import { buildSessionConfig } from '../../workers/session-config';
import { temporalCliPath } from '../../workers/temporal-server';
import {
  barClosedSignal,
  emergencyStopUpdate,
  pauseUpdate,
  resumeUpdate,
  setLlmUpdate,
  setRiskLimitsUpdate,
  stateQuery,
  statusQuery,
} from '../../workflows/messages';
import { tradingSessionWorkflow } from '../../workflows/session';
import { startStepAwareOpenAi, type StepAwareLlm } from '../fakes/step-aware-llm';
import { eventually, startTestTemporal, startWorkers, testDeps, type TestTemporal } from '../helpers/temporal';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const FEED = { kind: 'synthetic', seed: 11, startMs: Date.UTC(2024, 0, 1), bars: 600 } as const;

describe('live changes (Updates) on a real Temporal dev server', () => {
  let t: TestTemporal;
  let fake: StepAwareLlm;
  beforeAll(async () => {
    t = await startTestTemporal();
    fake = await startStepAwareOpenAi();
  });
  afterAll(async () => {
    await fake?.close();
    await t?.close();
  });

  it('validated risk and LLM changes apply from the next bar, survive continue-as-new, refused ones leave no trace; pause/resume/stop return the status; the CLI and npm run set work', async () => {
    const taskQueue = `live-changes-${Date.now()}`;
    // The worker's default is the offline reasoner; OpenAI is reachable (the fake) for a session that chooses it.
    const env = { LLM_PROVIDER: 'heuristic', OPENAI_API_KEY: 'sk-test-fake', LLM_BASE_URL: fake.baseUrl };
    const blobs = new MemoryBlobStore();
    const build = (config: LlmConfig) => createLlm(config, { blobs, warn: () => {} });
    const base = build(loadLlmConfig(env));
    const deps = testDeps({ llm: base, chooseLlm: createLlmChooser({ env, base, build }) });
    const w = await startWorkers(t, taskQueue, deps);
    try {
      const config = await buildSessionConfig({
        sessionId: `live-changes-${Date.now()}`,
        mode: 'paper',
        feed: FEED,
        risk: { minConfidence: 0.5 },
      });
      const handle = await t.client.workflow.start(tradingSessionWorkflow, {
        taskQueue,
        workflowId: config.sessionId,
        // Two iterations per run: the second bar continues the session as new.
        args: [{ config, scheduleId: null, iterationsPerRun: 2 }],
      });
      const firstRunId = handle.firstExecutionRunId;
      const tick = () => nextIteration(handle);

      // 1. A risk change made between bars applies from the next bar.
      let s = await tick();
      const bar1 = Date.parse(s.last_bar!);
      const risk = await handle.executeUpdate(setRiskLimitsUpdate, {
        args: [{ maxLeverage: 3, minConfidence: 0.55 }],
        updateId: 'risk-ok',
      });
      expect(risk).toEqual({
        changed: [
          { key: 'risk.maxLeverage', from: 5, to: 3 },
          { key: 'risk.minConfidence', from: 0.5, to: 0.55 },
        ],
        fromBar: new Date(bar1 + config.barMs).toISOString(),
        fromBarMs: bar1 + config.barMs,
      });
      expect((await handle.query(stateQuery)).config.risk.maxLeverage).toBe(3);
      expect((await handle.query(statusQuery)).risk_limits.maxLeverage).toBe(3);
      s = await tick();
      expect(Date.parse(s.last_bar!)).toBe(risk.fromBarMs);
      const fundOf = async (barMs: number) =>
        iterationInput(await t.client.workflow.getHandle(iterationIdFor(config.sessionId, barMs)).fetchHistory());
      expect((await fundOf(bar1)).config.risk.maxLeverage).toBe(5);
      expect((await fundOf(risk.fromBarMs!)).config.risk).toMatchObject({ maxLeverage: 3, minConfidence: 0.55 });

      // 2. The second bar continued the session as new: the change went with it.
      const runId = await eventually(async () => {
        const d = await handle.describe();
        return d.runId !== firstRunId && d.status.name === 'RUNNING' ? d.runId : null;
      }, 'continue-as-new');
      expect((await handle.query(stateQuery)).config.risk).toMatchObject({ maxLeverage: 3, minConfidence: 0.55 });

      // 3. Refused changes: the validator's message, and nothing in the history.
      const refused = async (run: () => Promise<unknown>) => {
        const err = await run().then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        return (err as WorkflowUpdateFailedError).cause?.message ?? '';
      };
      expect(
        await refused(() =>
          handle.executeUpdate(setRiskLimitsUpdate, { args: [{ maxLeverage: 50 }], updateId: 'bad-cap' }),
        ),
      ).toContain('risk.maxLeverage=50 is beyond the hard cap (at most 10)');
      expect(
        await refused(() =>
          handle.executeUpdate(setRiskLimitsUpdate, { args: [{ maxLev: 2 } as never], updateId: 'bad-key' }),
        ),
      ).toContain('unknown risk limit "maxLev"');
      expect(
        await refused(() =>
          handle.executeUpdate(setRiskLimitsUpdate, { args: [{ maxMarginUsage: 2 }], updateId: 'bad-range' }),
        ),
      ).toContain('risk.maxMarginUsage');
      expect(
        await refused(() =>
          handle.executeUpdate(setLlmUpdate, { args: [{ provider: 'gemini' as never }], updateId: 'bad-provider' }),
        ),
      ).toContain('unknown LLM provider "gemini"');
      expect(
        await refused(() =>
          handle.executeUpdate(setLlmUpdate, {
            args: [{ provider: 'openai', apiKey: 'sk-live-secret' } as never],
            updateId: 'bad-secret',
          }),
        ),
      ).toContain('keys never travel in an update');

      // 4. The LLM switch: the offline reasoner answered so far; from the next bar the fake gets the new model.
      expect(fake.server.requests).toHaveLength(0);
      const llm = await handle.executeUpdate(setLlmUpdate, {
        args: [{ provider: 'openai', model: 'gpt-4o-live-change' }],
        updateId: 'llm-ok',
      });
      expect(llm.changed).toEqual([
        { key: 'llm.provider', from: null, to: 'openai' },
        { key: 'llm.model', from: null, to: 'gpt-4o-live-change' },
      ]);
      const ids = updateIdsIn(await t.client.workflow.getHandle(config.sessionId, runId).fetchHistory());
      // The accepted one is there (so the check can see updates); no refused one is.
      expect(ids).toContain('llm-ok');
      expect(ids.filter((id) => id.startsWith('bad-'))).toEqual([]);
      expect(JSON.stringify(ids)).not.toContain('sk-live-secret');

      for (let i = 0; i < 5 && fake.server.requests.length === 0; i++) s = await tick();
      expect(fake.server.requests.length).toBeGreaterThan(0);
      expect(fake.server.errors).toEqual([]);
      expect(new Set(fake.server.requests.map((r) => (r.body as { model?: string }).model))).toEqual(
        new Set(['gpt-4o-live-change']),
      );
      expect((await fundOf(llm.fromBarMs!)).config.llm).toEqual({ provider: 'openai', model: 'gpt-4o-live-change' });
      expect(s.llm.calls).toBeGreaterThan(0);

      // 5. A provider this worker has no key for: the step fails naming the variable, the offline reasoner
      // answers (docs/llm-failures.md) and the status raises the LLM alert.
      const noKey = await handle.executeUpdate(setLlmUpdate, { args: [{ provider: 'anthropic', model: 'claude-x' }] });
      for (let i = 0; i < 5 && s.llm_alert === null; i++) s = await tick();
      expect(s.llm_alert).toContain('Llm.Auth');
      const failures = activityFailuresOf(
        await t.client.workflow.getHandle(iterationIdFor(config.sessionId, Date.parse(s.last_bar!))).fetchHistory(),
      );
      expect(failures.join('\n')).toContain('the session chose LLM anthropic/claude-x (setLlm)');
      expect(failures.join('\n')).toContain('ANTHROPIC_API_KEY');
      expect(noKey.fromBarMs).toBeLessThanOrEqual(Date.parse(s.last_bar!));

      // 6. The raw CLI: `temporal workflow update execute`, accepted and refused.
      const cli = (name: string, input: string) =>
        run(temporalCliPath(), [
          'workflow',
          'update',
          'execute',
          '--address',
          t.server.address,
          '--workflow-id',
          config.sessionId,
          '--name',
          name,
          '--input',
          input,
        ]);
      const ok = await cli('setRiskLimits', '{"maxLeverage":4}');
      expect(ok.stdout).toContain('risk.maxLeverage');
      expect((await handle.query(stateQuery)).config.risk.maxLeverage).toBe(4);
      const bad = await cli('setRiskLimits', '{"maxDrawdown":0.9}').then(
        () => null,
        (e: { stderr?: string; stdout?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
      expect(bad).toContain('risk.maxDrawdown=0.9 is beyond the hard cap');

      // 7. npm run set (scripts/set.ts), accepted and refused.
      const set = (...args: string[]) =>
        run(resolve(ROOT, 'node_modules/.bin/tsx'), ['scripts/set.ts', ...args, '--session', config.sessionId], {
          cwd: ROOT,
          env: { ...process.env, TEMPORAL_ADDRESS: t.server.address, TEMPORAL_NAMESPACE: 'default' },
        });
      const printed = await set('risk.maxLeverage=2', 'llm=default');
      expect(printed.stdout).toContain('risk.maxLeverage: 4 -> 2');
      expect(printed.stdout).toContain("llm.provider: anthropic -> (worker's default)");
      expect(printed.stdout).toMatch(/from the bar closing at \d{4}-\d\d-\d\dT/);
      const state = await handle.query(stateQuery);
      expect({ leverage: state.config.risk.maxLeverage, llm: state.config.llm }).toEqual({ leverage: 2, llm: null });
      const refusedSet = await set('risk.minConfidence=0.3').then(
        () => null,
        (e: { code?: number; stderr?: string }) => ({ code: e.code, stderr: e.stderr ?? '' }),
      );
      expect(refusedSet?.code).toBe(1);
      expect(refusedSet?.stderr).toContain('setRiskLimits refused: risk.minConfidence=0.3 is beyond the hard cap');

      // 8. pause, resume and the kill switch as Updates return the resulting status.
      const paused = await handle.executeUpdate(pauseUpdate);
      expect({ paused: paused.paused, session: paused.session }).toEqual({ paused: true, session: config.sessionId });
      const resumed = await handle.executeUpdate(resumeUpdate);
      // The resume also lifts the LLM alert.
      expect({ paused: resumed.paused, alert: resumed.llm_alert }).toEqual({ paused: false, alert: null });
      const stopped = await handle.executeUpdate(emergencyStopUpdate, { args: ['test: stop by update'] });
      expect(stopped.llm_choice).toBeNull();
      expect(stopped).toMatchObject({
        halted: true,
        halt_reason: 'test: stop by update',
        trading_state: 'halted',
        position: null,
        open_orders: 0,
      });
      await handle.terminate('test done');

      if (process.env.UPDATE_HISTORIES === '1') {
        // The run after continue-as-new: accepted Updates of every kind, for tests/replay (no id mapping needed:
        // the session's child ids derive from its config, not its workflow id).
        const { stdout } = await run(
          temporalCliPath(),
          ['workflow', 'show', '--address', t.server.address, '--workflow-id', config.sessionId, '--output', 'json'],
          { maxBuffer: 64 << 20 },
        );
        writeFileSync(resolve(ROOT, 'tests/replay/histories/session-live-changes.json'), stdout);
      }
    } finally {
      await w.stop();
    }
  });
});

/** Signal a bar and wait for its iteration to be booked. */
async function nextIteration(handle: WorkflowHandle<typeof tradingSessionWorkflow>): Promise<SessionStatus> {
  const before = (await handle.query(statusQuery)).iterations;
  await handle.signal(barClosedSignal, { firedAtMs: Date.now() });
  return eventually(async () => {
    const s = await handle.query(statusQuery);
    return s.iterations > before ? s : null;
  }, 'the next iteration');
}

/** The fund an iteration child started from (its first event's input). */
function iterationInput(history: temporal.api.history.v1.IHistory): IterationFund {
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return defaultPayloadConverter.fromPayload<{ fund: IterationFund }>(payload!).fund;
}

/** Every update id a history mentions (accepted, completed or rejected). */
function updateIdsIn(history: temporal.api.history.v1.IHistory): string[] {
  const ids: string[] = [];
  for (const e of history.events ?? []) {
    const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) ids.push(accepted.protocolInstanceId ?? '', accepted.acceptedRequest?.meta?.updateId ?? '');
    const completed = e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId;
    if (completed) ids.push(completed);
    const admitted = e.workflowExecutionUpdateAdmittedEventAttributes?.request?.meta?.updateId;
    if (admitted) ids.push(admitted);
  }
  return ids.filter((id) => id !== '');
}

/** The failure messages of the activities of a history. */
function activityFailuresOf(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((e) => {
    const f = e.activityTaskFailedEventAttributes?.failure;
    return f ? [f.message ?? ''] : [];
  });
}
