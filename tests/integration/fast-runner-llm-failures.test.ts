import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLlmConfig } from '../../adapters/llm/config';
import { MemoryCostLedger } from '../../adapters/llm/cost-ledger';
import { createLlm } from '../../adapters/llm/create-llm';
import { openMarketData } from '../../adapters/market/market-data';
import { MemoryBlobStore } from '../../adapters/store/blob-store';
import { MemoryRunLog } from '../../adapters/store/run-log';
import { FailureType } from '../../domain/failures';
import { statusOf } from '../../domain/orchestration/status';
import { STEP_RETRY_POLICY } from '../../domain/orchestration/retry-policy';
import { addUsage, ZERO_USAGE, type LlmUsage } from '../../domain/schemas/llm';
import type { IterationReport } from '../../domain/schemas/session';
import { writeBacktestOutput } from '../../workers/backtest-output';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig } from '../../workers/session-config';
import { openAiError } from '../fakes/fake-openai-server';
import { startStepAwareOpenAi, type StepAwareLlm, type StepAwareOptions } from '../fakes/step-aware-llm';
import { testDeps } from '../helpers/temporal';

const FEED = { kind: 'synthetic', seed: 11, startMs: Date.UTC(2024, 0, 1), bars: 600 } as const;

const sumOf = (reports: readonly IterationReport[]): LlmUsage =>
  reports.map((r) => r.usage).reduce(addUsage, ZERO_USAGE);
const countOf = (failures: Record<string, number>): number => Object.values(failures).reduce((a, b) => a + b, 0);

