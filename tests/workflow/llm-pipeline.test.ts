import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { createLlm } from '../../adapters/llm/create-llm';
import { loadLlmConfig } from '../../adapters/llm/config';
import { MemoryCostLedger } from '../../adapters/llm/cost-ledger';
import { FileBlobStore } from '../../adapters/store/blob-store';
import { MemoryRunLog } from '../../adapters/store/run-log';
import { iterationIdFor } from '../../domain/orchestration/run-iteration';
import type { SessionStatus } from '../../domain/orchestration/status';
import { addUsage, ZERO_USAGE, type LlmUsage } from '../../domain/schemas/llm';
import type { IterationReport } from '../../domain/schemas/session';
import type { ExecutionStyle } from '../../domain/schemas/trade';
import { barClosedSignal, resumeSignal, statusQuery } from '../../workflows/messages';
import type { SessionResult } from '../../workflows/session';
import { buildSessionConfig } from '../../workers/session-config';
import { startStepAwareAnthropic, startStepAwareOpenAi, type StepAwareLlm } from '../fakes/step-aware-llm';
import { eventually, startTestTemporal, startWorkers, testDeps, type TestTemporal } from '../helpers/temporal';
import { tradingSessionWorkflow } from '../../workflows/session';

const FEED = { kind: 'synthetic', seed: 11, startMs: Date.UTC(2024, 0, 1), bars: 600 } as const;

interface SessionRun {
  config: { sessionId: string; fromMs: number; barMs: number };
  reports: IterationReport[];
  status: SessionStatus;
  result: SessionResult;
  ledger: MemoryCostLedger;
}

/** Env of a provider pointed at a step-aware fake; keys are dummies the fake never checks. */
function envFor(
  provider: 'openai' | 'anthropic',
  fake: StepAwareLlm,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const key = provider === 'openai' ? { OPENAI_API_KEY: 'sk-test-fake' } : { ANTHROPIC_API_KEY: 'sk-ant-test-fake' };
  return { LLM_PROVIDER: provider, LLM_BASE_URL: fake.baseUrl, ...key, ...extra };
}

function totalOf(reports: readonly IterationReport[]): LlmUsage {
  return reports.map((r) => r.usage).reduce(addUsage, ZERO_USAGE);
}

/** The T-A results and failures of one iteration, read back from its event history. */
async function readStyleActivities(
  client: Client,
  workflowId: string,
): Promise<{ styles: ExecutionStyle[]; failureTypes: string[] }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const styleScheduled = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'T-A.chooseStyle')
      .map((e) => String(e.eventId)),
  );
  const styles: ExecutionStyle[] = [];
  const failureTypes: string[] = [];
  for (const e of events) {
    const done = e.activityTaskCompletedEventAttributes;
    if (done && styleScheduled.has(String(done.scheduledEventId))) {
      const payload = done.result?.payloads?.[0];
      if (payload) styles.push(defaultPayloadConverter.fromPayload<ExecutionStyle>(payload));
    }
    const failed = e.activityTaskFailedEventAttributes;
    if (failed && styleScheduled.has(String(failed.scheduledEventId))) {
      failureTypes.push(
        failed.failure?.applicationFailureInfo?.type ??
          failed.failure?.cause?.applicationFailureInfo?.type ??
          'unknown',
      );
    }
  }
  return { styles, failureTypes };
}

