import { inspect } from 'node:util';
import { LlmConfigSchema, type LlmConfigInput } from '../../../adapters/llm/config';
import { MemoryCostLedger } from '../../../adapters/llm/cost-ledger';
import { createLlm } from '../../../adapters/llm/create-llm';
import { MemoryBlobStore } from '../../../adapters/store/blob-store';
import { FailureType } from '../../../domain/failures';
import { anthropicError, startFakeAnthropicServer, type ScriptedServer } from '../../fakes/fake-anthropic-server';
import { catchClassified, makeTask, NOW_MS, now, TEST_KEY, validReply } from './llm-test-kit';

let server: ScriptedServer;
let blobs: MemoryBlobStore;
let ledger: MemoryCostLedger;

beforeEach(async () => {
  server = await startFakeAnthropicServer();
  blobs = new MemoryBlobStore();
  ledger = new MemoryCostLedger();
});
afterEach(async () => {
  await server.close();
  expect(server.errors).toEqual([]);
});

function anthropicLlm(overrides: Partial<LlmConfigInput> = {}) {
  const config = LlmConfigSchema.parse({
    provider: 'anthropic',
    apiKey: TEST_KEY,
    baseUrl: server.url,
    timeoutMs: 5_000,
    ...overrides,
  });
  return createLlm(config, { blobs, ledger, now, warn: () => {} });
}

type MessagesBody = { model: string; system?: string; messages: { role: string; content: string }[] };

describe('anthropic provider through the real SDK', () => {
  test('a valid reply is parsed and costed; the system prompt travels as the top-level field', async () => {
    server.push({ content: validReply(0.58), usage: { input: 2000, output: 100 } });
    const result = await anthropicLlm().reason(makeTask());

    expect(result.value.pUp).toBe(0.58);
    expect(result.provenance).toMatchObject({ source: 'llm', model: 'claude-3-5-haiku-latest' });
    // claude-3-5-haiku list price: $0.80 in / $4 out per 1M tokens.
    expect(result.provenance.usage.costUsd).toBeCloseTo((2000 * 0.8 + 100 * 4) / 1e6, 12);
    const body = server.requests[0]?.body as MessagesBody;
    expect(body.system).toContain('quantitative researcher');
    expect(body.messages.map((m) => m.role)).toEqual(['user']);
    // SDK 1.x sends the key as a bearer token; older ones used x-api-key. Either way it must arrive.
    const headers = server.requests[0]?.headers ?? {};
    expect([headers['x-api-key'], headers.authorization]).toContainEqual(expect.stringContaining(TEST_KEY));
  });

  test('an out-of-range value is repaired with user/assistant turns', async () => {
    server.push({ content: validReply(-0.2) }, { content: validReply(0.3) });
    const result = await anthropicLlm().reason(makeTask());
    expect(result.value.pUp).toBe(0.3);
    expect((server.requests[1]?.body as MessagesBody).messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
    ]);
  });

  test('three invalid replies throw Llm.InvalidOutput, non-retryable', async () => {
    server.push({ content: '' }, { content: '{"pUp": "high"}' }, { content: '[]' });
    const err = await catchClassified(anthropicLlm().reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmInvalidOutput, retryable: false });
    expect(server.requests).toHaveLength(3);
  });

  test('429 with an HTTP-date Retry-After → Llm.RateLimited with the delay until that date', async () => {
    const retryAt = new Date(NOW_MS + 30_000).toUTCString();
    server.push({
      status: 429,
      headers: { 'retry-after': retryAt },
      body: anthropicError('rate_limit_error', 'Number of requests has exceeded your rate limit'),
    });
    const err = await catchClassified(anthropicLlm().reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmRateLimited, retryable: true, retryAfterMs: 30_000 });
  });

  test('529 overloaded → Llm.ServerError, retryable', async () => {
    server.push({ status: 529, body: anthropicError('overloaded_error', 'Overloaded') });
    const err = await catchClassified(anthropicLlm().reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmServerError, retryable: true });
    expect(server.requests).toHaveLength(1);
  });

  test('a server slower than timeoutMs → Llm.Timeout, retryable', async () => {
    server.push({ delayMs: 10_000, content: validReply() });
    const err = await catchClassified(anthropicLlm({ timeoutMs: 200 }).reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmTimeout, retryable: true });
  });

  test('403 → Llm.Auth, non-retryable, with the key scrubbed from the error', async () => {
    server.push({ status: 403, body: anthropicError('permission_error', `key ${TEST_KEY} may not use this model`) });
    const err = await catchClassified(anthropicLlm().reason(makeTask()));
    expect(err).toMatchObject({ type: FailureType.LlmAuth, retryable: false });
    expect(`${err.message} ${JSON.stringify(err)} ${inspect(err)}`).not.toContain(TEST_KEY);
  });

  test('a rerun is served from the cache with zero requests', async () => {
    server.push({ content: validReply(0.51) });
    await anthropicLlm().reason(makeTask());
    const rerun = await anthropicLlm().reason(makeTask());
    expect(rerun.provenance.source).toBe('cache');
    expect(server.requests).toHaveLength(1);
  });
});