describe('the fast runner against failing LLM servers', () => {
  const fakes: StepAwareLlm[] = [];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fast-llm-'));
  });
  afterAll(async () => {
    for (const fake of fakes) await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A `bars`-bar backtest through the fake, with a recording sleeper instead of real retry waits. */
  async function run(name: string, opts: StepAwareOptions, bars: number, env: Record<string, string> = {}) {
    const fake = await startStepAwareOpenAi(opts);
    fakes.push(fake);
    const ledger = new MemoryCostLedger();
    const warnings: string[] = [];
    const llm = createLlm(
      loadLlmConfig({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test-fake', LLM_BASE_URL: fake.baseUrl, ...env }),
      {
        blobs: new MemoryBlobStore(),
        ledger,
        warn: (m) => warnings.push(m),
      },
    );
    const runLog = new MemoryRunLog();
    const deps = testDeps({ llm, runLog, llmRiskReview: true });
    const base = await buildSessionConfig({
      sessionId: `${name}-${Date.now()}`,
      mode: 'backtest',
      feed: FEED,
      knowledgeTransferEvery: 2,
      risk: { minConfidence: 0.5 },
    });
    const config = { ...base, toMs: base.fromMs! + (bars - 1) * base.barMs };
    const delays: number[] = [];
    const requestsAfterBar: number[] = [];
    const result = runFastBacktest(config, deps, () => requestsAfterBar.push(fake.server.requests.length), {
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    return { fake, ledger, warnings, deps, config, delays, requestsAfterBar, result, runLog };
  }

  it('a server that answers only garbage: every reply is billed and the invalid outputs, fallbacks and failure types reach the reports, status and summary.json, reconciled with the cost ledger', async () => {
    const r = await run('garbage', { garbageFor: ['R-A', 'T-A', 'M-A', 'K-T'] }, 4, { LLM_BREAKER_FAILURES: '1000' });
    const { state, reports } = await r.result;
    const requests = r.fake.server.requests.length;
    expect(r.fake.server.errors).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(4 * 2 * 3);

    const total = sumOf(reports);
    // 1 request + 2 repairs per step, every one billed and invalid; each step then fell back.
    expect(total.calls).toBe(requests);
    expect(total.invalidOutputs).toBe(requests);
    expect(total.fallbacks).toBe(requests / 3);
    expect(total.failures).toEqual({ [FailureType.LlmInvalidOutput]: requests / 3 });
    expect(total.tokensIn).toBeGreaterThan(0);

    const ledger = await r.ledger.sessionTotal(r.config.sessionId);
    expect({
      calls: ledger.calls,
      tokensIn: ledger.tokensIn,
      tokensOut: ledger.tokensOut,
      invalid: ledger.invalidOutputs,
    }).toEqual({
      calls: total.calls,
      tokensIn: total.tokensIn,
      tokensOut: total.tokensOut,
      invalid: total.invalidOutputs,
    });
    expect(ledger.costUsd).toBeCloseTo(total.costUsd, 12);

    const status = statusOf(state, null, (ms) => new Date(ms).toISOString());
    expect(status.llm).toEqual(total);

    const market = openMarketData(FEED);
    const summary = await writeBacktestOutput(join(dir, 'garbage'), {
      state,
      reports,
      candles: await market.candles(r.config.toMs!, 1_000_000),
      funding: await market.funding(0, r.config.toMs!),
      riskLog: r.deps.riskLog,
      runner: 'fast',
      seconds: 1,
    });
    expect(summary).toMatchObject({
      llm_calls: requests,
      llm_tokens: total.tokensIn + total.tokensOut,
      llm_invalid_outputs: requests,
      llm_fallbacks: requests / 3,
      llm_failures: { [FailureType.LlmInvalidOutput]: requests / 3 },
    });
    expect(summary['llm_cost_usd']).toBeCloseTo(ledger.costUsd, 12);
    const html = readFileSync(join(dir, 'garbage', 'report.html'), 'utf8');
    expect(html).toContain('Fallbacks to the offline reasoner');
    expect(html).toContain(FailureType.LlmInvalidOutput);
  });

  it('a healthy server with some garbage: summary llm_* equal the sum of the iteration reports and the cost ledger, and failures sum to fallbacks', async () => {
    const r = await run('mixed', { garbageFor: ['T-A'] }, 3);
    const { reports } = await r.result;
    const total = sumOf(reports);
    const ledger = await r.ledger.sessionTotal(r.config.sessionId);
    expect(total.calls).toBe(r.fake.server.requests.length);
    expect([ledger.calls, ledger.cachedCalls, ledger.tokensIn + ledger.tokensOut, ledger.invalidOutputs]).toEqual([
      total.calls,
      total.cachedCalls,
      total.tokensIn + total.tokensOut,
      total.invalidOutputs,
    ]);
    expect(ledger.costUsd).toBeCloseTo(total.costUsd, 12);
    expect(countOf(total.failures)).toBe(total.fallbacks);
    expect(total.fallbacks).toBeGreaterThan(0);
    for (const report of reports) expect(countOf(report.usage.failures)).toBe(report.usage.fallbacks);
  });

  it("a rate-limited server: each LLM step is retried under the shared policy after the server's Retry-After, then falls back", async () => {
    const limited = {
      status: 429,
      headers: { 'retry-after': '7' },
      body: openAiError('Rate limit reached', 'requests', 'rate_limit_exceeded'),
    };
    const r = await run('rate-limited', { failWith: () => limited }, 2, { LLM_BREAKER_FAILURES: '1000' });
    const { reports } = await r.result;
    const total = sumOf(reports);
    const attempts = STEP_RETRY_POLICY.maximumAttempts;
    expect(total.fallbacks).toBeGreaterThanOrEqual(2 * 2);
    expect(total.failures).toEqual({ [FailureType.LlmRateLimited]: total.fallbacks });
    expect(r.fake.server.requests).toHaveLength(attempts * total.fallbacks);
    expect(r.delays).toEqual(Array.from({ length: (attempts - 1) * total.fallbacks }, () => 7_000));
    expect(total.calls).toBe(0);
  });

  it('a hanging server: the breaker opens after consecutive time-outs and the later bars send no request', async () => {
    const r = await run('hanging', { failWith: () => ({ delayMs: 600_000 }) }, 4, {
      LLM_TIMEOUT_MS: '300',
      LLM_BREAKER_FAILURES: '3',
    });
    const { reports } = await r.result;
    expect(reports).toHaveLength(4);
    // Two traders' T-A run in parallel, so a straggler admitted before the breaker opened may add one request.
    expect(r.requestsAfterBar[0]).toBeLessThanOrEqual(3 + 1);
    expect(r.requestsAfterBar.at(-1)).toBe(r.requestsAfterBar[0]);
    const later = sumOf(reports.slice(1));
    expect(later.failures[FailureType.LlmCircuitOpen]).toBeGreaterThanOrEqual(3 * 2);
    expect(r.warnings.some((w) => w.includes('circuit breaker open'))).toBe(true);
  });

  it('a refused key (401) stops the backtest after the first bar with a clear message', async () => {
    const refused = {
      status: 401,
      body: openAiError('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'),
    };
    const r = await run('auth', { failWith: () => refused }, 5, { LLM_BREAKER_FAILURES: '1000' });
    await expect(r.result).rejects.toThrow(
      /backtest stopped: LLM authentication or permission refused by the provider \(Llm\.Auth/,
    );
    const reports = await r.runLog.read(r.config.sessionId);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.usage.failures[FailureType.LlmAuth]).toBe(reports[0]!.usage.fallbacks);
    // Not retried, and once refused the adapter stops asking: at most the steps already in flight got a 401.
    expect(r.fake.server.requests.length).toBeLessThanOrEqual(reports[0]!.usage.fallbacks);
    expect(r.delays).toEqual([]);
  });
});
