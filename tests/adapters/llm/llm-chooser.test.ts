import { LlmProvider, loadLlmConfig, type LlmConfig } from '../../../adapters/llm/config';
import { createLlm } from '../../../adapters/llm/create-llm';
import { createLlmChooser } from '../../../adapters/llm/llm-chooser';
import { MemoryBlobStore } from '../../../adapters/store/blob-store';
import { llmOf } from '../../../activities/deps';
import { ClassifiedError, FailureType } from '../../../domain/failures';
import { LLM_PROVIDERS } from '../../../domain/schemas/config';
import { testDeps } from '../../helpers/temporal';

function chooserFor(env: NodeJS.ProcessEnv) {
  const built: LlmConfig[] = [];
  const blobs = new MemoryBlobStore();
  const build = (config: LlmConfig) => (built.push(config), createLlm(config, { blobs }));
  const base = build(loadLlmConfig(env));
  built.length = 0;
  return { choose: createLlmChooser({ env, base, build }), base, built };
}

describe('LLM chooser (setLlm on the worker)', () => {
  it('knows the providers the adapters support', () => {
    expect([...LLM_PROVIDERS].sort()).toEqual(Object.values(LlmProvider).sort());
  });

  it('builds one client per (provider, model) from the env, and reuses it', () => {
    const { choose, built } = chooserFor({
      LLM_PROVIDER: 'heuristic',
      OPENAI_API_KEY: 'sk-env',
      LLM_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    const a = choose({ provider: 'openai', model: 'gpt-4o' });
    expect({ provider: a.provider, model: a.model }).toEqual({ provider: 'openai', model: 'gpt-4o' });
    expect(choose({ provider: 'openai', model: 'gpt-4o' })).toBe(a);
    expect(choose({ provider: 'openai', model: 'gpt-4.1' })).not.toBe(a);
    expect(choose({ provider: 'openai', model: null }).model).toBe('gpt-4o-mini');
    // The key comes from the env; a heuristic default lends its base URL to the chosen provider.
    expect(built[0]!.apiKey?.reveal()).toBe('sk-env');
    expect(built[0]!.baseUrl).toBe('http://127.0.0.1:9/v1');
    expect(built).toHaveLength(3);
  });

  it("answers the worker's own provider and model with its default client, and heuristic with the offline reasoner", () => {
    const { choose, base, built } = chooserFor({
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-env',
      LLM_MODEL: 'gpt-4o',
    });
    expect(choose({ provider: 'openai', model: null })).toBe(base);
    expect(choose({ provider: 'openai', model: 'gpt-4o' })).toBe(base);
    expect(choose({ provider: 'heuristic', model: null }).provider).toBe('heuristic');
    expect(built).toEqual([]);
  });

  it("keeps the worker's base URL to its own provider", () => {
    const { choose, built } = chooserFor({
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: 'http://127.0.0.1:9/v1',
      ANTHROPIC_API_KEY: 'sk-ant-env',
    });
    choose({ provider: 'anthropic', model: null });
    expect(built[0]!.baseUrl).toBeNull();
  });

  it('a provider whose key is missing fails as Llm.Auth naming the provider and the variable', () => {
    const { choose } = chooserFor({ LLM_PROVIDER: 'heuristic' });
    let err: unknown = null;
    try {
      choose({ provider: 'anthropic', model: 'claude-x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClassifiedError);
    expect((err as ClassifiedError).type).toBe(FailureType.LlmAuth);
    expect((err as ClassifiedError).retryable).toBe(false);
    expect((err as Error).message).toContain('anthropic/claude-x');
    expect((err as Error).message).toContain('ANTHROPIC_API_KEY');
  });

  it("steps ask the session's choice, or the worker's default when it made none", () => {
    const { choose } = chooserFor({ LLM_PROVIDER: 'heuristic', OPENAI_API_KEY: 'sk-env' });
    const deps = testDeps({ chooseLlm: choose });
    const ctx = { sessionId: 's', iterationId: 'i', barCloseMs: 0, round: 1, symbol: 'BTC/USDT:USDT' };
    expect(llmOf(deps, ctx)).toBe(deps.llm);
    expect(llmOf(deps, { ...ctx, llm: null })).toBe(deps.llm);
    expect(llmOf(deps, { ...ctx, llm: { provider: 'openai', model: 'gpt-4o' } }).model).toBe('gpt-4o');
    expect(() => llmOf(testDeps(), { ...ctx, llm: { provider: 'openai', model: 'gpt-4o' } })).toThrow(
      'this worker has no LLM chooser',
    );
  });
});