describe('LLM-backed desk on a real Temporal dev server and fake LLM providers', () => {
  let t: TestTemporal;
  let dir: string;
  const fakes: StepAwareLlm[] = [];

  beforeAll(async () => {
    t = await startTestTemporal();
    dir = mkdtempSync(join(tmpdir(), 'llm-pipeline-'));
  });
  afterAll(async () => {
    for (const fake of fakes) await fake.close();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A backtest session of `bars` bars with the given LLM env; blobs (prompt records and cache) under `blobDir`. */
  async function runSession(
    sessionId: string,
    env: NodeJS.ProcessEnv,
    blobDir: string,
    bars: number,
  ): Promise<SessionRun> {
    const runLog = new MemoryRunLog();
    const ledger = new MemoryCostLedger();
    const llm = createLlm(loadLlmConfig(env), { blobs: new FileBlobStore(blobDir), ledger, warn: () => {} });
    const taskQueue = `llm-${sessionId}`;
    const w = await startWorkers(t, taskQueue, testDeps({ llm, runLog, llmRiskReview: true }));
    try {
      const config = await buildSessionConfig({
        sessionId,
        mode: 'backtest',
        feed: FEED,
        knowledgeTransferEvery: 2,
        risk: { minConfidence: 0.5 },
      });
      const toMs = config.fromMs! + (bars - 1) * config.barMs;
      const handle = await t.client.workflow.start(tradingSessionWorkflow, {
        taskQueue,
        workflowId: sessionId,
        args: [{ config: { ...config, toMs }, scheduleId: null }],
      });
      const result = (await handle.result()) as SessionResult;
      const status = await handle.query(statusQuery);
      return {
        config: { sessionId, fromMs: config.fromMs!, barMs: config.barMs },
        reports: await runLog.read(sessionId),
        status,
        result,
        ledger,
      };
    } finally {
      await w.stop();
    }
  }

  it('openai: a 3-bar session reasons through the fake, costs every call, and an identical second session is answered from the cache', async () => {
    const fake = await startStepAwareOpenAi();
    fakes.push(fake);
    const blobDir = join(dir, 'openai');
    const env = envFor('openai', fake);

    const first = await runSession(`llm-openai-a-${Date.now()}`, env, blobDir, 3);
    expect(first.result.state.round).toBe(3);
    expect(fake.server.errors).toEqual([]);
    // T-A asks the LLM on every bar for each of the 2 traders (R-A only when Thompson sampling picks llm_narrative).
    const byStep = fake.countByStep();
    expect(byStep['T-A'] ?? 0).toBeGreaterThanOrEqual(3 * 2);
    const sent = fake.server.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-test-fake');

    expect(first.reports.map((r) => r.round)).toEqual([1, 2, 3]);
    for (const r of first.reports) {
      expect({
        round: r.round,
        calls: r.usage.calls > 0,
        tokensIn: r.usage.tokensIn > 0,
        tokensOut: r.usage.tokensOut > 0,
        cost: r.usage.costUsd >= 0,
      }).toEqual({ round: r.round, calls: true, tokensIn: true, tokensOut: true, cost: true });
    }
    // gpt-4o-mini has a list price, so the fake's token counts must cost something.
    const firstTotal = totalOf(first.reports);
    expect(firstTotal.costUsd).toBeGreaterThan(0);
    // The status query carries the session's LLM totals: the sum of its iteration reports.
    expect(first.status.llm).toEqual(first.result.state.usage);
    expect(first.status.llm.calls).toBe(firstTotal.calls);
    expect(first.status.llm.tokensIn).toBe(firstTotal.tokensIn);
    // Every call that reached the fake is counted: R-A, T-A, M-A reviews and soft-fail re-styles alike.
    expect(firstTotal.calls).toBe(fake.server.requests.length);
    expect(firstTotal.calls).toBeGreaterThanOrEqual((byStep['R-A'] ?? 0) + (byStep['K-T'] ?? 0) + 3 * 2);

    // Prompts carry agent ids, bar data and research, never the session or iteration id: a second
    // session over the same bars sends byte-identical requests, so the request-keyed cache answers all.
    const before = fake.server.requests.length;
    const second = await runSession(`llm-openai-b-${Date.now()}`, env, blobDir, 3);
    expect(second.result.state.round).toBe(3);
    expect(fake.server.requests.length - before).toBe(0);
    const secondTotal = totalOf(second.reports);
    expect(secondTotal).toEqual({ ...ZERO_USAGE, cachedCalls: secondTotal.cachedCalls });
    expect(secondTotal.cachedCalls).toBe(firstTotal.calls);
    expect(second.status.llm.calls).toBe(0);
    // Same answers, same desk: the decisions of the cached rerun match the first run bar for bar.
    expect(second.reports.map((r) => [r.decision, r.equity])).toEqual(first.reports.map((r) => [r.decision, r.equity]));
  });

  it('anthropic: a 2-bar session reasons through the fake Messages API, and a rerun makes zero requests', async () => {
    const fake = await startStepAwareAnthropic();
    fakes.push(fake);
    const blobDir = join(dir, 'anthropic');
    const env = envFor('anthropic', fake);

    const first = await runSession(`llm-anthropic-a-${Date.now()}`, env, blobDir, 2);
    expect(first.result.state.round).toBe(2);
    expect(fake.server.errors).toEqual([]);
    expect(fake.countByStep()['T-A'] ?? 0).toBeGreaterThanOrEqual(2 * 2);
    const sent = fake.server.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    // This SDK sends the key as a bearer token; older ones used x-api-key. Either way it must arrive.
    expect([sent.headers['x-api-key'], sent.headers.authorization]).toContainEqual(
      expect.stringContaining('sk-ant-test-fake'),
    );
    expect(typeof (sent.body as { system?: unknown }).system).toBe('string');
    const total = totalOf(first.reports);
    for (const r of first.reports)
      expect({ round: r.round, calls: r.usage.calls > 0, tokens: r.usage.tokensIn + r.usage.tokensOut > 0 }).toEqual({
        round: r.round,
        calls: true,
        tokens: true,
      });
    expect(total.costUsd).toBeGreaterThan(0);
    expect(first.status.llm.calls).toBe(total.calls);

    const before = fake.server.requests.length;
    const second = await runSession(`llm-anthropic-b-${Date.now()}`, env, blobDir, 2);
    expect(second.result.state.round).toBe(2);
    expect(fake.server.requests.length - before).toBe(0);
    expect(totalOf(second.reports).cachedCalls).toBe(total.calls);
  });

  it('fallback: T-A answered with prose every time fails as Llm.InvalidOutput after repairs, and the bar completes on the heuristic style', async () => {
    const fake = await startStepAwareOpenAi({ garbageFor: ['T-A'] });
    fakes.push(fake);
    const run = await runSession(`llm-fallback-${Date.now()}`, envFor('openai', fake), join(dir, 'fallback'), 1);
    expect(run.result.state.round).toBe(1);
    expect(run.reports).toHaveLength(1);
    expect(fake.server.errors).toEqual([]);

    const { styles, failureTypes } = await readStyleActivities(
      t.client,
      iterationIdFor(run.config.sessionId, run.config.fromMs),
    );
    // Each trader's T-A: one failed LLM attempt (non-retryable), then the heuristic rerun marked 'fallback'.
    expect(failureTypes).toEqual(['Llm.InvalidOutput', 'Llm.InvalidOutput']);
    expect(styles.map((s) => s.provenance.source)).toEqual(['fallback', 'fallback']);
    // 1 request + the default 2 repairs per trader, and the repair turns carried the validation error back.
    expect(fake.countByStep()['T-A']).toBe(2 * 3);
    const repair = fake.server.requests.find((r) => ((r.body as { messages: unknown[] }).messages.length ?? 0) > 2);
    expect(JSON.stringify(repair?.body)).toContain('Your reply was rejected');

    // The invalid replies were billed: they cross the activity failure into the fallback's usage.
    const total = totalOf(run.reports);
    expect(total.calls).toBe(fake.server.requests.length);
    expect(total).toMatchObject({ invalidOutputs: 2 * 3, fallbacks: 2, failures: { 'Llm.InvalidOutput': 2 } });
    expect(run.status.llm).toEqual(total);
    const ledger = await run.ledger.sessionTotal(run.config.sessionId);
    expect([ledger.calls, ledger.tokensIn, ledger.tokensOut, ledger.invalidOutputs]).toEqual([
      total.calls,
      total.tokensIn,
      total.tokensOut,
      total.invalidOutputs,
    ]);
    expect(ledger.costUsd).toBeCloseTo(total.costUsd, 12);
  });

  it('auth: a refused key stops a backtest session after the first bar, with the alert in its result', async () => {
    const fake = await startStepAwareOpenAi({
      failWith: () => ({
        status: 401,
        body: {
          error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
        },
      }),
    });
    fakes.push(fake);
    const run = await runSession(`llm-auth-${Date.now()}`, envFor('openai', fake), join(dir, 'auth'), 3);
    expect(run.result.state.round).toBe(1);
    expect(run.result.reason).toMatch(/^stopped: LLM authentication or permission refused by the provider \(Llm\.Auth/);
    expect(run.reports).toHaveLength(1);
    expect(run.reports[0]!.usage.failures['Llm.Auth']).toBe(run.reports[0]!.usage.fallbacks);
    expect(fake.server.requests.length).toBeLessThanOrEqual(run.reports[0]!.usage.fallbacks);
  });

  it('auth in a paper session: LLM use halts with an operator alert in the status, trading goes on, resume clears the alert', async () => {
    const fake = await startStepAwareOpenAi({
      failWith: () => ({
        status: 401,
        body: {
          error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
        },
      }),
    });
    fakes.push(fake);
    const sessionId = `llm-auth-paper-${Date.now()}`;
    const llm = createLlm(loadLlmConfig(envFor('openai', fake)), {
      blobs: new FileBlobStore(join(dir, 'auth-paper')),
      warn: () => {},
    });
    const runLog = new MemoryRunLog();
    const taskQueue = `llm-${sessionId}`;
    const w = await startWorkers(t, taskQueue, testDeps({ llm, runLog }));
    try {
      const config = await buildSessionConfig({ sessionId, mode: 'paper', feed: FEED, risk: { minConfidence: 0.5 } });
      const handle = await t.client.workflow.start(tradingSessionWorkflow, {
        taskQueue,
        workflowId: sessionId,
        args: [{ config, scheduleId: null }],
      });
      await handle.signal(barClosedSignal, { firedAtMs: Date.now() });
      const first = await eventually(async () => {
        const s = await handle.query(statusQuery);
        return s.iterations >= 1 ? s : null;
      }, 'the first iteration');
      expect(first.llm_alert).toMatch(/Llm\.Auth.*LLM use is halted/);
      const afterFirst = fake.server.requests.length;
      await handle.signal(barClosedSignal, { firedAtMs: Date.now() });
      const second = await eventually(async () => {
        const s = await handle.query(statusQuery);
        return s.iterations >= 2 ? s : null;
      }, 'the second iteration');
      expect(second.halted).toBe(false);
      expect(second.llm_alert).toBe(first.llm_alert);
      // The refused key is not tried again: the second bar's LLM steps fell back without a request.
      expect(fake.server.requests.length).toBe(afterFirst);
      expect(second.llm.failures['Llm.Auth']).toBeGreaterThan(first.llm.failures['Llm.Auth'] ?? 0);
      await handle.signal(resumeSignal);
      await eventually(
        async () => ((await handle.query(statusQuery)).llm_alert === null ? true : null),
        'resume to clear the alert',
      );
      await handle.terminate('test done');
    } finally {
      await w.stop();
    }
  });
});
