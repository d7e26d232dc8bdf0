import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmConfigError, describeLlmConfigWarnings, loadLlmConfig } from '../../../adapters/llm/config';
import { buildActivityDeps } from '../../../workers/build-deps';
import { temporalEnv } from '../../../workers/env';

const KEY = 'test-key-not-real';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

describe('configuration errors name the environment variable', () => {
  it.each([
    [{ LLM_CONCURRENCY: '0' }, 'LLM_CONCURRENCY must be a positive integer, got "0"'],
    [{ LLM_CONCURRENCY: '2.5' }, 'LLM_CONCURRENCY must be a positive integer, got "2.5"'],
    [{ LLM_MAX_TOKENS: 'lots' }, 'LLM_MAX_TOKENS must be a positive integer, got "lots"'],
    [{ LLM_TEMPERATURE: '3' }, 'LLM_TEMPERATURE must be a number from 0 to 2, got "3"'],
    [{ LLM_BUDGET_DAY_USD: '-1' }, 'LLM_BUDGET_DAY_USD must be a non-negative number of USD, got "-1"'],
    [
      { LLM_TIMEOUT_MS: '3000000000' },
      'LLM_TIMEOUT_MS must be a positive integer of at most 2147483647 (Node\'s timer limit, about 24.8 days), got "3000000000"',
    ],
    [{ LLM_JSON_MODE: 'yes' }, 'LLM_JSON_MODE must be true, false, 1 or 0, got "yes"'],
  ])('%j is refused: %s', (env, message) => {
    expect(() => loadLlmConfig(env)).toThrow(LlmConfigError);
    expect(messageOf(() => loadLlmConfig(env))).toBe(message);
  });

  it('a schema rule that fails after parsing still names the variable, not the field', () => {
    expect(messageOf(() => loadLlmConfig({ LLM_BASE_URL: 'not a url', LLM_PROVIDER: 'openai' }))).toMatch(
      /^invalid LLM configuration: LLM_BASE_URL: /,
    );
  });

  it('booleans accept true/false/1/0 only', () => {
    expect(loadLlmConfig({ LLM_JSON_MODE: '1' }).jsonMode).toBe(true);
    expect(loadLlmConfig({ LLM_JSON_MODE: 'FALSE' }).jsonMode).toBe(false);
    expect(temporalEnv({ TEMPORAL_TLS: '1' }).tls).toBe(true);
    expect(() => temporalEnv({ TEMPORAL_TLS: 'on' })).toThrow('TEMPORAL_TLS must be true, false, 1 or 0, got "on"');
    const deps = (env: NodeJS.ProcessEnv) =>
      buildActivityDeps({ dataDir: mkdtempSync(join(tmpdir(), 'deps-')), env, inMemory: true });
    expect(deps({ LLM_RISK_REVIEW: '1' }).llmRiskReview).toBe(true);
    expect(() => deps({ LLM_RISK_REVIEW: 'ture' })).toThrow('LLM_RISK_REVIEW must be true, false, 1 or 0, got "ture"');
  });
});

describe('LLM_BUDGET_SESSION_USD=0', () => {
  it('prints the promised warning when the deps are built', () => {
    const env = { LLM_PROVIDER: 'openai', OPENAI_API_KEY: KEY, LLM_BUDGET_SESSION_USD: '0' };
    expect(describeLlmConfigWarnings(loadLlmConfig(env))).toEqual([
      'LLM_BUDGET_SESSION_USD=0: every openai call is over budget, the offline heuristic reasoner answers all of them',
    ]);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      buildActivityDeps({ dataDir: mkdtempSync(join(tmpdir(), 'deps-')), env, inMemory: true });
      expect(warn).toHaveBeenCalledWith(
        'warning: LLM_BUDGET_SESSION_USD=0: every openai call is over budget, the offline heuristic reasoner answers all of them',
      );
      expect(warn.mock.calls.flat().join(' ')).not.toContain(KEY);
    } finally {
      warn.mockRestore();
    }
  });

  it('says nothing for the offline reasoner, which has no budget to exceed', () => {
    expect(describeLlmConfigWarnings(loadLlmConfig({ LLM_BUDGET_SESSION_USD: '0' }))).toEqual([]);
  });
});
