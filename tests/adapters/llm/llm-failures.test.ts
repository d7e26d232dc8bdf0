import { classified } from '../../../activities/failures';
import { withDirectRetry } from '../../../activities/retry-direct';
import { LlmConfigSchema, type LlmConfigInput } from '../../../adapters/llm/config';
import { MemoryCostLedger } from '../../../adapters/llm/cost-ledger';
import { createLlm } from '../../../adapters/llm/create-llm';
import { MemoryBlobStore } from '../../../adapters/store/blob-store';
import { FailureType } from '../../../domain/failures';
import { failedUsageOf } from '../../../domain/orchestration/llm-fallback';
import { STEP_RETRY_POLICY } from '../../../domain/orchestration/retry-policy';
import {
  openAiError,
  startFakeOpenAiServer,
  type ScriptedReply,
  type ScriptedServer,
} from '../../fakes/fake-openai-server';
import { catchClassified, HEURISTIC_FORECAST, makeTask, NOW_MS, TEST_KEY, validReply } from './llm-test-kit';

let server: ScriptedServer;
let ledger: MemoryCostLedger;
let clockMs: number;
let warnings: string[];

beforeEach(async () => {
  server = await startFakeOpenAiServer();
  ledger = new MemoryCostLedger();
  clockMs = NOW_MS;
  warnings = [];
});
afterEach(async () => {
  await server.close();
  expect(server.errors).toEqual([]);
});

function llmWith(overrides: Partial<LlmConfigInput> = {}) {
  const config = LlmConfigSchema.parse({
    provider: 'openai',
    apiKey: TEST_KEY,
    baseUrl: `${server.url}/v1`,
    timeoutMs: 5_000,
    ...overrides,
  });
  return createLlm(config, { blobs: new MemoryBlobStore(), ledger, now: () => clockMs, warn: (m) => warnings.push(m) });
}

const status500: ScriptedReply = { status: 500, body: openAiError('The server had an error', 'server_error') };
const rateLimited = (seconds: number): ScriptedReply => ({
  status: 429,
  headers: { 'retry-after': String(seconds) },
  body: openAiError('Rate limit reached', 'requests', 'rate_limit_exceeded'),
});

describe('invalid replies are billed', () => {
  test('three garbage replies: the Llm.InvalidOutput failure carries 3 billed calls, 3 invalid outputs and their tokens, as the ledger does', async () => {
    server.push(
      { content: 'no', usage: { input: 100, output: 5 } },
      { content: 'still no', usage: { input: 150, output: 5 } },
      { content: '{}', usage: { input: 200, output: 5 } },
    );
    const err = await catchClassified(llmWith().reason(makeTask()));
    expect(err.type).toBe(FailureType.LlmInvalidOutput);
    const usage = failedUsageOf(err);
    expect(usage).toMatchObject({ calls: 3, tokensIn: 450, tokensOut: 15, invalidOutputs: 3 });
    expect(usage.costUsd).toBeGreaterThan(0);
    const ledgerTotal = await ledger.sessionTotal('session-test');
    expect(ledgerTotal).toMatchObject({ calls: 3, tokensIn: 450, tokensOut: 15, invalidOutputs: 3 });
    expect(ledgerTotal.costUsd).toBeCloseTo(usage.costUsd, 15);
  });

  test('an invalid reply followed by a 500 on the repair: the 500 carries the billed invalid reply', async () => {
    server.push({ content: 'prose', usage: { input: 100, output: 10 } }, status500);
    const err = await catchClassified(llmWith().reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmServerError, retryable: true });
    expect(failedUsageOf(err)).toMatchObject({ calls: 1, tokensIn: 100, tokensOut: 10, invalidOutputs: 1 });
  });

  test('a repaired reply counts both calls and the one invalid output', async () => {
    server.push({ content: 'prose' }, { content: validReply(0.6) });
    const result = await llmWith().reason(makeTask());
    expect(result.provenance.usage).toMatchObject({ calls: 2, invalidOutputs: 1, fallbacks: 0, failures: {} });
  });

  test('an exhausted budget is a counted fallback with its reason', async () => {
    await ledger.record({
      sessionId: 'session-test',
      iterationId: 'x',
      agentId: 'a',
      step: 'R-A',
      model: 'gpt-4o-mini',
      cached: false,
      tokensIn: 1,
      tokensOut: 1,
      costUsd: 5,
      atMs: 0,
    });
    const result = await llmWith({ budgetSessionUsd: 5 }).reason(makeTask());
    expect(result.provenance.usage).toMatchObject({
      calls: 0,
      fallbacks: 1,
      failures: { [FailureType.LlmBudgetExceeded]: 1 },
    });
  });
});

