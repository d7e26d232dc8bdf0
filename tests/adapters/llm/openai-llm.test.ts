import { inspect } from 'node:util';
import { LlmConfigSchema, type LlmConfigInput } from '../../../adapters/llm/config';
import { MemoryCostLedger } from '../../../adapters/llm/cost-ledger';
import { createLlm } from '../../../adapters/llm/create-llm';
import { MemoryBlobStore } from '../../../adapters/store/blob-store';
import { FailureType } from '../../../domain/failures';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import { openAiError, startFakeOpenAiServer, type ScriptedServer } from '../../fakes/fake-openai-server';
import { catchClassified, HEURISTIC_FORECAST, makeTask, now, TEST_KEY, validReply } from './llm-test-kit';

let server: ScriptedServer;
let blobs: MemoryBlobStore;
let ledger: MemoryCostLedger;
let warnings: string[];

beforeEach(async () => {
  server = await startFakeOpenAiServer();
  blobs = new MemoryBlobStore();
  ledger = new MemoryCostLedger();
  warnings = [];
});
afterEach(async () => {
  await server.close();
  expect(server.errors).toEqual([]);
});

function openAiLlm(overrides: Partial<LlmConfigInput> = {}) {
  const config = LlmConfigSchema.parse({
    provider: 'openai',
    apiKey: TEST_KEY,
    baseUrl: `${server.url}/v1`,
    timeoutMs: 5_000,
    ...overrides,
  });
  return createLlm(config, { blobs, ledger, now, warn: (m) => warnings.push(m) });
}

function bodyOf(index: number): { model: string; messages: { role: string; content: string }[]; max_tokens: number } {
  return server.requests[index]?.body as never;
}

