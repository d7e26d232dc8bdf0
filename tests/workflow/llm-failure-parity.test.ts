import { loadLlmConfig } from '../../adapters/llm/config';
import { MemoryCostLedger } from '../../adapters/llm/cost-ledger';
import { createLlm } from '../../adapters/llm/create-llm';
import { MemoryBlobStore } from '../../adapters/store/blob-store';
import { MemoryRunLog } from '../../adapters/store/run-log';
import { addUsage, ZERO_USAGE, type LlmUsage } from '../../domain/schemas/llm';
import type { IterationReport } from '../../domain/schemas/session';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig } from '../../workers/session-config';
import type { SessionResult } from '../../workflows/session';
import { startStepAwareOpenAi, type StepAwareLlm } from '../fakes/step-aware-llm';
import { startTestTemporal, startWorkers, testDeps, type TestTemporal } from '../helpers/temporal';
import { tradingSessionWorkflow } from '../../workflows/session';

const FEED = { kind: 'synthetic', seed: 11, startMs: Date.UTC(2024, 0, 1), bars: 600 } as const;
const sumOf = (reports: readonly IterationReport[]): LlmUsage =>
  reports.map((r) => r.usage).reduce(addUsage, ZERO_USAGE);

describe('LLM failure accounting is the same in both runners', () => {
  let t: TestTemporal;
  const fakes: StepAwareLlm[] = [];
  beforeAll(async () => {
    t = await startTestTemporal();
  });
  afterAll(async () => {
    for (const fake of fakes) await fake.close();
    await t?.close();
  });

  /** A fresh fake (T-A answers prose) and an LLM with its own ledger and cache, so neither runner sees the other's answers. */
  async function llmFor() {
    const fake = await startStepAwareOpenAi({ garbageFor: ['T-A'] });
    fakes.push(fake);
    const ledger = new MemoryCostLedger();
    const env = {
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test-fake',
      LLM_BASE_URL: fake.baseUrl,
      LLM_BREAKER_FAILURES: '1000',
    };
    return {
      fake,
      ledger,
      llm: createLlm(loadLlmConfig(env), { blobs: new MemoryBlobStore(), ledger, warn: () => {} }),
    };
  }

  it('calls, tokens, cost, invalid outputs, fallbacks and failure types match between the fast runner and the Temporal workflows, and each matches its ledger', async () => {
    const base = await buildSessionConfig({
      sessionId: `llm-parity-${Date.now()}`,
      mode: 'backtest',
      feed: FEED,
      knowledgeTransferEvery: 2,
      risk: { minConfidence: 0.5 },
    });
    const config = { ...base, toMs: base.fromMs! + 2 * base.barMs };

    const fast = await llmFor();
    const fastRun = await runFastBacktest(config, testDeps({ llm: fast.llm, llmRiskReview: true }));

    const temporal = await llmFor();
    const runLog = new MemoryRunLog();
    const taskQueue = `llm-parity-${Date.now()}`;
    const w = await startWorkers(t, taskQueue, testDeps({ llm: temporal.llm, runLog, llmRiskReview: true }));
    let result: SessionResult;
    try {
      const handle = await t.client.workflow.start(tradingSessionWorkflow, {
        taskQueue,
        workflowId: config.sessionId,
        args: [{ config, scheduleId: null }],
      });
      result = (await handle.result()) as SessionResult;
    } finally {
      await w.stop();
    }
    const temporalReports = await runLog.read(config.sessionId);

    const fastTotal = sumOf(fastRun.reports);
    const temporalTotal = sumOf(temporalReports);
    expect(fastTotal.fallbacks).toBeGreaterThan(0);
    expect(fastTotal.invalidOutputs).toBeGreaterThan(0);
    const counts = (u: LlmUsage) => ({
      calls: u.calls,
      tokensIn: u.tokensIn,
      tokensOut: u.tokensOut,
      invalidOutputs: u.invalidOutputs,
      fallbacks: u.fallbacks,
      failures: u.failures,
    });
    expect(counts(temporalTotal)).toEqual(counts(fastTotal));
    expect(temporalTotal.costUsd).toBeCloseTo(fastTotal.costUsd, 12);
    expect(temporal.fake.server.requests.length).toBe(fast.fake.server.requests.length);
    expect(result.state.usage).toEqual(temporalTotal);
    expect(temporalReports.map((r) => [r.decision, r.equity])).toEqual(
      fastRun.reports.map((r) => [r.decision, r.equity]),
    );

    for (const [run, total] of [
      [fast, fastTotal],
      [temporal, temporalTotal],
    ] as const) {
      const ledger = await run.ledger.sessionTotal(config.sessionId);
      expect([ledger.calls, ledger.tokensIn, ledger.tokensOut, ledger.invalidOutputs]).toEqual([
        total.calls,
        total.tokensIn,
        total.tokensOut,
        total.invalidOutputs,
      ]);
      expect(ledger.costUsd).toBeCloseTo(total.costUsd, 12);
    }
  });
});