describe('circuit breaker', () => {
  test('opens after breakerFailures failed steps: the next steps fall back without a request, with a warning', async () => {
    server.push(status500, status500, status500);
    const llm = llmWith({ breakerFailures: 3, breakerCooldownMs: 60_000 });
    for (let i = 0; i < 3; i++) await catchClassified(llm.reason(makeTask()));
    expect(server.requests).toHaveLength(3);
    expect(warnings.filter((w) => w.includes('circuit breaker open'))).toHaveLength(1);

    const skipped = await llm.reason(makeTask());
    expect(skipped.value).toEqual(HEURISTIC_FORECAST);
    expect(skipped.provenance).toMatchObject({
      source: 'fallback',
      usage: { calls: 0, fallbacks: 1, failures: { [FailureType.LlmCircuitOpen]: 1 } },
    });
    expect(skipped.provenance.warning).toMatch(
      /circuit breaker open after 3 consecutive failures \(last Llm\.ServerError\)/,
    );
    expect(server.requests).toHaveLength(3);
  });

  test('after the cool-down one probe goes out: a failed probe re-opens, a successful one closes', async () => {
    server.push(status500, status500);
    const llm = llmWith({ breakerFailures: 2, breakerCooldownMs: 60_000 });
    for (let i = 0; i < 2; i++) await catchClassified(llm.reason(makeTask()));
    clockMs += 60_000;
    server.push(status500);
    await catchClassified(llm.reason(makeTask()));
    expect(server.requests).toHaveLength(3);
    expect((await llm.reason(makeTask())).provenance.source).toBe('fallback');
    expect(server.requests).toHaveLength(3);

    clockMs += 60_000;
    server.push({ content: validReply(0.6) }, { content: validReply(0.4) });
    expect((await llm.reason(makeTask())).provenance.source).toBe('llm');
    expect((await llm.reason(makeTask({ user: 'another bar' }))).provenance.source).toBe('llm');
    expect(server.requests).toHaveLength(5);
  });

  test('a hanging server: time-outs open the breaker, then steps fall back at once', async () => {
    server.push({ delayMs: 600_000, content: validReply() }, { delayMs: 600_000, content: validReply() });
    const llm = llmWith({ timeoutMs: 200, breakerFailures: 2 });
    for (let i = 0; i < 2; i++)
      expect((await catchClassified(llm.reason(makeTask()))).type).toBe(FailureType.LlmTimeout);
    const skipped = await llm.reason(makeTask());
    expect(skipped.provenance.usage.failures).toEqual({ [FailureType.LlmCircuitOpen]: 1 });
    expect(server.requests).toHaveLength(2);
  });
});

describe('authentication', () => {
  test('after a 401 no further request is sent: every step fails fast with Llm.Auth and an operator warning', async () => {
    server.push({
      status: 401,
      body: openAiError('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'),
    });
    const llm = llmWith({ breakerFailures: 100 });
    expect((await catchClassified(llm.reason(makeTask()))).type).toBe(FailureType.LlmAuth);
    const again = await catchClassified(llm.reason(makeTask({ user: 'next bar' })));
    expect(again).toMatchObject({ type: FailureType.LlmAuth, retryable: false });
    expect(again.message).toMatch(/LLM use halted/);
    expect(server.requests).toHaveLength(1);
    expect(warnings.some((w) => /LLM authentication failed, LLM use halted/.test(w))).toBe(true);
  });
});

describe('direct calls retry under the shared policy (the fast runner)', () => {
  const sleeper = () => {
    const delays: number[] = [];
    return {
      delays,
      sleep: async (ms: number) => {
        delays.push(ms);
      },
    };
  };

  test("a rate-limited step is retried maximumAttempts times, each after the server's Retry-After", async () => {
    server.push(...Array.from({ length: STEP_RETRY_POLICY.maximumAttempts }, () => rateLimited(7)));
    const llm = llmWith({ breakerFailures: 100 });
    const { delays, sleep } = sleeper();
    const step = withDirectRetry(
      classified(() => llm.reason(makeTask())),
      STEP_RETRY_POLICY,
      sleep,
    );
    await expect(step(undefined)).rejects.toMatchObject({ type: FailureType.LlmRateLimited });
    expect(server.requests).toHaveLength(STEP_RETRY_POLICY.maximumAttempts);
    expect(delays).toEqual(Array.from({ length: STEP_RETRY_POLICY.maximumAttempts - 1 }, () => 7_000));
  });

  test('a 500 heals on the third attempt after 1 s and 2 s of backoff', async () => {
    server.push(status500, status500, { content: validReply(0.7) });
    const { delays, sleep } = sleeper();
    const step = withDirectRetry(
      classified(() => llmWith().reason(makeTask())),
      STEP_RETRY_POLICY,
      sleep,
    );
    expect((await step(undefined)).value.pUp).toBe(0.7);
    expect(delays).toEqual([1_000, 2_000]);
  });

  test('a non-retryable failure is not retried', async () => {
    server.push({ status: 400, body: openAiError("model 'nope' does not exist") });
    const { delays, sleep } = sleeper();
    const step = withDirectRetry(
      classified(() => llmWith().reason(makeTask())),
      STEP_RETRY_POLICY,
      sleep,
    );
    await expect(step(undefined)).rejects.toMatchObject({ type: FailureType.LlmBadRequest });
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });
});