describe('openai provider through the real SDK', () => {
  test('a valid reply is parsed, validated, costed and stored by hash', async () => {
    server.push({ content: validReply(0.62), usage: { input: 1000, output: 200 } });
    const result = await openAiLlm().reason(makeTask());

    expect(result.value).toEqual({ pUp: 0.62, rationale: 'trend up, RSI not overbought' });
    expect(result.provenance).toMatchObject({ source: 'llm', model: 'gpt-4o-mini', warning: null });
    // gpt-4o-mini list price: $0.15 in / $0.60 out per 1M tokens.
    expect(result.provenance.usage).toEqual({
      ...ZERO_USAGE,
      calls: 1,
      tokensIn: 1000,
      tokensOut: 200,
      costUsd: (1000 * 0.15 + 200 * 0.6) / 1e6,
    });
    const record = await blobs.get<{ responseText: string }>(result.provenance.hash ?? '');
    expect(record?.responseText).toBe(validReply(0.62));
    expect(server.requests).toHaveLength(1);
    expect(server.errors).toEqual([]);
  });

  test('the prompt carries system, user, the schema hint and the JSON schema, with the configured limits', async () => {
    server.push({ content: validReply() });
    await openAiLlm({ maxTokens: 321 }).reason(makeTask());
    const body = bodyOf(0);
    expect(body.max_tokens).toBe(321);
    expect(body.messages[0]?.role).toBe('system');
    expect(body.messages[0]?.content).toContain('quantitative researcher');
    expect(body.messages[0]?.content).toContain('pUp: probability');
    expect(body.messages[0]?.content).toContain('"maximum":1');
    expect(body.messages[1]).toEqual({ role: 'user', content: makeTask().user });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  });

  test('fenced JSON after leading prose is accepted without a repair', async () => {
    server.push({ content: `Here is my forecast:\n\`\`\`json\n${validReply(0.7)}\n\`\`\`\nGood luck.` });
    const result = await openAiLlm().reason(makeTask());
    expect(result.value.pUp).toBe(0.7);
    expect(server.requests).toHaveLength(1);
  });

  test('invalid JSON is repaired by a second call that sees the errors', async () => {
    server.push({ content: 'pUp is about 0.6, I think' }, { content: validReply(0.6) });
    const result = await openAiLlm().reason(makeTask());

    expect(result.value.pUp).toBe(0.6);
    expect(result.provenance.usage.calls).toBe(2);
    expect(result.provenance.warning).toMatch(/repaired after 1 invalid reply/);
    const repair = bodyOf(1).messages;
    expect(repair.at(-2)).toEqual({ role: 'assistant', content: 'pUp is about 0.6, I think' });
    expect(repair.at(-1)?.content).toMatch(/rejected/);
  });

  test('an out-of-range probability fails the schema and is repaired', async () => {
    server.push({ content: validReply(1.4) }, { content: validReply(0.8) });
    const result = await openAiLlm().reason(makeTask());
    expect(result.value.pUp).toBe(0.8);
    expect(bodyOf(1).messages.at(-1)?.content).toContain('`pUp`');
  });

  test('three invalid replies throw Llm.InvalidOutput, non-retryable, after exactly 1 + maxRepairs calls', async () => {
    server.push({ content: 'no' }, { content: validReply(2) }, { content: '{"pUp": 0.5}' });
    const err = await catchClassified(openAiLlm({ maxRepairs: 2 }).reason(makeTask()));
    expect(err.type).toBe(FailureType.LlmInvalidOutput);
    expect(err.retryable).toBe(false);
    expect(server.requests).toHaveLength(3);
    expect((await ledger.sessionTotal('session-test')).calls).toBe(3);
  });

  test('429 with Retry-After seconds → Llm.RateLimited, retryable, retryAfterMs from the header', async () => {
    server.push({
      status: 429,
      headers: { 'retry-after': '7' },
      body: openAiError('Rate limit reached', 'requests', 'rate_limit_exceeded'),
    });
    const err = await catchClassified(openAiLlm().reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmRateLimited, retryable: true, retryAfterMs: 7000 });
    expect(server.requests).toHaveLength(1);
  });

  test('429 with retry-after-ms wins over Retry-After', async () => {
    server.push({
      status: 429,
      headers: { 'retry-after-ms': '1500', 'retry-after': '9' },
      body: openAiError('slow down'),
    });
    const err = await catchClassified(openAiLlm().reason(makeTask()));
    expect(err.retryAfterMs).toBe(1500);
  });

  test('500 → Llm.ServerError, retryable, and the SDK does not retry on its own', async () => {
    server.push({ status: 500, body: openAiError('The server had an error', 'server_error') });
    const err = await catchClassified(openAiLlm().reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmServerError, retryable: true });
    expect(server.requests).toHaveLength(1);
  });

  test('a server slower than timeoutMs → Llm.Timeout, retryable', async () => {
    server.push({ delayMs: 10_000, content: validReply() });
    const err = await catchClassified(openAiLlm({ timeoutMs: 200 }).reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmTimeout, retryable: true });
  });

  test('400 → Llm.BadRequest, non-retryable', async () => {
    server.push({ status: 400, body: openAiError("model 'nope' does not exist") });
    const err = await catchClassified(openAiLlm().reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmBadRequest, retryable: false });
  });

  test('401 → Llm.Auth, non-retryable, and the key echoed by the server never leaks', async () => {
    server.push({
      status: 401,
      body: openAiError(`Incorrect API key provided: ${TEST_KEY}.`, 'invalid_request_error', 'invalid_api_key'),
    });
    const err = await catchClassified(openAiLlm().reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmAuth, retryable: false });
    for (const text of [err.message, String(err), JSON.stringify(err), inspect(err), err.stack ?? '']) {
      expect(text).not.toContain(TEST_KEY);
      expect(text).not.toContain('SECRET');
    }
  });

  test('a rerun with the same prompt is served from the cache with zero HTTP requests', async () => {
    server.push({ content: validReply(0.55) });
    const first = await openAiLlm().reason(makeTask());
    const rerun = await openAiLlm().reason(makeTask({ iterationId: 'iter-1-rerun' }));

    expect(server.requests).toHaveLength(1);
    expect(server.errors).toEqual([]);
    expect(rerun.value).toEqual(first.value);
    expect(rerun.provenance).toMatchObject({ source: 'cache', hash: first.provenance.hash, warning: null });
    expect(rerun.provenance.usage).toEqual({ ...ZERO_USAGE, cachedCalls: 1 });
  });

  test('a different per-agent model is a different cache entry', async () => {
    server.push({ content: validReply(0.55) }, { content: validReply(0.45) });
    await openAiLlm().reason(makeTask());
    const other = await openAiLlm().reason(makeTask({ model: 'gpt-4.1-mini' }));
    expect(other.value.pUp).toBe(0.45);
    expect(bodyOf(1).model).toBe('gpt-4.1-mini');
  });

  test('an exhausted session budget returns the heuristic as a fallback without any request', async () => {
    await ledger.record({
      sessionId: 'session-test',
      iterationId: 'iter-0',
      agentId: 'a',
      step: 'R-A',
      model: 'gpt-4o-mini',
      cached: false,
      tokensIn: 1,
      tokensOut: 1,
      costUsd: 5,
      atMs: 0,
    });
    const result = await openAiLlm({ budgetSessionUsd: 5 }).reason(makeTask());
    expect(result.value).toEqual(HEURISTIC_FORECAST);
    expect(result.provenance.source).toBe('fallback');
    expect(result.provenance.warning).toMatch(/^LLM budget exhausted: session/);
    expect(server.requests).toHaveLength(0);
  });

  test('an exhausted UTC-day budget also falls back, counting other sessions of the same day', async () => {
    await ledger.record({
      sessionId: 'other',
      iterationId: 'x',
      agentId: 'a',
      step: 'R-A',
      model: 'gpt-4o-mini',
      cached: false,
      tokensIn: 1,
      tokensOut: 1,
      costUsd: 2,
      atMs: now() + 3_600_000,
    });
    const result = await openAiLlm({ budgetDayUsd: 2 }).reason(makeTask());
    expect(result.provenance.warning).toMatch(/^LLM budget exhausted: UTC day/);
    expect(server.requests).toHaveLength(0);
  });

  test('the API key never appears in provenance, the stored record or the serialised config', async () => {
    server.push({ content: validReply() });
    const config = LlmConfigSchema.parse({ provider: 'openai', apiKey: TEST_KEY, baseUrl: `${server.url}/v1` });
    const result = await createLlm(config, { blobs, ledger, now }).reason(makeTask());
    const record = await blobs.get(result.provenance.hash ?? '');
    for (const text of [
      JSON.stringify(result),
      JSON.stringify(record),
      JSON.stringify(config),
      inspect(config),
      `${config.apiKey}`,
    ]) {
      expect(text).not.toContain(TEST_KEY);
    }
    expect(config.apiKey?.reveal()).toBe(TEST_KEY);
  });
});
