import { ClassifiedError, FailureType } from '../../domain/failures';
import type { LlmChoice } from '../../domain/schemas/config';
import { LlmConfigError, loadLlmConfig, type LlmConfig } from './config';
import { createHeuristicLlm } from './create-llm';
import type { Llm } from './types';

/** Picks the client for a session's LLM choice (`setLlm`, docs/live-changes.md). */
export type LlmChooser = (choice: LlmChoice) => Llm;

export interface LlmChooserOptions {
  /** The worker's environment: the only place keys come from. */
  env: NodeJS.ProcessEnv;
  /** The worker's default client (LLM_PROVIDER, LLM_MODEL); a choice that names it gets it. */
  base: Llm;
  /** Builds a client from a configuration (same blobs and cost ledger as the default one). */
  build: (config: LlmConfig) => Llm;
}

/**
 * One client per (provider, model), built on first use from the worker's env with LLM_PROVIDER and
 * LLM_MODEL replaced by the choice, and cached. LLM_BASE_URL goes with the worker's own provider, or
 * with any provider when the worker's default is the heuristic one. A provider this worker cannot use
 * (no key, no model file) fails the step as `Llm.Auth` naming the variable: the LLM-failure path
 * answers with the offline reasoner and the session's status shows the alert (docs/llm-failures.md).
 */
export function createLlmChooser(opts: LlmChooserOptions): LlmChooser {
  const cache = new Map<string, Llm>();
  const heuristic = createHeuristicLlm();
  return (choice) => {
    if (choice.provider === 'heuristic') return heuristic;
    const sameProvider = choice.provider === opts.base.provider;
    const model = choice.model ?? (sameProvider ? opts.env.LLM_MODEL : undefined);
    if (sameProvider && (model === undefined || model === opts.base.model)) return opts.base;
    const key = `${choice.provider}\u0000${model ?? ''}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const keepBaseUrl = sameProvider || opts.base.provider === 'heuristic';
    let config: LlmConfig;
    try {
      config = loadLlmConfig({
        ...opts.env,
        LLM_PROVIDER: choice.provider,
        LLM_MODEL: model ?? '',
        LLM_BASE_URL: keepBaseUrl ? opts.env.LLM_BASE_URL : '',
      });
    } catch (err) {
      if (!(err instanceof LlmConfigError)) throw err;
      throw new ClassifiedError(
        FailureType.LlmAuth,
        `the session chose LLM ${choice.provider}${model ? `/${model}` : ''} (setLlm), but this LLM worker cannot use it: ${err.message}`,
        false,
      );
    }
    const llm = opts.build(config);
    cache.set(key, llm);
    return llm;
  };
}
