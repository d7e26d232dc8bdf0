import { inspect } from 'node:util';
import { LlmConfigError, loadLlmConfig } from '../../../adapters/llm/config';
import { FailureType } from '../../../domain/failures';
import { TEST_KEY } from './llm-test-kit';

describe('loadLlmConfig', () => {
  test('with no keys the provider is heuristic and the documented defaults apply', () => {
    const config = loadLlmConfig({});
    expect(config).toMatchObject({
      provider: 'heuristic',
      baseUrl: null,
      temperature: 0,
      maxTokens: 800,
      timeoutMs: 60_000,
      concurrency: 4,
      maxRepairs: 2,
      budgetSessionUsd: 5,
      budgetDayUsd: 20,
      apiKey: null,
    });
  });

  test('OPENAI_API_KEY selects openai with gpt-4o-mini; ANTHROPIC_API_KEY alone selects anthropic', () => {
    expect(loadLlmConfig({ OPENAI_API_KEY: TEST_KEY, ANTHROPIC_API_KEY: 'sk-ant-x' })).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
    });
    const anthropic = loadLlmConfig({ ANTHROPIC_API_KEY: 'sk-ant-abc' });
    expect(anthropic).toMatchObject({ provider: 'anthropic', model: 'claude-3-5-haiku-latest' });
    expect(anthropic.apiKey?.reveal()).toBe('sk-ant-abc');
  });

  test('LLM_* variables override the defaults', () => {
    const config = loadLlmConfig({
      LLM_PROVIDER: 'openai',
      LLM_MODEL: 'deepseek-chat',
      LLM_BASE_URL: 'https://api.deepseek.com/v1',
      OPENAI_API_KEY: TEST_KEY,
      LLM_TEMPERATURE: '0.3',
      LLM_MAX_TOKENS: '1200',
      LLM_TIMEOUT_MS: '30000',
      LLM_CONCURRENCY: '2',
      LLM_MAX_REPAIRS: '1',
      LLM_BUDGET_SESSION_USD: '1.5',
      LLM_BUDGET_DAY_USD: '3',
      LLM_PRICES_JSON: '{"my-model": {"inputPerMTok": 1, "outputPerMTok": 2}}',
    });
    expect(config).toMatchObject({
      provider: 'openai',
      model: 'deepseek-chat',
      baseUrl: 'https://api.deepseek.com/v1',
      temperature: 0.3,
      maxTokens: 1200,
      timeoutMs: 30_000,
      concurrency: 2,
      maxRepairs: 1,
      budgetSessionUsd: 1.5,
      budgetDayUsd: 3,
    });
    expect(config.prices['my-model']).toEqual({ inputPerMTok: 1, outputPerMTok: 2 });
    expect(config.prices['gpt-4o-mini']).toBeDefined();
  });

  test('a keyless OpenAI-compatible local server is allowed when LLM_BASE_URL is set', () => {
    const config = loadLlmConfig({
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
      LLM_MODEL: 'qwen2.5',
    });
    expect(config).toMatchObject({ provider: 'openai', apiKey: null, model: 'qwen2.5' });
  });

  test.each([
    [{ LLM_PROVIDER: 'anthropic' }, /ANTHROPIC_API_KEY/],
    [{ LLM_PROVIDER: 'openai' }, /OPENAI_API_KEY/],
    [{ LLM_PROVIDER: 'gemini' }, /LLM_PROVIDER/],
    [{ LLM_MAX_TOKENS: 'lots' }, /LLM_MAX_TOKENS/],
    [{ LLM_PRICES_JSON: '{oops' }, /LLM_PRICES_JSON/],
  ])('invalid environment %p throws Config.Invalid, non-retryable', (env, message) => {
    let thrown: unknown;
    try {
      loadLlmConfig(env);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(LlmConfigError);
    expect(thrown).toMatchObject({
      type: FailureType.ConfigInvalid,
      retryable: false,
      message: expect.stringMatching(message),
    });
  });

  test('the API key is redacted in JSON, inspect, template strings and spreads', () => {
    const config = loadLlmConfig({ OPENAI_API_KEY: TEST_KEY });
    const spread = { ...config };
    for (const text of [
      JSON.stringify(config),
      inspect(config),
      `${config.apiKey}`,
      JSON.stringify(spread),
      inspect(spread, { depth: 5 }),
    ]) {
      expect(text).not.toContain(TEST_KEY);
    }
    expect(JSON.stringify(config)).toContain('"apiKey":"[redacted]"');
  });
});
