import { ZERO_USAGE } from '../../domain/schemas/llm';
import type { BlobStore } from '../store/blob-store';
import { createAnthropicTransport } from './anthropic-transport';
import type { LlmConfig } from './config';
import { MemoryCostLedger, type CostLedger } from './cost-ledger';
import { createLocalTransport } from './local-transport';
import { createOpenAiTransport } from './openai-transport';
import { SdkLlm } from './sdk-llm';
import type { Llm, Reasoned, ReasoningTask } from './types';

export interface CreateLlmDeps {
  /** Holds prompt/response records (content hash) and the request-keyed cache. */
  blobs: BlobStore;
  /** Where calls are costed and budgets read. @default a fresh MemoryCostLedger */
  ledger?: CostLedger;
  /** Clock for ledger timestamps, the UTC-day budget and HTTP-date Retry-After. @default Date.now */
  now?: () => number;
  /** fetch handed to the vendor SDK (tests, proxies). @default the SDK's global fetch */
  fetch?: typeof fetch;
  /** Where circuit-breaker and auth-halt warnings go. @default console.warn */
  warn?: (message: string) => void;
}

/** Builds the one shared Llm for the configured provider. */
export function createLlm(config: LlmConfig, deps: CreateLlmDeps): Llm {
  if (config.provider === 'heuristic') return createHeuristicLlm();
  const transport =
    config.provider === 'openai'
      ? createOpenAiTransport(config, deps.fetch)
      : config.provider === 'local'
        ? createLocalTransport(config)
        : createAnthropicTransport(config, deps.fetch);
  return new SdkLlm(
    { ...config, provider: config.provider },
    {
      transport,
      blobs: deps.blobs,
      ledger: deps.ledger ?? new MemoryCostLedger(),
      now: deps.now ?? Date.now,
      ...(deps.warn ? { warn: deps.warn } : {}),
    },
  );
}

/** The offline reasoner: every task answers with its own deterministic quant heuristic, at no cost. */
export function createHeuristicLlm(): Llm {
  return {
    provider: 'heuristic',
    model: 'heuristic',
    async reason<T>(task: ReasoningTask<T>): Promise<Reasoned<T>> {
      return {
        value: task.heuristic(),
        provenance: { source: 'heuristic', hash: null, model: null, warning: null, usage: ZERO_USAGE },
      };
    },
  };
}
